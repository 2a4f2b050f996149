// ReDoc's menu footer loads Redocly's logo from their CDN, which this offline site (and
// its CSP, img-src 'self' data:) does not reach: an empty image takes its place, however
// the address is set (attribute or property).
(function () {
  "use strict";
  var blank = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/%3E";
  function local(value) {
    return typeof value === "string" && value.indexOf("https://cdn.redoc.ly/") === 0 ? blank : value;
  }
  var setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    return setAttribute.call(this, name, name === "src" ? local(value) : value);
  };
  var src = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, "src");
  Object.defineProperty(HTMLImageElement.prototype, "src", {
    configurable: true,
    enumerable: src.enumerable,
    get: src.get,
    set: function (value) { src.set.call(this, local(value)); }
  });
})();
