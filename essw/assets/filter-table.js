/* A filter above a table that can be scanned (the case studies and workshops indexes, written by
 * essw/templates/pages/case-index.md.j2 and workshop-index.md.j2).
 *
 * Without JavaScript the table is complete and every link works. With it, a small form appears
 * above the table: a list for each of the table's facts (level of need, where the work sits, time,
 * who it is for) and a box for words in the title or topics. Each choice hides the rows that do not
 * match, at once, and a polite status line says how many are shown, so a screen reader hears the
 * count once per change. The controls come from the table's data-essw-filters (words the generator
 * takes from the model, never from author text) and each row's data-* attributes.
 *
 * A link may choose the filter: index.html?audience=school-staff&level=2 (unknown values are
 * ignored). Works opened from a folder (file://) and with Material's instant navigation (document$).
 * Nothing is stored or sent anywhere.
 */
(function () {
  "use strict";
  var made = 0;

  function el(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (key) {
      if (key === "text") node.textContent = props[key];
      else if (key === "className" || key === "htmlFor" || key === "type" || key === "value") node[key] = props[key];
      else node.setAttribute(key, props[key]);
    });
    (children || []).forEach(function (child) { node.appendChild(child); });
    return node;
  }

  /* Lower case, curly apostrophes straight, runs of white space as one space. */
  function normal(text) {
    return (text || "").toLowerCase().replace(/[\u2018\u2019\u02bc]/g, "'").replace(/\s+/g, " ").trim();
  }

  function matches(row, filter, value) {
    if (value === "") return true;
    var have = row.getAttribute("data-" + filter.name) || "";
    switch (filter.match) {
      case "equal": return have === value;
      case "word": return (" " + have + " ").indexOf(" " + value + " ") >= 0;
      case "max": return have !== "" && Number(have) <= Number(value);
      case "text":
        var text = row.esswText || (row.esswText = normal(row.textContent));
        return normal(value).split(" ").every(function (word) { return text.indexOf(word) >= 0; });
      default: return true;
    }
  }

  function query() {
    var found = {};
    (window.location.search || "").replace(/^\?/, "").split("&").forEach(function (pair) {
      if (!pair) return;
      var at = pair.indexOf("="), key = at < 0 ? pair : pair.slice(0, at), value = at < 0 ? "" : pair.slice(at + 1);
      try { found[decodeURIComponent(key)] = decodeURIComponent(value.replace(/\+/g, " ")); } catch (e) { /* ignore */ }
    });
    return found;
  }

  function enhance(wrap) {
    if (wrap.getAttribute("data-essw-ready")) return;
    var table = wrap.querySelector("table");
    var filters = null;
    try { filters = JSON.parse(wrap.getAttribute("data-essw-filters")); } catch (e) { filters = null; }
    if (!table || !table.tBodies.length || !Array.isArray(filters) || !filters.length) return;
    wrap.setAttribute("data-essw-ready", "1");

    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var one = wrap.getAttribute("data-essw-one") || "item", many = wrap.getAttribute("data-essw-many") || "items";
    var id = "essw-filter-" + (++made), asked = query(), timer = null;
    var fields = el("div", { className: "essw-filter__fields" });
    var controls = [];

    filters.forEach(function (filter) {
      if (!filter || typeof filter.name !== "string") return;
      var name = filter.name, controlId = id + "-" + name, control;
      if (filter.match === "text") {
        control = el("input", { type: "search", id: controlId, name: name, autocomplete: "off", spellcheck: "false",
                                className: "essw-filter__input" });
        if (typeof asked[name] === "string") control.value = asked[name];
      } else {
        control = el("select", { id: controlId, name: name, className: "essw-filter__select" },
                     [el("option", { value: "", text: filter.any || "Any" })]);
        (filter.options || []).forEach(function (option) {
          control.appendChild(el("option", { value: String(option[0]), text: String(option[1]) }));
          if (asked[name] === String(option[0])) control.value = String(option[0]);
        });
      }
      controls.push({ filter: filter, control: control });
      fields.appendChild(el("div", { className: "essw-filter__field essw-filter__field--" + (filter.match === "text" ? "text" : "list") },
                            [el("label", { htmlFor: controlId, text: filter.label || name }), control]));
    });

    var clear = el("button", { type: "reset", className: "essw-filter__clear", text: "Clear filters" });
    var form = el("form", { className: "essw-filter", "aria-labelledby": id + "-title" }, [
      el("p", { id: id + "-title", className: "essw-filter__title", text: "Show only the " + many + " that match" }),
      fields, el("div", { className: "essw-filter__actions" }, [clear])]);
    var status = el("p", { id: id + "-status", className: "essw-filter__status", role: "status", "aria-live": "polite",
                           "aria-atomic": "true" });
    var empty = el("p", { className: "essw-filter__empty", hidden: "" }, [
      document.createTextNode("No " + many + " match. Choose other filters, or "),
      el("button", { type: "button", className: "essw-filter__link", text: "show all " + rows.length + " " + many }),
      document.createTextNode(".")]);

    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        var keep = controls.every(function (c) { return matches(row, c.filter, c.control.value.trim()); });
        row.hidden = !keep;
        if (keep) shown += 1;
      });
      table.hidden = shown === 0;
      empty.hidden = shown !== 0;
      var text = shown === rows.length
        ? "Showing all " + rows.length + " " + (rows.length === 1 ? one : many) + "."
        : shown === 0 ? "Showing none of the " + rows.length + " " + many + "."
        : "Showing " + shown + " of " + rows.length + " " + many + ".";
      if (status.textContent !== text) status.textContent = text;   // announced once per change
      wrap.setAttribute("data-essw-shown", String(shown));
    }

    form.addEventListener("change", function (event) {
      if (event.target && event.target.tagName === "SELECT") apply();
    });
    form.addEventListener("input", function (event) {
      if (!event.target || event.target.tagName !== "INPUT") return;
      window.clearTimeout(timer);
      timer = window.setTimeout(apply, 350);   // once the reader pauses, not at every key
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.clearTimeout(timer);
      apply();
    });
    form.addEventListener("reset", function () {
      window.clearTimeout(timer);
      window.setTimeout(apply, 0);   // after the form has put every control back
    });
    empty.querySelector("button").addEventListener("click", function () {
      form.reset();
      var first = form.querySelector("select, input");
      if (first) first.focus();
    });

    wrap.parentNode.insertBefore(form, wrap);
    wrap.parentNode.insertBefore(status, wrap);
    wrap.parentNode.insertBefore(empty, wrap);
    apply();
  }

  function init() {
    document.querySelectorAll(".essw-list[data-essw-filters]").forEach(enhance);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
