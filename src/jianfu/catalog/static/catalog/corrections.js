// The classifier's agreement with people, by month: bars of judged and corrected verdicts, a line of the
// agreement rate; a click on a month opens that month's records.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("chart-agreement");
    var source = document.getElementById("data-agreement");
    if (!element || !source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    if (!data.labels.length) { element.textContent = "还没有人工研判的记录。"; return; }
    var chart = window.echarts.init(element);
    chart.setOption({
      color: ["#0b5394", "#a51d2d", "#146c2e"],
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { top: 0 },
      grid: { left: 40, right: 48, top: 36, bottom: 28 },
      xAxis: { type: "category", data: data.labels },
      yAxis: [{ type: "value", minInterval: 1 }, { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } }],
      series: [
        { name: "人工研判", type: "bar", data: data.judged, cursor: "pointer" },
        { name: "更正", type: "bar", data: data.changed, cursor: "pointer" },
        { name: "一致率", type: "line", yAxisIndex: 1, data: data.agreement }
      ]
    });
    chart.on("click", function (params) {
      var link = data.links[params.dataIndex];
      if (link) { window.location.href = link; }
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
