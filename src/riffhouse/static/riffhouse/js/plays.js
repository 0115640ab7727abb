// Counts one play per page view: once the record's audio or video has played for a few
// seconds, tell the server (POST /api/v1/records/{id}/play). The server drops repeats by
// the same browser; nothing here identifies the listener.
(() => {
  "use strict";
  const PLAYED_SECONDS = 5;

  function watch(article) {
    const url = article.dataset.playUrl;
    const media = article.querySelector("audio, video");
    if (!url || !media) return;
    let sent = false;
    let played = 0;
    let last = null;
    media.addEventListener("timeupdate", () => {
      if (sent || media.paused || media.seeking) {
        last = null;
        return;
      }
      const now = media.currentTime;
      // Count time actually played, not jumps made by seeking.
      if (last !== null && now > last && now - last < 1.5) played += now - last;
      last = now;
      if (played >= PLAYED_SECONDS || (media.ended && played > 0)) {
        sent = true;
        fetch(url, {
          method: "POST",
          credentials: "same-origin",
          headers: { "X-CSRFToken": article.dataset.playCsrf || "" },
        }).catch(() => {});
      }
    });
    media.addEventListener("pause", () => { last = null; });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-play-url]").forEach(watch);
  });
})();
