/*
 * "Exit this page", after the GOV.UK Design System's pattern (govuk-frontend, MIT licence; ported,
 * without its crown, logotype or font): for a reader who may be watched at home.
 *
 * Pressing the button, or Shift three times within five seconds, covers the page at once, then
 * replaces it in this tab with an ordinary site (mkdocs.yml: extra.quick_exit_url), so Back does
 * not bring it back. Nothing is asked of that site until then. What this does not do (browsing
 * history) is said on the "Staying safe online" page.
 */
(function () {
  "use strict";
  var exit = document.querySelector("[data-essw-exit]");
  if (!exit) return;
  var button = exit.querySelector("[data-essw-exit-button]");
  var presses = [];

  function leave(event) {
    if (event) event.preventDefault();
    var cover = document.createElement("div");
    cover.className = "essw-exit-cover";
    cover.setAttribute("role", "status");
    cover.textContent = "Loading.";
    document.body.appendChild(cover);
    document.title = "Loading";
    document.documentElement.classList.add("essw-exit-leaving");
    window.location.replace(button.href);
  }

  button.addEventListener("click", leave);
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift") { presses = []; return; }
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < 5000; });
    presses.push(now);
    if (presses.length >= 3) { presses = []; leave(); }
  });
  // A page restored from the back-forward cache after leaving stays covered.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && document.documentElement.classList.contains("essw-exit-leaving")) {
      window.location.replace(button.href);
    }
  });
})();
