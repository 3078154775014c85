/*
 * Abbreviations explained on tap and on keyboard focus, not only on mouse hover (the browser's own
 * tooltip for <abbr title> shows on hover only, and never on a phone).
 *
 * Each abbreviation in the page's text joins the tab order; on focus or tap a small box under it
 * shows its meaning, linked to it with aria-describedby so screen readers read it too. The meaning
 * is set as text, never as HTML. (Material's content.tooltips feature would do this, but it inserts
 * the title as HTML, so a glossary definition could run as script: tests/test_injection.py.)
 */
(function () {
  "use strict";
  var tip = null;
  var owner = null;

  function hide() {
    if (!tip) return;
    tip.remove();
    if (owner) owner.removeAttribute("aria-describedby");
    tip = owner = null;
  }

  function show(abbr) {
    if (owner === abbr) return;
    hide();
    tip = document.createElement("span");
    tip.className = "essw-abbr-tip";
    tip.id = "essw-abbr-tip";
    tip.setAttribute("role", "tooltip");
    tip.textContent = abbr.getAttribute("data-essw-meaning");
    document.body.appendChild(tip);
    var box = abbr.getBoundingClientRect();
    var width = tip.offsetWidth;
    var left = Math.max(8, Math.min(box.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - width - 8));
    tip.style.left = left + "px";
    tip.style.top = (box.bottom + window.scrollY + 6) + "px";
    abbr.setAttribute("aria-describedby", tip.id);
    owner = abbr;
  }

  document.querySelectorAll("article abbr[title]").forEach(function (abbr) {
    abbr.tabIndex = 0;
    abbr.setAttribute("data-essw-meaning", abbr.title);
    abbr.addEventListener("focus", function () { show(abbr); });
    abbr.addEventListener("blur", hide);
    abbr.addEventListener("click", function (event) { event.stopPropagation(); show(abbr); });
  });
  document.addEventListener("click", hide);
  document.addEventListener("keydown", function (event) { if (event.key === "Escape") hide(); });
  window.addEventListener("resize", hide);
})();
