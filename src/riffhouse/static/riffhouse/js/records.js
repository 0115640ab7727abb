// Records: drag-and-drop uploads with a progress bar; cards that play in place and the
// record page's waveform player. Without JavaScript the upload form posts normally, cards
// link to their pages and audio uses the browser's player.

const MEDIA_KINDS = { image: "image", audio: "audio", video: "video" };
const TEXT_LIMIT = 1024 * 1024;

function formatSize(bytes) {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

// The kind a picked file looks like from its type (the server decides from its content).
function kindOfFile(file) {
  const top = (file.type || "").split("/")[0];
  if (MEDIA_KINDS[top]) return top;
  if (top === "text" || /\.(md|markdown|txt)$/i.test(file.name)) return "text";
  return "";
}

// "What are you sharing?": show the input the chosen kind takes (the text, or a file with the
// right `accept`), and leave the other out of the form. Before a choice both show, and using
// one chooses: picking a file its kind, typing Writing. Without JavaScript every field shows
// and the server decides.
function bindKindChoice(form) {
  const choice = form.querySelector("[data-kind-choice]");
  if (!choice) return () => {};
  const zone = form.querySelector('[data-kind-panel="file"]');
  const text = form.querySelector('[data-kind-panel="text"]');
  const cover = form.querySelector('[data-kind-panel="cover"]');
  const input = zone && zone.querySelector('input[type="file"]');
  const help = input && form.querySelector(`#${input.id}_helptext`);
  const chosen = () => {
    const checked = choice.querySelector('input[name="kind"]:checked');
    return checked ? checked.value : "";
  };
  const show = (panel, visible) => {
    if (!panel) return;
    panel.hidden = !visible;
    panel.querySelectorAll("input, textarea").forEach((field) => { field.disabled = !visible; });
  };
  const update = () => {
    const kind = chosen();
    // Writing shows the file only when it is a text file the server kept.
    show(zone, kind !== "text" || (zone && zone.dataset.kept === "text"));
    show(text, kind === "text" || kind === "");
    show(cover, kind === "audio" || kind === "");
    if (input) {
      const key = kind || "any";
      input.accept = zone.getAttribute(`data-accept-${key}`) || "";
      if (help) help.textContent = zone.getAttribute(`data-help-${key}`) || help.textContent;
    }
  };
  choice.addEventListener("change", update);
  const area = text && text.querySelector("textarea");
  if (area) {
    area.addEventListener("input", () => {
      const writing = choice.querySelector('input[name="kind"][value="text"]');
      if (!chosen() && area.value.trim() && writing) {
        writing.checked = true;
        update();
      }
    });
  }
  update();
  // A picked file chooses its kind when none is chosen yet; text goes into the text box.
  return (file) => {
    if (chosen() || !file) return;
    const kind = kindOfFile(file);
    const radio = kind && choice.querySelector(`input[name="kind"][value="${kind}"]`);
    if (!radio) return;
    radio.checked = true;
    if (kind === "text" && file.size <= TEXT_LIMIT && text) {
      const area = text.querySelector("textarea");
      file.text().then((body) => {
        area.value = body;
        input.value = "";
        showChosen(form, null);
      });
    }
    update();
  };
}

// The file that will be sent: picked now, or kept by the server from the last try.
function showChosen(form, file) {
  const zone = form.querySelector("[data-dropzone]");
  const note = zone && zone.querySelector("[data-chosen]");
  if (!note) return;
  const staged = zone.querySelector("[data-staged]");
  if (file) {
    // A new file replaces the kept one.
    if (staged) staged.remove();
    delete zone.dataset.kept;
    note.querySelector("[data-chosen-name]").textContent = file.name;
    note.querySelector("[data-chosen-meta]").textContent = `(${formatSize(file.size)})`;
    note.querySelector("[data-chosen-note]").textContent = "";
    note.hidden = false;
  } else if (!staged) {
    note.hidden = true;
  }
  zone.dataset.file = file ? file.name : "";
}

function progressOf(form) {
  let progress = form.querySelector("[data-progress]");
  if (!progress) {
    progress = document.createElement("div");
    progress.className = "upload-progress";
    progress.dataset.progress = "";
    progress.hidden = true;
    progress.innerHTML = '<progress max="100" value="0" aria-label="Upload progress"></progress>'
      + '<span data-progress-text role="status">Uploading…</span>';
    const button = form.querySelector('button[type="submit"]');
    button.insertAdjacentElement("beforebegin", progress);
  }
  return progress;
}

function bindUploadForm(form) {
  const zone = form.querySelector("[data-dropzone]");
  const input = zone && zone.querySelector('input[type="file"]');
  const picked = bindKindChoice(form);
  if (zone && input) {
    zone.classList.add("dropzone-live");
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
      const file = input.files.length ? input.files[0] : null;
      const title = form.querySelector('input[name="title"]');
      if (title && !title.value && file) {
        title.value = file.name.replace(/\.[^.]+$/, "").replace(/[-_]+/g, " ");
      }
      showChosen(form, file);
      picked(file);
    });
  }
  form.addEventListener("submit", (event) => {
    if (!window.XMLHttpRequest || !window.FormData) return;
    event.preventDefault();
    const progress = progressOf(form);
    const bar = progress.querySelector("progress");
    const text = progress.querySelector("[data-progress-text]");
    const button = form.querySelector('button[type="submit"]');
    progress.hidden = false;
    button.disabled = true;
    const request = new XMLHttpRequest();
    request.open("POST", form.action || window.location.href);
    // Kept through the redirect: the server leaves the flash messages for the page we open.
    request.setRequestHeader("X-Upload-Form", "1");
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
      // The form came back with messages: show them in place (a file that passed its
      // checks comes back kept, so it is not sent again).
      const page = new DOMParser().parseFromString(request.responseText, "text/html");
      const fresh = page.getElementById(form.id);
      if (fresh) {
        form.replaceWith(fresh);
        bindUploadForm(fresh);
        document.dispatchEvent(new CustomEvent("riffhouse:form-replaced"));
        const first = fresh.querySelector(
          ".form-errors, .field-invalid input:not([type=hidden]), .field-invalid textarea, .field-invalid select",
        );
        if (first) {
          if (first.classList.contains("form-errors")) first.tabIndex = -1;
          first.focus();
        }
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
