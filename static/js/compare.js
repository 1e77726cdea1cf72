// The compare page: passages (and disagreements) that light up their counterparts, synced
// scrolling, the word-diff and fade toggles, tabs instead of columns on a narrow screen, and
// panels opened when a link points into them. The page reads fine without this script; it only
// adds behaviour.

const root = document.querySelector("[data-compare]");

function columnOf(element) {
  return element.closest(".cmp-col");
}

function bodyOf(column) {
  return column.querySelector(".cmp-col__body");
}

// The offset of an element from the top of its scrolling column body.
function offsetIn(body, element) {
  return element.getBoundingClientRect().top - body.getBoundingClientRect().top + body.scrollTop;
}

let programmatic = 0;

function scrollColumn(body, top) {
  const target = Math.max(0, Math.round(top));
  if (Math.abs(body.scrollTop - target) < 2) return;
  programmatic += 1;
  body.scrollTop = target;
}

function outletName(column) {
  return column.querySelector(".cmp-col__outlet").firstChild.textContent.trim();
}

// What lights together: the pieces of one passage group, or the two ends of a disagreement.
function partners(source) {
  if (source.classList.contains("cmp-dis")) {
    const numbers = source.dataset.differ.split(" ");
    const selector = numbers.map((n) => `.cmp-dis[data-differ~="${n}"]`).join(", ");
    return { selector, name: "Disagreement" };
  }
  return { selector: `.cmp-p[data-group="${source.dataset.group}"]`, name: "Passage" };
}

function light(source) {
  for (const lit of root.querySelectorAll(".cmp-p.is-lit, .cmp-dis.is-lit")) {
    lit.classList.remove("is-lit");
  }
  const { selector, name } = partners(source);
  for (const piece of root.querySelectorAll(selector)) piece.classList.add("is-lit");
  const sourceColumn = columnOf(source);
  const sourceBody = bodyOf(sourceColumn);
  const visibleAt = offsetIn(sourceBody, source) - sourceBody.scrollTop;
  const others = [];
  for (const column of root.querySelectorAll(".cmp-col")) {
    if (column === sourceColumn) continue;
    const first = column.querySelector(selector);
    if (!first) continue;
    others.push(outletName(column));
    if (tabsActive()) continue;
    const body = bodyOf(column);
    scrollColumn(body, offsetIn(body, first) - visibleAt);
  }
  const status = document.querySelector("[data-compare-status]");
  if (status) {
    if (name === "Disagreement") {
      status.textContent = `This passage differs from ${others.join(", ")}.`;
    } else {
      const group = source.dataset.group;
      status.textContent = others.length
        ? `Passage ${group}: also in ${others.join(", ")}.`
        : `Passage ${group}: in no other column.`;
    }
  }
}

function onActivate(event) {
  if (event.target.closest(".cmp-why")) return;
  const piece = event.target.closest(".cmp-dis, .cmp-p");
  if (!piece || !root.contains(piece)) return;
  light(piece);
}

// --- Synced scrolling: keep the passage at the top of the scrolled column level in the others.

function topPassage(body) {
  const top = body.getBoundingClientRect().top;
  for (const piece of body.querySelectorAll(".cmp-p[tabindex]")) {
    if (piece.getBoundingClientRect().bottom > top + 4) return piece;
  }
  return null;
}

let pending = false;
function onScroll(event) {
  if (programmatic > 0) {
    programmatic -= 1;
    return;
  }
  if (!document.querySelector('[data-toggle="sync-scroll"]')?.checked || tabsActive()) return;
  if (pending) return;
  pending = true;
  const body = event.target;
  requestAnimationFrame(() => {
    pending = false;
    const piece = topPassage(body);
    if (!piece) return;
    const visibleAt = offsetIn(body, piece) - body.scrollTop;
    for (const column of root.querySelectorAll(".cmp-col")) {
      if (column === columnOf(body)) continue;
      const first = column.querySelector(`.cmp-p[data-group="${piece.dataset.group}"]`);
      if (first) scrollColumn(bodyOf(column), offsetIn(bodyOf(column), first) - visibleAt);
    }
  });
}

// --- Tabs on a narrow screen.

const narrow = window.matchMedia("(max-width: 48rem)");
const tablist = document.querySelector(".cmp-tabs");

function tabsActive() {
  return narrow.matches && tablist !== null;
}

