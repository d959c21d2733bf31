{#- Rendered by MkDocs once a build (a theme static template; the plugin names it), so the
    switch's choices come from mkdocs.yml here, once, instead of from every page's header. -#}
{%- set icons_in_css = ["material/weather-night", "material/weather-sunny"] %}
{%- set choices = [] %}
{%- for option in config.theme.palette if config.theme.palette is not mapping %}
{%- set icon %}{% if option.toggle and option.toggle.icon in icons_in_css %}<span class="dg-icon dg-icon--{{ option.toggle.icon | replace('material/', '') }}"></span>{% elif option.toggle %}{% include ".icons/" ~ option.toggle.icon ~ ".svg" %}{% endif %}{% endset %}
{%- set _ = choices.append({
  "media": option.media | d(""),
  "scheme": option.scheme | d("default", true) | replace(" ", "-"),
  "primary": option.primary | d("indigo", true) | replace(" ", "-"),
  "accent": option.accent | d("indigo", true) | replace(" ", "-"),
  "name": option.toggle.name if option.toggle else none,
  "icon": icon | trim
}) %}
{%- endfor -%}
/* news-digest: the reader's light or dark switch (mkdocs.yml's `theme.palette`).
   The header holds an empty form; this fills it with material's radio inputs and labels while
   the header is parsed, so a page carries none of it (nearly a kilobyte a page), and puts the
   reader's choice back before the page is drawn, so it does not flash the other scheme. The
   choice is kept where material's bundle keeps it ("<site path>.__palette"): material's pages
   work the switch with their bundle; lean pages (a form marked data-dg-switch) have none, and
   this works it, as the bundle does. Without JavaScript neither page shows the switch. */
(function () {
  "use strict";
  var choices = {{ choices | tojson }};
  var script = document.currentScript;
  var form = script.previousElementSibling;
  // This file is assets/javascripts/palette.js: the site's root is two folders up.
  var key = new URL("../../", script.src).pathname + ".__palette";
  var names = ["media", "scheme", "primary", "accent"];

  var inputs = choices.map(function (choice, index) {
    var input = document.createElement("input");
    input.className = "md-option";
    names.forEach(function (name) {
      input.setAttribute("data-md-color-" + name, choice[name]);
    });
    if (choice.name) input.setAttribute("aria-label", choice.name);
    else input.setAttribute("aria-hidden", "true");
    input.type = "radio";
    input.name = "__palette";
    input.id = "__palette_" + index;
    form.appendChild(input);
    if (choice.name) {
      // Each label switches to the next choice; the chosen one's label is the one shown.
      var label = document.createElement("label");
      label.className = "md-header__button md-icon";
      label.title = choice.name;
      label.htmlFor = "__palette_" + ((index + 1) % choices.length);
      label.hidden = true;
      label.innerHTML = choice.icon;
      form.appendChild(label);
    }
    return input;
  });

  var saved = null;
  try {
    saved = JSON.parse(localStorage.getItem(key));
  } catch (e) {}
  function paint(color) {
    for (var name in color) document.body.setAttribute("data-md-color-" + name, color[name]);
  }
  if (saved && saved.color) paint(saved.color);
  if (!form.hasAttribute("data-dg-switch") || !inputs.length) return;

  function choose(index, store) {
    var input = inputs[index];
    var color = {};
    names.forEach(function (name) {
      color[name] = input.getAttribute("data-md-color-" + name);
    });
    input.checked = true;
    paint(color);
    inputs.forEach(function (other) {
      var label = other.nextElementSibling;
      if (label && label.tagName === "LABEL") label.hidden = other !== input;
    });
    if (store) {
      try {
        localStorage.setItem(key, JSON.stringify({ index: index, color: color }));
      } catch (e) {}
    }
  }
  var first = inputs.findIndex(function (input) {
    return matchMedia(input.getAttribute("data-md-color-media")).matches;
  });
  var index = saved && saved.index >= 0 && saved.index < inputs.length ? saved.index : first;
  choose(Math.max(index, 0), false);
  form.addEventListener("change", function (event) {
    var chosen = inputs.indexOf(event.target);
    if (chosen >= 0) choose(chosen, true);
  });
})();
