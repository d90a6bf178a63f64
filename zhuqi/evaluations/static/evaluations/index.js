(function () {
  var data = JSON.parse((document.getElementById("index-data") || {}).textContent || "null");
  if (!data || !window.echarts) { return; }
  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var chart = echarts.init(el);
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  }
  draw("index-radar", {
    tooltip: {},
    radar: { radius: "60%", indicator: data.groups.map(function (g) { return { name: g.name.replace("和", "和\n"), max: g.max }; }),
             axisName: { fontSize: 11 } },
    series: [{ type: "radar", data: [{ name: data.labels.points, value: data.groups.map(function (g) { return g.value; }) }] }]
  });
  draw("index-history", {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 8, right: 8, bottom: 8, top: 36, containLabel: true },
    xAxis: { type: "category", data: data.years },
    yAxis: [{ type: "value", min: 0, max: 100 }, { type: "value", inverse: true, min: 1 }],
    series: [{ name: data.labels.index, type: "bar", data: data.totals },
             { name: data.labels.rank, type: "line", yAxisIndex: 1, data: data.ranks }]
  });
})();
