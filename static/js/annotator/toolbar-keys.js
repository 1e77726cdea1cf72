// The selection toolbar's keys, heard on the whole document while it is open: Escape closes it;
// Tab from the text moves into it; the key shown on a button (1–9 a colour, H highlights, C
// comments, T tags, L marks a claim, P private, K keep) acts on the selected passage.

import { announce, isTextField } from "./dom.js";

const LETTERS = { h: "highlight", c: "comment", t: "tag", l: "claim", p: "private", k: "keep" };

/** [action, colour] for a shortcut key, or null. */
function shortcut(key, palette, colour) {
  const swatch = /^[1-9]$/.test(key) ? palette[Number(key) - 1] : null;
  if (swatch) return ["highlight", swatch.value];
  const action = LETTERS[key];
  if (action) return [action, action === "highlight" ? colour : undefined];
  return null;
}

/** root: the article body; session (toolbar-session.js); buttons: the toolbar's row, null when
 * signed out; act(action, colour) does what a button does. Returns the keydown handler. */
export function createToolbarKeys({ root, palette, colour, session, buttons, act }) {
  return function onKeydown(event) {
    if (!session.isOpen()) return;
    const active = document.activeElement;
    const inText = active === root || root.contains(active);
    if (event.key === "Escape") {
      event.preventDefault();
      session.hide({ restoreFocus: inText || session.containsFocus(), dismiss: true });
      announce("Toolbar closed.");
      return;
    }
    if (!buttons || !(inText || buttons.contains(active))) return;
    if (event.key === "Tab" && !event.shiftKey && inText) {
      event.preventDefault();
      buttons.focus();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || isTextField(active)) return;
    const chosen = shortcut(event.key.toLowerCase(), palette, colour);
    if (!chosen) return;
    act(...chosen);
    event.preventDefault();
  };
}
