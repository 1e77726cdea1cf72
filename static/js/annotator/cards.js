// Reply, edit and delete on the sidebar's cards: small forms inside the card. Anyone signed in
// replies; only the creator sees Edit and Delete (data-mine on the card, see card-actions.js).
// Escape or Cancel closes a form and returns focus to the button that opened it.

import { ANNO_CONTEXT } from "./api.js";
import { alertBox, h, newId } from "./dom.js";
import { colourPicker, setBusy, submitOnCtrlEnter, tagField } from "./forms.js";

/** Is this card a reply (inside another card's thread)? */
export const isReply = (card) =>
  Boolean(card.parentElement && card.parentElement.closest(".card__replies"));

/** The thread's first card for a card or one of its replies. */
export const topCard = (card) =>
  isReply(card) ? card.parentElement.closest(".card__replies").closest(".card") : card;

/** refresh({focusCard, focusHeading, message}) re-renders the page from the server. */
export function createCardForms({ sidebar, config, api, refresh }) {
  function closeCardForms(except = null) {
    for (const open of sidebar.querySelectorAll(".card-form, .card-confirm")) {
      if (open !== except) dismiss(open, false);
    }
  }

  function dismiss(box, restoreFocus = true) {
    const card = box.closest(".card");
    const opener = box._opener;
    box.remove();
    if (card) {
      const note = card.querySelector(":scope > .card__note");
      if (note) note.hidden = false;
    }
    if (restoreFocus && opener && document.contains(opener)) opener.focus();
  }

  function actionsRow(submitLabel, box) {
    return h(
      "div",
      { class: "card-form__actions" },
      h("button", { type: "submit", class: "button button--small" }, submitLabel),
      h(
        "button",
        { type: "button", class: "button button--quiet button--small", onclick: () => dismiss(box) },
        "Cancel",
      ),
    );
  }

  function insertInCard(card, box) {
    const actions = card.querySelector(":scope > .card__actions");
    (actions || card.querySelector(":scope > .card__meta")).after(box);
  }

  function openReply(card, opener) {
    closeCardForms();
    const id = newId("reply");
    const alert = alertBox();
    const text = h("textarea", { id, rows: 3, class: "text-input" });
    const form = h("form", {
      class: "card-form",
      "aria-label": `Reply to ${card.dataset.author}`,
      novalidate: true,
    });
    form._opener = opener;
    form.append(h("label", { for: id }, "Your reply"), text, alert.el, actionsRow("Post reply", form));
    submitOnCtrlEnter(form);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!text.value.trim()) {
        alert.show("Write a reply first.");
        text.focus();
        return;
      }
      if (!setBusy(form, true)) return;
      try {
        const { data } = await api.createAnnotation({
          "@context": ANNO_CONTEXT,
          type: "Annotation",
          motivation: "replying",
          target: api.annotationIri(card.dataset.id),
          body: { type: "TextualBody", value: text.value, format: "text/markdown", purpose: "replying" },
          visibility: card.dataset.visibility === "private" ? "private" : "public",
        });
        await refresh({ focusCard: idOf(data.id), message: "Reply posted." });
      } catch (error) {
        alert.show(error);
        setBusy(form, false);
      }
    });
    insertInCard(card, form);
    text.focus();
  }

  function idOf(iri) {
    const match = String(iri || "").match(/(\d+)\/?$/);
    return match ? Number(match[1]) : null;
  }

  async function openEdit(card, opener) {
    closeCardForms();
    const id = card.dataset.id;
    const reply = isReply(card);
    const alert = alertBox();
    const form = h(
      "form",
      {
        class: "card-form",
        "aria-label": reply ? "Edit your reply" : "Edit your annotation",
        "aria-busy": "true",
        novalidate: true,
      },
      h("p", { class: "hint" }, "Loading…"),
    );
    form._opener = opener;
    insertInCard(card, form);
    let record;
    try {
      record = await api.getAnnotation(id);
    } catch (error) {
      form.replaceChildren(alert.el, actionsRow("Save", form));
      alert.show(error);
      return;
    }
    const data = record.data;
    const bodies = Array.isArray(data.body) ? data.body : data.body ? [data.body] : [];
    const noteBody = bodies.find(
      (b) => b.type === "TextualBody" && b.purpose !== "tagging" && b.purpose !== "assessing",
    );
    const kept = bodies.filter((b) => b.purpose === "assessing");
    const tags = bodies.filter((b) => b.purpose === "tagging").map((b) => b.value);

    const noteId = newId("edit-note");
    const note = h("textarea", { id: noteId, rows: 4, class: "text-input" });
    note.value = noteBody ? noteBody.value : "";
    const tagInput = reply ? null : tagField({ api, initial: tags });
    const colours = reply ? null : colourPicker(config.palette, data.colour);
    const privateBox = h("input", { type: "checkbox", checked: data.visibility === "private" });
    form.replaceChildren(
      h("div", { class: "field" }, h("label", { for: noteId }, reply ? "Your reply" : "Note"), note),
      tagInput ? tagInput.el : null,
      colours ? colours.el : null,
      h("label", { class: "check" }, privateBox, " Private (only you)"),
      alert.el,
      actionsRow("Save changes", form),
    );
    form.setAttribute("aria-busy", "false");
    const noteView = card.querySelector(":scope > .card__note");
    if (noteView) noteView.hidden = true;
    submitOnCtrlEnter(form);
    note.focus();

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (reply && !note.value.trim()) {
        alert.show("A reply cannot be empty; delete it instead.");
        note.focus();
        return;
      }
      const text = note.value.trim() ? note.value : "";
      const newBodies = [...kept];
      if (text) {
        newBodies.unshift({
          type: "TextualBody",
          value: text,
          format: "text/markdown",
          purpose: reply ? "replying" : "commenting",
        });
      }
      for (const tag of tagInput ? tagInput.values() : []) {
        newBodies.push({ type: "TextualBody", value: tag, purpose: "tagging" });
      }
      const updated = { ...data, "@context": ANNO_CONTEXT, body: newBodies };
      if (!reply && text && data.motivation === "highlighting") updated.motivation = "commenting";
      if (colours) updated.colour = colours.value();
      updated.visibility = privateBox.checked ? "private" : "public";
      if (!setBusy(form, true)) return;
      try {
        await api.updateAnnotation(id, updated, record.etag || `"a${id}v${card.dataset.version}"`);
        await refresh({ focusCard: id, message: "Changes saved." });
      } catch (error) {
        alert.show(error);
        setBusy(form, false);
      }
    });
  }

  function openDelete(card, opener) {
    closeCardForms();
    const id = card.dataset.id;
    const replies = card.querySelectorAll(".card__replies .card").length;
    const alert = alertBox();
    const question = replies
      ? `Delete this annotation and its ${replies} repl${replies === 1 ? "y" : "ies"}?`
      : isReply(card)
        ? "Delete this reply?"
        : "Delete this annotation?";
    const keep = h("button", { type: "button", class: "button button--quiet button--small" }, "Keep it");
    const confirm = h(
      "button",
      { type: "button", class: "button button--danger button--small" },
      "Yes, delete",
    );
    const questionId = newId("confirm");
    const box = h(
      "div",
      { class: "card-confirm", role: "group", "aria-labelledby": questionId },
      h("p", { id: questionId }, question),
      h("div", { class: "card-form__actions" }, confirm, keep),
      alert.el,
    );
    box._opener = opener;
    keep.addEventListener("click", () => dismiss(box));
    confirm.addEventListener("click", async () => {
      if (box.dataset.busy) return;
      box.dataset.busy = "1";
      const list = Array.from(card.parentElement.parentElement.children);
      const index = list.indexOf(card.parentElement);
      const neighbour = list[index + 1] || list[index - 1];
      const neighbourCard = neighbour && neighbour.querySelector(":scope > .card");
      const parent = isReply(card) ? topCard(card) : null;
      try {
        await api.deleteAnnotation(id, `"a${id}v${card.dataset.version}"`);
        const next = neighbourCard ? neighbourCard.dataset.id : parent ? parent.dataset.id : null;
        await refresh({ focusCard: next, focusHeading: !next, message: "Annotation deleted." });
      } catch (error) {
        delete box.dataset.busy;
        alert.show(error);
      }
    });
    insertInCard(card, box);
    keep.focus();
  }

  return { openReply, openEdit, openDelete, dismiss, closeCardForms };
}
