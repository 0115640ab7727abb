// The lineup editor (productions/lineup.html): drag and drop with SortableJS, Move up / Move
// down buttons that keep focus and say where the card went, add and remove in place, and
// the total runtime recomputed from the inputs as they change. Without this script the same
// buttons post the form and the server rearranges the page (views_lineup.py).
(function () {
  "use strict";

  const form = document.querySelector("[data-lineup-form]");
  if (!form) return;
  const list = form.querySelector("[data-lineup]");
  const announcer = form.querySelector("[data-announce]");
  const emptyNote = form.querySelector("[data-lineup-empty]");
  const availableEmpty = form.querySelector("[data-available-empty]");

  // "1:05.5", "65.5", "1:02:09" -> milliseconds; "" -> null; NaN when unreadable.
  function parseClock(text) {
    const value = text.trim();
    if (!value) return null;
    const match = /^(?:(?:(\d+):)?(\d{1,2}):)?(\d+(?:[.,]\d*)?)$/.exec(value);
    if (!match) return NaN;
    const seconds = parseFloat(match[3].replace(",", "."));
    if (match[2] !== undefined && seconds >= 60) return NaN;
    const hours = parseInt(match[1] || "0", 10);
    const minutes = parseInt(match[2] || "0", 10);
    return Math.round((hours * 3600 + minutes * 60 + seconds) * 1000);
  }

  function clock(ms) {
    const tenths = Math.round(ms / 100);
    const tenth = tenths % 10;
    let seconds = Math.floor(tenths / 10);
    const hours = Math.floor(seconds / 3600);
    seconds -= hours * 3600;
    const minutes = Math.floor(seconds / 60);
    seconds -= minutes * 60;
    const ss = String(seconds).padStart(2, "0");
    if (hours) return hours + ":" + String(minutes).padStart(2, "0") + ":" + ss + "." + tenth;
    return minutes + ":" + ss + "." + tenth;
  }

  function cards() {
    return Array.from(list.querySelectorAll(":scope > [data-segment]"));
  }

  function runtimeOf(card) {
    const media = parseInt(card.dataset.mediaMs || "0", 10) || 0;
    if (card.dataset.timed) {
      const start = parseClock(card.querySelector('[data-time="in"]').value);
      const end = parseClock(card.querySelector('[data-time="out"]').value);
      if (Number.isNaN(start) || Number.isNaN(end)) return 0;
      return Math.max(0, (end === null ? media : end) - (start || 0));
    }
    const shown = parseClock(card.querySelector('[data-time="duration"]').value);
    if (Number.isNaN(shown)) return 0;
    return shown === null ? parseInt(card.dataset.defaultMs || "0", 10) || 0 : shown;
  }

  function refresh() {
    const all = cards();
    let total = 0;
    all.forEach(function (card, index) {
      card.querySelector("[data-number]").textContent = String(index + 1);
      card.querySelector('[data-move="up"]').value = "up:" + index;
      card.querySelector('[data-move="down"]').value = "down:" + index;
      card.querySelector("[data-remove]").value = "remove:" + index;
      total += runtimeOf(card);
    });
    form.querySelectorAll("[data-runtime]").forEach(function (el) {
      el.textContent = clock(total);
    });
    const count = form.querySelector("[data-count]");
    if (count) count.textContent = String(all.length);
    if (emptyNote) emptyNote.hidden = all.length > 0;
    // A piece in the lineup leaves the list of pieces to add.
    const used = new Set(all.map(function (card) { return card.dataset.key; }));
    let left = 0;
    form.querySelectorAll("[data-available-item]").forEach(function (item) {
      item.hidden = used.has(item.dataset.availableItem);
      if (!item.hidden) left += 1;
    });
    if (availableEmpty) availableEmpty.hidden = left > 0;
  }

  function titleOf(card) {
    return card.querySelector("[data-segment-title]").textContent.trim();
  }

  function announce(text) {
    // Cleared first so that the same words twice are read twice.
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 50);
  }

  function announcePlace(card) {
    const all = cards();
    announce("“" + titleOf(card) + "” is now " + (all.indexOf(card) + 1) + " of " + all.length + ".");
  }

  function move(card, direction, button) {
    const other = direction === "up" ? card.previousElementSibling : card.nextElementSibling;
    if (!other) {
      announce("“" + titleOf(card) + "” is already " + (direction === "up" ? "first." : "last."));
      return;
    }
    if (direction === "up") list.insertBefore(card, other);
    else list.insertBefore(other, card);
    refresh();
    // Focus stays on the button pressed; at an end it moves to the one still useful.
    const atEnd = direction === "up" ? !card.previousElementSibling : !card.nextElementSibling;
    const target = atEnd ? card.querySelector('[data-move="' + (direction === "up" ? "down" : "up") + '"]') : button;
    target.focus();
    announcePlace(card);
  }

  function addCard(key) {
    const template = form.querySelector('template[data-card-template="' + CSS.escape(key) + '"]');
    if (!template) return;
    const card = template.content.firstElementChild.cloneNode(true);
    list.appendChild(card);
    refresh();
    card.querySelector("input[type=text]").focus();
    announce("“" + titleOf(card) + "” added as " + cards().length + " of " + cards().length + ".");
  }

  function removeCard(card) {
    const next = card.nextElementSibling || card.previousElementSibling;
    const title = titleOf(card);
    card.remove();
    refresh();
    const focusTarget = next ? next.querySelector("[data-remove]") : form.querySelector("[data-available] button:not([hidden])");
    if (focusTarget) focusTarget.focus();
    announce("“" + title + "” removed from the lineup.");
  }

  form.addEventListener("click", function (event) {
    const button = event.target.closest("button");
    if (!button || !form.contains(button)) return;
    const card = button.closest("[data-segment]");
    if (button.dataset.move && card) {
      event.preventDefault();
      move(card, button.dataset.move, button);
    } else if (button.hasAttribute("data-remove") && card) {
      event.preventDefault();
      removeCard(card);
    } else if (button.dataset.add) {
      event.preventDefault();
      addCard(button.dataset.add);
    } else if (button.hasAttribute("data-add-link")) {
      event.preventDefault();
      const select = form.querySelector("[data-link-select]");
      if (select && select.value) addCard("link-" + select.value);
    }
  });

  form.addEventListener("input", function (event) {
    if (event.target.matches("[data-time]")) refresh();
  });

  // Drag and drop, by the handle (the rest of the card stays free for typing and selecting).
  if (window.Sortable) {
    window.Sortable.create(list, {
      handle: "[data-handle]",
      animation: 150,
      ghostClass: "segment-ghost",
      chosenClass: "segment-chosen",
      onEnd: function (event) {
        refresh();
        if (event.oldIndex !== event.newIndex) announcePlace(event.item);
      },
    });
  }
  form.classList.add("lineup-enhanced");
  refresh();
})();
