/* news-digest: days and times where the reader is.

   First the stories of each list go under the reader's own days.
   Pages group stories by the days of the site's time zone, and say so ("Days and times in
   UTC"); a story's time, though, is shown in the reader's zone (below), so under a heading of
   the site's 1 March a reader in Tokyo would see a story of 2 March, 01:00. This regroups each
   list by the reader's days, keeping its order (newest first, which no zone changes), so a
   heading always agrees with the times under it; each former heading's id stays, on its
   first story, so links to a day (`#2024-03-01`) still land. */
(function () {
  "use strict";

  var WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function isoDay(date) {
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate());
  }

  function longDate(date) {
    return WEEKDAYS[date.getDay()] + ", " + date.getDate() + " " + MONTHS[date.getMonth()] +
      " " + date.getFullYear();
  }

  // A card's moment is its own <time>; a headline under a day carries it as data-at.
  function momentOf(entry) {
    var time = entry.querySelector(".dg-card__meta time[datetime]");
    var moment = new Date(time ? time.getAttribute("datetime") : entry.getAttribute("data-at"));
    return isNaN(moment.getTime()) ? null : moment;
  }

  function daySection(id, moment, compact) {
    var section = document.createElement("section");
    section.className = "dg-day";
    if (id) section.id = id;
    var heading = document.createElement("h2");
    heading.className = "dg-day__heading";
    var time = document.createElement("time");
    time.setAttribute("datetime", isoDay(moment));
    time.textContent = longDate(moment);
    heading.appendChild(time);
    section.appendChild(heading);
    if (compact) {
      var list = document.createElement("ul");
      list.className = "dg-earlier";
      section.appendChild(list);
      return { section: section, body: list };
    }
    return { section: section, body: section };
  }

  // Regroups one list's day sections; false (and nothing moved) when a story has no moment.
  function regroup(sections) {
    var compact = sections[0].querySelector(".dg-earlier") !== null;
    var entries = [];
    sections.forEach(function (section) {
      var found = section.querySelectorAll(compact ? ".dg-earlier > li" : ":scope > .dg-card");
      found.forEach(function (entry, i) {
        entries.push({ el: entry, anchor: i === 0 ? section.id : null, moment: momentOf(entry) });
      });
    });
    if (entries.some(function (entry) { return entry.moment === null; })) return false;
    var placed = true;
    var oldIds = sections.map(function (section) { return section.id; });
    entries.forEach(function (entry, i) {
      entry.day = isoDay(entry.moment);
      entry.section = entry.anchor || entries[i - 1].section;
      if (entry.day !== entry.section) placed = false;
    });
    if (placed) return true; // the reader's days are the site's here
    var groups = [];
    var current = null;
    entries.forEach(function (entry) {
      var key = entry.day;
      if (!current || key !== current.key) {
        // A day's id names the site's day where one had it: its first story keeps that.
        current = daySection(oldIds.indexOf(key) < 0 ? key : "", entry.moment, compact);
        current.key = key;
        groups.push(current);
      }
      if (entry.anchor) entry.el.id = entry.anchor; // the site's day, on its first story
      current.body.appendChild(entry.el);
    });
    var first = sections[0];
    groups.forEach(function (group) {
      first.parentNode.insertBefore(group.section, first);
    });
    sections.forEach(function (section) {
      section.remove();
    });
    return true;
  }

  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  var lists = [];
  document.querySelectorAll(".md-content section.dg-day").forEach(function (section) {
    if (lists.indexOf(section.parentNode) < 0) lists.push(section.parentNode);
  });
  lists.forEach(function (parent) {
    var sections = Array.prototype.filter.call(parent.children, function (el) {
      return el.matches("section.dg-day");
    });
    if (!regroup(sections)) return;
    var note = parent.querySelector(":scope > .dg-zone");
    if (note) note.textContent = "Days and times in your time zone" + (zone ? " (" + zone + ")" : "");
  });

  /* "Today" and "Yesterday", and every other date and time, in the reader's own zone.
     Pages are built without a clock (the same content gives the same bytes), so they carry
     full dates of the site's zone, named; this shows each story's moment where the reader
     is (a story page's in full), keeps the full date and time in the element's title, and
     labels the reader's last two days. Without JavaScript readers see the site's. */
  var SHORT_MONTHS = MONTHS.map(function (name) { return name.slice(0, 3); });
  var now = new Date();
  var today = isoDay(now);
  var yesterday = isoDay(new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1));
  var clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
  // A story page's time names the zone, as the page does without JavaScript.
  var zoned = new Intl.DateTimeFormat(undefined, {
    hour: "2-digit", minute: "2-digit", timeZoneName: "short"
  });
  // A day heading's datetime is a calendar date (already the reader's: regrouped above).
  var dateOnly = /^\d{4}-\d{2}-\d{2}$/;

  function recent(key) {
    return key === today ? "Today" : key === yesterday ? "Yesterday" : null;
  }

  document.querySelectorAll(".md-content time[datetime]").forEach(function (el) {
    var value = el.getAttribute("datetime");
    if (dateOnly.test(value)) {
      var label = recent(value);
      if (label === null) return;
      if (!el.title) el.title = el.textContent.trim();
      el.textContent = label;
      return;
    }
    var moment = new Date(value);
    if (isNaN(moment.getTime())) return;
    var full = el.closest(".dg-story > .dg-card__meta") !== null;
    var date = full ? longDate(moment) : moment.getDate() + " " +
      SHORT_MONTHS[moment.getMonth()] + " " + moment.getFullYear();
    var time = (full ? zoned : clock).format(moment);
    var day = recent(isoDay(moment));
    el.title = date + ", " + time;
    el.textContent = day ? day + ", " + time : full ? date + ", " + time : date;
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

/* news-digest: a story's picture from another site, shown when the reader asks for it.
   The page links it rather than loading it, so opening a page asks no other host for
   anything; a click puts the picture in its place (one that fails goes, as above). */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element && event.target.closest(".dg-figure__show");
    if (!link) return;
    event.preventDefault();
    var img = document.createElement("img");
    img.alt = link.getAttribute("data-alt") || "";
    ["width", "height"].forEach(function (side) {
      var value = link.getAttribute("data-" + side);
      if (value) img.setAttribute(side, value);
    });
    img.decoding = "async";
    img.src = link.href;
    link.replaceWith(img);
  });
})();
