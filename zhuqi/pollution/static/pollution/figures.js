(function () {
  var data = JSON.parse((document.getElementById("pollution-data") || {}).textContent || "null");
  if (!data || !window.echarts) { return; }
  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var chart = echarts.init(el);
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  }
  var percent = { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } };
  draw("pollution-chart", {
    tooltip: { trigger: "axis" }, legend: { top: 0 },
    grid: { left: 8, right: 12, bottom: 8, top: 40, containLabel: true },
    xAxis: { type: "category", data: data.pollutants }, yAxis: percent,
    series: [
      { name: data.labels.required, type: "bar", data: data.required },
      { name: data.labels.achieved, type: "bar", data: data.achieved,
        markLine: { symbol: "none", data: [{ yAxis: data.target, name: data.labels.target }], label: { position: "insideEndTop", formatter: data.labels.target + " {c}%" } } }
    ]
  });
  draw("pollution-groups-chart", {
    tooltip: { trigger: "axis" }, legend: { top: 0 },
    grid: { left: 8, right: 12, bottom: 8, top: 40, containLabel: true },
    xAxis: { type: "category", data: data.groups, axisLabel: { interval: 0, rotate: 30, fontSize: 10 } }, yAxis: percent,
    series: data.pollutants.map(function (name, i) { return { name: name, type: "bar", data: data.group_achieved[i] }; })
  });
  var hourly = data.hourly;
  if (hourly && hourly.hours.length) {
    draw("pollution-hourly-chart", {
      tooltip: { trigger: "axis" }, legend: { top: 0 },
      grid: { left: 8, right: 12, bottom: 8, top: 40, containLabel: true },
      xAxis: { type: "category", data: hourly.hours, axisLabel: { fontSize: 10 } },
      yAxis: { type: "value", min: 0, max: hourly.firms || null, minInterval: 1 },
      series: [
        { name: data.labels.confirmed, type: "line", step: "end", data: hourly.confirmed, showSymbol: false },
        { name: data.labels.complying, type: "line", step: "end", data: hourly.complying, showSymbol: false, areaStyle: { opacity: 0.15 },
          markLine: { symbol: "none", data: [{ yAxis: hourly.firms, name: data.labels.firms }], label: { position: "insideEndTop", formatter: data.labels.firms + " {c}" } } }
      ]
    });
  }
})();
