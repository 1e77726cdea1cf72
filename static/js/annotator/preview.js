// The card of a highlight, shown next to it on hover or keyboard focus (and on tap, which
// focuses it). A copy of the sidebar card without links or buttons: the highlight's
// aria-describedby already points screen readers at the real card, so the copy is aria-hidden.
// Escape, moving away or pressing elsewhere hides it.

import { h, placeNear } from "./dom.js";

export const idsOf = (mark) => (mark.dataset.ids || "").split(/\s+/).filter(Boolean);

function copyOfCard(card) {
  const copy = card.cloneNode(true);
  for (const name of ["id", "tabindex", "aria-label"]) copy.removeAttribute(name);
  for (const name of Object.keys(copy.dataset)) delete copy.dataset[name];
  copy.classList.remove("is-selected");
  copy.querySelectorAll("[id]").forEach((el) => el.removeAttribute("id"));
  copy
    .querySelectorAll(".card__actions, .card-form, .card-confirm, .card__quote")
    .forEach((el) => el.remove());
  const replies = copy.querySelector(".card__replies");
  if (replies) {
    const n = replies.children.length;
    replies.replaceWith(h("p", { class: "card__reply-count" }, `${n} repl${n === 1 ? "y" : "ies"}`));
  }
  for (const link of copy.querySelectorAll("a")) {
    link.replaceWith(h("span", { class: link.className }, ...link.childNodes));
  }
  return copy;
}

/** body: the article body; suppressed(): true while the selection toolbar is open. */
export function createPreview({ body, suppressed }) {
  const preview = h("div", { class: "hl-preview", "aria-hidden": "true", hidden: true });
  document.body.append(preview);
  let shownFor = null;
  let timer = null;

  function show(mark) {
    clearTimeout(timer);
    if (suppressed() || (shownFor === mark && !preview.hidden)) return;
    const cards = idsOf(mark)
      .map((id) => document.getElementById(`card-${id}`))
      .filter(Boolean);
    if (!cards.length) return;
    preview.replaceChildren(...cards.map(copyOfCard));
    preview.hidden = false;
    shownFor = mark;
    const rects = Array.from(mark.getClientRects());
    placeNear(preview, rects[rects.length - 1] || mark.getBoundingClientRect(), { prefer: "below" });
  }

  function hide() {
    clearTimeout(timer);
    preview.hidden = true;
    preview.replaceChildren();
    shownFor = null;
  }

  function hideSoon() {
    clearTimeout(timer);
    timer = setTimeout(hide, 200); // time to move the pointer onto the card
  }

  const markOf = (node) => (node && node.closest ? node.closest("mark.hl") : null);

  // After a write the text is re-rendered under a pointer that has not moved (it rests on the
  // new highlight): that is no hover, and a card popping up there would cover the next lines.
  let lastPointer = null;
  let restingAt = null;
  document.addEventListener(
    "mousemove",
    (event) => {
      lastPointer = [event.clientX, event.clientY];
    },
    { passive: true },
  );
  document.addEventListener("annotator:refreshed", () => {
    restingAt = lastPointer;
  });
  const resting = (event) =>
    Boolean(restingAt) &&
    Math.abs(event.clientX - restingAt[0]) < 1 &&
    Math.abs(event.clientY - restingAt[1]) < 1;

  body.addEventListener("mouseover", (event) => {
    const mark = markOf(event.target);
    if (resting(event)) return;
    restingAt = null;
    if (mark && event.buttons === 0) show(mark);
  });
  body.addEventListener("mouseout", (event) => {
    const mark = markOf(event.target);
    const to = event.relatedTarget;
    if (mark && !(to && (mark.contains(to) || preview.contains(to)))) hideSoon();
  });
  preview.addEventListener("mouseenter", () => clearTimeout(timer));
  preview.addEventListener("mouseleave", hideSoon);
  body.addEventListener("focusin", (event) => {
    const mark = markOf(event.target);
    if (mark) show(mark);
  });
  body.addEventListener("focusout", (event) => {
    if (markOf(event.target)) hide();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !preview.hidden) hide();
  });
  document.addEventListener("pointerdown", (event) => {
    if (!preview.contains(event.target) && !markOf(event.target)) hide();
  });

  return { hide };
}
