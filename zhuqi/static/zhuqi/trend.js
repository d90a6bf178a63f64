(function () {
  var el = document.getElementById("trend");
  var data = JSON.parse(document.getElementById("trend-data").textContent || "null");
  if (!el || !data || !window.echarts) { return; }
  var chart = echarts.init(el);
  var lines = [];
  [["high_high", "#d7191c"], ["high", "#fd8d3c"], ["low", "#2b83ba"]].forEach(function (l) {
    var v = data.limits[l[0]];
    if (v !== null && v !== undefined) {
      lines.push({ yAxis: v, name: data.labels[l[0]], lineStyle: { color: l[1], type: "dashed" }, label: { formatter: data.labels[l[0]] + " {c}" } });
    }
  });
  var series = [{ name: data.labels.value, type: "line", showSymbol: false, data: data.series.map(function (r) { return [r[0], r[1]]; }),
                  markLine: { symbol: "none", data: lines } }];
  if (data.series.length && data.series[0].length > 2) {  // minute aggregates: the band between lowest and highest
    series.push({ type: "line", showSymbol: false, lineStyle: { opacity: 0.25 }, data: data.series.map(function (r) { return [r[0], r[3]]; }) });
    series.push({ type: "line", showSymbol: false, lineStyle: { opacity: 0.25 }, data: data.series.map(function (r) { return [r[0], r[2]]; }) });
  }
  var limits = [data.limits.low, data.limits.high, data.limits.high_high].filter(function (v) { return v !== null && v !== undefined; });
  var values = data.series.map(function (r) { return r[r.length > 2 ? 3 : 1]; }).concat(limits);
  var top = Math.max.apply(null, values), bottom = Math.min.apply(null, data.series.map(function (r) { return r[r.length > 2 ? 2 : 1]; }).concat(limits));
  chart.setOption({
    tooltip: { trigger: "axis" },
    grid: { left: 50, right: 90, top: 20, bottom: 40 },
    xAxis: { type: "time" },
    yAxis: { type: "value", name: data.unit, max: function () { return +(top + Math.abs(top) * 0.05).toFixed(3); },
             min: function () { return +(bottom - Math.abs(bottom) * 0.05).toFixed(3); } },
    series: series
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
