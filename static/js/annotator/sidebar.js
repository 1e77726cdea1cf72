// The margin sidebar (server-rendered cards): tabs with arrow keys, filters, card <-> highlight
// linking, and the wiring of reply / edit / delete (cards.js) and of the hover card (preview.js).

import { createCardForms, isReply, topCard } from "./cards.js";
import { h, scrollIntoViewNicely } from "./dom.js";
import { createPageNotes } from "./pagenotes.js";
import { createPreview, idsOf } from "./preview.js";
import { createShare } from "./share.js";

const FILTERS = ["tag", "colour", "motivation", "author", "mine"];

export function createSidebar({ sidebar, body, config, api, refresh, toolbarOpen, reveal = () => {} }) {
  const state = { tab: "tab-cards", filters: {}, selected: [], toolsOpen: false };
  const forms = createCardForms({ sidebar, config, api, refresh });
  const pageNotes = createPageNotes({ sidebar, config, api, refresh, forms });
  const share = createShare({ forms });
  const preview = createPreview({ body, suppressed: toolbarOpen });

  // --- after every render ------------------------------------------------------------------

  function decorate() {
    const tools = sidebar.querySelector("#sidebar-tools");
    if (tools) tools.open = state.toolsOpen; // "Filters · Legend" stays as the reader left it
    selectTab(state.tab);
    setupFilters();
    for (const card of sidebar.querySelectorAll(".card")) decorateCard(card);
    pageNotes.decorate();
    const heading = sidebar.querySelector("#sidebar-heading");
    if (heading) heading.tabIndex = -1;
    applyFilters();
    markSelected(state.selected.filter((id) => document.getElementById(`card-${id}`)));
  }

  // --- tabs ----------------------------------------------------------------------------------

  const tabs = () => Array.from(sidebar.querySelectorAll('[role="tab"]'));

  function selectTab(id, { focus = false } = {}) {
    const all = tabs();
    if (!all.some((t) => t.id === id)) id = all[0] && all[0].id;
    for (const tab of all) {
      const selected = tab.id === id;
      tab.setAttribute("aria-selected", String(selected));
      tab.tabIndex = selected ? 0 : -1;
      const panel = document.getElementById(tab.getAttribute("aria-controls"));
      if (panel) panel.hidden = !selected;
      if (selected && focus) tab.focus();
    }
    state.tab = id;
  }

  function onTabKeydown(event) {
    const all = tabs();
    const index = all.indexOf(event.target);
    let next = null;
    if (event.key === "ArrowRight") next = (index + 1) % all.length;
    else if (event.key === "ArrowLeft") next = (index - 1 + all.length) % all.length;
    else if (event.key === "Home") next = 0;
    else if (event.key === "End") next = all.length - 1;
    if (next === null) return;
    event.preventDefault();
    selectTab(all[next].id, { focus: true });
  }

  // --- filters -------------------------------------------------------------------------------

  function filterForm() {
    return sidebar.querySelector("#card-filters");
  }

  function setupFilters() {
    const form = filterForm();
    if (!form) return;
    form.hidden = false;
    for (const name of FILTERS) {
      const field = form.elements[name];
      if (!field) continue;
      const value = state.filters[name] || "";
      if (field.type === "checkbox") field.checked = value === "1";
      else if (Array.from(field.options).some((o) => o.value === value)) field.value = value;
      else state.filters[name] = "";
    }
    if (!form.querySelector(".filter-reset")) {
      form.append(
        h(
          "div",
          { class: "filters__footer" },
          h("p", { class: "filter-status", role: "status" }),
          h("button", { type: "button", class: "link-button filter-reset", hidden: true }, "Show all"),
        ),
      );
    }
  }

  function readFilters() {
    const form = filterForm();
    if (!form) return;
    for (const name of FILTERS) {
      const field = form.elements[name];
      if (!field) continue;
      state.filters[name] = field.type === "checkbox" ? (field.checked ? "1" : "") : field.value;
    }
  }

  function matches(card) {
    const f = state.filters;
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

  function applyFilters() {
    const cards = Array.from(sidebar.querySelectorAll("#panel-cards .cards > li > .card"));
    const hidden = new Set();
    let shown = 0;
    for (const card of cards) {
      const ok = matches(card);
      card.parentElement.hidden = !ok;
      if (ok) shown += 1;
      else hidden.add(card.dataset.id);
    }
    for (const mark of body.querySelectorAll("mark.hl")) {
      const ids = (mark.dataset.ids || "").split(/\s+/).filter(Boolean);
      mark.classList.toggle("hl--dimmed", ids.length > 0 && ids.every((id) => hidden.has(id)));
    }
    const active = Object.values(state.filters).some(Boolean);
    const status = sidebar.querySelector(".filter-status");
    const reset = sidebar.querySelector(".filter-reset");
    if (status) {
      status.textContent = active
        ? shown
          ? `Showing ${shown} of ${cards.length}.`
          : `No annotation matches these filters (${cards.length} in all).`
        : "";
    }
    if (reset) reset.hidden = !active;
    const count = sidebar.querySelector("#filter-count");
    if (count) {
      const n = Object.values(state.filters).filter(Boolean).length;
      count.textContent = n ? ` (${n} active)` : "";
      count.closest("summary").classList.toggle("is-filtered", n > 0);
    }
  }

  function resetFilters() {
    state.filters = {};
    setupFilters();
    applyFilters();
  }

  // --- cards ---------------------------------------------------------------------------------

  const inText = (card) => Boolean(card.closest("#panel-cards")) && card.dataset.start !== "";

  function decorateCard(card) {
    card.tabIndex = -1;
    if (card.querySelector(":scope > .card__actions")) return;
    const reply = isReply(card);
    const buttons = [];
    const button = (action, label, extra = {}) =>
      h(
        "button",
        { type: "button", class: "card__action", dataset: { cardAction: action }, ...extra },
        label,
      );
    if (!reply && inText(card)) buttons.push(button("show", "Show in text"));
    if (!reply && config.signedIn) buttons.push(button("reply", "Reply"));
    buttons.push(button("share", "Share", { "aria-label": "Share: copy a link to this annotation" }));
    if (card.dataset.mine === "1") {
      buttons.push(button("edit", "Edit"));
      buttons.push(button("delete", "Delete", { class: "card__action card__action--danger" }));
    }
    if (!buttons.length) return;
    const actions = h("div", { class: "card__actions" }, ...buttons);
    const meta = card.querySelector(":scope > .card__meta");
    if (meta) meta.after(actions);
    else card.append(actions);
  }

  function marksFor(id) {
    return Array.from(body.querySelectorAll(`mark.hl[data-ids~="${CSS.escape(String(id))}"]`));
  }

  function firstMark(id) {
    return document.getElementById(`hl-${id}`) || marksFor(id)[0] || null;
  }

  function markSelected(ids) {
    state.selected = ids.map(String);
    for (const card of sidebar.querySelectorAll(".card.is-selected")) card.classList.remove("is-selected");
    for (const mark of body.querySelectorAll("mark.hl.is-active")) mark.classList.remove("is-active");
    for (const id of state.selected) {
      const card = document.getElementById(`card-${id}`);
      if (card) card.classList.add("is-selected");
      for (const mark of marksFor(id)) mark.classList.add("is-active");
    }
  }

  /** Select the cards of these annotations (a highlight was clicked); optionally focus the last. */
  function selectCards(ids, { focus = false } = {}) {
    const cards = ids.map((id) => document.getElementById(`card-${id}`)).filter(Boolean);
    if (!cards.length) return null;
    const target = cards[cards.length - 1];
    if (cards.some((c) => c.parentElement.hidden)) resetFilters();
    const panel = target.closest('[role="tabpanel"]');
    const tab = panel && sidebar.querySelector(`[aria-controls="${panel.id}"]`);
    if (tab) selectTab(tab.id);
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
    const marks = marksFor(id);
    const first = firstMark(id);
    if (!first) return;
    markSelected([id]);
    scrollIntoViewNicely(first);
    for (const mark of marks) {
      mark.classList.remove("is-flashing");
      void mark.offsetWidth; // restart the animation
      mark.classList.add("is-flashing");
      setTimeout(() => mark.classList.remove("is-flashing"), 1600);
    }
    if (focus) first.focus({ preventScroll: true });
  }

  // --- events (delegated: the sidebar's contents are replaced after every write) ---------

  sidebar.addEventListener("click", (event) => {
    const tab = event.target.closest('[role="tab"]');
    if (tab) {
      selectTab(tab.id, { focus: true });
      return;
    }
    if (event.target.closest(".filter-reset")) {
      resetFilters();
      const first = filterForm() && filterForm().querySelector("select");
      if (first) first.focus();
      return;
    }
    const button = event.target.closest("[data-card-action]");
    if (button) {
      const card = button.closest(".card");
      const action = button.dataset.cardAction;
      if (action === "show") showInText(card.dataset.id, { focus: true });
      else if (action === "reply") forms.openReply(card, button);
      else if (action === "edit") forms.openEdit(card, button);
      else if (action === "delete") forms.openDelete(card, button);
      else if (action === "share") share.copy(card, button);
      return;
    }
    const addPageNote = event.target.closest("#page-note-add");
    if (addPageNote) {
      pageNotes.open(addPageNote);
      return;
    }
    const interactive = "a, button, input, select, textarea, label, form, summary, .card-confirm";
    if (event.target.closest(interactive)) return;
    const card = event.target.closest(".card");
    if (!card) return;
    const top = topCard(card);
    if (inText(top)) showInText(top.dataset.id);
  });

  sidebar.addEventListener("keydown", (event) => {
    if (event.target.matches('[role="tab"]')) onTabKeydown(event);
    if (event.key === "Escape") {
      const box = event.target.closest(".card-form, .card-confirm");
      if (box) {
        event.preventDefault();
        event.stopPropagation();
        forms.dismiss(box);
      }
    }
  });

  sidebar.addEventListener("change", (event) => {
    if (event.target.form && event.target.form.id === "card-filters") {
      readFilters();
      applyFilters();
    }
  });
  sidebar.addEventListener(
    "toggle",
    (event) => {
      if (event.target.id === "sidebar-tools") state.toolsOpen = event.target.open;
    },
    true, // toggle does not bubble
  );
  sidebar.addEventListener("submit", (event) => {
    if (event.target.id === "card-filters") event.preventDefault();
  });

  // Clicking (or Enter on) a highlight selects its card.
  body.addEventListener("click", (event) => {
    const mark = event.target.closest("mark.hl");
    if (!mark || !window.getSelection().isCollapsed) return;
    selectCards(idsOf(mark));
  });
  body.addEventListener("keydown", (event) => {
    const mark = event.target.closest && event.target.closest("mark.hl");
    if (!mark || event.target !== mark || (event.key !== "Enter" && event.key !== " ")) return;
    event.preventDefault();
    preview.hide();
    selectCards(idsOf(mark), { focus: true });
  });

  /** After a write: the page was re-rendered; put focus somewhere sensible. */
  function focusAfterRender({ focusMark, focusCard, focusHeading }) {
    preview.hide();
    if (focusMark) {
      const mark = firstMark(focusMark);
      if (mark) {
        selectCards([String(focusMark)]);
        mark.focus({ preventScroll: true });
        mark.scrollIntoView({ block: "nearest" });
        preview.hide();
        return;
      }
      focusCard = focusMark;
    }
    if (focusCard) {
      const card = document.getElementById(`card-${focusCard}`);
      if (card) {
        const top = topCard(card);
        selectCards([top.dataset.id]);
        card.focus({ preventScroll: true });
        card.scrollIntoView({ block: "nearest" });
        return;
      }
    }
    if (focusHeading) {
      const heading = sidebar.querySelector("#sidebar-heading");
      if (heading) heading.focus();
    }
  }

  decorate();
  const openShared = () => share.openShared({ selectCards, showInText, reveal });
  return { decorate, focusAfterRender, selectCards, showInText, openShared };
}

