// "Cite" menus: add copy buttons, and fill a record's menu when it is first opened.
// Without JavaScript the citations are plain selectable text (or, for a record, a link to
// the page that holds them) and the downloads are ordinary links, so this only enhances.
(function () {
  "use strict";
  if (window.mtcCiteMenus) return; // the menu partial may appear more than once on a page
  window.mtcCiteMenus = true;

  function copy(button) {
    var id = button.getAttribute("data-copy");
    var rich = document.getElementById(id);
    var plain = document.getElementById(id + "-plain").value;
    var status = button.closest(".cite-body").querySelector(".cite-status");
    var done = function () { status.textContent = "Copied to the clipboard."; };
    var failed = function () { status.textContent = "Could not copy: select the text and copy it."; };
    if (!navigator.clipboard) return failed();
    if (window.ClipboardItem && navigator.clipboard.write) {
      // Rich text keeps the italics when pasted into a word processor.
      var item = new ClipboardItem({
        "text/html": new Blob([rich.innerHTML], { type: "text/html" }),
        "text/plain": new Blob([plain], { type: "text/plain" }),
      });
      navigator.clipboard.write([item]).then(done, function () {
        navigator.clipboard.writeText(plain).then(done, failed);
      });
    } else {
      navigator.clipboard.writeText(plain).then(done, failed);
    }
  }

  function addCopyButtons(root) {
    root.querySelectorAll(".cite-copy").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { copy(button); });
    });
  }

  // A record's Chicago forms live on their own page (data-src); the menu takes that
  // page's citation blocks the first time it opens.
  function load(menu) {
    var holder = menu.querySelector(".cite-blocks[data-src]");
    if (!holder || holder.getAttribute("data-state")) return;
    var status = menu.querySelector(".cite-status");
    holder.setAttribute("data-state", "loading");
    status.textContent = "Loading the citations…";
    fetch(holder.getAttribute("data-src"), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var blocks = page.querySelector("main .cite-blocks");
        if (!blocks) throw new Error("no citations in the page");
        holder.replaceChildren.apply(holder, Array.prototype.slice.call(blocks.childNodes));
        holder.setAttribute("data-state", "loaded");
        addCopyButtons(holder);
        status.textContent = "";
      })
      .catch(function () {
        holder.removeAttribute("data-state"); // opening the menu again retries
        status.textContent = "Could not load the citations: follow the link to open them.";
      });
  }

  function init() {
    addCopyButtons(document);
    document.querySelectorAll("details.cite-menu").forEach(function (menu) {
      menu.addEventListener("toggle", function () { if (menu.open) load(menu); });
      if (menu.open) load(menu);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
