// Page notes: a note, tags or a question on the whole article, made without selecting words.
// "Add page note" (at the top of the sidebar's cards) opens a small form in the sidebar; the
// note is sent as a W3C annotation whose target is the article itself (no selector). Every
// form starts from the defaults: public, a comment; Escape or Cancel closes it and returns
// focus to the button.

import { ANNO_CONTEXT, idFromIri } from "./api.js";
import { alertBox, h, newId } from "./dom.js";
import { setBusy, submitOnCtrlEnter, tagField } from "./forms.js";
import { audience } from "./layer.js";

/** forms: the card forms (cards.js), for closing the others and dismissing this one. */
export function createPageNotes({ sidebar, config, api, refresh, forms }) {
  /** After every render: the button works only with this script, so it is shown by it. */
  function decorate() {
    const add = sidebar.querySelector("#page-note-add");
    if (add) add.hidden = !config.signedIn;
  }

  function open(opener) {
    const existing = sidebar.querySelector(".page-note-form");
    if (existing) {
      existing.querySelector("textarea").focus();
      return;
    }
    forms.closeCardForms();
    const noteId = newId("page-note");
    const alert = alertBox();
    const note = h("textarea", { id: noteId, rows: 4, class: "text-input" });
    const question = h("input", { type: "checkbox" });
    const privateBox = h("input", { type: "checkbox" });
    const tags = tagField({ api });
    const form = h("form", { class: "card-form page-note-form", "aria-label": "Add a page note", novalidate: true });
    form._opener = opener;
    form.append(
      h("div", { class: "field" }, h("label", { for: noteId }, "Note on the whole article (Markdown)"), note),
      h("label", { class: "check" }, question, " Ask it as a question"),
      tags.el,
      h("label", { class: "check" }, privateBox, " Private (only you)"),
      alert.el,
      h(
        "div",
        { class: "card-form__actions" },
        h("button", { type: "submit", class: "button button--small" }, "Save page note"),
        h(
          "button",
          { type: "button", class: "button button--quiet button--small", onclick: () => forms.dismiss(form) },
          "Cancel",
        ),
      ),
    );
    submitOnCtrlEnter(form);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const text = note.value.trim() ? note.value : "";
      const chosen = tags.values();
      if (!text && !chosen.length) {
        alert.show("Write a note or add a tag first.");
        note.focus();
        return;
      }
      const body = [];
      if (text) body.push({ type: "TextualBody", value: text, format: "text/markdown", purpose: "commenting" });
      for (const tag of chosen) body.push({ type: "TextualBody", value: tag, purpose: "tagging" });
      const motivation = question.checked ? "questioning" : text ? "commenting" : "tagging";
      if (!setBusy(form, true)) return;
      try {
        const { data } = await api.createAnnotation({
          "@context": ANNO_CONTEXT,
          type: "Annotation",
          motivation,
          target: { type: "SpecificResource", source: config.articleUrl },
          body,
          ...audience(privateBox.checked),
        });
        await refresh({ focusCard: idFromIri(data.id), message: "Page note added." });
      } catch (error) {
        alert.show(error);
        setBusy(form, false);
      }
    });
    opener.after(form);
    note.focus();
  }

  return { decorate, open };
}
