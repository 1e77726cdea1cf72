// The buttons under each sidebar card: Show in text (a top card anchored in the text), Reply
// (anyone signed in, not on a reply), Share, and Edit and Delete on the reader's own cards
// (data-mine, or the card's author is the signed-in reader: a page shared by many readers
// cannot say whose it is, and the server checks every edit and delete anyway).

import { isReply } from "./cards.js";
import { h } from "./dom.js";

/** Is this card in the cards tab and anchored in the text (it has a passage to show)? */
export const inText = (card) => Boolean(card.closest("#panel-cards")) && card.dataset.start !== "";

function actionButton(action, label, extra = {}) {
  return h("button", { type: "button", class: "card__action", dataset: { cardAction: action }, ...extra }, label);
}

/** Give the card its buttons (once: the server renders none) and make it focusable. */
export function decorateCard(card, { signedIn, username }) {
  card.tabIndex = -1;
  if (signedIn && username && card.dataset.author === username) card.dataset.mine = "1";
  if (card.querySelector(":scope > .card__actions")) return;
  const reply = isReply(card);
  const buttons = [];
  if (!reply && inText(card)) buttons.push(actionButton("show", "Show in text"));
  if (!reply && signedIn) buttons.push(actionButton("reply", "Reply"));
  buttons.push(actionButton("share", "Share", { "aria-label": "Share: copy a link to this annotation" }));
  if (card.dataset.mine === "1") {
    buttons.push(actionButton("edit", "Edit"));
    buttons.push(actionButton("delete", "Delete", { class: "card__action card__action--danger" }));
  }
  if (!buttons.length) return;
  const actions = h("div", { class: "card__actions" }, ...buttons);
  const meta = card.querySelector(":scope > .card__meta");
  if (meta) meta.after(actions);
  else card.append(actions);
}
