// The region picker (orgs/pickers.py, _region_picker.html): a native <select data-region-picker> grouped by
// township works without script; this adds a search box above it that narrows the options by name. Typing keeps
// the select's choice on the first match, Enter moves to the select instead of sending the form, and a polite
// status line tells screen readers how many places match.
(function () {
  "use strict";

  var MIN_OPTIONS = 8;

  function text(node) { return (node.textContent || "").replace(/\s+/g, ""); }

  function enhance(select) {
    var options = Array.prototype.slice.call(select.options);
    if (options.length < MIN_OPTIONS || select.hasAttribute("data-picker-ready")) { return; }
    select.setAttribute("data-picker-ready", "");
    var box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1 region-search";
    box.placeholder = "输入名称查找，如：桃园";
    box.setAttribute("aria-label", "输入名称查找，缩小下方选项");
    box.setAttribute("autocomplete", "off");
    box.setAttribute("enterkeyhint", "done");
    if (select.id) { box.id = select.id + "_search"; box.setAttribute("aria-controls", select.id); }
    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    select.parentNode.insertBefore(box, select);
    select.parentNode.insertBefore(status, select.nextSibling);

    function filter() {
      var words = box.value.replace(/\s+/g, "");
      var first = null;
      var shown = 0;
      options.forEach(function (option) {
        var group = option.parentNode && option.parentNode.tagName === "OPTGROUP" ? option.parentNode : null;
        var hit = !words || option.value === "" || text(option).indexOf(words) >= 0 ||
          (group && (group.getAttribute("label") || "").indexOf(words) >= 0);
        option.hidden = !hit;
        option.disabled = !hit;
        if (hit && option.value !== "") { shown += 1; if (!first) { first = option; } }
      });
      Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
        group.hidden = !Array.prototype.some.call(group.children, function (o) { return !o.hidden; });
      });
      var current = select.options[select.selectedIndex];
      if (words && first && (!current || current.hidden || current.value === "")) { first.selected = true; }
      status.textContent = words ? (shown ? "找到 " + shown + " 个，已选" + text(select.options[select.selectedIndex]) : "没有找到名称含“" + box.value + "”的地方") : "";
    }

    box.addEventListener("input", filter);
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); select.focus(); }
    });
  }

  function ready() { document.querySelectorAll("select[data-region-picker]").forEach(enhance); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", ready); } else { ready(); }
})();
