/*
 * A wide table on a phone scrolls sideways inside the theme's wrapper (.md-typeset__scrollwrap).
 * Keyboard users can only scroll what they can focus, so each wrapper that overflows becomes a
 * labelled, focusable region (axe-core: scrollable-region-focusable). The theme adds the wrappers
 * as the page loads, so this runs once everything is in place, and again when the screen turns.
 */
(function () {
  "use strict";
  function label() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      var overflows = wrap.scrollWidth > wrap.clientWidth + 1;
      if (overflows && !wrap.hasAttribute("tabindex")) {
        wrap.tabIndex = 0;
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", "Table: scroll sideways to see all of it");
      }
    });
  }
  window.addEventListener("load", label);
  window.addEventListener("resize", label);
})();
