(function () {
  var button = document.getElementById("locate");
  var shown = document.getElementById("position");
  if (!button || !navigator.geolocation) { return; }
  button.addEventListener("click", function () {
    navigator.geolocation.getCurrentPosition(function (p) {
      document.getElementById("id_latitude").value = p.coords.latitude.toFixed(6);
      document.getElementById("id_longitude").value = p.coords.longitude.toFixed(6);
      shown.textContent = p.coords.latitude.toFixed(5) + ", " + p.coords.longitude.toFixed(5);
    }, function () { shown.textContent = shown.dataset.failed; }, { enableHighAccuracy: true, timeout: 10000 });
  });
})();
