// Comments (templates/community/comments/_section.html): after htmx puts a new, edited or
// deleted comment in place, focus moves to it and the section's live region says what
// happened; a posted form empties; a collapsed comment shown in place takes the focus. Also
// a "Comments" link on each segment of a released production's lineup (the cached lineup
// stays the same for everyone; without JavaScript the section's segment chooser does the
// same). Every form works without this file.
(() => {
  const status = () => document.querySelector("[data-comments-status]");

  function announce(text) {
    const region = status();
    if (!region) return;
    region.textContent = "";
    window.setTimeout(() => { region.textContent = text; }, 50);
  }

  document.addEventListener("htmx:afterSettle", (event) => {
    const target = event.detail.elt;
    if (!target || !target.closest || !target.closest("[data-comments]")) return;
    const fresh = document.querySelector("[data-comment-new]");
    if (fresh) {
      fresh.removeAttribute("data-comment-new");
      fresh.focus();
      const state = fresh.classList.contains("is-deleted") ? "Comment deleted." : "Comment saved.";
      announce(state);
      const empty = document.querySelector("[data-comments-empty]");
      if (empty) empty.remove();
      return;
    }
    const field = document.querySelector("[data-comments] [data-autofocus]");
    if (field) {
      field.removeAttribute("data-autofocus");
      field.focus();
      return;
    }
    const alert = document.querySelector("[data-comments] .error[role=alert]");
    if (alert) {
      const input = alert.closest("form") && alert.closest("form").querySelector("textarea");
      if (input) input.focus();
    }
  });

  // A comment from a member you blocked, shown (or collapsed again) in place: the link that
  // asked is gone, so the focus goes to the comment.
  document.addEventListener("htmx:afterSettle", (event) => {
    const config = event.detail.requestConfig;
    const asked = config && config.elt;
    const comment = event.detail.elt;
    if (!asked || !asked.matches || !asked.matches("[data-comment-toggle]")) return;
    if (comment && comment.matches && comment.matches("article.comment")) comment.focus();
  });

  // A form whose comment was saved (no retargeting to show a refusal) empties and closes.
  document.addEventListener("htmx:afterRequest", (event) => {
    const form = event.detail.elt;
    if (!form || !form.matches || !form.matches("[data-comment-form]")) return;
    const xhr = event.detail.xhr;
    if (!event.detail.successful || (xhr && xhr.getResponseHeader("HX-Retarget"))) return;
    form.reset();
    const details = form.closest("details");
    if (details) details.open = false;
  });

  // The section just arrived (it replaces the page's placeholder): a permalink's comment
  // (the page's #comment-N) is in it now, so go there.
  document.addEventListener("htmx:afterSettle", (event) => {
    const section = event.detail.elt;
    if (!section || section.id !== "comments" || !location.hash.startsWith("#comment-")) return;
    const target = document.getElementById(location.hash.slice(1));
    if (target) {
      target.scrollIntoView({ block: "center" });
      target.focus({ preventScroll: true });
    }
  });

  // A "Comments" link per segment of the released lineup.
  document.addEventListener("DOMContentLoaded", () => {
    const placeholder = document.querySelector("[data-segment-comments]");
    if (!placeholder) return;
    const base = placeholder.dataset.segmentComments;
    document.querySelectorAll("[data-segment-list] li[data-segment]").forEach((item) => {
      const number = item.dataset.segment;
      const link = document.createElement("a");
      link.className = "segment-comments-link";
      link.href = `${base}${encodeURIComponent(number)}#comments`;
      link.textContent = "Comments";
      link.setAttribute("aria-label", `Comments on segment ${number}`);
      item.appendChild(link);
    });
  });
})();
