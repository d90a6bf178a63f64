(function () {
  var data = JSON.parse((document.getElementById("dispatch-data") || {}).textContent || "null");
  if (!data || !window.echarts) { return; }
  var L = data.labels;
  var percent = { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } };
  function line(name, values, colour) {
    return { name: name, type: "line", data: values, connectNulls: false, itemStyle: colour ? { color: colour } : undefined };
  }
  function draw(id, series) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + "%"; } },
      legend: { type: "scroll", top: 0, left: 0, right: 0 },
      grid: { left: 8, right: 12, bottom: 8, top: 40, containLabel: true },
      xAxis: { type: "category", data: data.days, axisLabel: { fontSize: 11 } },
      yAxis: percent,
      series: series
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  // the API and the page give rates as decimal strings
  function numbers(values) { return values.map(function (v) { return v == null ? null : Number(v); }); }
  draw("dispatch-chart", [
    line(L.resumption, numbers(data.resumption), "#198754"),
    line(L.staff, numbers(data.staff), "#0d6efd"),
    line(L.capacity, numbers(data.capacity), "#fd7e14")
  ]);
  draw("dispatch-groups-chart", data.groups.map(function (g) { return line(g.name, numbers(g.data)); }));
})();
