(function () {
  var data = JSON.parse((document.getElementById("growth-funnel-data") || {}).textContent || "null");
  var el = document.getElementById("growth-funnel-chart");
  if (!data || !el || !window.echarts) { return; }
  var L = data.labels, S = data.series;
  var chart = echarts.init(el);
  function bar(key, colour, stack) {
    return { name: L[key], type: "bar", data: S[key], stack: stack, itemStyle: { color: colour } };
  }
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { type: "scroll", top: 0, left: 0, right: 0 },
    grid: { left: 8, right: 12, bottom: 8, top: 40, containLabel: true },
    xAxis: { type: "category", data: data.years },
    yAxis: { type: "value", minInterval: 1 },
    series: [bar("pool", "#6c757d"), bar("forecast_ok", "#0dcaf0"), bar("applied", "#0d6efd"),
             bar("passed_new", "#198754", "passed"), bar("passed_re", "#20c997", "passed"), bar("failed", "#fd7e14")]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
