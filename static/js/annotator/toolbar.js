// The selection toolbar: appears next to a mouse or keyboard selection in the article body.
// Highlight (palette), Comment, Tag (autocomplete) and Claim (existing or new), a Private
// toggle, shortcuts shown on the buttons, Escape closes. Signed-out readers get a sign-in note.
// The toolbar sits below the selection (never over it or the line above); the forms open in
// the sidebar when it is beside the text, else below the selection. Every annotation starts
// from the defaults (defaults.js); "Private: on" shows when the reader kept privacy on.

import { ANNO_CONTEXT, idFromIri } from "./api.js";
import { createPrivacy, defaultColour } from "./defaults.js";
import { alertBox, announce, h, isRightToLeft, isTextField, newId } from "./dom.js";
import { capitalise, setBusy, submitOnCtrlEnter } from "./forms.js";
import { createSelectionForms } from "./selection-forms.js";
import { focusRect, selectionRect } from "./selection.js";

/** Below this width the sidebar is not beside the text (annotator.css uses the same). */
const NARROW = "(max-width: 62rem)";

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
  const colour = defaultColour(palette); // H and the forms start here; nothing carries over
  const privacy = createPrivacy(renderPrivacy);
  let busy = false;
  const narrow = window.matchMedia(NARROW);

  const pop = h("div", { class: "annotator-pop", id: "annotator-pop", hidden: true });
  root.after(pop);
  // Where the forms open when the sidebar is beside the text: at its top, pushing the cards
  // down instead of covering them.
  const composer = h("section", { class: "composer", "aria-label": "New annotation" });
  const popAlert = alertBox();
  const panel = h("div", { class: "pop__panel", id: newId("pop-panel") });
  const hint = h(
    "p",
    { class: "pop__hint", id: newId("pop-hint") },
    "Tab moves to these buttons; or press the key shown on one. Esc closes.",
  );
  let toolbar = null;
  let privateButton = null;
  let keepButton = null;

  const forms = createSelectionForms({
    api,
    config,
    selector: () => pending.selector,
    payload,
    submit,
    cancel: () => hide({ restoreFocus: true, dismiss: true }),
    privacyControls,
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
    keepButton = h(
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
      keepButton,
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
    const buttons = () => Array.from(toolbar.querySelectorAll("button")).filter((b) => !b.hidden);
    buttons().forEach((b, i) => (b.tabIndex = i === 0 ? 0 : -1));
    keepButton.tabIndex = -1; // shown only while Private is on
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
    renderPrivacy(privacy.state);
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

  /** Is this node part of the toolbar or of its open form (wherever the form is)? */
  function owns(node) {
    return Boolean(node) && (pop.contains(node) || panel.contains(node));
  }

  function containsFocus() {
    return owns(document.activeElement);
  }

  const formOpen = () => panel.childElementCount > 0;

  /** The selection settled on `selector` (or on nothing); show, move or hide the toolbar. */
  function selectionSettled(selector, range, { keyboard = false } = {}) {
    if (containsFocus()) return; // the reader is working in the toolbar or a form
    if (!selector) {
      if (formOpen()) return; // a click elsewhere does not throw away what is being written
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
      privacy.reset(); // a new annotation starts public unless privacy is kept on
    }
    hint.hidden = !keyboard;
    pop.hidden = false;
    document.documentElement.classList.add("annotator-pop-open");
    showPendingHighlight();
    place();
  }

  /** Close the popover. A dismissed selection (Escape, Cancel) does not reopen it until the
   * selection changes; restoreFocus puts focus and the selection back in the text. */
  function hide({ restoreFocus = false, dismiss = false } = {}) {
    if (pop.hidden) return;
    const was = pending;
    pop.hidden = true;
    document.documentElement.classList.remove("annotator-pop-open");
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

  /** Put the popover just below the selection's last line: it never covers the selected
   * words or the line above them. It starts where the selection starts (its left edge, or
   * its right edge in right-to-left text) and moves sideways only to stay in the window or
   * off the sidebar beside the text. */
  function place() {
    if (pop.hidden || !pending) return;
    home();
    const whole = selectionRect(pending.range);
    const parent = pop.offsetParent || document.body;
    const parentRect = parent.getBoundingClientRect();
    const top = whole.bottom + 8;
    pop.style.top = `${top - parentRect.top + parent.scrollTop}px`;
    pop.dataset.side = "below";
    fitBeside();
    // Off the bottom of the window: scroll just enough, keeping the selection in view.
    const overflow = top + Math.min(pop.offsetHeight, 160) - (window.innerHeight - 8);
    if (overflow > 0) {
      window.scrollBy(0, Math.min(overflow, Math.max(0, whole.top - 8)));
      fitBeside(); // the sidebar is sticky: it may now be level with the toolbar
    }
  }

  /** The popover's left edge: at the selection's start, moved only as far as needed to stay
   * in the window and, beside the text, not to lie over the sidebar where they meet. */
  function fitBeside() {
    if (pop.hidden || !pending) return;
    const start = focusRect(pending.range, !narrow.matches); // wide: the first line
    // Right-to-left text: the toolbar hangs from the selection's right edge, where it starts.
    const rtl = isRightToLeft(pending.range.startContainer);
    const parent = pop.offsetParent || document.body;
    const parentRect = parent.getBoundingClientRect();
    const width = pop.offsetWidth;
    const min = 8;
    let max = document.documentElement.clientWidth - 8;
    let left = rtl ? start.right - width : start.left;
    const sidebar = narrow.matches ? null : document.getElementById("annotation-sidebar");
    if (sidebar) {
      const side = sidebar.getBoundingClientRect();
      const top = pop.getBoundingClientRect().top;
      const level = top < side.bottom && top + pop.offsetHeight > side.top;
      const beside = side.left >= root.getBoundingClientRect().left;
      if (level && beside && left + width > side.left - 8) {
        max = Math.min(max, Math.max(side.left - 8, root.getBoundingClientRect().right));
      }
    }
    left = Math.max(min, Math.min(left, max - width));
    pop.style.left = `${left - parentRect.left + parent.scrollLeft}px`;
  }

  /** The form's place: in the sidebar beside the text, else in the popover. */
  function home() {
    const sidebar = document.getElementById("annotation-sidebar");
    const inMargin = !narrow.matches && sidebar && getComputedStyle(sidebar).display !== "none";
    if (inMargin) {
      if (!formOpen()) return;
      if (panel.parentElement !== composer) composer.append(panel);
      if (composer.parentElement !== sidebar) {
        const heading = sidebar.querySelector("#sidebar-heading");
        if (heading) heading.after(composer);
        else sidebar.prepend(composer);
      }
    } else if (panel.parentElement !== pop) {
      pop.append(panel);
      composer.remove();
    }
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
    const action = { h: "highlight", c: "comment", t: "tag", l: "claim", p: "private", k: "keep" }[key];
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
      privacy.toggle();
      announcePrivacy();
    } else if (action === "keep") {
      privacy.toggleKeep();
      announcePrivacy();
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
      visibility: privacy.state.isPrivate ? "private" : "public",
    };
    if (body.length) annotation.body = body;
    if (claim) annotation.claim = claim;
    return annotation;
  }

  async function highlight(chosen) {
    if (busy) return;
    busy = true;
    popAlert.clear();
    const kept = privacy.state.isPrivate ? " (private)" : "";
    try {
      const { data } = await api.createAnnotation(payload("highlighting", { colour: chosen }));
      finish();
      await onSaved(idFromIri(data.id), `Highlighted in ${chosen}${kept}.`);
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
    document.documentElement.classList.remove("annotator-pop-open");
    closeForm();
    privacy.reset();
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
    composer.remove();
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
    renderPrivacy(privacy.state);
    place();
    first.focus({ preventScroll: true });
    if (composer.isConnected) composer.scrollIntoView({ block: "nearest" });
    else pop.scrollIntoView({ block: "nearest" });
  }

  // --- privacy: shown in the toolbar and in every form ---------------------------------

  function visibilityText({ isPrivate, kept }) {
    if (kept) return "Private: on. Your new annotations stay private until you turn it off (P).";
    if (isPrivate) return "Private: only you will see this one. The next one starts public.";
    return "Public: everyone can read it. Private (P) keeps this one to yourself.";
  }

  /** The private / keep-on checkboxes of a form, kept in step with the toolbar. */
  function privacyControls() {
    const only = h("input", { type: "checkbox", class: "privacy__private" });
    const keep = h("input", { type: "checkbox", class: "privacy__keep" });
    only.addEventListener("change", () => {
      privacy.setPrivate(only.checked);
      announcePrivacy();
    });
    keep.addEventListener("change", () => {
      privacy.setKept(keep.checked);
      announcePrivacy();
    });
    return h(
      "fieldset",
      { class: "privacy" },
      h("legend", { class: "visually-hidden" }, "Who will see it"),
      h("label", { class: "check" }, only, " Private (only you)"),
      h("label", { class: "check" }, keep, " Keep private on for my next annotations"),
      h("p", { class: "hint privacy__status" }),
    );
  }

  function renderPrivacy(state) {
    pop.classList.toggle("is-private", state.isPrivate);
    if (privateButton) {
      privateButton.setAttribute("aria-pressed", String(state.isPrivate));
      privateButton.querySelector(".tool__label").textContent = state.kept ? "Private: on" : "Private";
      privateButton.title = state.kept
        ? "Private: on for every new annotation; P turns it off"
        : "Private: only you will see it (P)";
      keepButton.hidden = !state.isPrivate;
      keepButton.setAttribute("aria-pressed", String(state.kept));
    }
    for (const row of panel.querySelectorAll(".privacy")) {
      row.querySelector(".privacy__private").checked = state.isPrivate;
      row.querySelector(".privacy__keep").checked = state.kept;
      row.classList.toggle("is-kept", state.kept);
      row.querySelector(".privacy__status").textContent = visibilityText(state);
    }
  }

  function announcePrivacy() {
    announce(visibilityText(privacy.state));
  }

  window.addEventListener("resize", place);
  // The sidebar stays put while the page scrolls: keep the toolbar off it.
  let frame = 0;
  window.addEventListener(
    "scroll",
    () => {
      if (pop.hidden || frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        fitBeside();
      });
    },
    { passive: true },
  );
  narrow.addEventListener("change", place);
  // The sidebar is re-rendered after every write: put an open form back at its top.
  document.addEventListener("annotator:refreshed", () => {
    if (formOpen() && !pop.hidden) home();
  });

  return { selectionSettled, hide, isOpen, containsFocus, owns, focusToolbar, onKeydown, place, element: pop };
}
