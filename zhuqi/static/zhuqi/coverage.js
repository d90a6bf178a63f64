(function () {
  var el = document.getElementById("coverage-chart");
  var data = JSON.parse(document.getElementById("coverage-data").textContent || "null");
  if (!el || !data || !window.echarts) { return; }
  var chart = echarts.init(el);
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { data: data.legend, top: 0 },
    grid: { left: 40, right: 10, bottom: 70, top: 36 },
    xAxis: { type: "category", data: data.names, axisLabel: { rotate: 40, fontSize: 11 } },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: data.legend[0], type: "bar", data: data.assigned, itemStyle: { color: "#9ec5fe" } },
      { name: data.legend[1], type: "bar", data: data.month, itemStyle: { color: "#198754" } },
      { name: data.legend[2], type: "bar", data: data.overdue, itemStyle: { color: "#dc3545" } }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
