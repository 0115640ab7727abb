// The curation board: after a card is swapped in place (htmx), keep the keyboard where it
// was — on the same button if the card still has it, else on the card's first action (or the
// card itself, which announces its new status).
(() => {
  let last = null;
  document.addEventListener("htmx:beforeRequest", (event) => {
    const card = event.target.closest && event.target.closest(".sub-card");
    last = card ? { card: card.id, button: document.activeElement && document.activeElement.id } : null;
  });
  document.addEventListener("htmx:afterSettle", () => {
    if (!last) return;
    const card = document.getElementById(last.card);
    if (!card) return;
    const same = last.button && document.getElementById(last.button);
    const target = (same && card.contains(same) && same) || card.querySelector(".sub-actions button, .sub-actions summary") || card;
    target.focus();
    last = null;
  });
})();
