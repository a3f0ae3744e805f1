// Small behaviours every page shares, kept out of the HTML so the Content-Security-Policy needs no inline script:
// print buttons, "back" links, "load more" on phones, and progress bars whose width comes from a data attribute (set through the
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
    if (PHONE && PHONE.matches) { document.querySelectorAll("main table.table-stack").forEach(loadMore); }
  }


  // Long lists on a phone: a stacked table shows its first rows and a "加载更多" button instead of one very long
  // page; the button shows the next rows and, once this page's are all shown, fetches the next page (the pager's
  // own link) and appends its rows. Without script, or on a wide screen, the table and its pager are as served.
  var STEP = 10;
  var PHONE = window.matchMedia ? window.matchMedia("(max-width: 767.98px)") : null;

  function nextLink(nav) {
    if (!nav) { return null; }
    var links = nav.querySelectorAll("a.page-link");
    var last = links[links.length - 1];
    return last && /下一页|更早/.test(last.textContent) ? last.getAttribute("href") : null;
  }

  function pagerAfter(box) {
    var next = box.nextElementSibling;
    return next && next.matches("nav[aria-label='分页']") ? next : null;
  }

  function loadMore(table) {
    var body = table.tBodies[0];
    var rows = Array.prototype.filter.call(body.rows, function (row) { return !row.querySelector("td[colspan]"); });
    var box = table.closest(".table-responsive") || table;
    var nav = pagerAfter(box);
    if (rows.length <= STEP + 2 && !nextLink(nav)) { return; }
    rows.slice(STEP).forEach(function (row) { row.hidden = true; });
    if (nav) { nav.hidden = true; }
    var more = document.createElement("div");
    more.className = "load-more d-grid gap-1 mb-3";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-outline-primary";
    button.textContent = "加载更多";
    var status = document.createElement("p");
    status.className = "small text-body-secondary mb-0 text-center";
    status.setAttribute("role", "status");
    more.appendChild(button);
    more.appendChild(status);
    box.parentNode.insertBefore(more, box.nextSibling);

    function shown() { return Array.prototype.filter.call(body.rows, function (r) { return !r.hidden; }).length; }
    function finish() {
      var hidden = body.querySelector("tr[hidden]");
      if (!hidden && !nextLink(nav)) { button.remove(); }
      status.textContent = "已显示 " + shown() + " 条";
    }
    function reveal() {
      var hidden = Array.prototype.slice.call(body.querySelectorAll("tr[hidden]"), 0, STEP);
      hidden.forEach(function (row) { row.hidden = false; });
      var focusable = hidden[0] && hidden[0].querySelector("a, button");
      if (focusable) { focusable.focus(); }
      finish();
    }
    button.addEventListener("click", function () {
      if (body.querySelector("tr[hidden]")) { reveal(); return; }
      var href = nextLink(nav);
      if (!href) { finish(); return; }
      button.disabled = true;
      status.textContent = "正在加载……";
      fetch(href, { credentials: "same-origin" })
        .then(function (response) { return response.text(); })
        .then(function (html) {
          var page = new DOMParser().parseFromString(html, "text/html");
          var tables = document.querySelectorAll("main table.table-stack");
          var index = Array.prototype.indexOf.call(tables, table);
          var other = page.querySelectorAll("main table.table-stack")[index];
          if (other && other.tBodies[0]) {
            Array.prototype.slice.call(other.tBodies[0].rows).forEach(function (row) {
              if (row.querySelector("td[colspan]")) { return; }
              row.hidden = true;
              body.appendChild(document.importNode(row, true));
            });
          }
          var otherBox = other ? (other.closest(".table-responsive") || other) : null;
          var otherNav = otherBox ? pagerAfter(otherBox) : null;
          if (nav && otherNav) { nav.innerHTML = otherNav.innerHTML; } else if (nav) { nav.innerHTML = ""; }
          button.disabled = false;
          reveal();
        })
        .catch(function () {
          button.disabled = false;
          status.textContent = "加载失败，请检查网络后再试。";
          if (nav) { nav.hidden = false; }
        });
    });
    finish();
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
