// The small forms of the selection toolbar: Comment, Tag (autocomplete of existing tags or a
// new one) and Claim (an existing claim, or a new one with the statement prefilled from the
// quote, its claimant, kind and rating: claim-form.js). Each builder returns {form, first}
// (the field to focus). Every form starts from the defaults (defaults.js): the first colour, or
// for a claim the colour of its rating until the reader picks one; privacy as the toolbar
// shows it. The parts all of them share are in pop-form.js.

import { claimForm } from "./claim-form.js";
import { defaultColour } from "./defaults.js";
import { alertBox, h, newId } from "./dom.js";
import { colourPicker, field, tagField } from "./forms.js";
import { popForm } from "./pop-form.js";

function commentForm(ctx) {
  const palette = ctx.config.palette;
  const noteId = newId("note");
  const hintId = newId("note-hint");
  const alert = alertBox();
  const note = h("textarea", {
    id: noteId,
    rows: 4,
    class: "text-input",
    "aria-describedby": hintId,
    "aria-required": "true",
  });
  const question = h("input", { type: "checkbox", name: "question" });
  const colours = colourPicker(palette, defaultColour(palette));
  const markdown = h("p", { class: "hint", id: hintId }, "Markdown works: *emphasis*, **bold**, [link](https://…).");
  const form = popForm(ctx, {
    label: "Comment on the selection",
    fields: [
      field(noteId, "Your comment", note, markdown),
      h("label", { class: "check" }, question, " Ask it as a question"),
    ],
    colours,
    alert,
    saveLabel: "Save comment",
    missing: () => (note.value.trim() ? null : ["Write a comment first.", note]),
    save(form) {
      const motivation = question.checked ? "questioning" : "commenting";
      const build = async () => ctx.payload(motivation, { note: note.value, colour: colours.value() });
      ctx.submit(form, alert, build, "Comment saved.");
    },
  });
  return { form, first: note };
}

function tagForm(ctx) {
  const palette = ctx.config.palette;
  const alert = alertBox();
  const tags = tagField({ api: ctx.api, label: "Tags" });
  const colours = colourPicker(palette, defaultColour(palette));
  const form = popForm(ctx, {
    label: "Tag the selection",
    fields: [tags.el],
    colours,
    alert,
    saveLabel: "Save tags",
    missing: () => (tags.values().length ? null : ["Type a tag first.", tags.input]),
    save(form) {
      const values = tags.values();
      const label = values.length === 1 ? `Tagged “${values[0]}”.` : `Tagged ${values.length} tags.`;
      const build = async () => ctx.payload("tagging", { tags: values, colour: colours.value() });
      ctx.submit(form, alert, build, label);
    },
  });
  return { form, first: tags.input };
}

/**
 * ctx: api, config; selector() the pending selection; payload(motivation, fields) a W3C
 * annotation for the selection; submit(form, alert, makePayload, message) -> Promise<boolean
 * saved>; cancel() closes the toolbar; privacyControls() the form's private / keep-on row.
 */
export function createSelectionForms(ctx) {
  return { comment: () => commentForm(ctx), tag: () => tagForm(ctx), claim: () => claimForm(ctx) };
}
