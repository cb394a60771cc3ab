/* The episode form's soundbite picker: "Set start here" and "Set end here" copy the
   player's position into the soundbite fields (podcast:soundbite startTime and
   duration, in seconds). A static file, not an inline script: the
   Content-Security-Policy refuses inline code. */
(function () {
  "use strict";

  function seconds(value) {
    return Math.round(value * 10) / 10;  // tenths: what an editor can hear
  }

  function field(name) {
    return document.getElementById("id_" + name);
  }

  function wire(picker) {
    var audio = picker.querySelector("audio");
    var note = picker.querySelector(".soundbite-note");
    var start = field("soundbite_start");
    var duration = field("soundbite_duration");
    if (!audio || !start || !duration) return;
    function say(text) { note.textContent = text; }
    picker.querySelector("[data-soundbite=start]").addEventListener("click", function () {
      var end = parseFloat(start.value) + parseFloat(duration.value);
      start.value = seconds(audio.currentTime);
      // Keep the end where it was when it still lies after the new start.
      if (end > audio.currentTime) duration.value = seconds(end - audio.currentTime);
      say("Start set to " + start.value + " s.");
    });
    picker.querySelector("[data-soundbite=end]").addEventListener("click", function () {
      var from = parseFloat(start.value);
      if (isNaN(from) || audio.currentTime <= from) {
        say("Set the start first, then play on to where the soundbite ends.");
        return;
      }
      duration.value = seconds(audio.currentTime - from);
      say("Soundbite: " + duration.value + " s from " + start.value + " s.");
    });
    picker.querySelector("[data-soundbite=play]").addEventListener("click", function () {
      var from = parseFloat(start.value);
      if (isNaN(from)) return;
      audio.currentTime = from;
      audio.play();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".soundbite-picker").forEach(wire);
  });
})();
