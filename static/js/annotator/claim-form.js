// The selection toolbar's Claim form: find an existing claim (a combobox of claims) or record a
// new one, its statement prefilled from the quote, with claimant, kind and rating; an optional
// note. The colour follows the rating (the chosen claim's, else the form's) until the reader
// picks one.

import { combobox } from "./combobox.js";
import { colourForRating, defaultColour } from "./defaults.js";
import { alertBox, h, newId } from "./dom.js";
import { colourPicker, field } from "./forms.js";
import { popForm } from "./pop-form.js";

/** A colour picker whose follow(rating) shows that rating's colour until the reader picks one. */
function ratingColours(palette, ratingLabel) {
  let picked = false; // the reader chose a colour: the rating no longer decides it
  const colours = colourPicker(palette, defaultColour(palette), {
    hint: "",
    onPick: () => {
      picked = true;
      colours.setHint("Your pick.");
    },
  });
  function follow(rating) {
    if (picked) return;
    const colour = colourForRating(rating, palette);
    colours.set(colour);
    colours.setHint(`Follows the rating (${ratingLabel(rating)}: ${colour}) unless you pick one.`);
  }
  return { ...colours, follow };
}

/** The search for an existing claim; onChange(claim) runs when one is chosen, and with null
 * when the search is typed in again. */
function claimSearch({ api, ids, ratingLabel, onChange }) {
  let chosen = null;
  const input = h("input", { id: ids.find, type: "search", class: "text-input", "aria-describedby": ids.findHint });
  const chosenNote = h("p", { class: "chosen-claim", hidden: true, role: "status" });
  const combo = combobox({
    input,
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
      input.value = chosen.text;
      chosenNote.hidden = false;
      chosenNote.replaceChildren(
        "This passage will carry the existing claim, rated ",
        h("span", { class: `rating rating--${chosen.rating}` }, ratingLabel(chosen.rating)),
        ". Clear the search to record a new claim instead.",
      );
      onChange(chosen);
    },
  });
  input.addEventListener("input", () => {
    if (!chosen) return;
    chosen = null;
    chosenNote.hidden = true;
    onChange(null);
  });
  const hint = h("p", { class: "hint", id: ids.findHint }, "Type words of the claim, or press ↓ to list recent ones.");
  const el = field(ids.find, "Find an existing claim", combo.wrapper, hint, chosenNote);
  return { el, input, chosen: () => chosen };
}

function select(id, options, selected) {
  return h(
    "select",
    { id, class: "text-input" },
    ...options.map((o) => h("option", { value: o.value, selected: o.value === selected }, o.label)),
  );
}

/** A new claim: its statement (`statement` to start with), claimant, kind and rating. */
function newClaimFields({ ids, config, statement, onRating }) {
  const text = h("textarea", { id: ids.text, rows: 3, class: "text-input", "aria-required": "true" });
  text.value = statement;
  const claimant = h("input", {
    id: ids.claimant,
    type: "text",
    class: "text-input",
    placeholder: "e.g. Mohammad Alloush",
  });
  const kind = select(ids.kind, config.claimKinds, config.claimKinds[0] && config.claimKinds[0].value);
  const rating = select(ids.rating, config.claimRatings, "unrated");
  rating.addEventListener("change", onRating);
  const el = h(
    "fieldset",
    { class: "new-claim" },
    h("legend", {}, "Or record a new claim"),
    field(ids.text, "Statement", text),
    field(ids.claimant, "Claimant", claimant),
    h("div", { class: "field-row" }, field(ids.kind, "Kind", kind), field(ids.rating, "Rating", rating)),
  );
  const values = () => ({
    text: text.value.trim(),
    claimant: claimant.value.trim(),
    kind: kind.value,
    rating: rating.value,
  });
  return { el, text, rating, values };
}

/** Save the annotation with the chosen claim, or with a new claim recorded first; a new claim
 * whose annotation is then refused is deleted again. */
function saveClaim(ctx, { form, alert, chosen, fresh, note, colours }) {
  let created = null;
  const build = async () => {
    let iri;
    if (chosen) {
      iri = chosen.id;
    } else {
      const { data } = await ctx.api.createClaim(fresh.values());
      created = data;
      iri = data.id;
    }
    return ctx.payload("assessing", { claim: iri, note: note.value.trim(), colour: colours.value() });
  };
  const message = chosen ? "Claim linked." : "Claim recorded.";
  ctx.submit(form, alert, build, message).then((saved) => {
    // The claim was recorded but the annotation was refused: do not leave it behind.
    if (created && !saved) ctx.api.deleteClaim(created.pk).catch(() => {});
    created = null;
  });
}

/** The form's ids, made in this order. */
const ID_PREFIXES = {
  find: "claim-find",
  findHint: "claim-find-hint",
  text: "claim-text",
  claimant: "claimant",
  kind: "claim-kind",
  rating: "claim-rating",
  note: "claim-note",
};

export function claimForm(ctx) {
  const { api, config } = ctx;
  const alert = alertBox();
  const ids = {};
  for (const [name, prefix] of Object.entries(ID_PREFIXES)) ids[name] = newId(prefix);
  const ratingLabel = (value) => (config.claimRatings.find((r) => r.value === value) || { label: value }).label;
  const colours = ratingColours(config.palette, ratingLabel);
  /** The claim's colour follows its rating (the chosen claim's, else the form's). */
  const followRating = () => colours.follow(search.chosen() ? search.chosen().rating : fresh.rating.value);
  const search = claimSearch({
    api,
    ids,
    ratingLabel,
    onChange: (claim) => {
      fresh.el.hidden = Boolean(claim);
      fresh.el.disabled = Boolean(claim);
      followRating();
    },
  });
  const fresh = newClaimFields({ ids, config, statement: ctx.selector().exact, onRating: followRating });
  followRating();
  const note = h("textarea", { id: ids.note, rows: 2, class: "text-input" });
  const form = popForm(ctx, {
    className: "pop-form pop-form--claim",
    label: "Mark the selection as a claim",
    fields: [search.el, fresh.el, field(ids.note, ["Note ", h("span", { class: "muted" }, "(optional)")], note)],
    colours,
    alert,
    saveLabel: "Save claim",
    missing: () =>
      search.chosen() || fresh.text.value.trim()
        ? null
        : ["Write the statement, or choose an existing claim.", fresh.text],
    save: (form) => saveClaim(ctx, { form, alert, chosen: search.chosen(), fresh, note, colours }),
  });
  return { form, first: search.input };
}
