/* news-digest: the reader's light or dark choice, put back before the page is drawn.
   Material's bundle saves the choice (under "__palette") when the switch is used; this puts it
   back on the next page while the header is parsed, so the page does not flash the other scheme.
   A file rather than an inline script: browsers keep it, and pages do not repeat it. */
(function () {
  "use strict";
  var saved = __md_get("__palette");
  if (!saved || !saved.color) return;
  for (var key in saved.color) document.body.setAttribute("data-md-color-" + key, saved.color[key]);
})();
