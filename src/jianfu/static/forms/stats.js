// Bar charts of the one-table clean-up figures; a click on a bar opens the records behind it.
(function () {
  "use strict";
  var COLOURS = ["#0b5394", "#146c2e", "#8a5a00", "#a51d2d"];

  function draw(elementId, dataId, horizontal) {
    var element = document.getElementById(elementId);
    var source = document.getElementById(dataId);
    if (!element || !source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    if (!data.labels.length) { element.textContent = "这段时间没有记录。"; return; }
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
    draw("chart-forms", "data-forms", false);
    draw("chart-serving", "data-serving", false);
    draw("chart-savings", "data-savings", true);
  });
})();
