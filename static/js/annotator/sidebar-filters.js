// The sidebar's filters (the layer shown, tag, colour, kind, author, only mine; the layer's
// select sits at the sidebar's top, in the form by its form attribute): the cards that do not match are
// hidden and their highlights dimmed, a status line counts what shows, "Show all" resets them,
// and the summary says how many are on. The choices survive the sidebar's re-rendering.

import { h } from "./dom.js";
import { idsOf } from "./preview.js";

const FILTERS = ["layer", "tag", "colour", "motivation", "author", "mine"];

function matches(card, f) {
  if (f.layer && card.dataset.layer !== f.layer) return false;
  if (f.tag) {
    const tags = (card.dataset.tags || "").split("|").map((t) => t.toLowerCase());
    if (!tags.includes(f.tag.toLowerCase())) return false;
  }
  if (f.colour && card.dataset.colour !== f.colour) return false;
  if (f.motivation && card.dataset.motivation !== f.motivation) return false;
  if (f.author && card.dataset.author !== f.author) return false;
  if (f.mine && card.dataset.mine !== "1") return false;
  return true;
}

/** Dim the highlights all of whose annotations are hidden. */
function dimMarks(body, hidden) {
  for (const mark of body.querySelectorAll("mark.hl")) {
    const ids = idsOf(mark);
    mark.classList.toggle("hl--dimmed", ids.length > 0 && ids.every((id) => hidden.has(id)));
  }
}

function statusText(shown, total) {
  return shown ? `Showing ${shown} of ${total}.` : `No annotation matches these filters (${total} in all).`;
}

export function createFilters({ sidebar, body }) {
  let filters = {};
  const form = () => sidebar.querySelector("#card-filters");
  const fields = () => FILTERS.map((name) => [name, form().elements[name]]).filter(([, field]) => field);

  /** Show the form with the reader's choices (a choice no longer offered is dropped). */
  function setup() {
    if (!form()) return;
    form().hidden = false;
    for (const [name, field] of fields()) {
      const value = filters[name] || "";
      if (field.type === "checkbox") field.checked = value === "1";
      else if (Array.from(field.options).some((o) => o.value === value)) field.value = value;
      else filters[name] = "";
    }
    if (!form().querySelector(".filter-reset")) {
      form().append(
        h(
          "div",
          { class: "filters__footer" },
          h("p", { class: "filter-status", role: "status" }),
          h("button", { type: "button", class: "link-button filter-reset", hidden: true }, "Show all"),
        ),
      );
    }
  }

  function read() {
    if (!form()) return;
    for (const [name, field] of fields()) {
      filters[name] = field.type === "checkbox" ? (field.checked ? "1" : "") : field.value;
    }
  }

  function apply() {
    const cards = Array.from(sidebar.querySelectorAll("#panel-cards .cards > li > .card"));
    const hidden = new Set();
    let shown = 0;
    for (const card of cards) {
      const ok = matches(card, filters);
      card.parentElement.hidden = !ok;
      if (ok) shown += 1;
      else hidden.add(card.dataset.id);
    }
    dimMarks(body, hidden);
    showCounts(shown, cards.length);
  }

  function showCounts(shown, total) {
    const on = Object.values(filters).filter(Boolean).length;
    const status = sidebar.querySelector(".filter-status");
    const reset = sidebar.querySelector(".filter-reset");
    if (status) status.textContent = on ? statusText(shown, total) : "";
    if (reset) reset.hidden = !on;
    const count = sidebar.querySelector("#filter-count");
    if (count) {
      count.textContent = on ? ` (${on} active)` : "";
      count.closest("summary").classList.toggle("is-filtered", on > 0);
    }
  }

  function reset() {
    filters = {};
    setup();
    apply();
  }

  /** "Show all": every card again, focus on the first filter. */
  function showAll() {
    reset();
    const first = form() && form().querySelector("select");
    if (first) first.focus();
  }

  return { setup, read, apply, reset, showAll };
}
