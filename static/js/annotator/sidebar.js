// The margin sidebar (server-rendered cards): tabs with arrow keys (sidebar-tabs.js), filters
// (sidebar-filters.js), card <-> highlight linking (sidebar-selection.js), each card's buttons
// (card-actions.js) and the wiring of reply / edit / delete (cards.js), of page notes
// (pagenotes.js), share links (share.js), the hover card (preview.js) and the pages of cards
// past the first (sidebar-more.js).

import { decorateCard, inText } from "./card-actions.js";
import { createCardForms, topCard } from "./cards.js";
import { showTarget } from "./layer.js";
import { createPageNotes } from "./pagenotes.js";
import { createPreview, idsOf } from "./preview.js";
import { createShare } from "./share.js";
import { createFilters } from "./sidebar-filters.js";
import { createMore } from "./sidebar-more.js";
import { createCardSelection } from "./sidebar-selection.js";
import { createTabs } from "./sidebar-tabs.js";

const INTERACTIVE = "a, button, input, select, textarea, label, form, summary, .card-confirm";

/** A click in the sidebar (its contents are replaced after every write, so one listener for
 * all): a tab, "Show all", a card's button, "Add a page note", or a card itself, which shows
 * its passage. */
function onSidebarClick(event, { tabs, filters, cardActions, pageNotes, selection }) {
  const tab = event.target.closest('[role="tab"]');
  if (tab) {
    tabs.select(tab.id, { focus: true });
    return;
  }
  if (event.target.closest(".filter-reset")) {
    filters.showAll();
    return;
  }
  const button = event.target.closest("[data-card-action]");
  if (button) {
    const action = button.dataset.cardAction;
    if (Object.hasOwn(cardActions, action)) cardActions[action](button.closest(".card"), button);
    return;
  }
  const addPageNote = event.target.closest("#page-note-add");
  if (addPageNote) {
    pageNotes.open(addPageNote);
    return;
  }
  if (event.target.closest(INTERACTIVE)) return;
  const card = event.target.closest(".card");
  if (!card) return;
  const top = topCard(card);
  if (inText(top)) selection.showInText(top.dataset.id);
}

/** The sidebar's own events; the filters' choices and whether "Filters · Legend" is open. */
function listenInSidebar(sidebar, { tabs, filters, forms, toolsOpen, ...parts }) {
  sidebar.addEventListener("click", (event) => onSidebarClick(event, { tabs, filters, ...parts }));
  sidebar.addEventListener("keydown", (event) => {
    if (event.target.matches('[role="tab"]')) tabs.onKeydown(event);
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
      filters.read();
      filters.apply();
      // A filter reads every card: bring in those not here yet, then filter them too.
      parts.more.all().then(() => filters.apply());
    }
  });
  sidebar.addEventListener(
    "toggle",
    (event) => {
      if (event.target.id === "sidebar-tools") toolsOpen(event.target.open);
    },
    true, // toggle does not bubble
  );
  sidebar.addEventListener("submit", (event) => {
    if (event.target.id === "card-filters") event.preventDefault();
  });
}

/** Clicking (or Enter on) a highlight selects its card. */
function listenInText(body, { selection, preview, more }) {
  body.addEventListener("click", (event) => {
    const mark = event.target.closest("mark.hl");
    if (!mark || !window.getSelection().isCollapsed) return;
    const ids = idsOf(mark);
    more.ensure(ids).then(() => selection.selectCards(ids));
  });
  body.addEventListener("keydown", (event) => {
    const mark = event.target.closest && event.target.closest("mark.hl");
    if (!mark || event.target !== mark || (event.key !== "Enter" && event.key !== " ")) return;
    event.preventDefault();
    preview.hide();
    const ids = idsOf(mark);
    more.ensure(ids).then(() => selection.selectCards(ids, { focus: true }));
  });
}

export function createSidebar({ sidebar, body, config, api, refresh, toolbarOpen, reveal = () => {} }) {
  let toolsOpen = false; // "Filters · Legend" stays as the reader left it
  const forms = createCardForms({ sidebar, config, api, refresh });
  const pageNotes = createPageNotes({ sidebar, config, api, refresh, forms });
  const share = createShare({ forms });
  const preview = createPreview({ body, suppressed: toolbarOpen });
  const tabs = createTabs(sidebar);
  const filters = createFilters({ sidebar, body });
  const selection = createCardSelection({ sidebar, body, tabs, filters, preview, reveal });
  const more = createMore({
    sidebar,
    api,
    onLoaded: () => {
      for (const card of sidebar.querySelectorAll(".card")) decorateCard(card, config);
      filters.apply();
      document.dispatchEvent(new CustomEvent("annotator:cards-added"));
    },
  });
  const cardActions = {
    show: (card) => selection.showInText(card.dataset.id, { focus: true }),
    reply: forms.openReply,
    edit: forms.openEdit,
    delete: forms.openDelete,
    share: share.copy,
  };

  /** After every render: the reader's tab, filters and selection again, the cards' buttons. */
  function decorate() {
    const tools = sidebar.querySelector("#sidebar-tools");
    if (tools) tools.open = toolsOpen;
    tabs.restore();
    filters.setup();
    showTarget();
    for (const card of sidebar.querySelectorAll(".card")) decorateCard(card, config);
    pageNotes.decorate();
    const heading = sidebar.querySelector("#sidebar-heading");
    if (heading) heading.tabIndex = -1;
    filters.apply();
    selection.restore();
    more.watch();
  }

  const setToolsOpen = (open) => (toolsOpen = open);
  listenInSidebar(sidebar, { tabs, filters, forms, cardActions, pageNotes, selection, more, toolsOpen: setToolsOpen });
  listenInText(body, { selection, preview, more });
  decorate();
  const { focusAfterRender } = selection;
  // Whoever asks for cards by id (share links, arrivals at #hl-…) has them brought in first.
  const selectCards = (ids, options) => more.ensure(ids).then(() => selection.selectCards(ids, options));
  const showInText = (id, options) => more.ensure([id]).then(() => selection.showInText(id, options));
  const openShared = () => {
    const side = { selectCards, showInText, reveal };
    const id = new URLSearchParams(window.location.search).get("annotation");
    if (id && /^\d{1,18}$/.test(id) && !document.getElementById(`card-${id}`) && sidebar.querySelector("#cards-more")) {
      more.all().then(() => share.openShared(side)); // its card is on a later page
      return true;
    }
    return share.openShared(side);
  };
  return { decorate, focusAfterRender, selectCards, showInText, openShared };
}
