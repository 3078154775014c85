/* Learning-path checklists: each item gets a real, labelled checkbox whose tick is remembered in
 * this browser (localStorage), so an induction can be worked through over several weeks.
 * Without JavaScript the checklist is a plain list. Nothing is sent anywhere. */
(function () {
  "use strict";
  var PREFIX = "essw-checklist:";

  function enhance(list) {
    if (list.getAttribute("data-ready")) return;
    list.setAttribute("data-ready", "1");
    var key = PREFIX + list.getAttribute("data-key");
    var items = list.querySelectorAll("li"), ticked = {}, raw = null, stored = null;
    // What is stored is untrusted: only a plain object's own true/false entries for these items count.
    try { raw = window.localStorage.getItem(key); stored = JSON.parse(raw); } catch (e) { stored = null; }
    var valid = !!stored && typeof stored === "object" && !Array.isArray(stored);
    items.forEach(function (li, index) {
      if (valid && Object.prototype.hasOwnProperty.call(stored, index) && typeof stored[index] === "boolean") {
        ticked[index] = stored[index];
      }
    });
    if (raw !== null && JSON.stringify(ticked) !== raw) {
      try { window.localStorage.setItem(key, JSON.stringify(ticked)); } catch (e) { /* private mode */ }
    }
    items.forEach(function (li, index) {
      var id = "essw-check-" + list.getAttribute("data-key").replace(/[^a-z0-9]+/gi, "-") + "-" + index;
      var box = document.createElement("input");
      box.type = "checkbox";
      box.id = id;
      box.className = "essw-check";
      box.checked = !!ticked[index];
      var label = document.createElement("label");
      label.htmlFor = id;
      while (li.firstChild) label.appendChild(li.firstChild);
      li.appendChild(box);
      li.appendChild(label);
      box.addEventListener("change", function () {
        ticked[index] = box.checked;
        try { window.localStorage.setItem(key, JSON.stringify(ticked)); } catch (e) { /* private mode */ }
      });
    });
    list.classList.add("essw-checklist-ready");
  }

  // Each list on its own: one that fails never stops the others.
  function init() {
    document.querySelectorAll(".essw-checklist").forEach(function (list) {
      try { enhance(list); } catch (e) { /* this list stays a plain list */ }
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
