// On a phone (or any window where the sidebar is not beside the text) the sidebar becomes a
// sheet over the bottom of the screen, opened by a fixed "Annotations (N)" button instead of
// sitting a long scroll below the article. The sheet is a modal dialog while open: focus moves
// into it and stays there, Escape, the close button or a tap outside closes it and focus goes
// back to the button. On wide screens it is nothing (display: contents) and the sidebar is
// the margin column. Without JavaScript the sidebar stays below the article.

import { h } from "./dom.js";

const NARROW = "(max-width: 62rem)";
const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

export function createSheet({ sidebar }) {
  const narrow = window.matchMedia(NARROW);
  const sheet = h("div", { class: "sheet", id: "annotation-sheet" });
  const close = h(
    "button",
    { type: "button", class: "sheet__close", "aria-label": "Close the annotations", title: "Close (Esc)" },
    h("span", { "aria-hidden": "true" }, "×"),
  );
  const bar = h("div", { class: "sheet__bar" }, h("span", { class: "sheet__grip", "aria-hidden": "true" }), close);
  const backdrop = h("div", { class: "sheet__backdrop", hidden: true });
  const label = h("span", { class: "sheet-toggle__label" });
  const toggle = h(
    "button",
    {
      type: "button",
      class: "sheet-toggle",
      "aria-expanded": "false",
      "aria-controls": sheet.id,
      "aria-haspopup": "dialog",
    },
    label,
  );
  sidebar.before(sheet);
  sheet.append(bar, sidebar);
  document.body.append(backdrop, toggle);

  const isOpen = () => sheet.classList.contains("is-open");

  function count() {
    const heading = sidebar.querySelector("#sidebar-heading");
    const text = heading ? heading.textContent.replace(/\s+/g, " ").trim() : "Annotations";
    label.textContent = text;
  }

  function setRoles() {
    if (narrow.matches) {
      sheet.setAttribute("role", "dialog");
      sheet.setAttribute("aria-modal", "true");
      sheet.setAttribute("aria-labelledby", "sidebar-heading");
    } else {
      for (const name of ["role", "aria-modal", "aria-labelledby"]) sheet.removeAttribute(name);
    }
  }

  function open() {
    if (!narrow.matches || isOpen()) return;
    sheet.classList.add("is-open");
    backdrop.hidden = false;
    toggle.setAttribute("aria-expanded", "true");
    document.documentElement.classList.add("sheet-open");
    const heading = sidebar.querySelector("#sidebar-heading");
    if (heading) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    } else {
      close.focus();
    }
  }

  function hide({ restoreFocus = true } = {}) {
    if (!isOpen()) return;
    const hadFocus = sheet.contains(document.activeElement);
    sheet.classList.remove("is-open");
    backdrop.hidden = true;
    toggle.setAttribute("aria-expanded", "false");
    document.documentElement.classList.remove("sheet-open");
    if (restoreFocus && (hadFocus || document.activeElement === document.body)) toggle.focus();
  }

  toggle.addEventListener("click", () => (isOpen() ? hide() : open()));
  close.addEventListener("click", () => hide());
  backdrop.addEventListener("click", () => hide());
  sheet.addEventListener("keydown", (event) => {
    if (!isOpen()) return;
    if (event.key === "Escape" && !event.defaultPrevented) {
      event.preventDefault();
      hide();
    } else if (event.key === "Tab") {
      // Keep focus in the dialog while it is open.
      const items = Array.from(sheet.querySelectorAll(FOCUSABLE)).filter((el) => el.getClientRects().length);
      if (!items.length) return;
      const first = items[0];
      const last = items[items.length - 1];
      if (event.shiftKey && (document.activeElement === first || !sheet.contains(document.activeElement))) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    }
  });
  // Going to a passage in the text: the sheet makes way for it.
  sheet.addEventListener("click", (event) => {
    if (!isOpen()) return;
    const show = event.target.closest('[data-card-action="show"]');
    const quote = event.target.closest("#panel-cards .card__quote");
    if (show || quote) hide({ restoreFocus: false });
  });
  narrow.addEventListener("change", () => {
    hide({ restoreFocus: false });
    setRoles();
  });
  document.addEventListener("annotator:refreshed", count);

  setRoles();
  count();
  return { open, hide, isOpen };
}
