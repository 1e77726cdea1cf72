// The selection toolbar's row of buttons: a swatch per palette colour (keys 1–9), Comment, Tag
// and Claim (each opens its form), Private and Keep, and Close, every one showing its key. The
// row is one tab stop; arrow keys, Home and End move along it, Shift+Tab goes back to the text.
// Signed-out readers get a sign-in note in its place.

import { h, newId, rovingIndex } from "./dom.js";
import { capitalise } from "./forms.js";

const ICONS = {
  comment:
    '<svg viewBox="0 0 20 20" aria-hidden="true" focusable="false"><path d="M3 4.5A1.5 1.5 0 0 1 4.5 3h11A1.5 1.5 0 0 1 17 4.5v8a1.5 1.5 0 0 1-1.5 1.5H8l-4 3v-3h.5A1.5 1.5 0 0 1 3 12.5z" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linejoin="round"/></svg>',
  tag: '<svg viewBox="0 0 20 20" aria-hidden="true" focusable="false"><path d="M3 3h7l7 7-7 7-7-7z" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linejoin="round"/><circle cx="7" cy="7" r="1.4" fill="currentColor"/></svg>',
  claim:
    '<svg viewBox="0 0 20 20" aria-hidden="true" focusable="false"><path d="M10 3v14M5 17h10M4 6h12M4 6l-2.5 5h5zM16 6l-2.5 5h5z" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round" stroke-linecap="round"/></svg>',
  lock: '<svg viewBox="0 0 20 20" aria-hidden="true" focusable="false"><rect x="4" y="9" width="12" height="8" rx="1.5" fill="none" stroke="currentColor" stroke-width="1.6"/><path d="M7 9V6.5a3 3 0 0 1 6 0V9" fill="none" stroke="currentColor" stroke-width="1.6"/></svg>',
};

function icon(name) {
  const span = h("span", { class: "icon" });
  span.innerHTML = ICONS[name]; // static, trusted markup
  return span;
}

const kbd = (key) => h("kbd", { class: "shortcut", "aria-hidden": "true" }, key);

const separator = () => h("span", { class: "toolbar__sep", "aria-hidden": "true" });

/** "Highlight" and a swatch per colour of the palette, numbered for its key. */
function swatchGroup(palette) {
  const groupLabel = newId("hl-label");
  const swatches = palette.map(({ value, meaning }, i) =>
    h(
      "button",
      {
        type: "button",
        class: "tool tool--swatch",
        dataset: { action: "highlight", colour: value },
        "aria-label": `Highlight ${value}: ${meaning}`,
        "aria-keyshortcuts": String(i + 1),
        title: `${capitalise(value)}: ${meaning} (${i + 1})`,
      },
      h("span", { class: `tool__dot hl--${value}`, "aria-hidden": "true" }, String(i + 1)),
    ),
  );
  return h(
    "div",
    { class: "toolbar__group", role: "group", "aria-labelledby": groupLabel },
    h("span", { class: "toolbar__label", id: groupLabel }, "Highlight", kbd("H")),
    ...swatches,
  );
}

function actionButton(name, label, key, extra = {}) {
  return h(
    "button",
    {
      type: "button",
      class: "tool",
      dataset: { action: name },
      "aria-keyshortcuts": key,
      title: `${label} (${key})`,
      ...extra,
    },
    icon(name === "private" ? "lock" : name),
    h("span", { class: "tool__label" }, label),
    kbd(key),
  );
}

/** Keep: shown only while Private is on. */
function keepToggle() {
  return h(
    "button",
    {
      type: "button",
      class: "tool tool--keep",
      dataset: { action: "keep" },
      "aria-pressed": "false",
      "aria-keyshortcuts": "K",
      "aria-label": "Keep it on for new annotations",
      title: "Keep private on for your next annotations too (K)",
      hidden: true,
    },
    h("span", { class: "tool__label" }, "Keep"),
    kbd("K"),
  );
}

function closeButton(attrs) {
  return h(
    "button",
    { type: "button", class: "tool tool--close", ...attrs },
    h("span", { "aria-hidden": "true" }, "×"),
  );
}

