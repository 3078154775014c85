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
    var ticked = {};
    try { ticked = JSON.parse(window.localStorage.getItem(key) || "{}"); } catch (e) { ticked = {}; }
    list.querySelectorAll("li").forEach(function (li, index) {
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

  function init() { document.querySelectorAll(".essw-checklist").forEach(enhance); }

  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
