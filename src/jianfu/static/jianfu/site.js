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
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-print], [data-back]");
    if (!target) { return; }
    event.preventDefault();
    if (target.hasAttribute("data-print")) { window.print(); } else { window.history.back(); }
  });

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", ready); } else { ready(); }
})();
