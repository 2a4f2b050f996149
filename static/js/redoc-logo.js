// ReDoc's menu footer loads Redocly's logo from their CDN, which this offline site (and
// its CSP, img-src 'self' data:) does not reach: an empty image takes its place.
(function () {
  "use strict";
  var blank = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/%3E";
  var setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    if (name === "src" && typeof value === "string" && value.indexOf("https://cdn.redoc.ly/") === 0) {
      value = blank;
    }
    return setAttribute.call(this, name, value);
  };
})();
