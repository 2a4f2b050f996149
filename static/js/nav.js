// The header menu is an open <details> so it works without script; on a narrow
// screen script folds it behind its "Menu" button. Wide screens hide the button (CSS).
(function () {
  "use strict";
  var narrow = window.matchMedia("(max-width: 47.99em)");
  function fold() {
    var menu = document.querySelector(".nav-menu");
    if (menu) { menu.open = !narrow.matches; }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fold);
  } else {
    fold();
  }
  narrow.addEventListener("change", fold);
})();
