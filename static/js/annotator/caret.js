// Keyboard selection in the article body. The body becomes one tab stop; while it has keyboard
// focus the arrow keys move a visible caret through the text, Shift+arrows select (Ctrl for
// words and paragraphs, Home/End for line ends). Mouse users keep arrow keys for scrolling.

import { h, isRightToLeft } from "./dom.js";
import { bodyStartPoint } from "./selection.js";

const MOVES = {
  ArrowRight: ["forward", "character", "word"],
  ArrowLeft: ["backward", "character", "word"],
  ArrowDown: ["forward", "line", "paragraph"],
  ArrowUp: ["backward", "line", "paragraph"],
  Home: ["backward", "lineboundary", "lineboundary"],
  End: ["forward", "lineboundary", "lineboundary"],
};

export function keyboardCaret(root) {
  const hint = h(
    "p",
    { class: "caret-hint", id: "article-body-hint" },
    h("strong", {}, "Selecting with the keyboard: "),
    "arrows move, Shift+arrows select (add Ctrl for words), then Tab to the toolbar.",
  );
  root.after(hint);
  root.tabIndex = 0;
  root.setAttribute("role", "region");
  root.setAttribute("aria-label", "Article text");
  root.setAttribute("aria-describedby", hint.id);

  const caret = h("div", { class: "kbd-caret", "aria-hidden": "true", hidden: true });
  document.body.append(caret);
  let saved = null;

  const selection = () => window.getSelection();
  const inside = (node) => node && root.contains(node);
  // Focus that came from the keyboard (a mouse click that focused the body does not count).
  const keyboardFocused = () => {
    const active = document.activeElement;
    return Boolean(active && root.contains(active) && active.matches(":focus-visible"));
  };

  function placeAtStart(node) {
    const sel = selection();
    if (node && node !== root) {
      const text = document.createTreeWalker(node, NodeFilter.SHOW_TEXT).nextNode();
      if (text) sel.collapse(text, 0);
      else sel.collapse(node, 0);
      return;
    }
    const [start, offset] = saved && inside(saved[0]) ? saved : bodyStartPoint(root);
    sel.collapse(start, offset);
  }

  function draw() {
    const sel = selection();
    if (document.activeElement !== root || !sel.rangeCount || !inside(sel.focusNode)) {
      caret.hidden = true;
      return;
    }
    const range = document.createRange();
    range.setStart(sel.focusNode, sel.focusOffset);
    range.collapse(true);
    let rect = Array.from(range.getClientRects()).find((r) => r.height) || null;
    if (!rect) {
      const el = sel.focusNode.nodeType === Node.ELEMENT_NODE ? sel.focusNode : sel.focusNode.parentElement;
      rect = el.getBoundingClientRect();
    }
    caret.hidden = false;
    caret.style.left = `${rect.left + window.scrollX}px`;
    caret.style.top = `${rect.top + window.scrollY}px`;
    caret.style.height = `${Math.max(rect.height, 16)}px`;
  }

  root.addEventListener("focus", () => {
    if (!root.matches(":focus-visible")) return;
    const sel = selection();
    if (!sel.rangeCount || !inside(sel.focusNode)) placeAtStart(null);
    draw();
  });
  root.addEventListener("blur", () => {
    const sel = selection();
    if (sel.rangeCount && inside(sel.focusNode)) saved = [sel.focusNode, sel.focusOffset];
    caret.hidden = true;
  });
  document.addEventListener("selectionchange", draw);
  window.addEventListener("resize", draw);

  root.addEventListener("keydown", (event) => {
    const move = MOVES[event.key];
    if (!move || event.altKey || event.metaKey) return;
    const onRoot = event.target === root;
    const onMark = !onRoot && event.target.closest && event.target.closest("mark.hl");
    if (!onRoot && !onMark) return;
    // Plain arrows keep scrolling the page for mouse users (focus not shown as keyboard focus).
    if (!event.shiftKey && !keyboardFocused()) return;
    const sel = selection();
    if (onMark) {
      if (!sel.rangeCount || !inside(sel.focusNode) || sel.isCollapsed) placeAtStart(onMark);
      root.focus({ preventScroll: true });
    } else if (!sel.rangeCount || !inside(sel.focusNode)) {
      placeAtStart(null);
    }
    let [direction, plain, withCtrl] = move;
    // Left and right are visual: in right-to-left text the right arrow moves backward.
    if (event.key.startsWith("Arrow") && plain !== "line" && isRightToLeft(sel.focusNode)) {
      direction = direction === "forward" ? "backward" : "forward";
    }
    const before = [sel.anchorNode, sel.anchorOffset, sel.focusNode, sel.focusOffset];
    sel.modify(event.shiftKey ? "extend" : "move", direction, event.ctrlKey ? withCtrl : plain);
    if (!inside(sel.focusNode)) sel.setBaseAndExtent(...before); // stay in the article
    event.preventDefault();
    draw();
    if (!caret.hidden) caret.scrollIntoView({ block: "nearest" });
  });

  return { redraw: draw };
}
