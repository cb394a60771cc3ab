/* The feed import's page: refresh its progress while the worker downloads. A static
   file, not an inline script, so the Content-Security-Policy can refuse inline scripts. */
(function () {
  "use strict";

  var POLL_MS = 2000;

  function watch(box) {
    function poll() {
      fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error("status " + response.status);
          return response.json();
        })
        .then(function (state) {
          box.innerHTML = state.html;  // rendered and escaped by Django
          box.dataset.pending = state.pending ? "true" : "false";
          if (state.pending) window.setTimeout(poll, POLL_MS);
        })
        .catch(function () { window.setTimeout(poll, POLL_MS * 5); });
    }
    if (box.dataset.pending === "true") window.setTimeout(poll, POLL_MS);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".import-state[data-status-url]").forEach(watch);
  });
})();
