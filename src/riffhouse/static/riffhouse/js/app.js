// Small progressive enhancements; every page works without this file.
document.addEventListener("click", (event) => {
  const target = event.target.closest("[data-copy]");
  if (!target || !navigator.clipboard) return;
  navigator.clipboard.writeText(target.textContent.trim()).then(() => {
    target.dataset.copied = "true";
    target.setAttribute("aria-label", "Copied");
  });
});
