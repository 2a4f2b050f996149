// "Cite" menus: add copy buttons. Without JavaScript the citations are plain selectable
// text and the downloads are ordinary links, so this only enhances the page.
(function () {
  "use strict";
  if (window.mtcCiteMenus) return; // the menu partial may appear more than once on a page
  window.mtcCiteMenus = true;

  function copy(button) {
    var id = button.getAttribute("data-copy");
    var rich = document.getElementById(id);
    var plain = document.getElementById(id + "-plain").value;
    var status = button.closest(".cite-menu").querySelector(".cite-status");
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

  function init() {
    document.querySelectorAll(".cite-copy").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { copy(button); });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
