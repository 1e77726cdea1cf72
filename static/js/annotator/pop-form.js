// What every form of the selection toolbar has: the quoted passage, its own fields, a colour,
// the private / keep-on row, an alert and Save / Cancel (Ctrl+Enter saves, toolbar.js).

import { h } from "./dom.js";

function quote(text) {
  const shown = text.length > 220 ? `${text.slice(0, 219)}…` : text;
  return h("blockquote", { class: "pop-form__quote", dir: "auto" }, shown);
}

function formActions(label, cancel) {
  return h(
    "div",
    { class: "pop-form__actions" },
    h("button", { type: "submit", class: "button" }, label),
    h("button", { type: "button", class: "button button--quiet", onclick: cancel }, "Cancel"),
    h("span", { class: "hint" }, "Ctrl+Enter saves"),
  );
}

/**
 * ctx: selector(), privacyControls() and cancel() (selection-forms.js). label names the form,
 * saveLabel its submit button; fields go between the quote and the colours. On submit,
 * missing() gives [message, control] when something must be filled in first (the message
 * shows, the control takes focus), else save(form) saves.
 */
export function popForm(ctx, { className = "pop-form", label, fields, colours, alert, saveLabel, missing, save }) {
  const form = h(
    "form",
    { class: className, "aria-label": label, novalidate: true },
    quote(ctx.selector().exact),
    ...fields,
    colours.el,
    ctx.privacyControls(),
    alert.el,
    formActions(saveLabel, ctx.cancel),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const first = missing();
    if (first) {
      const [message, control] = first;
      alert.show(message);
      control.focus();
      return;
    }
    save(form);
  });
  return form;
}
