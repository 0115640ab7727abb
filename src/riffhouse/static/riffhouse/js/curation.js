// The curation board: after a move, keep the keyboard where it was — on the same button if the
// card still has it, else on the card's first action (or the card itself, which announces its
// new status). A card that stays in its column is swapped in place (htmx:afterSettle); one
// that moves arrives out of band at the top of its new column (htmx:oobAfterSwap, fired on
// the column) while its old self is deleted.
(() => {
  let last = null;
  const focusIn = (card) => {
    const same = last.button && document.getElementById(last.button);
    const target = (same && card.contains(same) && same) || card.querySelector(".sub-actions button, .sub-actions summary") || card;
    target.focus();
    last = null;
  };
  document.addEventListener("htmx:beforeRequest", (event) => {
    const card = event.target.closest && event.target.closest(".sub-card");
    last = card ? { card: card.id, button: document.activeElement && document.activeElement.id } : null;
  });
  document.addEventListener("htmx:oobAfterSwap", (event) => {
    if (!last) return;
    const column = event.detail && event.detail.target;
    const card = column && column.querySelector && column.querySelector(`#${CSS.escape(last.card)}`);
    if (card) focusIn(card);
  });
  document.addEventListener("htmx:afterSettle", () => {
    if (!last) return;
    const card = document.getElementById(last.card);
    if (card) focusIn(card);
  });
})();
