// Saving from the selection toolbar: the W3C annotation of the selected passage (its quote and
// position, colour and audience: the layer shown, layer.js), a highlight in one step or what a form built. After a save
// the toolbar closes and the page is re-rendered from the server; a refusal shows in the alert
// of the form (or of the toolbar) and the reader can try again.

import { ANNO_CONTEXT, idFromIri } from "./api.js";
import { setBusy } from "./forms.js";
import { audience } from "./layer.js";

/** The annotation of the passage `selector` picks out of the article at `source`. */
export function passageAnnotation(
  { exact, prefix, suffix, start, end },
  { source, motivation, colour, isPrivate, note = "", tags = [], claim = null },
) {
  const body = [];
  if (note) body.push({ type: "TextualBody", value: note, format: "text/markdown", purpose: "commenting" });
  for (const tag of tags) body.push({ type: "TextualBody", value: tag, purpose: "tagging" });
  const annotation = {
    "@context": ANNO_CONTEXT,
    type: "Annotation",
    motivation,
    target: {
      source,
      selector: [
        { type: "TextQuoteSelector", exact, prefix, suffix },
        { type: "TextPositionSelector", start, end },
      ],
    },
    colour,
    ...audience(isPrivate),
  };
  if (body.length) annotation.body = body;
  if (claim) annotation.claim = claim;
  return annotation;
}

/** finish() closes the toolbar after a save, onSaved(id, message) re-renders the page, place()
 * puts the toolbar back by the passage once an alert has changed its size. */
export function createSaving({ api, onSaved, finish, place }) {
  let highlighting = false;

  /** Save what makePayload() builds; true when saved. */
  async function save(makePayload, alert, message) {
    alert.clear();
    try {
      const { data } = await api.createAnnotation(await makePayload());
      finish();
      await onSaved(idFromIri(data.id), message);
      return true;
    } catch (error) {
      alert.show(error);
      place();
      return false;
    }
  }

  return {
    /** A highlight straight from the toolbar (one at a time). */
    async highlight(makePayload, alert, message) {
      if (highlighting) return;
      highlighting = true;
      try {
        await save(makePayload, alert, message);
      } finally {
        highlighting = false;
      }
    },
    /** Save what a form built; true when saved (the page is then re-rendered). */
    async submit(form, alert, makePayload, message) {
      if (!setBusy(form, true)) return false;
      try {
        return await save(makePayload, alert, message);
      } finally {
        setBusy(form, false);
      }
    },
  };
}
