(function () {
  // The cockpit's charts: each tile carries its data in a JSON script beside a [data-chart] element; they are drawn
  // when the page loads and again whenever htmx swaps a tile in (its polling), the old chart disposed first.
  if (!window.echarts || !window.htmx) { return; }
  var dark = document.documentElement.getAttribute("data-bs-theme") === "dark";
  var labelsEl = document.getElementById("cockpit-labels");
  var L = labelsEl ? JSON.parse(labelsEl.textContent) : {};
  var text = dark ? "#dce1e7" : "#1d273b";
  var muted = dark ? "#9aa5b4" : "#667382";
  var esc = echarts.format.encodeHTML;
  var big = document.body.classList.contains("cockpit-wall") && window.innerWidth >= 1200;
  var font = big ? 14 : 12;
  var family = window.getComputedStyle(document.body).fontFamily;

  var build = {
    grid_map: function (d, el) {
      var labels = {};
      d.grids.forEach(function (g) { labels[g.name] = g.label; });
      var mid = Math.max(1, Math.ceil(d.most / 2));
      var pieces = [{ value: 0, label: "0", color: dark ? "#2b8a3e" : "#b2f2bb" },
                    { gte: 1, lte: mid, label: mid > 1 ? "1–" + mid : "1", color: "#fdae61" }];
      if (d.most > mid) { pieces.push({ gte: mid + 1, label: "≥ " + (mid + 1), color: "#e03131" }); }
      var values = d.grids.map(function (g) { return { name: g.name, value: g.value }; });
      if (d.kind !== "map") {
        var top = d.grids.filter(function (g) { return g.value > 0; }).sort(function (a, b) { return b.value - a.value; }).slice(0, 10);
        if (!top.length) { return null; }
        return {
          grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
          xAxis: { type: "value", minInterval: 1, axisLabel: { color: muted } },
          yAxis: { type: "category", inverse: true, data: top.map(function (g) { return g.label; }), axisLabel: { color: text, fontSize: font } },
          tooltip: {},
          series: [{ type: "bar", name: L.open, data: top.map(function (g) { return g.value; }), itemStyle: { color: "#fd7e14" } }]
        };
      }
      echarts.registerMap("zone-grids", { type: "FeatureCollection", features: d.features });
      var narrow = el.clientWidth < 600;
      var box = { left: narrow ? 8 : 96, top: 8 };
      box.width = el.clientWidth - box.left - 8;
      box.height = el.clientHeight - box.top - (narrow ? 32 : 8);
      return {
        tooltip: {
          trigger: "item",
          formatter: function (p) {
            if (p.seriesType === "scatter") { return esc(L.incident + " " + p.name); }
            return esc(labels[p.name] || p.name) + "<br>" + esc(L.open) + "：" + (p.value || 0);
          }
        },
        // on a phone the legend goes under the map, beside it elsewhere; the map keeps its shape in the space left
        visualMap: {
          type: "piecewise", seriesIndex: 0, pieces: pieces, left: 0, bottom: 0, orient: narrow ? "horizontal" : "vertical",
          itemWidth: 14, itemHeight: 10, textStyle: { color: text, fontSize: font }
        },
        geo: {
          map: "zone-grids", roam: false, layoutCenter: [box.left + box.width / 2, box.top + box.height / 2],
          layoutSize: Math.min(box.width, box.height),  // the grids keep their shape (a square holds the map)
          label: {
            show: !narrow, color: dark ? "#f1f3f5" : "#212529", fontSize: big ? font - 1 : font - 2, lineHeight: font + 2,
            formatter: function (p) { return (labels[p.name] || "").replace(/(第\d+网格)$/, "\n$1"); }
          },
          itemStyle: { borderColor: dark ? "#0b1220" : "#495057", borderWidth: 1 },
          emphasis: { label: { color: "#fff" }, itemStyle: { areaColor: "#4dabf7" } }
        },
        series: [
          { type: "map", geoIndex: 0, data: values },
          { type: "scatter", coordinateSystem: "geo", data: d.points, symbolSize: big ? 9 : 7,
            itemStyle: { color: "#228be6", borderColor: "#fff", borderWidth: 1 } }
        ]
      };
    },
    alarms: function (d) {
      var colours = { high_high: "#e03131", high: "#fd7e14", low: "#fab005", offline: "#868e96" };
      var data = d.levels.filter(function (l) { return l.value > 0; }).map(function (l) {
        return { name: l.name, value: l.value, itemStyle: { color: colours[l.level] } };
      });
      if (!data.length) { return null; }
      return {
        tooltip: { trigger: "item" },
        legend: { orient: "vertical", right: 0, top: "middle", textStyle: { color: text, fontSize: font } },
        series: [{ type: "pie", radius: ["45%", "75%"], center: ["35%", "50%"], data: data,
                   label: { show: true, position: "inside", formatter: "{c}", color: "#fff", fontSize: font + 2, fontWeight: 700 } }]
      };
    },
    cases: function (d, el) {
      var radius = Math.max(30, Math.floor(Math.min(el.clientWidth / 4, el.clientHeight / 2) * 0.9));
      function gauge(value, name, centre, colour) {
        return {
          type: "gauge", center: [centre, "55%"], radius: radius, min: 0, max: 100, startAngle: 200, endAngle: -20,
          progress: { show: true, width: 10, itemStyle: { color: colour } },
          axisLine: { lineStyle: { width: 10, color: [[1, dark ? "#2c3a4f" : "#e9ecef"]] } },
          axisTick: { show: false }, splitLine: { show: false }, axisLabel: { show: false }, pointer: { show: false },
          title: { offsetCenter: [0, "45%"], color: muted, fontSize: font },
          detail: { offsetCenter: [0, "0%"], valueAnimation: false, fontSize: Math.max(16, Math.round(radius / 2.6)), fontWeight: 700, color: text,
                    formatter: function (v) { return value === null ? "—" : v + "%"; } },
          data: [{ value: value === null ? 0 : value, name: name }]
        };
      }
      return { series: [gauge(d.on_time_rate, L.on_time, "25%", "#2fb344"), gauge(d.satisfaction_rate, L.satisfaction, "75%", "#4299e1")] };
    },
    growth: function (d) {
      return {
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        legend: { top: 0, textStyle: { color: text, fontSize: font } },
        grid: { left: 8, right: 24, top: 28, bottom: 4, containLabel: true },
        xAxis: { type: "value", minInterval: 1, axisLabel: { color: muted } },
        yAxis: { type: "category", inverse: true, data: d.stages.map(function (s) { return s.name; }),
                 axisLabel: { color: text, fontSize: font } },
        series: [
          { type: "bar", name: L.firms, data: d.stages.map(function (s) { return s.firms; }), itemStyle: { color: "#4299e1" },
            label: { show: true, position: "right", color: text, fontSize: font } },
          { type: "bar", name: L["new"], data: d.stages.map(function (s) { return s["new"]; }), itemStyle: { color: "#2fb344" } }
        ]
      };
    }
  };

  function draw(el) {
    var source = document.getElementById(el.getAttribute("data-source"));
    var builder = build[el.getAttribute("data-chart")];
    if (!source || !builder) { return; }
    var old = echarts.getInstanceByDom(el);
    if (old) { old.dispose(); }
    var option = builder(JSON.parse(source.textContent), el);
    if (!option) { el.hidden = true; return; }
    option.backgroundColor = "transparent";
    option.textStyle = { fontFamily: family };  // the page's own (a canvas knows no "inherit")
    echarts.init(el, dark ? "dark" : null).setOption(option);
  }

  htmx.onLoad(function (root) {
    var scope = root.querySelectorAll ? root : document;
    scope.querySelectorAll("[data-chart]").forEach(draw);
  });
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    // a session that ended brings the login page: reload the whole page instead of drawing it inside a tile
    var xhr = event.detail.xhr;
    if (xhr && xhr.responseURL && xhr.responseURL.indexOf("/login/") !== -1) {
      event.detail.shouldSwap = false;
      window.location.reload();
      return;
    }
    event.detail.target.querySelectorAll("[data-chart]").forEach(function (el) {
      var chart = echarts.getInstanceByDom(el);
      if (chart) { chart.dispose(); }
    });
  });
  window.addEventListener("resize", function () {
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var chart = echarts.getInstanceByDom(el);
      if (chart) { chart.resize(); }
    });
  });
})();
