(function () {
  var form = document.getElementById("inspection-form");
  if (!form) { return; }
  // a hazard's particulars only when the item is marked as a hazard
  form.querySelectorAll(".answer-card").forEach(function (card) {
    var fields = card.querySelector(".hazard-fields");
    function show() {
      var chosen = card.querySelector(".outcome:checked");
      fields.hidden = !(chosen && chosen.value === "hazard");
      card.classList.toggle("outcome-hazard", !!chosen && chosen.value === "hazard");
      card.classList.toggle("outcome-passed", !!chosen && chosen.value === "passed");
    }
    card.querySelectorAll(".outcome").forEach(function (r) { r.addEventListener("change", show); });
    show();
  });
  // signatures drawn on screen, sent as PNG
  var pads = {};
  document.querySelectorAll("canvas.signature-pad").forEach(function (canvas) {
    var ratio = Math.max(window.devicePixelRatio || 1, 1);
    canvas.width = canvas.offsetWidth * ratio;
    canvas.height = canvas.offsetHeight * ratio;
    canvas.getContext("2d").scale(ratio, ratio);
    pads[canvas.id] = new SignaturePad(canvas, { penColor: "#0b1f5c" });
    // a signature drawn before a refused submission comes back with the page: draw it again
    var kept = document.getElementById(canvas.dataset.target).value;
    if (kept.indexOf("data:image/png;base64,") === 0) { pads[canvas.id].fromDataURL(kept); }
  });
  document.querySelectorAll(".clear-signature").forEach(function (b) {
    b.addEventListener("click", function () { pads[b.dataset.pad].clear(); });
  });
  form.addEventListener("submit", function () {
    Object.keys(pads).forEach(function (id) {
      var canvas = document.getElementById(id);
      document.getElementById(canvas.dataset.target).value = pads[id].isEmpty() ? "" : pads[id].toDataURL("image/png");
    });
  });
  var firstError = form.querySelector(".field-error");
  if (firstError) { firstError.scrollIntoView({ block: "center" }); }
  if (navigator.geolocation) {
    navigator.geolocation.getCurrentPosition(function (p) {
      document.getElementById("id_latitude").value = p.coords.latitude.toFixed(6);
      document.getElementById("id_longitude").value = p.coords.longitude.toFixed(6);
    }, function () {}, { timeout: 10000 });
  }
})();
