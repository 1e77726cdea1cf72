// The sidebar's tabs: one tab stop, arrow keys, Home and End move between them, and the tab
// the reader chose stays chosen when the sidebar is re-rendered after a write.

import { rovingIndex } from "./dom.js";

export function createTabs(sidebar) {
  let current = "tab-cards";
  const tabs = () => Array.from(sidebar.querySelectorAll('[role="tab"]'));

  /** Show this tab's panel (the first tab's if there is no such tab). */
  function select(id, { focus = false } = {}) {
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
    current = id;
  }

  function onKeydown(event) {
    const all = tabs();
    const next = rovingIndex(event.key, all.indexOf(event.target), all.length);
    if (next === null) return;
    event.preventDefault();
    select(all[next].id, { focus: true });
  }

  /** The tab that holds this element. */
  function selectFor(el) {
    const panel = el.closest('[role="tabpanel"]');
    const tab = panel && sidebar.querySelector(`[aria-controls="${panel.id}"]`);
    if (tab) select(tab.id);
  }

  return { select, selectFor, onKeydown, restore: () => select(current) };
}
