// Privacy while annotating a selection: the toolbar's Private and Keep buttons and the
// private / keep-on row of every form show one state (createPrivacy, defaults.js) and change it
// together; every change the reader makes is announced.

import { createPrivacy } from "./defaults.js";
import { announce, h } from "./dom.js";

function visibilityText({ isPrivate, kept }) {
  if (kept) return "Private: on. Your new annotations stay private until you turn it off (P).";
  if (isPrivate) return "Private: only you will see this one. The next one starts public.";
  return "Public: everyone can read it. Private (P) keeps this one to yourself.";
}

/** The private / keep-on row of a form inside `panel`, drawn from `state`. */
function showInRow(row, state) {
  row.querySelector(".privacy__private").checked = state.isPrivate;
  row.querySelector(".privacy__keep").checked = state.kept;
  row.classList.toggle("is-kept", state.kept);
  row.querySelector(".privacy__status").textContent = visibilityText(state);
}

/** pop: the popover (marked is-private); panel: where the forms are. showOn(buttons) adds the
 * toolbar's buttons (toolbar-buttons.js) to what shows the state. */
export function createPrivacyView({ pop, panel }) {
  let buttons = null;
  const privacy = createPrivacy(render);

  function render(state) {
    pop.classList.toggle("is-private", state.isPrivate);
    if (buttons) buttons.showPrivacy(state);
    for (const row of panel.querySelectorAll(".privacy")) showInRow(row, state);
  }

  /** Change it as the reader asked, and say what it now is. */
  const change = (how) => (value) => {
    how(value);
    announce(visibilityText(privacy.state));
  };

  /** A form's private / keep-on checkboxes. */
  function controls() {
    const only = h("input", { type: "checkbox", class: "privacy__private" });
    const keep = h("input", { type: "checkbox", class: "privacy__keep" });
    const setPrivate = change(privacy.setPrivate);
    const setKept = change(privacy.setKept);
    only.addEventListener("change", () => setPrivate(only.checked));
    keep.addEventListener("change", () => setKept(keep.checked));
    return h(
      "fieldset",
      { class: "privacy" },
      h("legend", { class: "visually-hidden" }, "Who will see it"),
      h("label", { class: "check" }, only, " Private (only you)"),
      h("label", { class: "check" }, keep, " Keep private on for my next annotations"),
      h("p", { class: "hint privacy__status" }),
    );
  }

  return {
    state: privacy.state,
    reset: privacy.reset,
    toggle: change(privacy.toggle),
    toggleKeep: change(privacy.toggleKeep),
    controls,
    render: () => render(privacy.state),
    showOn(toolbarButtons) {
      buttons = toolbarButtons;
      render(privacy.state);
    },
  };
}
