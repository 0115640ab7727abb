// Small progressive enhancements; every page works without this file.

// A token (or anything marked data-copy) gets a "Copy" button; clicking the value copies too.
function copyText(source, button) {
  if (!navigator.clipboard) return;
  navigator.clipboard.writeText(source.textContent.trim()).then(() => {
    source.dataset.copied = "true";
    if (button) {
      button.dataset.copied = "true";
      button.textContent = "Copied";
      window.setTimeout(() => {
        delete button.dataset.copied;
        button.textContent = "Copy";
      }, 2500);
    }
  });
}

document.addEventListener("DOMContentLoaded", () => {
  if (!navigator.clipboard) return;
  document.querySelectorAll("[data-copy]").forEach((source) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button button-small button-quiet copy-button";
    button.textContent = "Copy";
    button.setAttribute("aria-live", "polite");
    button.addEventListener("click", () => copyText(source, button));
    source.insertAdjacentElement("afterend", button);
  });
});

document.addEventListener("click", (event) => {
  const source = event.target.closest("[data-copy]");
  if (!source) return;
  const button = source.nextElementSibling;
  copyText(source, button && button.classList.contains("copy-button") ? button : null);
});

// The phone's menu (a <details> in the header) closes on Escape, giving focus back to its
// button, and when a click lands outside it.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  document.querySelectorAll("details[data-nav-menu][open]").forEach((menu) => {
    menu.open = false;
    menu.querySelector("summary").focus();
  });
});
document.addEventListener("click", (event) => {
  document.querySelectorAll("details[data-nav-menu][open]").forEach((menu) => {
    if (!menu.contains(event.target)) menu.open = false;
  });
});

// The header's unread badge polls (htmx `every 30s`); a hidden tab skips the polls and asks
// once when it is shown again. (htmx's own trigger filter needs eval, which the CSP forbids.)
document.addEventListener("htmx:beforeRequest", (event) => {
  if (event.target.id === "notification-badge" && document.visibilityState === "hidden") {
    event.preventDefault();
  }
});
document.addEventListener("visibilitychange", () => {
  const badge = document.getElementById("notification-badge");
  if (badge && document.visibilityState === "visible" && window.htmx) {
    window.htmx.trigger(badge, "badge-refresh");
  }
});
