// The national dashboards' charts: a province's bar opens its prefectures and counties.
(function () {
  "use strict";
  function data(id) { var el = document.getElementById(id); return el ? JSON.parse(el.textContent) : null; }
  function chart(elementId, option, onClick) {
    var element = document.getElementById(elementId);
    if (!element || !window.echarts) { return; }
    var c = window.echarts.init(element);
    c.setOption(option);
    if (onClick) { c.on("click", onClick); }
    window.addEventListener("resize", function () { c.resize(); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var provinces = data("data-provinces");
    if (provinces && provinces.labels.length) {
      chart("chart-provinces", {
        tooltip: { trigger: "axis", renderMode: "richText" }, legend: { bottom: 0 },
        grid: { left: 48, right: 16, top: 16, bottom: 72 },
        xAxis: { type: "category", data: provinces.labels, axisLabel: { rotate: 45, interval: 0 } },
        yAxis: { type: "value", minInterval: 1, name: "起" },
        series: [
          { name: "负担事件", type: "bar", data: provinces.events, cursor: "pointer" },
          { name: "违规", type: "bar", data: provinces.violations, color: "#a51d2d", cursor: "pointer" }
        ]
      }, function (p) { window.location.href = provinces.links[p.dataIndex]; });
    }
    var months = data("data-months");
    if (months && months.series.length) {
      var series = months.series.map(function (s) { return { name: s.name, type: "bar", stack: "events", data: s.data }; });
      series.push({ name: "违规", type: "line", data: months.violations, color: "#a51d2d" });
      chart("chart-months", {
        tooltip: { trigger: "axis", renderMode: "richText" }, legend: { bottom: 0, type: "scroll" },
        grid: { left: 48, right: 16, top: 16, bottom: 56 },
        xAxis: { type: "category", data: months.labels }, yAxis: { type: "value", minInterval: 1, name: "起" },
        series: series
      });
    }
  });
})();
