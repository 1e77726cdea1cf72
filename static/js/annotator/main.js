// Astana Reader's annotator: wires the selection toolbar, the keyboard caret and the sidebar
// to the server-rendered reading view. Without JavaScript the page reads the same, highlights
// and cards included; with it, readers annotate. After every write the page fragments are
// fetched again from the server (one renderer) and swapped in.

import { createApi } from "./api.js";
import { keyboardCaret } from "./caret.js";
import { announce } from "./dom.js";
import { currentRange, selectorForRange } from "./selection.js";
import { createSheet } from "./sheet.js";
import { createSidebar } from "./sidebar.js";
import { createToolbar } from "./toolbar.js";

document.documentElement.classList.add("js");

function readConfig() {
  const el = document.getElementById("annotator-config");
  if (!el) return null;
  try {
    return JSON.parse(el.textContent);
  } catch {
    return null;
  }
}

function init(config) {
  const body = document.getElementById("article-body");
  const sidebar = document.getElementById("annotation-sidebar");
  if (!body) return;
  const api = createApi(config.api);
  const caret = keyboardCaret(body);

  let side = null;
  const toolbar = createToolbar({ root: body, config, api, onSaved });

  async function refresh({ focusMark = null, focusCard = null, focusHeading = false, message = "" } = {}) {
    let doc;
    try {
      doc = await api.fetchPage(window.location.pathname + window.location.search);
    } catch {
      window.location.reload();
      return;
    }
    const freshBody = doc.getElementById("article-body");
    const freshSidebar = doc.getElementById("annotation-sidebar");
    if (freshBody) {
      body.innerHTML = freshBody.innerHTML;
      body.dataset.revision = freshBody.dataset.revision || body.dataset.revision;
    }
    if (freshSidebar && sidebar) sidebar.innerHTML = freshSidebar.innerHTML;
    if (side) {
      side.decorate();
      side.focusAfterRender({ focusMark, focusCard, focusHeading });
    }
    caret.redraw();
    if (message) announce(message);
    document.dispatchEvent(new CustomEvent("annotator:refreshed"));
  }

  async function onSaved(id, message) {
    await refresh({ focusMark: id, message });
  }

  if (sidebar) {
    const sheet = createSheet({ sidebar }); // the sidebar as a bottom sheet on a phone
    side = createSidebar({
      sidebar,
      body,
      config,
      api,
      refresh,
      toolbarOpen: () => toolbar.isOpen(),
      reveal: sheet.open,
    });
    // Arriving from a tag or claim page (…/#hl-12): flash that passage and select its card.
    const arrived = window.location.hash.match(/^#hl-(\d+)$/);
    // A share link (?annotation=12, share.js) selects that card; else …#hl-12 its passage.
    if (!side.openShared() && arrived) side.showInText(arrived[1]);
  }

  // Selection tracking: the toolbar follows the selection once it settles (mouse released,
  // or after each keyboard change).
  let pointerDown = false;
  let lastInput = "pointer";
  let frame = 0;
  const settle = () => {
    const range = currentRange(body);
    const selector = range ? selectorForRange(body, range) : null;
    toolbar.selectionSettled(selector, range, { keyboard: lastInput === "key" });
  };
  const schedule = () => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(settle);
  };
  document.addEventListener(
    "pointerdown",
    (event) => {
      lastInput = "pointer";
      if (!toolbar.owns(event.target)) pointerDown = true;
    },
    true,
  );
  document.addEventListener(
    "pointerup",
    () => {
      if (!pointerDown) return;
      pointerDown = false;
      schedule();
    },
    true,
  );
  document.addEventListener(
    "keydown",
    () => {
      lastInput = "key";
    },
    true,
  );
  document.addEventListener("keydown", (event) => {
    // A key pressed in the text acts on the selection as it is now, even if the frame that
    // would have noticed its last change has not run yet.
    const active = document.activeElement;
    if (!pointerDown && (active === body || body.contains(active))) {
      cancelAnimationFrame(frame);
      settle();
    }
    toolbar.onKeydown(event);
  });
  document.addEventListener("selectionchange", () => {
    if (!pointerDown) schedule();
  });
  document.documentElement.dataset.annotator = "ready";
}

const config = readConfig();
if (config) init(config);
