/* The episode change form: live processing state, rendered show-notes preview, and
   up/down buttons that reorder the show-note links. A static file, not an inline
   script, so the Content-Security-Policy can refuse inline scripts. */
(function () {
  "use strict";

  var POLL_MS = 2000;

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  /* Processing state: poll the staff-only JSON endpoint while anything is pending. */
  function watchStatus(box) {
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

  /* Show notes: the server renders and sanitizes exactly as the episode page does. */
  function previewNotes(textarea) {
    var preview = document.createElement("div");
    preview.className = "notes-preview";
    preview.setAttribute("aria-live", "polite");
    preview.setAttribute("aria-label", "Show notes preview");
    textarea.insertAdjacentElement("afterend", preview);
    var timer = null;
    function render() {
      var body = new FormData();
      body.append("text", textarea.value);
      fetch(textarea.dataset.previewUrl, {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken() }
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data) preview.innerHTML = data.html; });  // sanitized by nh3
    }
    textarea.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(render, 300);
    });
    if (textarea.value) render();
  }

  /* Show-note links: the position field decides the order; the buttons rewrite it. */
  function linkRows(group) {
    return Array.prototype.filter.call(
      group.querySelectorAll("tr.form-row"),
      function (row) { return !row.classList.contains("empty-form"); }
    );
  }

  function renumber(group) {
    linkRows(group).forEach(function (row, index) {
      var input = row.querySelector("td.field-position input");
      if (input) input.value = index + 1;
    });
  }

  function addButtons(group, row) {
    var cell = row.querySelector("td.field-position");
    if (!cell || cell.querySelector(".link-move")) return;
    [["\u2191", "Move up", -1], ["\u2193", "Move down", 1]].forEach(function (spec) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "link-move";
      button.textContent = spec[0];
      button.title = spec[1];
      button.setAttribute("aria-label", spec[1]);
      button.addEventListener("click", function () { move(group, row, spec[2]); });
      cell.appendChild(button);
    });
  }

  function move(group, row, step) {
    var rows = linkRows(group);
    var target = rows[rows.indexOf(row) + step];
    if (!target) return;
    if (step < 0) target.before(row); else target.after(row);
    renumber(group);
  }

  function orderLinks(group) {
    linkRows(group).forEach(function (row) { addButtons(group, row); });
    document.addEventListener("formset:added", function (event) {
      if (event.detail && event.detail.formsetName !== "links") return;
      var row = event.target;
      addButtons(group, row);
      var input = row.querySelector("td.field-position input");
      if (input) input.value = linkRows(group).length;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-status-url]").forEach(watchStatus);
    document.querySelectorAll("textarea[data-preview-url]").forEach(previewNotes);
    var links = document.getElementById("links-group");
    if (links) orderLinks(links);
  });
})();
