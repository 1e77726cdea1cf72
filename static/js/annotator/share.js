// Share links. Every card's "Share" copies its permalink (/annotations/<id>/, which the server
// answers with the article opened at it, or a page saying it cannot be shown) and says "Link
// copied"; where the clipboard cannot be written, the link is shown selected in a small field
// to copy by hand. Arriving through such a link (?annotation=<id>), the card is selected and
// focused and its passage scrolled into view and marked.

import { topCard } from "./cards.js";
import { announce, h, newId } from "./dom.js";

/** The card's share link, absolute. */
export function shareUrl(card) {
  return new URL(card.dataset.permalink || `/annotations/${card.dataset.id}/`, window.location.origin).href;
}

async function writeClipboard(text) {
  if (!window.isSecureContext || !navigator.clipboard || !navigator.clipboard.writeText) {
    throw new Error("no clipboard");
  }
  await navigator.clipboard.writeText(text);
}

/** forms: the card forms (cards.js), so that the fallback field closes like them. */
export function createShare({ forms }) {
  function clearFeedback(card) {
    for (const old of card.querySelectorAll(":scope > .card-share")) old.remove();
  }

  function place(card, opener, el) {
    const actions = opener.closest(".card__actions");
    (actions || card.querySelector(":scope > .card__meta") || card.lastElementChild).after(el);
  }

  async function copy(card, opener) {
    const url = shareUrl(card);
    forms.closeCardForms();
    clearFeedback(card);
    try {
      await writeClipboard(url);
    } catch {
      showField(card, opener, url);
      return;
    }
    const done = h("p", { class: "card-share card-share--done hint" }, "Link copied");
    place(card, opener, done);
    announce("Link copied");
    setTimeout(() => done.remove(), 4000);
  }

  function showField(card, opener, url) {
    const id = newId("share-link");
    const input = h("input", { id, type: "url", class: "text-input card-share__url", readonly: true, value: url });
    const box = h(
      "div",
      { class: "card-form card-share", role: "group", "aria-label": "Share link" },
      h("label", { for: id }, "Copy this link (Ctrl+C or ⌘C)"),
      input,
      h(
        "button",
        { type: "button", class: "button button--quiet button--small", onclick: () => forms.dismiss(box) },
        "Done",
      ),
    );
    box._opener = opener;
    place(card, opener, box);
    input.focus();
    input.select();
    announce("The link is selected: copy it with Ctrl+C.");
  }

  /** Arriving through a share link: select the card, mark and show its passage, focus the
   * card. Returns whether the page was opened at an annotation. */
  function openShared(side) {
    const id = new URLSearchParams(window.location.search).get("annotation");
    if (!id || !/^\d{1,18}$/.test(id)) return false;
    const card = document.getElementById(`card-${id}`);
    if (!card) {
      announce("That annotation is not on this page any more.");
      return false;
    }
    // The fragment (#hl-12, for a page without this script) would take focus from the card
    // when the browser scrolls to it after this runs: drop it, keep ?annotation= for reloads.
    if (window.location.hash) {
      window.history.replaceState(window.history.state, "", window.location.pathname + window.location.search);
    }
    const top = topCard(card);
    side.selectCards([top.dataset.id]);
    const inText = Boolean(top.closest("#panel-cards")) && top.dataset.start !== "";
    if (inText) side.showInText(top.dataset.id);
    side.reveal(); // on a phone the cards are in a sheet that may be closed
    card.classList.add("is-selected");
    card.focus({ preventScroll: true });
    const box = card.getBoundingClientRect();
    if (!inText || box.bottom < 0 || box.top > window.innerHeight) card.scrollIntoView({ block: "nearest" });
    return true;
  }

  return { copy, openShared };
}
