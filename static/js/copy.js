/* Copy buttons (the feed URL, an episode's link and embed code): copy, and say so for screen readers too.
   Without JavaScript (or clipboard access) the read-only field still lets anyone select it. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-copy]") : null;
    if (!button) return;
    var field = document.getElementById(button.getAttribute("data-copy"));
    var status = button.parentNode.querySelector(".copied");
    function say(text) { if (status) status.textContent = text; }
    field.select();
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(field.value).then(
        function () { say("Copied"); },
        function () { say("Press Ctrl+C to copy"); }
      );
    } else {
      say("Press Ctrl+C to copy");
    }
  });
})();
