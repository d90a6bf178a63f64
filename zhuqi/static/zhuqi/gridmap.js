(function () {
  // The grid map: each grid's outline shaded by its open incidents, labelled where the labels do not collide, the
  // open incidents as dots, a legend for both; over the configured base map, or on its own when there is none.
  var el = document.getElementById("grid-map");
  var data = JSON.parse(document.getElementById("grid-map-data").textContent || "null");
  if (!el || !data || !window.L) { return; }
  var features = data.geojson.features;
  if (!features.length && !data.points.length) {
    el.classList.add("d-flex", "align-items-center", "justify-content-center", "text-muted", "p-3");
    el.textContent = data.labels.none;
    return;
  }
  var map = L.map(el, { zoomSnap: 0.25, attributionControl: Boolean(data.basemap && data.basemap.attribution) });
  if (map.attributionControl) { map.attributionControl.setPrefix(false); }  // the map's credit only
  if (data.basemap) {
    data.basemap.layers.forEach(function (url) {
      L.tileLayer(url, { subdomains: data.basemap.subdomains, maxZoom: 18, attribution: data.basemap.attribution }).addTo(map);
    });
  }
  var counts = {};
  data.counts.forEach(function (c) { counts[c.name] = c.value; });
  var most = Math.max.apply(null, data.counts.map(function (c) { return c.value; }).concat([1]));
  var mid = Math.max(1, Math.ceil(most / 2));
  var classes = [
    { from: 0, to: 0, colour: "#e8f4ea" },
    { from: 1, to: mid, colour: "#fdae61" },
    { from: mid + 1, to: most, colour: "#d7191c" }
  ].filter(function (c) { return c.from <= c.to; });
  function colour(n) {
    for (var i = classes.length - 1; i >= 0; i--) { if ((n || 0) >= classes[i].from) { return classes[i].colour; } }
    return classes[0].colour;
  }
  var labelled = [];
  var outlines = L.geoJSON(data.geojson, {
    style: function (f) {
      return { color: "#495057", weight: 1.5, fillColor: colour(counts[f.properties.name]), fillOpacity: data.basemap ? 0.45 : 0.85 };
    },
    onEachFeature: function (f, layer) {
      var n = counts[f.properties.name] || 0;
      layer.bindPopup(L.Util.template("{name}<br>{label}：{n}", { name: f.properties.name, label: data.labels.open, n: n }));
      layer.bindTooltip(f.properties.name, { permanent: true, direction: "center", className: "grid-label", interactive: false });
      labelled.push(layer);
    }
  }).addTo(map);
  var dots = L.featureGroup(data.points.map(function (p) {
    return L.circleMarker([p.value[1], p.value[0]], { radius: 6, color: "#fff", weight: 1, fillColor: "#0d6efd", fillOpacity: 1 })
      .bindPopup(L.Util.template("{name}<br>{category}", { name: p.name, category: p.category }));
  })).addTo(map);
  var bounds = outlines.getBounds();
  if (!bounds.isValid()) { bounds = dots.getBounds(); }
  map.fitBounds(bounds, { padding: [12, 12] });

  // labels that would overlap one already shown are hidden, the larger grids' first; they come back on zooming in
  function area(layer) { var b = layer.getBounds(); return (b.getEast() - b.getWest()) * (b.getNorth() - b.getSouth()); }
  labelled.sort(function (a, b) { return area(b) - area(a); });
  function declutter() {
    var shown = [];
    labelled.forEach(function (layer) {
      var tip = layer.getTooltip() && layer.getTooltip().getElement();
      if (!tip) { return; }
      tip.style.visibility = "visible";
      var r = tip.getBoundingClientRect();
      var clash = shown.some(function (s) { return r.left < s.right && s.left < r.right && r.top < s.bottom && s.top < r.bottom; });
      if (clash) { tip.style.visibility = "hidden"; } else { shown.push(r); }
    });
  }
  map.on("zoomend moveend", declutter);
  declutter();

  var legend = L.control({ position: "bottomleft" });
  legend.onAdd = function () {
    var div = L.DomUtil.create("div", "map-legend");
    var rows = ["<div class=\"fw-semibold\">" + L.Util.template("{t}", { t: data.labels.legend }) + "</div>"];
    classes.forEach(function (c) {
      rows.push("<div><i style=\"background:" + c.colour + "\"></i>" + (c.from === c.to ? c.from : c.from + "–" + c.to) + "</div>");
    });
    div.innerHTML = rows.join("");
    var dot = document.createElement("div");
    dot.innerHTML = "<i class=\"dot\"></i>";
    dot.appendChild(document.createTextNode(data.labels.dot));
    div.appendChild(dot);
    return div;
  };
  legend.addTo(map);
  window.addEventListener("resize", function () { map.invalidateSize(); });
})();
