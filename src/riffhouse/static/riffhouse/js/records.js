// Records: drag-and-drop uploads with a progress bar; cards that play in place and the
// record page's waveform player. Without JavaScript the upload form posts normally, cards
// link to their pages and audio uses the browser's player.

function bindUploadForm(form) {
  const zone = form.querySelector("[data-dropzone]");
  const input = form.querySelector('input[type="file"]');
  if (zone && input) {
    ["dragenter", "dragover"].forEach((name) => zone.addEventListener(name, (event) => {
      event.preventDefault();
      zone.dataset.dragging = "true";
    }));
    ["dragleave", "drop"].forEach((name) => zone.addEventListener(name, () => {
      delete zone.dataset.dragging;
    }));
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      if (event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
    input.addEventListener("change", () => {
      const title = form.querySelector('input[name="title"]');
      if (title && !title.value && input.files.length) {
        title.value = input.files[0].name.replace(/\.[^.]+$/, "").replace(/[-_]+/g, " ");
      }
      zone.dataset.file = input.files.length ? input.files[0].name : "";
    });
  }
  form.addEventListener("submit", (event) => {
    if (!window.XMLHttpRequest || !window.FormData) return;
    event.preventDefault();
    const progress = form.querySelector("[data-progress]");
    const bar = progress.querySelector("progress");
    const text = progress.querySelector("[data-progress-text]");
    const button = form.querySelector('button[type="submit"]');
    progress.hidden = false;
    button.disabled = true;
    const request = new XMLHttpRequest();
    request.open("POST", form.action || window.location.href);
    request.upload.addEventListener("progress", (e) => {
      if (!e.lengthComputable) return;
      const percent = Math.round((e.loaded / e.total) * 100);
      bar.value = percent;
      text.textContent = percent < 100 ? `Uploading… ${percent}%` : "Checking your file…";
    });
    request.addEventListener("load", () => {
      if (request.status < 400 && request.responseURL && request.responseURL !== window.location.href) {
        window.location.assign(request.responseURL);
        return;
      }
      // The form came back with messages: show them in place.
      const page = new DOMParser().parseFromString(request.responseText, "text/html");
      const fresh = page.getElementById(form.id);
      if (fresh) {
        form.replaceWith(fresh);
        bindUploadForm(fresh);
        document.dispatchEvent(new CustomEvent("riffhouse:form-replaced"));
        const first = fresh.querySelector(".form-errors, .field-invalid input, .field-invalid textarea");
        if (first) first.focus();
      } else {
        const error = page.querySelector("main .lede");
        progress.hidden = false;
        text.textContent = error ? error.textContent : `The upload failed (${request.status}).`;
        button.disabled = false;
      }
    });
    request.addEventListener("error", () => {
      text.textContent = "The connection dropped. Check it and try again.";
      button.disabled = false;
    });
    request.send(new FormData(form));
  });
}

// Players ---------------------------------------------------------------------------------
// One track at a time on a page: whichever audio starts, every other one pauses.
document.addEventListener("play", (event) => {
  document.querySelectorAll("audio").forEach((audio) => {
    if (audio !== event.target && !audio.paused) audio.pause();
  });
}, true);

function formatTime(seconds) {
  const total = Math.max(0, Math.round(seconds || 0));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const secs = String(total % 60).padStart(2, "0");
  return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${secs}` : `${minutes}:${secs}`;
}

// Cards: a play button over the cover plays the track in place through one shared audio
// element, so starting a card stops the one before. The card's link stays for the title.
let cardAudio = null;
let cardButton = null;

function cardSetPlaying(button, playing) {
  if (!button) return;
  const title = button.dataset.title;
  button.setAttribute("aria-pressed", playing ? "true" : "false");
  button.setAttribute("aria-label", `${playing ? "Pause" : "Play"} “${title}”`);
  button.closest(".record-card")?.classList.toggle("is-playing", playing);
}

function cardProgress() {
  if (!cardButton || !cardAudio) return;
  const bar = cardButton.closest(".record-card")?.querySelector(".card-progress-bar");
  const position = cardAudio.duration ? cardAudio.currentTime / cardAudio.duration : 0;
  if (bar) bar.style.transform = `scaleX(${position})`;
}

function cardAudioElement() {
  if (cardAudio) return cardAudio;
  cardAudio = document.createElement("audio");
  cardAudio.preload = "none";
  cardAudio.dataset.cardAudio = "";
  cardAudio.hidden = true;
  document.body.append(cardAudio);
  cardAudio.addEventListener("play", () => cardSetPlaying(cardButton, true));
  cardAudio.addEventListener("pause", () => cardSetPlaying(cardButton, false));
  cardAudio.addEventListener("ended", () => cardSetPlaying(cardButton, false));
  cardAudio.addEventListener("timeupdate", cardProgress);
  return cardAudio;
}

function cardToggle(button) {
  const audio = cardAudioElement();
  if (cardButton === button) {
    if (audio.paused) audio.play(); else audio.pause();
    return;
  }
  if (cardButton) {
    cardSetPlaying(cardButton, false);
    const bar = cardButton.closest(".record-card")?.querySelector(".card-progress-bar");
    if (bar) bar.style.transform = "scaleX(0)";
  }
  cardButton = button;
  audio.src = button.dataset.src;
  audio.play();
}

function cardsShow(root) {
  root.querySelectorAll("[data-card-play]").forEach((button) => {
    button.hidden = false;
    if (cardButton && cardButton.dataset.src === button.dataset.src && cardButton !== button && !document.contains(cardButton)) {
      cardButton = button;  // the same card came back in an htmx swap
      cardSetPlaying(button, cardAudio && !cardAudio.paused);
    }
  });
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-card-play]");
  if (button) cardToggle(button);
});

// The record page: the waveform is the scrubber, a slider for the keyboard too.
function bindPlayer(player) {
  const audio = player.querySelector("[data-player-audio]");
  const controls = player.querySelector("[data-player-controls]");
  const toggle = player.querySelector("[data-player-toggle]");
  const seek = player.querySelector("[data-player-seek]");
  const canvas = seek.querySelector("canvas");
  const time = player.querySelector("[data-player-time]");
  const peaks = (seek.dataset.peaks || "").split(",").filter(Boolean).map(Number);
  const title = toggle.getAttribute("aria-label").replace(/^Play /, "");
  audio.controls = false;
  controls.hidden = false;
  player.classList.add("is-enhanced");
  const duration = () => audio.duration || Number(seek.dataset.duration) || 0;

  const render = () => {
    const styles = getComputedStyle(seek);
    const played = styles.getPropertyValue("--wave-played").trim() || "#6b3fd4";
    const rest = styles.getPropertyValue("--wave-rest").trim() || "#8f879c";
    const width = Math.round(canvas.clientWidth * devicePixelRatio);
    const height = Math.round(canvas.clientHeight * devicePixelRatio);
    if (!width || !height) return;
    if (canvas.width !== width) canvas.width = width;
    if (canvas.height !== height) canvas.height = height;
    const context = canvas.getContext("2d");
    context.clearRect(0, 0, width, height);
    const bars = Math.max(1, Math.min(peaks.length, Math.floor(width / (5 * devicePixelRatio))));
    const step = width / bars;
    const barWidth = Math.max(1, step * 0.6);
    const position = duration() ? audio.currentTime / duration() : 0;
    for (let i = 0; i < bars; i += 1) {
      const from = Math.floor((i * peaks.length) / bars);
      const to = Math.max(from + 1, Math.floor(((i + 1) * peaks.length) / bars));
      const peak = Math.max(...peaks.slice(from, to));
      const bar = Math.max(3 * devicePixelRatio, peak * height * 0.92);
      context.fillStyle = (i + 0.5) / bars <= position ? played : rest;
      context.beginPath();
      context.roundRect(i * step, (height - bar) / 2, barWidth, bar, barWidth / 2);
      context.fill();
    }
  };
  const update = () => {
    const now = audio.currentTime || 0;
    seek.setAttribute("aria-valuenow", String(Math.round(now)));
    seek.setAttribute("aria-valuemax", String(Math.round(duration())));
    seek.setAttribute("aria-valuetext", `${formatTime(now)} of ${formatTime(duration())}`);
    time.textContent = formatTime(now);
    render();
  };
  const setPlaying = (playing) => {
    toggle.setAttribute("aria-pressed", playing ? "true" : "false");
    toggle.setAttribute("aria-label", `${playing ? "Pause" : "Play"} ${title}`);
    player.classList.toggle("is-playing", playing);
  };
  const seekTo = (seconds) => {
    const total = duration();
    if (!total) return;
    audio.currentTime = Math.min(Math.max(seconds, 0), total);
    update();
  };
  const seekToPointer = (event) => {
    const box = seek.getBoundingClientRect();
    seekTo(((event.clientX - box.left) / box.width) * duration());
  };

  toggle.addEventListener("click", () => { if (audio.paused) audio.play(); else audio.pause(); });
  audio.addEventListener("play", () => setPlaying(true));
  audio.addEventListener("pause", () => setPlaying(false));
  audio.addEventListener("ended", () => setPlaying(false));
  ["timeupdate", "loadedmetadata", "seeked", "durationchange"].forEach((name) => audio.addEventListener(name, update));
  seek.addEventListener("pointerdown", (event) => {
    seek.setPointerCapture(event.pointerId);
    seek.dataset.dragging = "true";
    seekToPointer(event);
  });
  seek.addEventListener("pointermove", (event) => { if (seek.dataset.dragging) seekToPointer(event); });
  ["pointerup", "pointercancel"].forEach((name) => seek.addEventListener(name, () => { delete seek.dataset.dragging; }));
  seek.addEventListener("keydown", (event) => {
    const steps = { ArrowRight: 5, ArrowUp: 5, ArrowLeft: -5, ArrowDown: -5, PageUp: 30, PageDown: -30 };
    if (event.key in steps) seekTo((audio.currentTime || 0) + steps[event.key]);
    else if (event.key === "Home") seekTo(0);
    else if (event.key === "End") seekTo(duration());
    else if (event.key === " " || event.key === "Enter") toggle.click();
    else return;
    event.preventDefault();
  });
  new ResizeObserver(render).observe(canvas);
  window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", render);
  update();
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-upload-form]").forEach(bindUploadForm);
  document.querySelectorAll("[data-audio-player]").forEach(bindPlayer);
  cardsShow(document);
});
// Cards loaded by htmx (the profile's records, "more"): an outerHTML swap settles on the
// element it replaced, so look at the whole page.
document.addEventListener("htmx:afterSettle", () => cardsShow(document));