/** Make `stop` the one of these buttons that Tab reaches. */
function makeTabStop(buttons, stop) {
  buttons.forEach((b) => (b.tabIndex = b === stop ? 0 : -1));
}

/** The row: hint describes it, panel is where the forms its buttons open go. onAction(action,
 * colour) runs for a button pressed; onBackToText() for Shift+Tab. */
export function createToolbarButtons({ palette, hint, panel, onAction, onBackToText }) {
  const opensForm = { "aria-expanded": "false", "aria-controls": panel.id };
  const privateButton = actionButton("private", "Private", "P", { "aria-pressed": "false" });
  const keepButton = keepToggle();
  const el = h(
    "div",
    { class: "toolbar", role: "toolbar", "aria-label": "Annotate the selected text", "aria-describedby": hint.id },
    swatchGroup(palette),
    separator(),
    actionButton("comment", "Comment", "C", opensForm),
    actionButton("tag", "Tag", "T", opensForm),
    actionButton("claim", "Claim", "L", opensForm),
    separator(),
    privateButton,
    keepButton,
    closeButton({
      dataset: { action: "close" },
      "aria-label": "Close the toolbar",
      "aria-keyshortcuts": "Escape",
      title: "Close (Esc)",
    }),
  );
  const all = () => Array.from(el.querySelectorAll("button"));
  const visible = () => all().filter((b) => !b.hidden);
  makeTabStop(all(), visible()[0]); // Keep, hidden for now, is no tab stop either
  el.addEventListener("mousedown", (event) => {
    if (event.target.closest("button")) event.preventDefault(); // keep the text selection
  });
  el.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-action]");
    if (button) onAction(button.dataset.action, button.dataset.colour);
  });
  el.addEventListener("keydown", (event) => {
    if (event.key === "Tab" && event.shiftKey) {
      event.preventDefault();
      onBackToText();
      return;
    }
    const list = visible();
    const next = rovingIndex(event.key, list.indexOf(document.activeElement), list.length);
    if (next === null) return;
    event.preventDefault();
    makeTabStop(list, list[next]);
    list[next].focus();
  });
  return {
    el,
    contains: (node) => el.contains(node),
    /** Focus the row at its tab stop. */
    focus() {
      (el.querySelector('button[tabindex="0"]') || el.querySelector("button")).focus();
    },
    /** The form `name` is open: its button says so and is the row's tab stop. */
    expand(name) {
      const button = el.querySelector(`[data-action="${name}"]`);
      button.setAttribute("aria-expanded", "true");
      makeTabStop(all(), button);
    },
    collapse() {
      for (const b of el.querySelectorAll("[aria-expanded]")) b.setAttribute("aria-expanded", "false");
    },
    /** Private pressed or not, "Private: on" while kept on, and Keep shown while private. */
    showPrivacy({ isPrivate, kept }) {
      privateButton.setAttribute("aria-pressed", String(isPrivate));
      privateButton.querySelector(".tool__label").textContent = kept ? "Private: on" : "Private";
      privateButton.title = kept
        ? "Private: on for every new annotation; P turns it off"
        : "Private: only you will see it (P)";
      keepButton.hidden = !isPrivate;
      keepButton.setAttribute("aria-pressed", String(kept));
    },
  };
}

/** For signed-out readers: sign in or create an account (the links the server already put in
 * the sidebar, with ?next=), and a Close button that runs onClose. */
export function showSignInNote(pop, { onClose }) {
  const links = Array.from(document.querySelectorAll(".signin-prompt a"));
  const next = `?next=${encodeURIComponent(window.location.pathname)}`;
  const login = links[0] ? links[0].getAttribute("href") : `/accounts/login/${next}`;
  const signup = links[1] ? links[1].getAttribute("href") : `/accounts/signup/${next}`;
  pop.classList.add("annotator-pop--signin");
  pop.append(
    h(
      "p",
      { class: "pop__signin" },
      h("a", { href: login }, "Sign in"),
      " or ",
      h("a", { href: signup }, "create an account"),
      " to highlight, comment, tag and mark claims.",
    ),
    closeButton({ "aria-label": "Close", onclick: onClose }),
  );
}
