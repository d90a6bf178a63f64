(function () {
  var data = JSON.parse((document.getElementById("project-timeline-data") || {}).textContent || "null");
  var el = document.getElementById("project-timeline");
  if (!data || !el || !window.echarts || !data.rows.length) { return; }
  var chart = echarts.init(el);
  function bars(offset, colour) {
    return function (params, api) {
      var start = api.coord([api.value(1), api.value(0)]);
      var end = api.coord([api.value(2), api.value(0)]);
      var h = api.size([0, 1])[1] * 0.35;
      return { type: "rect", shape: { x: start[0], y: start[1] + offset * h - h / 2, width: Math.max(end[0] - start[0], 2), height: h },
               style: { fill: colour } };
    };
  }
  function rows(list) { return list.map(function (r) { return [r[0], new Date(r[1]).getTime(), new Date(r[2]).getTime()]; }); }
  chart.setOption({
    tooltip: { formatter: function (p) { return data.rows[p.value[0]] + "<br>" + new Date(p.value[1]).toISOString().slice(0, 10) + " – " + new Date(p.value[2]).toISOString().slice(0, 10); } },
    legend: { top: 0, data: ["计划", "实际"] },
    grid: { left: 8, right: 16, bottom: 8, top: 30, containLabel: true },
    xAxis: { type: "time" },
    yAxis: { type: "category", data: data.rows, inverse: true, axisLabel: { width: 110, overflow: "truncate" } },
    series: [
      { name: "计划", type: "custom", renderItem: bars(-0.5, "#adb5bd"), encode: { x: [1, 2], y: 0 }, data: rows(data.planned), itemStyle: { color: "#adb5bd" } },
      { name: "实际", type: "custom", renderItem: bars(0.5, "#198754"), encode: { x: [1, 2], y: 0 }, data: rows(data.actual), itemStyle: { color: "#198754" },
        markLine: { silent: true, symbol: "none", data: [{ xAxis: new Date(data.today).getTime() }], lineStyle: { color: "#dc3545" }, label: { formatter: "今天" } } }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
