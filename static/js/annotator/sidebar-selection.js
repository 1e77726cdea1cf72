// Which annotation is selected, in the sidebar and in the text together: a highlight clicked
// selects its cards (scrolling the sticky margin to them), "Show in text" scrolls to the
// passage and flashes it, and after a write focus goes to the new highlight or card.

import { topCard } from "./cards.js";
import { scrollIntoViewNicely } from "./dom.js";

function marksFor(body, id) {
  return Array.from(body.querySelectorAll(`mark.hl[data-ids~="${CSS.escape(String(id))}"]`));
}

function firstMark(body, id) {
  return document.getElementById(`hl-${id}`) || marksFor(body, id)[0] || null;
}

function flash(marks) {
  for (const mark of marks) {
    mark.classList.remove("is-flashing");
    void mark.offsetWidth; // restart the animation
    mark.classList.add("is-flashing");
    setTimeout(() => mark.classList.remove("is-flashing"), 1600);
  }
}

/** tabs (sidebar-tabs.js) and filters (sidebar-filters.js) so that a selected card shows;
 * preview: the hover card; reveal() opens the sidebar where it is a sheet (a phone). */
export function createCardSelection({ sidebar, body, tabs, filters, preview, reveal }) {
  let selected = [];

  function markSelected(ids) {
    selected = ids.map(String);
    for (const card of sidebar.querySelectorAll(".card.is-selected")) card.classList.remove("is-selected");
    for (const mark of body.querySelectorAll("mark.hl.is-active")) mark.classList.remove("is-active");
    for (const id of selected) {
      const card = document.getElementById(`card-${id}`);
      if (card) card.classList.add("is-selected");
      for (const mark of marksFor(body, id)) mark.classList.add("is-active");
    }
  }

  /** Select the cards of these annotations (a highlight was clicked); optionally focus the last. */
  function selectCards(ids, { focus = false } = {}) {
    const cards = ids.map((id) => document.getElementById(`card-${id}`)).filter(Boolean);
    if (!cards.length) return null;
    const target = cards[cards.length - 1];
    if (cards.some((c) => c.parentElement.hidden)) filters.reset();
    tabs.selectFor(target);
    markSelected(ids);
    if (focus) {
      reveal(); // on a phone the cards are in a sheet that may be closed
      target.focus();
    } else if (getComputedStyle(sidebar).position === "sticky") {
      target.scrollIntoView({ block: "nearest" }); // only inside the sticky margin column
    }
    return target;
  }

  /** Scroll to an annotation's highlight and flash it; optionally move focus there. */
  function showInText(id, { focus = false } = {}) {
    const first = firstMark(body, id);
    if (!first) return;
    markSelected([id]);
    scrollIntoViewNicely(first);
    flash(marksFor(body, id));
    if (focus) first.focus({ preventScroll: true });
  }

  /** Select `id` and focus `el` (its highlight or card) where it already is. */
  function focusOn(el, id) {
    selectCards([id]);
    el.focus({ preventScroll: true });
    el.scrollIntoView({ block: "nearest" });
  }

  /** After a write the page was re-rendered: focus the new highlight, else the card, else the
   * sidebar's heading. */
  function focusAfterRender({ focusMark, focusCard, focusHeading }) {
    preview.hide();
    const mark = focusMark && firstMark(body, focusMark);
    if (mark) {
      focusOn(mark, String(focusMark));
      preview.hide();
      return;
    }
    const cardId = focusMark || focusCard;
    const card = cardId && document.getElementById(`card-${cardId}`);
    if (card) {
      focusOn(card, topCard(card).dataset.id);
      return;
    }
    if (focusHeading) {
      const heading = sidebar.querySelector("#sidebar-heading");
      if (heading) heading.focus();
    }
  }

  return {
    selectCards,
    showInText,
    focusAfterRender,
    /** After a render: the selection again, on the cards still there. */
    restore: () => markSelected(selected.filter((id) => document.getElementById(`card-${id}`))),
  };
}
