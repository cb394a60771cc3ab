/* Start the episode player at a moment: #t=754, ?t=754 or ?t=12:34 on the page,
   and in-page links that carry one (chapters, search hits). Without JavaScript
   the same links still work: the server puts ?t= into the audio's media fragment. */
(function () {
  "use strict";

  function parseTime(value) {
    if (!value) return null;
    var match = /^(?:(\d{1,3}):)?(?:(\d{1,5}):)?(\d{1,7})(?:\.\d+)?s?$/.exec(String(value).trim());
    if (!match) return null;
    var seconds = 0;
    for (var i = 1; i <= 3; i++) {
      if (match[i] !== undefined) seconds = seconds * 60 + parseInt(match[i], 10);
    }
    return seconds;
  }

  function timeFromUrl(url) {
    var hash = /(?:^#|&)t=([^&]*)/.exec(url.hash);
    if (hash) return parseTime(decodeURIComponent(hash[1]));
    return parseTime(new URLSearchParams(url.search).get("t"));
  }

  function startAt(player, seconds) {
    function go() {
      player.currentTime = seconds;
      var playing = player.play();
      // Browsers may refuse to play without a gesture: the seek still stands.
      if (playing && playing.catch) playing.catch(function () {});
    }
    if (player.readyState >= 1) {
      go();
    } else {
      player.addEventListener("loadedmetadata", go, { once: true });
      if (player.preload === "none") player.load();
    }
  }

  function samePage(url) {
    return url.origin === location.origin && url.pathname === location.pathname;
  }

  function init() {
    var player = document.getElementById("player");
    if (!player) return;
    var initial = timeFromUrl(location);
    if (initial !== null) startAt(player, initial);

    document.addEventListener("click", function (event) {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey ||
          event.shiftKey || event.altKey) return;
      var link = event.target.closest ? event.target.closest("a[href]") : null;
      if (!link) return;
      var url = new URL(link.href, location.href);
      var seconds = timeFromUrl(url);
      if (seconds === null || !samePage(url)) return;
      event.preventDefault();
      history.replaceState(null, "", "#t=" + seconds);
      startAt(player, seconds);
    });

    window.addEventListener("hashchange", function () {
      var seconds = timeFromUrl(location);
      if (seconds !== null) startAt(player, seconds);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
