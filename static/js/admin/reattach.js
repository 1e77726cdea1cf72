// Re-attach page of the admin: selecting words in the current text fills in the start and
// end fields, and typing numbers shows the words they select. Offsets count Unicode code
// points of the body, as the server does (JavaScript strings count UTF-16 units).

const body = document.getElementById("reattach-body");
const startField = document.getElementById("id_start");
const endField = document.getElementById("id_end");
const output = document.getElementById("reattach-selection");

if (body && startField && endField) {
  const text = Array.from(body.textContent);

  const codePoints = (s) => {
    let n = 0;
    for (const _ of s) n += 1;
    return n;
  };

  const offsetOf = (node, offset) => {
    const range = document.createRange();
    range.setStart(body, 0);
    range.setEnd(node, offset);
    return codePoints(range.toString());
  };

  const show = () => {
    const start = Number.parseInt(startField.value, 10);
    const end = Number.parseInt(endField.value, 10);
    if (output) {
      output.textContent =
        Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start < end
          ? `“${text.slice(start, end).join("")}”`
          : "";
    }
  };

  document.addEventListener("selectionchange", () => {
    const selection = document.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return;
    const range = selection.getRangeAt(0);
    if (!body.contains(range.startContainer) || !body.contains(range.endContainer)) return;
    const start = offsetOf(range.startContainer, range.startOffset);
    const end = offsetOf(range.endContainer, range.endOffset);
    if (start >= end) return;
    startField.value = String(start);
    endField.value = String(end);
    show();
  });
  startField.addEventListener("input", show);
  endField.addEventListener("input", show);
  show();
}
