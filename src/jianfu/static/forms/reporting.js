// Stacked bars of the reporting-rate report: on time, late, overdue and not yet due per township or village;
// a click on a segment opens the tasks behind it.
(function () {
  "use strict";
  var COLOURS = ["#146c2e", "#8a5a00", "#a51d2d", "#6c757d"];

  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("chart-reporting");
    var source = document.getElementById("data-reporting");
    if (!element || !source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    if (!data.labels.length) { element.textContent = "还没有开放的填报任务。"; return; }
    var chart = window.echarts.init(element);
    chart.setOption({
      color: COLOURS,
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { top: 0 },
      grid: { left: 110, right: 16, top: 36, bottom: 28 },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: data.labels, axisLabel: { width: 100, overflow: "truncate" } },
      series: data.series.map(function (s) {
        return { name: s.name, type: "bar", stack: "tasks", data: s.data, cursor: "pointer" };
      })
    });
    chart.on("click", function (params) {
      var link = data.series[params.seriesIndex].links[params.dataIndex];
      if (link) { window.location.href = link; }
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
