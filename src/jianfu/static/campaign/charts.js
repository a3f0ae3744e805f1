// Bar charts for campaign figures (task status by lead unit, evaluation ranking); a click opens the records.
(function () {
  "use strict";
  var COLOURS = ["#146c2e", "#0b5394", "#6c757d", "#a51d2d"];

  function draw(elementId, dataId, horizontal) {
    var element = document.getElementById(elementId);
    var source = document.getElementById(dataId);
    if (!element || !source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    if (!data.labels.length) { element.textContent = "暂无数据。"; return; }
    var chart = window.echarts.init(element);
    var category = { type: "category", data: data.labels, axisLabel: { interval: 0, width: 110, overflow: "truncate" } };
    var value = { type: "value", minInterval: 1 };
    chart.setOption({
      color: COLOURS,
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { top: 0 },
      grid: { left: horizontal ? 130 : 40, right: 16, top: 36, bottom: 28 },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? Object.assign({ inverse: true }, category) : value,
      series: data.series.map(function (s) {
        return { name: s.name, type: "bar", stack: s.stack || undefined, data: s.data, cursor: "pointer" };
      })
    });
    chart.on("click", function (params) {
      var link = data.series[params.seriesIndex].links[params.dataIndex];
      if (link) { window.location.href = link; }
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    draw("chart-units", "data-units", true);
    draw("chart-ranking", "data-ranking", true);
  });
})();
