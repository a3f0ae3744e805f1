// The monitoring dashboard's charts; a click on a bar or point opens the events behind it.
(function () {
  "use strict";
  function chart(elementId, option, links) {
    var element = document.getElementById(elementId);
    if (!element || !window.echarts) { return; }
    var c = window.echarts.init(element);
    c.setOption(option);
    c.on("click", function (p) {
      var link = links(p);
      if (link) { window.location.href = link; }
    });
    window.addEventListener("resize", function () { c.resize(); });
  }
  // On a phone the tables fold to one line each (their <details> are open in the markup, for a desktop and for
  // a browser without script); the charts stay on top.
  if (window.matchMedia && window.matchMedia("(max-width: 767.98px)").matches) {
    Array.prototype.forEach.call(document.querySelectorAll("details.fold-phone[open]"), function (d) { d.open = false; });
  }
  function data(id) { var el = document.getElementById(id); return el ? JSON.parse(el.textContent) : null; }

  document.addEventListener("DOMContentLoaded", function () {
    var months = data("data-month");
    if (months) {
      var series = months.series.map(function (s) {
        return { name: s.name, type: "bar", stack: "events", data: s.data, cursor: "pointer" };
      });
      series.push({ name: "工时（小时）", type: "line", yAxisIndex: 1, data: months.hours, cursor: "pointer" });
      chart("chart-month", {
        tooltip: { trigger: "axis", renderMode: "richText" }, legend: { bottom: 0, type: "scroll" },
        grid: { left: 40, right: 48, top: 32, bottom: 56 },
        xAxis: { type: "category", data: months.labels },
        yAxis: [{ type: "value", minInterval: 1, name: "起" }, { type: "value", name: "小时" }],
        series: series
      }, function (p) {
        if (p.seriesIndex < months.series.length) { return months.series[p.seriesIndex].links[p.dataIndex]; }
        return months.hour_links[p.dataIndex];
      });
    }
    var departments = data("data-department");
    if (departments && departments.labels.length) {
      chart("chart-department", {
        tooltip: { trigger: "axis", renderMode: "richText" }, grid: { left: 130, right: 16, top: 16, bottom: 28 },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", inverse: true, data: departments.labels, axisLabel: { width: 120, overflow: "truncate" } },
        series: [{ name: "违规事件", type: "bar", data: departments.series[0].data, color: "#a51d2d", cursor: "pointer" }]
      }, function (p) { return departments.series[0].links[p.dataIndex]; });
    }
  });
})();
