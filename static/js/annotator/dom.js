// Small DOM helpers shared by the annotator modules: element builder, live announcements,
// error rendering and reduced-motion aware scrolling.

/** Build an element: h("button", {type: "button", class: "x", onclick: fn}, "Label", child). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") el.className = value;
    else if (name === "dataset") Object.assign(el.dataset, value);
    else if (name.startsWith("on") && typeof value === "function") {
      el.addEventListener(name.slice(2), value);
    } else if (name === "value" || name === "checked" || name === "selected") el[name] = value;
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

let uid = 0;
/** A unique id for labels and ARIA references. */
export function newId(prefix = "ann") {
  uid += 1;
  return `${prefix}-${uid}`;
}

let liveRegion = null;
/** Tell assistive technology what just happened (polite live region). */
export function announce(message) {
  if (!liveRegion) {
    liveRegion = h("div", { class: "visually-hidden", role: "status", id: "annotator-status" });
    document.body.append(liveRegion);
  }
  liveRegion.textContent = "";
  // A fresh text node in the next frame makes repeated messages be announced again.
  requestAnimationFrame(() => {
    liveRegion.textContent = message;
  });
}

/** An empty role=alert region; show(err) fills it, clear() empties it. */
export function alertBox() {
  const box = h("div", { class: "form-alert", role: "alert" });
  return {
    el: box,
    show(error) {
      box.replaceChildren(...errorLines(error).map((line) => h("p", {}, line)));
    },
    clear() {
      box.replaceChildren();
    },
  };
}

const FIELD_LABELS = {
  note: "Note",
  tags: "Tags",
  target: "Selection",
  claim: "Claim",
  text: "Statement",
  claimant: "Claimant",
  kind: "Kind",
  rating: "Rating",
  colour: "Colour",
  visibility: "Visibility",
  motivation: "Kind",
  body: "Note",
};

/** Human-readable lines for an ApiError (field messages) or any other error. */
export function errorLines(error) {
  if (typeof error === "string") return [error];
  const fields = error && error.fields;
  if (fields && typeof fields === "object" && Object.keys(fields).length) {
    const lines = [];
    for (const [name, messages] of Object.entries(fields)) {
      const text = (Array.isArray(messages) ? messages : [messages]).join(" ");
      if (name === "detail" || name === "non_field_errors") lines.push(text);
      else lines.push(`${FIELD_LABELS[name] || name}: ${text}`);
    }
    return lines;
  }
  return [(error && error.message) || "Something went wrong. Please try again."];
}

export function prefersReducedMotion() {
  return window.matchMedia("(prefers-reduced-motion: reduce)").matches;
}

export function scrollIntoViewNicely(el, block = "center") {
  el.scrollIntoView({ block, inline: "nearest", behavior: prefersReducedMotion() ? "auto" : "smooth" });
}

/** Is this element a text field where typed letters must stay letters? */
export function isTextField(el) {
  if (!el) return false;
  if (el.isContentEditable) return true;
  if (el.tagName === "TEXTAREA" || el.tagName === "SELECT") return true;
  if (el.tagName !== "INPUT") return false;
  return !["button", "checkbox", "radio", "submit", "reset"].includes(el.type);
}

/** Arrow keys, Home and End along a row of `length` items (a toolbar, a tab list): the index
 * to move to from `index`, or null for any other key. */
export function rovingIndex(key, index, length) {
  if (key === "ArrowRight") return (index + 1) % length;
  if (key === "ArrowLeft") return (index - 1 + length) % length;
  if (key === "Home") return 0;
  if (key === "End") return length - 1;
  return null;
}

/** Does the text at this DOM node run right to left (its element's computed direction)? */
export function isRightToLeft(node) {
  const el = node && node.nodeType === Node.ELEMENT_NODE ? node : node && node.parentElement;
  return Boolean(el) && getComputedStyle(el).direction === "rtl";
}

/** Place an absolutely positioned element next to a viewport rectangle, kept on screen.
 * align "start" lines up its left edge with the rectangle's, "end" its right edge (for text
 * that runs right to left, where a selection starts at its right). */
export function placeNear(el, rect, { prefer = "below", gap = 8, align = "start" } = {}) {
  const parent = el.offsetParent || document.body;
  const parentRect = parent.getBoundingClientRect();
  const width = el.offsetWidth;
  const height = el.offsetHeight;
  const viewportWidth = document.documentElement.clientWidth;
  const viewportHeight = window.innerHeight;
  let left = align === "end" ? rect.right - width : rect.left;
  left = Math.max(8, Math.min(left, viewportWidth - width - 8));
  const roomAbove = rect.top - gap;
  const roomBelow = viewportHeight - rect.bottom - gap;
  let above = prefer === "above" ? roomAbove >= height || roomAbove > roomBelow : false;
  if (prefer === "below" && roomBelow < height && roomAbove > roomBelow && roomAbove >= height) {
    above = true;
  }
  const top = above ? rect.top - gap - height : rect.bottom + gap;
  el.style.left = `${left - parentRect.left + parent.scrollLeft}px`;
  el.style.top = `${top - parentRect.top + parent.scrollTop}px`;
  el.dataset.side = above ? "above" : "below";
}
