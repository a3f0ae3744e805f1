// Bar charts of the supervision overview; a click on a bar opens the records behind it.
(function () {
  "use strict";
  var COLOURS = ["#0b5394", "#a51d2d", "#146c2e"];

  function draw(elementId, dataId, stacked) {
    var element = document.getElementById(elementId);
    var source = document.getElementById(dataId);
    if (!element || !source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    if (!data.labels.length) { element.textContent = "没有记录。"; return; }
    var chart = window.echarts.init(element);
    chart.setOption({
      color: COLOURS,
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 28 },
      xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, width: 80, overflow: "truncate" } },
      yAxis: { type: "value", minInterval: 1 },
      series: data.series.map(function (s) {
        return { name: s.name, type: "bar", stack: stacked ? "all" : undefined, data: s.data, cursor: "pointer" };
      })
    });
    chart.on("click", function (params) {
      var link = data.series[params.seriesIndex].links[params.dataIndex];
      if (link) { window.location.href = link; }
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    draw("chart-yoy", "data-yoy", false);
    draw("chart-month", "data-month", true);
    draw("chart-placards", "data-placards", false);
  });
})();
