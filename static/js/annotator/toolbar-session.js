// The selection toolbar's life around one passage: it opens when a selection settles in the
// text, keeps the passage (and paints it, as the selection itself may go while the reader
// works in a form), and closes on Escape, Cancel, a click elsewhere or a save. A passage closed
// with Escape or Cancel does not reopen it until the selection changes.

const keyOf = (selector) => `${selector.start}:${selector.end}`;

function showPendingHighlight(range) {
  if (window.CSS && CSS.highlights && window.Highlight) {
    CSS.highlights.set("annotator-pending", new window.Highlight(range));
  }
}

function clearPendingHighlight() {
  if (window.CSS && CSS.highlights) CSS.highlights.delete("annotator-pending");
}

/** Focus the text again with this range selected. */
function backTo(root, range) {
  root.focus({ preventScroll: true });
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}

/** parts: the popover's (toolbar.js); closeForm() empties the form panel; resetPrivacy()
 * starts a new annotation's privacy; place() puts the popover by the passage. */
export function createSession({ root, pop, panel, hint, alert, formOpen }, { closeForm, resetPrivacy, place }) {
  let pending = null; // {selector, range, keyboard}
  let dismissed = null; // "start:end" of a selection closed with Escape (not reopened)

  /** Is this node part of the toolbar or of its open form (wherever the form is)? */
  const owns = (node) => Boolean(node) && (pop.contains(node) || panel.contains(node));
  const containsFocus = () => owns(document.activeElement);

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
      alert.clear();
      resetPrivacy(); // a new annotation starts public unless privacy is kept on
    }
    hint.hidden = !keyboard;
    pop.hidden = false;
    document.documentElement.classList.add("annotator-pop-open");
    showPendingHighlight(pending.range);
    place();
  }

  /** Hide the popover and let the passage go; the passage that was open, if any. */
  function close() {
    const was = pending;
    pop.hidden = true;
    document.documentElement.classList.remove("annotator-pop-open");
    closeForm();
    clearPendingHighlight();
    pending = null;
    return was;
  }

  /** Close the popover. A dismissed selection (Escape, Cancel) does not reopen it until the
   * selection changes; restoreFocus puts focus and the selection back in the text. */
  function hide({ restoreFocus = false, dismiss = false } = {}) {
    if (pop.hidden) return;
    const was = close();
    alert.clear();
    if (was && dismiss) dismissed = keyOf(was.selector);
    if (restoreFocus && was) backTo(root, was.range);
  }

  /** Close after a save: the page is about to be refreshed from the server. */
  function finish() {
    close();
    resetPrivacy();
    dismissed = null;
    window.getSelection().removeAllRanges();
  }

  return {
    selectionSettled,
    hide,
    finish,
    owns,
    containsFocus,
    isOpen: () => !pop.hidden,
    /** The passage being annotated: its selector and range (null while closed). */
    selector: () => pending.selector,
    range: () => pending && pending.range,
    backToText() {
      if (pending) backTo(root, pending.range);
    },
  };
}
