// The released production's continuous player: the lineup plays in order as one show on a
// single timeline. Video and audio segments play from their in to their out point on two
// media "decks" (the next timed segment loads on the idle deck while this one plays, so
// segments follow each other without a gap); images and text cards show for their
// duration on a clock of our own. Removed segments are left out. Deep link: #segment-N
// starts there (the address follows the segment that plays). Keys: space/k play-pause,
// j/l and the arrows back/forward, n/p next/previous segment (decision record 0025).
// Without JavaScript the lineup lists every segment with the browser's own player.
(() => {
  const root = document.querySelector("[data-show]");
  const player = root && root.querySelector("[data-show-player]");
  const dataNode = document.getElementById("show-data");
  if (!root || !player || !dataNode) return;
  const lineup = JSON.parse(dataNode.textContent);
  const segments = lineup.filter((s) => !s.removed);
  if (!segments.length) return;

  const $ = (selector) => player.querySelector(selector);
  const stage = $("[data-stage]");
  const decks = [...player.querySelectorAll("[data-deck]")];
  const art = $("[data-stage-art]");
  const artImage = $("[data-art-image]");
  const artFallback = $("[data-art-fallback]");
  const artBackdrop = $("[data-art-backdrop]");
  const still = $("[data-stage-still]");
  const card = $("[data-stage-card]");
  const toggle = $("[data-toggle]");
  const bigPlay = $("[data-big-play]");
  const timeline = $("[data-timeline]");
  const chapters = new Map([...player.querySelectorAll("[data-chapter]")].map((el) => [Number(el.dataset.chapter), el]));
  const elapsed = $("[data-elapsed]");
  const now = $("[data-now]");
  const waiting = $("[data-waiting]");
  const live = $("[data-announce]");
  const caption = {
    number: $("[data-caption-number]"),
    title: $("[data-caption-title]"),
    by: $("[data-caption-by]"),
  };
  const list = root.querySelector("[data-segment-list]");
  const runtime = segments.reduce((sum, s) => sum + s.duration, 0);
  const cover = player.dataset.cover || "";
  const TIMED = { audio: true, video: true };

  let index = 0;      // the current segment (in `segments`)
  let offset = 0;     // ms into it: the clock of stills, the target of a timed seek
  let playing = false;
  let active = 0;     // the deck that plays the current timed segment
  let lastTick = 0;
  let userScrolled = false;
  let started = false;

  const segment = () => segments[index];
  const deck = () => decks[active];
  const idle = () => decks[1 - active];

  function formatTime(ms) {
    const total = Math.max(0, Math.floor((ms || 0) / 1000));
    const hours = Math.floor(total / 3600);
    const minutes = Math.floor((total % 3600) / 60);
    const secs = String(total % 60).padStart(2, "0");
    return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${secs}` : `${minutes}:${secs}`;
  }

  function announce(text) {
    // A fresh node each time, so the same words are read again.
    live.textContent = "";
    window.setTimeout(() => { live.textContent = text; }, 30);
  }

  // Media ---------------------------------------------------------------------------------
  function seekMedia(media, seconds) {
    const go = () => { try { media.currentTime = seconds; } catch (error) { /* not seekable yet */ } };
    if (media.readyState >= 1) go();
    else media.addEventListener("loadedmetadata", go, { once: true });
  }

  function cue(media, s, ms, preload) {
    if (media.dataset.src !== s.src) {
      media.dataset.src = s.src;
      media.preload = preload;
      media.src = s.src;
    }
    media.dataset.number = String(s.number);
    seekMedia(media, (s.in + ms) / 1000);
  }

  function preloadNext() {
    const next = segments.slice(index + 1).find((s) => TIMED[s.kind]);
    if (!next) return;
    const spare = idle();
    if (spare.dataset.src === next.src && Number(spare.dataset.number) === next.number) return;
    cue(spare, next, 0, "auto");
  }

  function position() {
    const s = segment();
    if (!TIMED[s.kind]) return offset;
    const media = deck();
    if (media.seeking || media.readyState < 1) return offset;
    return Math.min(s.duration, Math.max(0, media.currentTime * 1000 - s.in));
  }

  // What the stage shows ---------------------------------------------------------------------
  function segmentItem(s) { return list.querySelector(`[data-segment="${s.number}"]`); }

  function showStage(s) {
    stage.dataset.kind = s.kind;
    decks.forEach((media, i) => media.classList.toggle("is-active", s.kind === "video" && i === active));
    art.hidden = s.kind !== "audio";
    still.hidden = s.kind !== "image";
    card.hidden = s.kind !== "text";
    const item = segmentItem(s);
    if (s.kind === "audio") {
      const picture = s.art || cover;
      artImage.hidden = !picture;
      artFallback.hidden = Boolean(picture);
      if (picture) artImage.src = picture;
      artBackdrop.style.backgroundImage = picture ? `url("${picture}")` : "";
    } else if (s.kind === "image") {
      const picture = item && item.querySelector("[data-segment-media] picture");
      still.replaceChildren(picture ? picture.cloneNode(true) : "");
      still.querySelectorAll("img").forEach((img) => { img.loading = "eager"; img.removeAttribute("style"); });
      still.style.setProperty("--still-ms", `${s.duration}ms`);
    } else if (s.kind === "text") {
      const body = item && item.querySelector(".segment-card");
      card.replaceChildren(body ? body.cloneNode(true) : "");
      card.scrollTop = 0;
      userScrolled = false;
    }
    caption.number.textContent = `${s.number} of ${lineup.length}`;
    caption.title.textContent = s.title;
    caption.by.textContent = s.author;
    now.textContent = `${s.number}. ${s.title} — ${s.author}`;
    list.querySelectorAll("[data-jump]").forEach((link) => {
      if (Number(link.dataset.jump) === s.number) link.setAttribute("aria-current", "true");
      else link.removeAttribute("aria-current");
    });
    list.querySelectorAll(".segment.is-current").forEach((el) => el.classList.remove("is-current"));
    if (item) item.classList.add("is-current");
  }

  function stillAnimation() {
    // The slow drift of a picture follows the clock: restarted at its offset, paused with it.
    const img = still.querySelector("img");
    if (!img) return;
    img.style.animation = "none";
    void img.offsetWidth;
    img.style.animation = "";
    img.style.animationDelay = `-${offset}ms`;
  }

  function render() {
    const s = segment();
    const at = position();
    const total = s.start + at;
    elapsed.textContent = formatTime(total);
    timeline.setAttribute("aria-valuenow", String(Math.round(total / 1000)));
    timeline.setAttribute("aria-valuetext", `${formatTime(total)} of ${formatTime(runtime)}, segment ${s.number}: ${s.title}`);
    segments.forEach((other, i) => {
      const fill = chapters.get(other.number)?.firstElementChild;
      if (!fill) return;
      const part = i < index ? 1 : i > index ? 0 : Math.min(1, at / other.duration);
      fill.style.transform = `scaleX(${part})`;
    });
    player.classList.toggle("is-captioned", !playing || at < 4000 || s.kind === "audio");
    if (s.kind === "text" && !userScrolled) {
      const room = card.scrollHeight - card.clientHeight;
      if (room > 0) card.scrollTop = Math.max(0, (at / s.duration) * room * 1.1 - room * 0.05);
    }
  }

  function setPlaying(value) {
    playing = value;
    toggle.setAttribute("aria-pressed", value ? "true" : "false");
    toggle.setAttribute("aria-label", value ? "Pause" : "Play");
    bigPlay.hidden = value;
    player.classList.toggle("is-playing", value);
    player.classList.toggle("is-paused", !value);
  }

  // Moving through the show ------------------------------------------------------------------
  function enter(i, ms, { announceIt = true, address = true } = {}) {
    const before = segment();
    const s = segments[i];
    index = i;
    offset = Math.max(0, Math.min(ms, s.duration - 1));
    if (TIMED[s.kind]) {
      // The preloaded deck if it holds this file, else the one that played last.
      if (idle().dataset.src === s.src && deck().dataset.src !== s.src) active = 1 - active;
      decks.forEach((media, n) => { if (n !== active && !media.paused) media.pause(); });
      cue(deck(), s, offset, "auto");
      if (playing) play();
    } else {
      decks.forEach((media) => { if (!media.paused) media.pause(); });
      lastTick = performance.now();
    }
    showStage(s);
    if (s.kind === "image") stillAnimation();
    preloadNext();
    render();
    if (address && started) history.replaceState(null, "", `#segment-${s.number}`);
    if (announceIt && (before !== s || !playing)) announce(`Segment ${s.number} of ${lineup.length}: ${s.title}, by ${s.author}`);
  }

  function play() {
    started = true;
    setPlaying(true);
    const s = segment();
    lastTick = performance.now();
    if (TIMED[s.kind]) {
      const media = deck();
      const result = media.play();
      if (result && result.catch) {
        result.catch((error) => {
          if (error && error.name === "NotAllowedError") { setPlaying(false); announce("Press play to start."); }
        });
      }
    }
    loop();
  }

  function pause() {
    offset = position();
    setPlaying(false);
    decks.forEach((media) => { if (!media.paused) media.pause(); });
    render();
  }

  function advance() {
    if (index < segments.length - 1) {
      enter(index + 1, 0);
    } else {
      pause();
      offset = segment().duration;
      render();
      announce("The end. Thanks for watching.");
    }
  }

  function tick() {
    if (!playing) return;
    const s = segment();
    const t = performance.now();
    if (!TIMED[s.kind]) {
      offset += t - lastTick;
      lastTick = t;
      if (offset >= s.duration) { advance(); return; }
    } else {
      const media = deck();
      if (!media.seeking && media.readyState >= 1 && media.currentTime * 1000 >= s.in + s.duration - 40) {
        advance();
        return;
      }
    }
    render();
  }

  let looping = false;
  function loop() {
    if (looping) return;
    looping = true;
    const frame = () => {
      if (!playing) { looping = false; return; }
      tick();
      window.requestAnimationFrame(frame);
    };
    window.requestAnimationFrame(frame);
  }
  // Background tabs get no animation frames: a slower clock keeps the show moving.
  window.setInterval(tick, 500);

  function seekTo(ms) {
    const target = Math.max(0, Math.min(ms, runtime - 1));
    let i = segments.findIndex((s) => target < s.start + s.duration);
    if (i < 0) i = segments.length - 1;
    enter(i, target - segments[i].start, { announceIt: i !== index });
  }

  function seekBy(ms) {
    seekTo(segment().start + position() + ms);
    announce(`${ms < 0 ? "Back" : "Forward"} ${Math.abs(ms) / 1000} seconds, ${formatTime(segment().start + position())}`);
  }

  function togglePlay() {
    if (playing) { pause(); announce("Paused"); } else {
      if (index === segments.length - 1 && position() >= segment().duration - 1) enter(0, 0, { announceIt: false });
      play();
      announce("Playing");
    }
  }

  function jump(number) {
    let i = segments.findIndex((s) => s.number >= number);
    if (i < 0) i = segments.length - 1;
    started = true;
    enter(i, 0);
  }

  // Wiring ------------------------------------------------------------------------------------
  decks.forEach((media) => {
    media.addEventListener("timeupdate", () => { if (media === deck()) tick(); });
    media.addEventListener("ended", () => { if (media === deck() && playing && TIMED[segment().kind]) advance(); });
    media.addEventListener("waiting", () => { if (media === deck()) waiting.hidden = false; });
    ["playing", "seeked", "canplay"].forEach((name) => media.addEventListener(name, () => {
      if (media === deck()) { waiting.hidden = true; render(); }
    }));
    media.addEventListener("error", () => {
      if (media !== deck() || !TIMED[segment().kind] || media.dataset.src !== segment().src) return;
      announce(`Segment ${segment().number} could not be played.`);
      if (playing) advance();
    });
  });

  toggle.addEventListener("click", togglePlay);
  bigPlay.addEventListener("click", togglePlay);
  $("[data-prev]").addEventListener("click", () => {
    // As players do: back to this segment's start, or to the one before when near it.
    if (position() > 3000 || index === 0) enter(index, 0); else enter(index - 1, 0);
  });
  $("[data-next]").addEventListener("click", () => { if (index < segments.length - 1) enter(index + 1, 0); });
  [still, art].forEach((layer) => layer.addEventListener("click", togglePlay));
  decks.forEach((media) => media.addEventListener("click", togglePlay));
  ["wheel", "touchmove", "keydown"].forEach((name) => card.addEventListener(name, () => { userScrolled = true; }, { passive: true }));

  // The timeline: a slider over the whole show, its chapters the segments.
  function seekToPointer(event) {
    for (const s of segments) {
      const box = chapters.get(s.number).getBoundingClientRect();
      if (event.clientX <= box.right || s === segments[segments.length - 1]) {
        const part = Math.min(1, Math.max(0, (event.clientX - box.left) / box.width));
        seekTo(s.start + part * s.duration);
        return;
      }
    }
  }
  timeline.addEventListener("pointerdown", (event) => {
    timeline.setPointerCapture(event.pointerId);
    timeline.dataset.dragging = "true";
    seekToPointer(event);
  });
  timeline.addEventListener("pointermove", (event) => { if (timeline.dataset.dragging) seekToPointer(event); });
  ["pointerup", "pointercancel"].forEach((name) => timeline.addEventListener(name, () => { delete timeline.dataset.dragging; }));
  timeline.addEventListener("keydown", (event) => {
    const steps = { ArrowRight: 5000, ArrowUp: 5000, ArrowLeft: -5000, ArrowDown: -5000, PageUp: 30000, PageDown: -30000 };
    if (event.key in steps) seekBy(steps[event.key]);
    else if (event.key === "Home") seekTo(0);
    else if (event.key === "End") seekTo(runtime - 1);
    else return;
    event.preventDefault();
    event.stopPropagation();
  });

  // The lineup: each segment's link jumps there (a removed one says why it cannot).
  list.addEventListener("click", (event) => {
    const link = event.target.closest("[data-jump]");
    if (!link) return;
    event.preventDefault();
    const number = Number(link.dataset.jump);
    if (link.getAttribute("aria-disabled") === "true") {
      announce(`Segment ${number} was removed by its author.`);
      return;
    }
    jump(number);
    if (window.matchMedia("(max-width: 900px)").matches) player.scrollIntoView({ block: "start", behavior: "smooth" });
  });

  // Keys, anywhere on the page but in a field (and never with a modifier).
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target.closest && target.closest("input, textarea, select, [contenteditable=''], [contenteditable=true]")) return;
    const onControl = target.closest && target.closest("button, a, summary, [role=slider]");
    const key = event.key;
    if ((key === " " && !onControl) || key === "k" || key === "K") togglePlay();
    else if (key === "j" || key === "J") seekBy(-10000);
    else if (key === "l" || key === "L") seekBy(10000);
    else if (key === "ArrowLeft" && !onControl) seekBy(-5000);
    else if (key === "ArrowRight" && !onControl) seekBy(5000);
    else if (key === "n" || key === "N") { if (index < segments.length - 1) enter(index + 1, 0); }
    else if (key === "p" || key === "P") enter(index > 0 ? index - 1 : 0, 0);
    else return;
    started = true;
    event.preventDefault();
  });

  function fromAddress() {
    const match = /^#segment-(\d+)$/.exec(window.location.hash);
    return match ? Number(match[1]) : null;
  }
  window.addEventListener("hashchange", () => {
    const number = fromAddress();
    if (number !== null) jump(number);
  });

  // Start: the page shows the player; the lineup becomes its chapter list.
  player.hidden = false;
  root.classList.add("is-live");
  const first = fromAddress();
  setPlaying(false);
  if (first !== null) {
    let i = segments.findIndex((s) => s.number >= first);
    if (i < 0) i = segments.length - 1;
    enter(i, 0, { address: false });
    started = true;
    player.scrollIntoView({ block: "start" });
  } else {
    enter(0, 0, { announceIt: false, address: false });
  }
})();
