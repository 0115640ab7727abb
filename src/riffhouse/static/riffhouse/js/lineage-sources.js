// The sources of a remix: the source picker. Typing in "Add a source" asks the server for
// records by title or author (htmx, on the input itself); choosing a result adds its card
// (a row of the formset, from the <template> the result carries); "Remove" takes the card,
// and so the row, out of the form. Each change asks the server for the licences the chosen
// sources allow and swaps in the licence field. Without JavaScript the picker stays hidden
// and the form has a row to type a record's number or address into.
// The upload form may be replaced in place after an error (records.js): events are handled
// by delegation and the new form is handed to htmx again.

function sourcesFieldset(element) {
  return element.closest("[data-sources]");
}

function chosenIds(fieldset) {
  return [...fieldset.querySelectorAll("[data-source-card] [data-source-id]")].map((i) => i.value);
}

function announce(fieldset, text) {
  const region = fieldset.querySelector("[data-source-announce]");
  if (region) region.textContent = text;
}

function reveal() {
  document.querySelectorAll("[data-source-picker], [data-remove-source]").forEach((e) => {
    e.hidden = false;
  });
}

function licencesUpdate(fieldset) {
  const select = fieldset.form && fieldset.form.querySelector('select[name="licence"]');
  const field = select && select.closest(".field");
  if (!field || !window.htmx) return;
  const params = new URLSearchParams();
  chosenIds(fieldset).forEach((id) => params.append("source", id));
  // The member's own choice is kept while the sources allow it; otherwise the proposed one.
  if (fieldset.dataset.licenceChosen) params.append("licence", select.value);
  htmx
    .ajax("GET", `${fieldset.dataset.licenceUrl}?${params}`, { target: field, swap: "outerHTML" })
    .then(() => {
      // Say what changed after the source was added or removed.
      const help = document.getElementById("id_licence_helptext");
      if (help) announce(fieldset, `${fieldset.querySelector("[data-source-announce]").textContent} ${help.textContent}`);
    });
}

function searchReset(fieldset) {
  const input = fieldset.querySelector("#source-search");
  const results = fieldset.querySelector("#source-results");
  const count = fieldset.querySelector("#source-results-count");
  if (input) input.value = "";
  if (results) results.replaceChildren();
  if (count) count.textContent = "";
  return input;
}

function sourceChoose(button) {
  const fieldset = sourcesFieldset(button);
  const template = button.parentElement.querySelector("[data-source-card-template]");
  const total = fieldset.querySelector('input[name$="-TOTAL_FORMS"]');
  const max = fieldset.querySelector('input[name$="-MAX_NUM_FORMS"]');
  if (!template || !total) return;
  if (max && chosenIds(fieldset).length >= Number(max.value)) {
    announce(fieldset, `A record can have at most ${max.value} sources.`);
    return;
  }
  const index = Number(total.value);
  const rows = fieldset.querySelector("[data-source-rows]");
  rows.insertAdjacentHTML("beforeend", template.innerHTML.replaceAll("__prefix__", String(index)));
  total.value = String(index + 1);
  const card = rows.lastElementChild;
  card.querySelectorAll("[data-remove-source]").forEach((e) => { e.hidden = false; });
  searchReset(fieldset);
  announce(fieldset, `Added “${button.dataset.title}” to your sources.`);
  const usage = card.querySelector('input[name$="-usage"]');
  if (usage) usage.focus();
  licencesUpdate(fieldset);
}

function sourceRemove(button) {
  const fieldset = sourcesFieldset(button);
  const card = button.closest("[data-source-card]");
  const title = card.querySelector(".source-card-title");
  card.remove();
  announce(fieldset, `Removed “${title ? title.textContent : "the source"}”.`);
  const input = fieldset.querySelector("#source-search");
  if (input) input.focus();
  licencesUpdate(fieldset);
}

document.addEventListener("click", (event) => {
  const choose = event.target.closest("[data-choose-source]");
  if (choose) {
    sourceChoose(choose);
    return;
  }
  const remove = event.target.closest("[data-remove-source]");
  if (remove) sourceRemove(remove);
});

document.addEventListener("change", (event) => {
  if (event.target.name !== "licence" || !event.target.form) return;
  const fieldset = event.target.form.querySelector("[data-sources]");
  if (fieldset) fieldset.dataset.licenceChosen = "1";
});

// Arrow keys move between the search box and the results; Escape goes back to the box; Enter
// in the box never submits the whole form.
document.addEventListener("keydown", (event) => {
  const fieldset = event.target.closest && event.target.closest("[data-sources]");
  if (!fieldset) return;
  const input = fieldset.querySelector("#source-search");
  const results = [...fieldset.querySelectorAll("[data-choose-source]")];
  const onInput = event.target === input;
  const at = results.indexOf(event.target);
  if (onInput && event.key === "Enter") {
    event.preventDefault();
    if (results.length) results[0].focus();
  } else if (event.key === "ArrowDown" && (onInput || at >= 0) && results.length) {
    event.preventDefault();
    results[Math.min(at + 1, results.length - 1)].focus();
  } else if (event.key === "ArrowUp" && at >= 0) {
    event.preventDefault();
    (at === 0 ? input : results[at - 1]).focus();
  } else if (event.key === "Escape" && at >= 0) {
    input.focus();
  }
});

// The search says which records are chosen already: the server marks them.
document.addEventListener("htmx:configRequest", (event) => {
  const input = event.detail.elt;
  if (!input || input.id !== "source-search") return;
  chosenIds(sourcesFieldset(input)).forEach((id) => {
    const params = event.detail.parameters;
    if (params instanceof FormData) params.append("chosen", id);
    else params.chosen = [].concat(params.chosen || [], id);
  });
});

reveal();
document.addEventListener("riffhouse:form-replaced", () => {
  reveal();
  const form = document.querySelector("[data-sources]");
  if (form && window.htmx) htmx.process(form);
});
