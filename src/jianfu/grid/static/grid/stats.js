// Bar charts of the grid figures; a click on a bar opens the events behind it.
(function () {
  "use strict";
  var COLOURS = ["#0b5394", "#146c2e"];

  function draw(elementId, dataId) {
    var element = document.getElementById(elementId);
    var source = document.getElementById(dataId);
    if (!element || !source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    if (!data.labels.length) { element.textContent = "没有事件。"; return; }
    var chart = window.echarts.init(element);
    chart.setOption({
      color: COLOURS,
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 48 },
      xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, rotate: 30, width: 90, overflow: "truncate" } },
      yAxis: { type: "value", minInterval: 1 },
      series: data.series.map(function (s) {
        return { name: s.name, type: "bar", data: s.data, cursor: "pointer" };
      })
    });
    chart.on("click", function (params) {
      var link = data.series[params.seriesIndex].links[params.dataIndex];
      if (link) { window.location.href = link; }
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    draw("chart-month", "data-month");
    draw("chart-rate", "data-rate");
  });
})();
