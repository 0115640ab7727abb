// Records: drag-and-drop uploads with a progress bar, and the waveform player.
// Without JavaScript the upload form posts normally and audio uses the browser's player.

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

function drawWaveform(canvas, audio) {
  const peaks = (canvas.dataset.peaks || "").split(",").filter(Boolean).map(Number);
  if (!peaks.length) return;
  const styles = getComputedStyle(canvas);
  const played = styles.getPropertyValue("--wave-played").trim() || "#6b3fd4";
  const rest = styles.getPropertyValue("--wave-rest").trim() || "#cfc6e8";
  const render = () => {
    const width = canvas.clientWidth * devicePixelRatio;
    const height = canvas.clientHeight * devicePixelRatio;
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext("2d");
    const step = width / peaks.length;
    const position = audio.duration ? audio.currentTime / audio.duration : 0;
    peaks.forEach((peak, i) => {
      const bar = Math.max(2, peak * height * 0.95);
      context.fillStyle = i / peaks.length < position ? played : rest;
      context.fillRect(i * step, (height - bar) / 2, Math.max(1, step * 0.7), bar);
    });
  };
  render();
  ["timeupdate", "loadedmetadata", "seeked"].forEach((name) => audio.addEventListener(name, render));
  window.addEventListener("resize", render);
  canvas.addEventListener("click", (event) => {
    if (!audio.duration) return;
    const box = canvas.getBoundingClientRect();
    audio.currentTime = ((event.clientX - box.left) / box.width) * audio.duration;
    audio.play();
  });
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-upload-form]").forEach(bindUploadForm);
  document.querySelectorAll("[data-audio-player]").forEach((player) => {
    drawWaveform(player.querySelector("canvas"), player.querySelector("audio"));
  });
});
