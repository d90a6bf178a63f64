(function () {
  var el = document.getElementById("figures-chart");
  var data = JSON.parse(document.getElementById("figures-data").textContent || "null");
  if (!el || !data || !window.echarts) { return; }
  var chart = echarts.init(el);
  var L = data.labels;
  chart.setOption({
    tooltip: { trigger: "axis" },
    // one scrolling line of legend above a grid that starts below it, so that on a phone it never covers the axis
    legend: { type: "scroll", top: 0, left: 0, right: 0 },
    grid: { left: 28, right: 8, bottom: 8, top: 48, containLabel: true },
    xAxis: { type: "category", data: data.names, axisLabel: { rotate: 35, fontSize: 11 } },
    yAxis: [
      { type: "value", minInterval: 1 },
      { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } }
    ],
    series: [
      { name: L.received, type: "bar", data: data.received, itemStyle: { color: "#9ec5fe" } },
      { name: L.finished, type: "bar", data: data.finished, itemStyle: { color: "#198754" } },
      { name: L.overdue, type: "bar", data: data.overdue, itemStyle: { color: "#dc3545" } },
      { name: L.on_time_rate, type: "line", yAxisIndex: 1, data: data.on_time_rate, itemStyle: { color: "#fd7e14" } },
      { name: L.satisfaction_rate, type: "line", yAxisIndex: 1, data: data.satisfaction_rate, itemStyle: { color: "#6f42c1" } }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
