/* news-digest: "Today" and "Yesterday" in the reader's own time zone.
   Pages are built without a clock (the same content gives the same bytes), so they carry full
   dates; this relabels the dates of the last two days where the reader is, and keeps the full
   date in the element's title. Without JavaScript readers see the full dates. */
(function () {
  "use strict";

  function dayKey(date) {
    return date.getFullYear() * 10000 + (date.getMonth() + 1) * 100 + date.getDate();
  }

  var now = new Date();
  var today = dayKey(now);
  var yesterday = dayKey(new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1));
  var clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
  // A day heading's datetime is a calendar date; a story's is a moment, placed in the reader's zone.
  var dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/;

  document.querySelectorAll(".md-content time[datetime]").forEach(function (el) {
    var value = el.getAttribute("datetime");
    var parts = dateOnly.exec(value);
    var moment = parts ? null : new Date(value);
    if (moment !== null && isNaN(moment.getTime())) return;
    var day = parts ? Number(parts[1] + parts[2] + parts[3]) : dayKey(moment);
    var label = day === today ? "Today" : day === yesterday ? "Yesterday" : null;
    if (label === null) return;
    if (!el.title) el.title = el.textContent.trim();
    el.textContent = moment === null ? label : label + ", " + clock.format(moment);
  });
})();

/* news-digest: a picture that fails to load goes, instead of showing the browser's broken-picture
   icon: a source's logo leaves the source's initial under it showing, a story's picture its page. */
(function () {
  "use strict";

  var pictures = ".dg-logo img, .dg-figure img";

  function drop(img) {
    var figure = img.closest(".dg-figure");
    (figure || img).remove();
  }

  document.addEventListener(
    "error",
    function (event) {
      var el = event.target;
      if (el instanceof HTMLImageElement && el.matches(pictures)) drop(el);
    },
    true
  );
  // Those that failed before this ran; one still waiting to load (lazily) is not complete.
  document.querySelectorAll(pictures).forEach(function (img) {
    if (img.complete && img.naturalWidth === 0) drop(img);
  });
})();
