// The selection toolbar: appears next to a mouse or keyboard selection in the article body.
// Highlight (palette), Comment, Tag (autocomplete) and Claim (existing or new), a Private
// toggle, shortcuts shown on the buttons, Escape closes. Signed-out readers get a sign-in note.
// The toolbar sits below the selection (never over it or the line above); the forms open in
// the sidebar when it is beside the text, else below the selection. Every annotation starts
// from the defaults (defaults.js); "Private: on" shows when the reader kept privacy on.
//
// Its parts: the row of buttons (toolbar-buttons.js), privacy (toolbar-privacy.js), where it
// goes (toolbar-place.js), its life around a passage (toolbar-session.js), its keys
// (toolbar-keys.js), saving (toolbar-save.js) and the forms (selection-forms.js).

import { defaultColour } from "./defaults.js";
import { alertBox, h, newId } from "./dom.js";
import { submitOnCtrlEnter } from "./forms.js";
import { createSelectionForms } from "./selection-forms.js";
import { createToolbarButtons, showSignInNote } from "./toolbar-buttons.js";
import { createToolbarKeys } from "./toolbar-keys.js";
import { createPlacement } from "./toolbar-place.js";
import { createPrivacyView } from "./toolbar-privacy.js";
import { createSaving, passageAnnotation } from "./toolbar-save.js";
import { createSession } from "./toolbar-session.js";

/** The popover after the text, and the parts that go in it: the alert, the panel a form opens
 * in (moved into `composer` at the top of the sidebar when that is beside the text) and the
 * keyboard hint. */
function popoverParts(root) {
  const pop = h("div", { class: "annotator-pop", id: "annotator-pop", hidden: true });
  root.after(pop);
  const composer = h("section", { class: "composer", "aria-label": "New annotation" });
  const alert = alertBox();
  const panel = h("div", { class: "pop__panel", id: newId("pop-panel") });
  const hint = h(
    "p",
    { class: "pop__hint", id: newId("pop-hint") },
    "Tab moves to these buttons; or press the key shown on one. Esc closes.",
  );
  const formOpen = () => panel.childElementCount > 0;
  return { root, pop, composer, alert, panel, hint, formOpen };
}

/** Opening and closing the forms (Comment, Tag, Claim) in the panel. */
function createFormPanel({ pop, composer, alert, panel }, { forms, buttons, privacy, place }) {
  function close() {
    panel.replaceChildren();
    composer.remove();
    if (buttons()) buttons().collapse();
  }

  function open(name) {
    const build = forms[name];
    if (!build) return;
    const { form, first } = build();
    close();
    alert.clear();
    buttons().expand(name);
    panel.append(form);
    submitOnCtrlEnter(form);
    privacy.render();
    place();
    first.focus({ preventScroll: true });
    (composer.isConnected ? composer : pop).scrollIntoView({ block: "nearest" });
  }

  return { open, close };
}

export function createToolbar({ root, config, api, onSaved }) {
  const palette = config.palette;
  const colour = defaultColour(palette); // H and the forms start here; nothing carries over
  const parts = popoverParts(root);
  const { pop, hint, alert, panel } = parts;
  let buttons = null; // the row of buttons, for signed-in readers
  const privacy = createPrivacyView(parts);
  // The parts refer to each other: placement needs the session's passage, the session closes
  // the form panel, and so on; each reference is only followed once the toolbar is in use.
  const { place } = createPlacement({ ...parts, range: () => session.range() });
  const session = createSession(parts, { closeForm: () => formPanel.close(), resetPrivacy: privacy.reset, place });
  const saving = createSaving({ api, onSaved, finish: session.finish, place });
  const cancel = () => session.hide({ restoreFocus: true, dismiss: true });
  const forms = createSelectionForms({
    api,
    config,
    selector: session.selector,
    payload,
    submit: saving.submit,
    cancel,
    privacyControls: privacy.controls,
  });
  const formPanel = createFormPanel(parts, { forms, buttons: () => buttons, privacy, place });

  if (config.signedIn) {
    buttons = createToolbarButtons({ palette, hint, panel, onAction: act, onBackToText: session.backToText });
    pop.append(buttons.el, hint, alert.el, panel);
    privacy.showOn(buttons);
  } else {
    showSignInNote(pop, { onClose: cancel });
  }

  /** The annotation of the passage, private if the reader chose so, in `chosen` colour. */
  function payload(motivation, { colour: chosen = colour, ...fields } = {}) {
    const { articleUrl: source } = config;
    const isPrivate = privacy.state.isPrivate;
    return passageAnnotation(session.selector(), { source, motivation, colour: chosen, isPrivate, ...fields });
  }

  /** What a button (or its key) does. */
  function act(action, value) {
    if (!session.range()) return;
    if (action === "close") cancel();
    else if (action === "private") privacy.toggle();
    else if (action === "keep") privacy.toggleKeep();
    else if (action === "highlight") highlight(value || colour);
    else formPanel.open(action);
  }

  function highlight(chosen) {
    const kept = privacy.state.isPrivate ? " (private)" : "";
    const makePayload = () => payload("highlighting", { colour: chosen });
    saving.highlight(makePayload, alert, `Highlighted in ${chosen}${kept}.`);
  }

  return {
    selectionSettled: session.selectionSettled,
    hide: session.hide,
    isOpen: session.isOpen,
    containsFocus: session.containsFocus,
    owns: session.owns,
    focusToolbar() {
      if (!buttons || !session.isOpen()) return false;
      buttons.focus();
      return true;
    },
    onKeydown: createToolbarKeys({ root, palette, colour, session, buttons, act }),
    place,
    element: pop,
  };
}
