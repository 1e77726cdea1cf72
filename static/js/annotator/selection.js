// DOM ranges <-> body offsets. The server renders each readable block as
// <p|h1|h2 class="blk-text" data-start=S data-end=E> whose text is body[S:E]; offsets count
// Unicode code points (as Python does), while DOM offsets count UTF-16 units.

export const CONTEXT = 32;

/** The number of code points in a string (a surrogate pair counts once). */
export function codePointLength(text) {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

/** The UTF-16 index of the code point at `cp` in `text` (clamped to the end). */
function utf16Index(text, cp) {
  let units = 0;
  let seen = 0;
  for (const ch of text) {
    if (seen >= cp) break;
    units += ch.length;
    seen += 1;
  }
  return units;
}

/** The readable blocks of the body in text order: [{el, start, end}]. */
export function bodyBlocks(root) {
  return Array.from(root.querySelectorAll(".blk-text[data-start][data-end]"))
    .map((el) => ({ el, start: Number(el.dataset.start), end: Number(el.dataset.end) }))
    .filter((b) => Number.isFinite(b.start) && Number.isFinite(b.end) && b.end >= b.start)
    .sort((a, b) => a.start - b.start);
}

/** The body text as an array of code points, rebuilt from the blocks (blank lines between). */
export function bodyCodePoints(root) {
  const out = [];
  for (const block of bodyBlocks(root)) {
    while (out.length < block.start) out.push("\n");
    const chars = Array.from(block.el.textContent).slice(0, block.end - block.start);
    out.push(...chars);
    while (out.length < block.end) out.push(" ");
  }
  return out;
}

/** The body offset of a DOM point; points between blocks snap to the nearest block edge. */
function pointOffset(blocks, node, offset, edge) {
  let previous = null;
  for (const block of blocks) {
    const range = document.createRange();
    range.selectNodeContents(block.el);
    let where;
    try {
      where = range.comparePoint(node, offset);
    } catch {
      return null;
    }
    if (where === 0) {
      range.setEnd(node, offset);
      return Math.min(block.start + codePointLength(range.toString()), block.end);
    }
    if (where < 0) {
      if (edge === "start") return block.start;
      return previous ? previous.end : null;
    }
    previous = block;
  }
  return edge === "start" ? null : previous ? previous.end : null;
}

/** A W3C selector ({start, end, exact, prefix, suffix}) for a DOM range, or null. */
export function selectorForRange(root, range) {
  if (!range || range.collapsed || !range.intersectsNode(root)) return null;
  const blocks = bodyBlocks(root);
  if (!blocks.length) return null;
  let start = pointOffset(blocks, range.startContainer, range.startOffset, "start");
  let end = pointOffset(blocks, range.endContainer, range.endOffset, "end");
  if (start === null || end === null || start >= end) return null;
  const chars = bodyCodePoints(root);
  while (start < end && /\s/u.test(chars[start])) start += 1;
  while (end > start && /\s/u.test(chars[end - 1])) end -= 1;
  if (start >= end) return null;
  return selectorFor(chars, start, end);
}

/** The selector for body offsets start..end, with 32 code points of context each side. */
export function selectorFor(chars, start, end) {
  return {
    start,
    end,
    exact: chars.slice(start, end).join(""),
    prefix: chars.slice(Math.max(0, start - CONTEXT), start).join(""),
    suffix: chars.slice(end, end + CONTEXT).join(""),
  };
}

/** The DOM point for a body offset; offsets between blocks snap forward (start) or back. */
function domPoint(blocks, offset, edge) {
  let previous = null;
  for (const block of blocks) {
    const inside = edge === "start" ? offset < block.end : offset <= block.end;
    if (offset >= block.start && inside) {
      let remaining = offset - block.start;
      const walker = document.createTreeWalker(block.el, NodeFilter.SHOW_TEXT);
      let last = null;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const length = codePointLength(node.data);
        if (remaining < length || (remaining === length && edge === "end")) {
          return [node, utf16Index(node.data, remaining)];
        }
        remaining -= length;
        last = node;
      }
      return last ? [last, last.data.length] : [block.el, 0];
    }
    if (offset < block.start) {
      if (edge === "start") return firstPoint(block.el);
      return previous ? lastPoint(previous) : firstPoint(block.el);
    }
    previous = block;
  }
  return previous ? lastPoint(previous) : null;
}

function firstPoint(el) {
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  const node = walker.nextNode();
  return node ? [node, 0] : [el, 0];
}

function lastPoint(block) {
  return domPoint([block], block.end, "end");
}

/** A DOM range covering body offsets start..end, or null. */
export function rangeForOffsets(root, start, end) {
  const blocks = bodyBlocks(root);
  if (!blocks.length) return null;
  const from = domPoint(blocks, start, "start");
  const to = domPoint(blocks, end, "end");
  if (!from || !to) return null;
  const range = document.createRange();
  range.setStart(from[0], from[1]);
  range.setEnd(to[0], to[1]);
  return range;
}

/** The start of the body's first readable block, for placing a keyboard caret. */
export function bodyStartPoint(root) {
  const blocks = bodyBlocks(root);
  return blocks.length ? firstPoint(blocks[0].el) : [root, 0];
}

/** The current selection's first range if it touches the body, else null. */
export function currentRange(root) {
  const selection = window.getSelection();
  if (!selection || selection.rangeCount === 0) return null;
  const range = selection.getRangeAt(0);
  return range.intersectsNode(root) ? range : null;
}

/** A rectangle for the end of a range the user is working at (its focus side). */
export function focusRect(range, backwards = false) {
  const rects = Array.from(range.getClientRects()).filter((r) => r.width || r.height);
  if (!rects.length) return range.getBoundingClientRect();
  return backwards ? rects[0] : rects[rects.length - 1];
}

/** The rectangles a range covers on screen (empty ones dropped). */
export function rangeRects(range) {
  return Array.from(range.getClientRects()).filter((r) => r.width && r.height);
}

/** The smallest rectangle around every line of a range: what the toolbar must not cover. */
export function selectionRect(range) {
  const rects = rangeRects(range);
  if (!rects.length) return range.getBoundingClientRect();
  const top = Math.min(...rects.map((r) => r.top));
  const bottom = Math.max(...rects.map((r) => r.bottom));
  const left = Math.min(...rects.map((r) => r.left));
  const right = Math.max(...rects.map((r) => r.right));
  return { top, bottom, left, right, width: right - left, height: bottom - top };
}
