// Records: drag-and-drop uploads with a progress bar, and the waveform player.
// Without JavaScript the upload form posts normally and audio uses the browser's player.

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
