/* news-digest: the search box, over Pagefind's bundles (see generator/site/search.py).

   Search is indexed in shards, newest first: the newest month, then the stories before it. Each
   shard is searched on its own, so newest-first is the shards in order, each sorted by date, and
   "Best match" is every shard's results by score. A shard that lacks a word answers with stories
   holding some short part of it ("a" for "alpha", pagefind/pagefind#793); such weak matches are
   dropped here, by the words each result matched. Results show title, source and date, and the
   story's excerpt; every field goes into the page as text. */
(function () {
  "use strict";

  var box = document.querySelector(".dg-search");
  if (box === null) return;
  var base = box.dataset.base;
  var PAGE = 20;
  // A matched word shares this much of a query word at least: longer than a stray prefix, as
  // short as a stem ("studies" and "study").
  var STEM = 4;

  function element(tag, attributes, text) {
    var el = document.createElement(tag);
    Object.keys(attributes).forEach(function (name) { el.setAttribute(name, attributes[name]); });
    if (text) el.textContent = text;
    return el;
  }

  var input = element("input", {
    type: "search", class: "dg-search__input", autocomplete: "off",
    placeholder: "Search stories by title, source or words", "aria-label": "Search stories"
  });
  var order = element("select", { class: "dg-search__order", "aria-label": "Order of results" });
  order.append(element("option", { value: "newest" }, "Newest first"));
  order.append(element("option", { value: "best" }, "Best match"));
  var status = element("p", { class: "dg-search__status", role: "status" });
  var list = element("ol", { class: "dg-search__results" });
  var more = element("button", { type: "button", class: "dg-search__more", hidden: "" }, "More results");
  var bar = element("div", { class: "dg-search__bar" });
  bar.append(input, order);
  box.append(bar, status, list, more);

  var engines = null;
  function load() {
    if (engines === null) {
      // The shards, newest first (search/shards.json), then one module per shard (a module
      // per URL), so each shard answers on its own.
      engines = fetch(base + "search/shards.json").then(function (response) {
        if (!response.ok) throw new Error("search/shards.json: " + response.status);
        return response.json();
      }).then(function (bundles) {
        return Promise.all(bundles.map(function (path) {
          return import(base + path + "pagefind.js").then(function (pagefind) {
            return pagefind.options({ baseUrl: base }).then(function () { return pagefind; });
          });
        }));
      });
    }
    return engines;
  }

  function fold(text) {
    return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  }

  function plain(word) {
    return fold(word).replace(/^[\p{P}\p{S}]+|[\p{P}\p{S}]+$/gu, "");
  }

  function sharedStart(a, b) {
    var n = 0;
    while (n < a.length && n < b.length && a[n] === b[n]) n++;
    return n;
  }

  // Whether the result holds every word of the query, or a word sharing its stem. A weak match
  // holds none of it: Pagefind would have matched the word itself. The text is searched as a
  // whole too, since words of scripts without spaces (Chinese, Japanese) have no spaces here.
  function holdsEvery(result, data, terms) {
    var text = fold(data.content);
    var words = data.content.split(/\s+/);
    var matched = result.words.map(function (at) { return plain(words[at] || ""); });
    return terms.every(function (term) {
      return text.indexOf(term) !== -1 || (term.length > STEM && matched.some(function (word) {
        return sharedStart(word, term) >= STEM;
      }));
    });
  }

  var searchId = 0;
  var queue = [];
  var terms = [];
  var shown = 0;

  function run() {
    var query = input.value.trim();
    var id = ++searchId;
    if (query === "") {
      list.replaceChildren();
      status.textContent = "";
      more.hidden = true;
      return;
    }
    var newest = order.value === "newest";
    load().then(function (shards) {
      return Promise.all(shards.map(function (pagefind) {
        return pagefind.debouncedSearch(query, newest ? { sort: { date: "desc" } } : {}, 200);
      }));
    }).then(function (answers) {
      if (id !== searchId || answers.some(function (a) { return a === null; })) return;
      var results = [].concat.apply([], answers.map(function (a) { return a.results; }));
      if (!newest) results.sort(function (a, b) { return b.score - a.score; });
      queue = results;
      terms = query.replace(/^"|"$/g, "").split(/\s+/).map(plain).filter(Boolean);
      shown = 0;
      list.replaceChildren();
      return fill(id);
    });
  }

  // Shows the next page of results that hold the query, reading each result's data in order.
  function fill(id) {
    var added = 0;
    function next() {
      if (id !== searchId) return null;
      if (added >= PAGE || queue.length === 0) return finish();
      var result = queue.shift();
      return result.data().then(function (data) {
        if (id !== searchId) return null;
        if (holdsEvery(result, data, terms)) {
          list.append(item(data));
          added++;
          shown++;
        }
        return next();
      });
    }
    return next();
  }

  function finish() {
    more.hidden = queue.length === 0;
    if (shown === 0 && queue.length === 0) status.textContent = "No stories match.";
    else if (queue.length === 0) status.textContent = shown + (shown === 1 ? " story" : " stories");
    else status.textContent = shown + " stories so far";
    return null;
  }

  var dayFormat = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric" });

  function day(moment) {
    var date = new Date(moment);
    return isNaN(date.getTime()) ? "" : dayFormat.format(date);
  }

  function item(data) {
    var li = element("li", { class: "dg-search__result" });
    var title = element("a", { href: data.url }, data.meta.title);
    var meta = [data.meta.source, day(data.meta.date)].filter(Boolean).join(" · ");
    li.append(title);
    if (meta) li.append(" ", element("span", { class: "dg-search__meta" }, meta));
    if (data.meta.excerpt) li.append(element("p", { class: "dg-search__excerpt" }, data.meta.excerpt));
    return li;
  }

  input.addEventListener("input", run);
  order.addEventListener("change", run);
  // Hidden while the next page loads, so a second click does not start a second reading of it.
  more.addEventListener("click", function () { more.hidden = true; fill(searchId); });
})();