function selectTab(tab, focus) {
  for (const other of tablist.querySelectorAll("[role=tab]")) {
    const selected = other === tab;
    other.setAttribute("aria-selected", String(selected));
    other.tabIndex = selected ? 0 : -1;
    const panel = document.getElementById(other.getAttribute("aria-controls"));
    panel.hidden = tabsActive() && !selected;
  }
  if (focus) tab.focus();
}

function applyLayout() {
  if (!tablist) return;
  const on = tabsActive();
  tablist.hidden = !on;
  root.classList.toggle("cmp-columns--tabs", on);
  for (const column of root.querySelectorAll(".cmp-col")) {
    column.setAttribute("role", on ? "tabpanel" : "region");
    if (on) column.setAttribute("aria-labelledby", `tab-${column.dataset.column}`);
    else column.setAttribute("aria-labelledby", `col-${column.dataset.column}-title`);
  }
  const current = tablist.querySelector('[aria-selected="true"]') || tablist.querySelector("[role=tab]");
  selectTab(current, false);
}

function onTabKey(event) {
  const tabs = [...tablist.querySelectorAll("[role=tab]")];
  const index = tabs.indexOf(document.activeElement);
  if (index < 0) return;
  const moves = { ArrowRight: 1, ArrowLeft: -1, Home: -index, End: tabs.length - 1 - index };
  if (!(event.key in moves)) return;
  event.preventDefault();
  selectTab(tabs[(index + moves[event.key] + tabs.length) % tabs.length], true);
}

// A link to a passage (coverage grid, facts) opens the right tab first on a phone.
function onLink(event) {
  const link = event.target.closest("a[href^='#']");
  if (!link) return;
  const target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
  if (!target || !root.contains(target)) return;
  event.preventDefault();
  const column = columnOf(target);
  if (tabsActive()) selectTab(document.getElementById(`tab-${column.dataset.column}`), false);
  const body = bodyOf(column);
  column.scrollIntoView({ block: "nearest" });
  scrollColumn(body, offsetIn(body, target) - body.clientHeight / 3);
  if (tabsActive()) target.scrollIntoView({ block: "center" });
  const piece =
    target.closest(".cmp-dis, .cmp-p") || target.querySelector(".cmp-dis, .cmp-p");
  const focusable = target.closest("[tabindex]") || target;
  if (piece) light(piece);
  for (const lit of root.querySelectorAll(".cmp-fact.is-lit")) lit.classList.remove("is-lit");
  const fact = link.dataset.factLink || target.dataset.fact?.split(" ")[0];
  if (fact && target.classList.contains("cmp-fact")) {
    for (const piece of root.querySelectorAll(`.cmp-fact[data-fact~="${fact}"]`)) {
      piece.classList.add("is-lit");
    }
  }
  focusable.focus({ preventScroll: true });
  history.replaceState(null, "", link.getAttribute("href"));
}

// --- Panels: a link or an address pointing into a closed panel opens it first.

function openAround(element) {
  for (let details = element?.closest("details"); details; ) {
    details.open = true;
    details = details.parentElement?.closest("details");
  }
}

function openHashTarget() {
  if (!location.hash) return;
  const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
  if (!target || root?.contains(target)) return;
  openAround(target);
  target.scrollIntoView({ block: "start" });
}

openHashTarget();
window.addEventListener("hashchange", openHashTarget);

if (root) {
  const toolbar = document.querySelector("[data-compare-toolbar]");
  toolbar.hidden = false;
  for (const toggle of toolbar.querySelectorAll("[data-toggle]")) {
    const apply = () => root.classList.toggle(toggle.dataset.toggle, toggle.checked);
    toggle.addEventListener("change", apply);
    apply();
  }
  root.addEventListener("click", onActivate);
  root.addEventListener("focusin", onActivate);
  for (const column of root.querySelectorAll(".cmp-col")) {
    bodyOf(column).addEventListener("scroll", onScroll, { passive: true });
  }
  document.addEventListener("click", onLink);
  if (tablist) {
    tablist.addEventListener("click", (event) => {
      const tab = event.target.closest("[role=tab]");
      if (tab) selectTab(tab, false);
    });
    tablist.addEventListener("keydown", onTabKey);
    narrow.addEventListener("change", applyLayout);
    applyLayout();
  }
}
