// The small forms of the selection toolbar: Comment, Tag (autocomplete of existing tags or a
// new one) and Claim (an existing claim, or a new one with the statement prefilled from the
// quote, its claimant, kind and rating). Each builder returns {form, first} (the field to focus).
// Every form starts from the defaults (defaults.js): the first colour, or for a claim the colour
// of its rating until the reader picks one; privacy as the toolbar shows it.

import { combobox } from "./combobox.js";
import { colourForRating, defaultColour } from "./defaults.js";
import { alertBox, h, newId } from "./dom.js";
import { colourPicker, tagField } from "./forms.js";

/**
 * ctx: api, config; selector() the pending selection; payload(motivation, fields) a W3C
 * annotation for the selection; submit(form, alert, makePayload, message) -> Promise<boolean
 * saved>; cancel() closes the toolbar; privacyControls() the form's private / keep-on row.
 */
export function createSelectionForms(ctx) {
  const { api, config, selector, payload, submit, cancel, privacyControls } = ctx;
  const palette = config.palette;
  function quote() {
    const text = selector().exact;
    return h("blockquote", { class: "pop-form__quote", dir: "auto" }, text.length > 220 ? `${text.slice(0, 219)}…` : text);
  }

  function formActions(label) {
    return h(
      "div",
      { class: "pop-form__actions" },
      h("button", { type: "submit", class: "button" }, label),
      h(
        "button",
        { type: "button", class: "button button--quiet", onclick: cancel },
        "Cancel",
      ),
      h("span", { class: "hint" }, "Ctrl+Enter saves"),
    );
  }


  function commentForm() {
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
    const form = h(
      "form",
      { class: "pop-form", "aria-label": "Comment on the selection", novalidate: true },
      quote(),
      h(
        "div",
        { class: "field" },
        h("label", { for: noteId }, "Your comment"),
        note,
        h("p", { class: "hint", id: hintId }, "Markdown works: *emphasis*, **bold**, [link](https://…)."),
      ),
      h("label", { class: "check" }, question, " Ask it as a question"),
      colours.el,
      privacyControls(),
      alert.el,
      formActions("Save comment"),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!note.value.trim()) {
        alert.show("Write a comment first.");
        note.focus();
        return;
      }
      const motivation = question.checked ? "questioning" : "commenting";
      const build = async () => payload(motivation, { note: note.value, colour: colours.value() });
      submit(form, alert, build, "Comment saved.");
    });
    return { form, first: note };
  }

  function tagForm() {
    const alert = alertBox();
    const tags = tagField({ api, label: "Tags" });
    const colours = colourPicker(palette, defaultColour(palette));
    const form = h(
      "form",
      { class: "pop-form", "aria-label": "Tag the selection", novalidate: true },
      quote(),
      tags.el,
      colours.el,
      privacyControls(),
      alert.el,
      formActions("Save tags"),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const values = tags.values();
      if (!values.length) {
        alert.show("Type a tag first.");
        tags.input.focus();
        return;
      }
      const label = values.length === 1 ? `Tagged “${values[0]}”.` : `Tagged ${values.length} tags.`;
      const build = async () => payload("tagging", { tags: values, colour: colours.value() });
      submit(form, alert, build, label);
    });
    return { form, first: tags.input };
  }

  function claimForm() {
    const alert = alertBox();
    const findId = newId("claim-find");
    const findHint = newId("claim-find-hint");
    const textId = newId("claim-text");
    const claimantId = newId("claimant");
    const kindId = newId("claim-kind");
    const ratingId = newId("claim-rating");
    const noteId = newId("claim-note");
    let chosen = null;
    let picked = false; // the reader chose a colour: the rating no longer decides it
    const ratingLabel = (value) =>
      (config.claimRatings.find((r) => r.value === value) || { label: value }).label;
    const colours = colourPicker(palette, defaultColour(palette), {
      hint: "",
      onPick: () => {
        picked = true;
        colours.setHint("Your pick.");
      },
    });
    /** The claim's colour follows its rating (the chosen claim's, else the form's). */
    function followRating() {
      if (picked) return;
      const value = chosen ? chosen.rating : rating.value;
      const colour = colourForRating(value, palette);
      colours.set(colour);
      colours.setHint(`Follows the rating (${ratingLabel(value)}: ${colour}) unless you pick one.`);
    }

    const find = h("input", {
      id: findId,
      type: "search",
      class: "text-input",
      "aria-describedby": findHint,
    });
    const chosenNote = h("p", { class: "chosen-claim", hidden: true, role: "status" });
    const combo = combobox({
      input: find,
      listLabel: "Existing claims",
      openOnFocus: false,
      fetchOptions: async (q) => {
        const claims = await api.searchClaims(q);
        return claims.slice(0, 8).map((c) => ({
          label: c.text.length > 120 ? `${c.text.slice(0, 119)}…` : c.text,
          detail: [ratingLabel(c.rating), c.claimant].filter(Boolean).join(" · "),
          value: c,
        }));
      },
      onChoose: (option) => {
        chosen = option.value;
        find.value = chosen.text;
        fresh.hidden = true;
        fresh.disabled = true;
        chosenNote.hidden = false;
        chosenNote.replaceChildren(
          "This passage will carry the existing claim, rated ",
          h("span", { class: `rating rating--${chosen.rating}` }, ratingLabel(chosen.rating)),
          ". Clear the search to record a new claim instead.",
        );
        followRating();
      },
    });
    find.addEventListener("input", () => {
      if (chosen) {
        chosen = null;
        fresh.hidden = false;
        fresh.disabled = false;
        chosenNote.hidden = true;
        followRating();
      }
    });

    const text = h("textarea", { id: textId, rows: 3, class: "text-input", "aria-required": "true" });
    text.value = selector().exact;
    const claimant = h("input", {
      id: claimantId,
      type: "text",
      class: "text-input",
      placeholder: "e.g. Mohammad Alloush",
    });
    const select = (id, options, selected) =>
      h(
        "select",
        { id, class: "text-input" },
        ...options.map((o) => h("option", { value: o.value, selected: o.value === selected }, o.label)),
      );
    const kind = select(kindId, config.claimKinds, config.claimKinds[0] && config.claimKinds[0].value);
    const rating = select(ratingId, config.claimRatings, "unrated");
    rating.addEventListener("change", followRating);
    followRating();
    const fresh = h(
      "fieldset",
      { class: "new-claim" },
      h("legend", {}, "Or record a new claim"),
      h("div", { class: "field" }, h("label", { for: textId }, "Statement"), text),
      h("div", { class: "field" }, h("label", { for: claimantId }, "Claimant"), claimant),
      h(
        "div",
        { class: "field-row" },
        h("div", { class: "field" }, h("label", { for: kindId }, "Kind"), kind),
        h("div", { class: "field" }, h("label", { for: ratingId }, "Rating"), rating),
      ),
    );
    const note = h("textarea", { id: noteId, rows: 2, class: "text-input" });
    const form = h(
      "form",
      { class: "pop-form pop-form--claim", "aria-label": "Mark the selection as a claim", novalidate: true },
      quote(),
      h(
        "div",
        { class: "field" },
        h("label", { for: findId }, "Find an existing claim"),
        combo.wrapper,
        h("p", { class: "hint", id: findHint }, "Type words of the claim, or press ↓ to list recent ones."),
        chosenNote,
      ),
      fresh,
      h(
        "div",
        { class: "field" },
        h("label", { for: noteId }, "Note ", h("span", { class: "muted" }, "(optional)")),
        note,
      ),
      colours.el,
      privacyControls(),
      alert.el,
      formActions("Save claim"),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!chosen && !text.value.trim()) {
        alert.show("Write the statement, or choose an existing claim.");
        text.focus();
        return;
      }
      let created = null;
      const build = async () => {
        let iri;
        if (chosen) {
          iri = chosen.id;
        } else {
          const { data } = await api.createClaim({
            text: text.value.trim(),
            claimant: claimant.value.trim(),
            kind: kind.value,
            rating: rating.value,
          });
          created = data;
          iri = data.id;
        }
        return payload("assessing", { claim: iri, note: note.value.trim(), colour: colours.value() });
      };
      const message = chosen ? "Claim linked." : "Claim recorded.";
      submit(form, alert, build, message).then((saved) => {
        // The claim was recorded but the annotation was refused: do not leave it behind.
        if (created && !saved) api.deleteClaim(created.pk).catch(() => {});
        created = null;
      });
    });
    return { form, first: find };
  }

  return { comment: commentForm, tag: tagForm, claim: claimForm };
}
