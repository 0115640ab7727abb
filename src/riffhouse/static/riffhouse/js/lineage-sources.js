// The sources of a remix: "Add another source" appends a row from the formset's template.
// Without JavaScript the form still has one empty row to fill in. The upload form may be
// replaced in place after an error (records.js), so clicks are handled by delegation.
function revealAddSource() {
  document.querySelectorAll("[data-add-source]").forEach((button) => { button.hidden = false; });
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-add-source]");
  if (!button) return;
  const fieldset = button.closest("[data-sources]");
  const template = fieldset.querySelector("[data-source-template]");
  const rows = fieldset.querySelector("[data-source-rows]");
  const total = fieldset.querySelector('input[name$="-TOTAL_FORMS"]');
  const max = fieldset.querySelector('input[name$="-MAX_NUM_FORMS"]');
  const index = Number(total.value);
  if (max && index >= Number(max.value)) {
    button.disabled = true;
    return;
  }
  rows.insertAdjacentHTML("beforeend", template.innerHTML.replaceAll("__prefix__", String(index)));
  total.value = String(index + 1);
  const input = rows.lastElementChild.querySelector('input[name$="-record"]');
  if (input) input.focus();
});

revealAddSource();
document.addEventListener("riffhouse:form-replaced", revealAddSource);
