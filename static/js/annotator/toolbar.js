// The selection toolbar: appears next to a mouse or keyboard selection in the article body.
// Highlight (palette), Comment, Tag (autocomplete) and Claim (existing or new), a Private
// toggle, shortcuts shown on the buttons, Escape closes. Signed-out readers get a sign-in note.

import { idFromIri } from "./api.js";
import { alertBox, announce, h, isRightToLeft, isTextField, newId, placeNear } from "./dom.js";
import { capitalise, setBusy, submitOnCtrlEnter } from "./forms.js";
import { createSelectionForms } from "./selection-forms.js";
import { focusRect } from "./selection.js";

const ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld";

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

export function createToolbar({ root, config, api, onSaved }) {
  const palette = config.palette;
  let pending = null; // {selector, range, keyboard}
  let dismissed = null; // "start:end" of a selection closed with Escape (not reopened)
  let colour = palette[0] ? palette[0].value : "yellow";
  let isPrivate = false;
  let busy = false;

  const pop = h("div", { class: "annotator-pop", id: "annotator-pop", hidden: true });
  root.after(pop);
  const popAlert = alertBox();
  const panel = h("div", { class: "pop__panel", id: newId("pop-panel") });
  const hint = h(
    "p",
    { class: "pop__hint", id: newId("pop-hint") },
    "Tab moves to these buttons; or press the key shown on one. Esc closes.",
  );
  let toolbar = null;
  let privateButton = null;

  const forms = createSelectionForms({
    api,
    config,
    selector: () => pending.selector,
    colour: () => colour,
    payload,
    submit,
    cancel: () => hide({ restoreFocus: true, dismiss: true }),
    visibilityText,
  });

  if (config.signedIn) buildToolbar();
  else buildSignInNote();

  function buildToolbar() {
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
    const action = (name, label, key, extra = {}) =>
      h(
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
    privateButton = action("private", "Private", "P", { "aria-pressed": "false" });
    toolbar = h(
      "div",
      {
        class: "toolbar",
        role: "toolbar",
        "aria-label": "Annotate the selected text",
        "aria-describedby": hint.id,
      },
      h(
        "div",
        { class: "toolbar__group", role: "group", "aria-labelledby": groupLabel },
        h("span", { class: "toolbar__label", id: groupLabel }, "Highlight", kbd("H")),
        ...swatches,
      ),
      h("span", { class: "toolbar__sep", "aria-hidden": "true" }),
      action("comment", "Comment", "C", { "aria-expanded": "false", "aria-controls": panel.id }),
      action("tag", "Tag", "T", { "aria-expanded": "false", "aria-controls": panel.id }),
      action("claim", "Claim", "L", { "aria-expanded": "false", "aria-controls": panel.id }),
      h("span", { class: "toolbar__sep", "aria-hidden": "true" }),
      privateButton,
      h(
        "button",
        {
          type: "button",
          class: "tool tool--close",
          dataset: { action: "close" },
          "aria-label": "Close the toolbar",
          "aria-keyshortcuts": "Escape",
          title: "Close (Esc)",
        },
        h("span", { "aria-hidden": "true" }, "×"),
      ),
    );
    const buttons = () => Array.from(toolbar.querySelectorAll("button"));
    buttons().forEach((b, i) => (b.tabIndex = i === 0 ? 0 : -1));
    toolbar.addEventListener("mousedown", (event) => {
      if (event.target.closest("button")) event.preventDefault(); // keep the text selection
    });
    toolbar.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-action]");
      if (button) act(button.dataset.action, button.dataset.colour);
    });
    toolbar.addEventListener("keydown", (event) => {
      const list = buttons();
      const index = list.indexOf(document.activeElement);
      let next = null;
      if (event.key === "ArrowRight") next = (index + 1) % list.length;
      else if (event.key === "ArrowLeft") next = (index - 1 + list.length) % list.length;
      else if (event.key === "Home") next = 0;
      else if (event.key === "End") next = list.length - 1;
      else if (event.key === "Tab" && event.shiftKey) {
        event.preventDefault();
        backToText();
        return;
      }
      if (next !== null) {
        event.preventDefault();
        list.forEach((b, i) => (b.tabIndex = i === next ? 0 : -1));
        list[next].focus();
      }
    });
    pop.append(toolbar, hint, popAlert.el, panel);
  }

  function buildSignInNote() {
    // The server already renders the sign-in and sign-up links (with ?next=) in the sidebar.
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
      h(
        "button",
        {
          type: "button",
          class: "tool tool--close",
          "aria-label": "Close",
          onclick: () => hide({ restoreFocus: true, dismiss: true }),
        },
        h("span", { "aria-hidden": "true" }, "×"),
      ),
    );
  }

  // --- showing and hiding ------------------------------------------------------------------

  const keyOf = (selector) => `${selector.start}:${selector.end}`;

  function isOpen() {
    return !pop.hidden;
  }

  function containsFocus() {
    return pop.contains(document.activeElement);
  }

  /** The selection settled on `selector` (or on nothing); show, move or hide the toolbar. */
  function selectionSettled(selector, range, { keyboard = false } = {}) {
    if (containsFocus()) return; // the reader is working in the toolbar or a form
    if (!selector) {
      dismissed = null;
      hide();
      return;
    }
    if (dismissed === keyOf(selector)) return;
    dismissed = null;
    const same = pending && keyOf(pending.selector) === keyOf(selector);
    pending = { selector, range: range.cloneRange(), keyboard };
    if (!same) {
      closeForm();
      popAlert.clear();
    }
    hint.hidden = !keyboard;
    pop.hidden = false;
    showPendingHighlight();
    place();
  }

  /** Close the popover. A dismissed selection (Escape, Cancel) does not reopen it until the
   * selection changes; restoreFocus puts focus and the selection back in the text. */
  function hide({ restoreFocus = false, dismiss = false } = {}) {
    if (pop.hidden) return;
    const was = pending;
    pop.hidden = true;
    closeForm();
    popAlert.clear();
    clearPendingHighlight();
    pending = null;
    if (was && dismiss) dismissed = keyOf(was.selector);
    if (restoreFocus && was) {
      root.focus({ preventScroll: true });
      restoreSelection(was.range);
    }
  }

  function restoreSelection(range) {
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function backToText() {
    if (!pending) return;
    const range = pending.range;
    root.focus({ preventScroll: true });
    restoreSelection(range);
  }

  function focusToolbar() {
    if (!toolbar || pop.hidden) return false;
    const current = toolbar.querySelector('button[tabindex="0"]') || toolbar.querySelector("button");
    current.focus();
    return true;
  }

  function place() {
    if (pop.hidden || !pending) return;
    const narrow = window.innerWidth < 700;
    const rect = focusRect(pending.range, !narrow);
    // Right-to-left text: the toolbar hangs from the selection's right edge, where it starts.
    const align = isRightToLeft(pending.range.startContainer) ? "end" : "start";
    placeNear(pop, rect, { prefer: narrow ? "below" : "above", align });
  }

  function showPendingHighlight() {
    if (window.CSS && CSS.highlights && window.Highlight && pending) {
      CSS.highlights.set("annotator-pending", new window.Highlight(pending.range));
    }
  }

  function clearPendingHighlight() {
    if (window.CSS && CSS.highlights) CSS.highlights.delete("annotator-pending");
  }

  // --- keyboard: shortcuts, Tab into the toolbar, Escape --------------------------------

  function onKeydown(event) {
    if (pop.hidden) return;
    const active = document.activeElement;
    const inText = active === root || root.contains(active);
    const inToolbar = toolbar && toolbar.contains(active);
    if (event.key === "Escape") {
      event.preventDefault();
      hide({ restoreFocus: inText || containsFocus(), dismiss: true });
      announce("Toolbar closed.");
      return;
    }
    if (!toolbar || !(inText || inToolbar)) return;
    if (event.key === "Tab" && !event.shiftKey && inText) {
      event.preventDefault();
      focusToolbar();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || isTextField(active)) return;
    const key = event.key.toLowerCase();
    const swatch = /^[1-9]$/.test(key) ? palette[Number(key) - 1] : null;
    const action = { h: "highlight", c: "comment", t: "tag", l: "claim", p: "private" }[key];
    if (swatch) act("highlight", swatch.value);
    else if (action) act(action, action === "highlight" ? colour : undefined);
    else return;
    event.preventDefault();
  }

  // --- actions -----------------------------------------------------------------------------

  function act(action, value) {
    if (!pending) return;
    if (action === "close") {
      hide({ restoreFocus: true, dismiss: true });
    } else if (action === "private") {
      isPrivate = !isPrivate;
      privateButton.setAttribute("aria-pressed", String(isPrivate));
      for (const note of panel.querySelectorAll(".pop-form__visibility")) note.textContent = visibilityText();
      announce(
        isPrivate ? "Private: only you will see what you add." : "Public: everyone will see what you add.",
      );
    } else if (action === "highlight") {
      highlight(value || colour);
    } else {
      openForm(action);
    }
  }

  function payload(motivation, { note = "", tags = [], claim = null, colour: chosen = colour } = {}) {
    const { exact, prefix, suffix, start, end } = pending.selector;
    const body = [];
    if (note) body.push({ type: "TextualBody", value: note, format: "text/markdown", purpose: "commenting" });
    for (const tag of tags) body.push({ type: "TextualBody", value: tag, purpose: "tagging" });
    const annotation = {
      "@context": ANNO_CONTEXT,
      type: "Annotation",
      motivation,
      target: {
        source: config.articleUrl,
        selector: [
          { type: "TextQuoteSelector", exact, prefix, suffix },
          { type: "TextPositionSelector", start, end },
        ],
      },
      colour: chosen,
      visibility: isPrivate ? "private" : "public",
    };
    if (body.length) annotation.body = body;
    if (claim) annotation.claim = claim;
    return annotation;
  }

  async function highlight(chosen) {
    if (busy) return;
    busy = true;
    colour = chosen;
    popAlert.clear();
    try {
      const { data } = await api.createAnnotation(payload("highlighting", { colour: chosen }));
      finish();
      await onSaved(idFromIri(data.id), `Highlighted in ${chosen}${isPrivate ? " (private)" : ""}.`);
    } catch (error) {
      popAlert.show(error);
      place();
    } finally {
      busy = false;
    }
  }

  /** Close after a save: the page is about to be refreshed from the server. */
  function finish() {
    pop.hidden = true;
    closeForm();
    clearPendingHighlight();
    pending = null;
    dismissed = null;
    window.getSelection().removeAllRanges();
  }

  /** Save what a form built; true when saved (the page is then re-rendered). */
  async function submit(form, alert, makePayload, message) {
    if (!setBusy(form, true)) return false;
    alert.clear();
    try {
      const annotation = await makePayload();
      const { data } = await api.createAnnotation(annotation);
      finish();
      await onSaved(idFromIri(data.id), message);
      return true;
    } catch (error) {
      alert.show(error);
      place();
      return false;
    } finally {
      setBusy(form, false);
    }
  }

  // --- forms -------------------------------------------------------------------------------

  function closeForm() {
    panel.replaceChildren();
    if (toolbar) {
      for (const b of toolbar.querySelectorAll("[aria-expanded]")) b.setAttribute("aria-expanded", "false");
    }
  }

  function openForm(name) {
    const build = forms[name];
    if (!build) return;
    const { form, first } = build();
    closeForm();
    popAlert.clear();
    const button = toolbar.querySelector(`[data-action="${name}"]`);
    button.setAttribute("aria-expanded", "true");
    toolbar.querySelectorAll("button").forEach((b) => (b.tabIndex = b === button ? 0 : -1));
    panel.append(form);
    submitOnCtrlEnter(form);
    place();
    first.focus({ preventScroll: true });
    pop.scrollIntoView({ block: "nearest" });
  }

  function visibilityText() {
    return isPrivate
      ? "Private: only you will see it."
      : "Public: everyone can read it. Use the lock (P) to keep it private.";
  }

  window.addEventListener("resize", place);

  return { selectionSettled, hide, isOpen, containsFocus, focusToolbar, onKeydown, place, element: pop };
}
