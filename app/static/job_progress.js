// The progress page of a report job: ask for the job's state every few seconds, show how far
// it has come, and reload the page when it has finished (the page then offers the file or
// says what went wrong). Without this script the page refreshes itself (<noscript>).
(function () {
  "use strict";
  var box = document.getElementById("job-progress");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-status-url");
  var every = (parseFloat(box.getAttribute("data-poll-seconds")) || 2) * 1000;
  var bar = box.querySelector("progress");
  var percent = box.querySelector("[data-job-percent]");
  var label = box.querySelector("[data-job-label]");

  function ask() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (state) {
        if (state.finished) { window.location.reload(); return; }
        bar.value = state.progress;
        bar.textContent = state.progress + " %";
        percent.textContent = state.progress;
        label.textContent = state.label;
        window.setTimeout(ask, every);
      })
      .catch(function () { window.setTimeout(ask, every * 3); });
  }
  window.setTimeout(ask, every);
})();
