// While an import is queued or running, poll its counts and show them; reload the
// page once it is done, so its full report (failures, notes, links) appears.
(function () {
  "use strict";
  var report = document.getElementById("upload-report");
  if (!report || report.dataset.done === "true") return;
  var url = report.dataset.progressUrl;
  function show(progress) {
    Object.keys(progress).forEach(function (name) {
      var cell = report.querySelector('[data-count="' + name + '"]');
      if (cell) cell.textContent = String(progress[name]);
    });
    var status = report.querySelector("[data-status]");
    if (status) status.textContent = progress.status_display;
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (progress) {
        if (!progress) return;
        show(progress);
        if (progress.done) window.location.reload();
        else window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
