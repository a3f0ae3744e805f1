// Small behaviours every page shares, kept out of the HTML so the Content-Security-Policy needs no inline script:
// print buttons, "back" links, and progress bars whose width comes from a data attribute (set through the
// CSSOM, which the policy allows, instead of an inline style attribute, which it does not).
(function () {
  "use strict";

  function ready() {
    document.querySelectorAll("[data-progress]").forEach(function (bar) {
      var value = Math.max(0, Math.min(100, Number(bar.getAttribute("data-progress")) || 0));
      bar.style.width = value + "%";
    });
    // A refused form's error summary takes the focus, so keyboard and screen reader users start from the list
    // of problems (each a link to its field).
    var summary = document.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-error-summary] a[href^='#']");
    if (link) {
      var field = document.getElementById(link.getAttribute("href").slice(1));
      if (field) {
        event.preventDefault();
        field.focus();
        field.scrollIntoView({ block: "center" });
      }
      return;
    }
    var target = event.target.closest("[data-print], [data-back]");
    if (!target) { return; }
    event.preventDefault();
    if (target.hasAttribute("data-print")) { window.print(); } else { window.history.back(); }
  });

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", ready); } else { ready(); }
})();
