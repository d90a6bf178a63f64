(function () {
  var el = document.getElementById("grid-map");
  var data = JSON.parse(document.getElementById("grid-map-data").textContent || "null");
  if (!el || !data || !window.echarts || !data.geojson.features.length) { return; }
  // the outlines themselves are the map: no online tiles are fetched
  echarts.registerMap("zone-grids", data.geojson);
  var chart = echarts.init(el);
  var most = Math.max.apply(null, data.counts.map(function (c) { return c.value; }).concat([1]));
  chart.setOption({
    tooltip: { trigger: "item", formatter: function (p) {
      return p.seriesType === "map" ? p.name + "<br>" + data.labels.open + "：" + (p.value || 0) : p.name + "<br>" + p.data.category;
    } },
    visualMap: { min: 0, max: most, left: 10, bottom: 10, text: [String(most), "0"], calculable: false,
                 inRange: { color: ["#e8f4ea", "#fdae61", "#d7191c"] }, seriesIndex: 0 },
    geo: { map: "zone-grids", roam: true, label: { show: true, fontSize: 10, color: "#343a40" },
           itemStyle: { borderColor: "#495057" }, emphasis: { label: { show: true } } },
    series: [
      { type: "map", geoIndex: 0, data: data.counts, name: data.labels.open },
      { type: "scatter", coordinateSystem: "geo", data: data.points, symbolSize: 9, name: data.labels.incident,
        itemStyle: { color: "#0d6efd", borderColor: "#fff", borderWidth: 1 } }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
