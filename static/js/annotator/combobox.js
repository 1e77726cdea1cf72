// An ARIA 1.2 combobox with a list of suggestions (tags, claims) fetched as the reader types.
// Arrow keys move through the list, Enter chooses, Escape closes the list only.

import { h, newId } from "./dom.js";

/**
 * input: the text input to enhance. fetchOptions(query) -> [{label, detail?, value}] (async).
 * onChoose(option) is called with the chosen option. Returns {close, update, wrapper}.
 */
export function combobox({ input, listLabel, fetchOptions, onChoose, openOnFocus = false }) {
  const listId = newId("listbox");
  const list = h("ul", {
    id: listId,
    role: "listbox",
    class: "combo__list",
    "aria-label": listLabel,
    hidden: true,
  });
  const status = h("span", { class: "visually-hidden", role: "status" });
  const wrapper = h("div", { class: "combo" });
  input.replaceWith(wrapper);
  wrapper.append(input, list, status);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listId);
  input.setAttribute("autocomplete", "off");

  let options = [];
  let active = -1;
  let seq = 0;
  let timer = null;

  function isOpen() {
    return !list.hidden;
  }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function setActive(index) {
    active = index;
    Array.from(list.children).forEach((li, i) => li.setAttribute("aria-selected", String(i === index)));
    const li = list.children[index];
    if (li) {
      input.setAttribute("aria-activedescendant", li.id);
      li.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function render(items) {
    options = items;
    list.replaceChildren(
      ...items.map((option, i) =>
        h(
          "li",
          {
            id: `${listId}-${i}`,
            role: "option",
            class: option.isNew ? "combo__option combo__option--new" : "combo__option",
            "aria-selected": "false",
            onmousedown: (event) => event.preventDefault(), // keep focus in the input
            onclick: () => choose(i),
          },
          h("span", { class: "combo__label" }, option.label),
          option.detail ? h("span", { class: "combo__detail" }, option.detail) : null,
        ),
      ),
    );
    if (!items.length) {
      close();
      status.textContent = "No suggestions.";
      return;
    }
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    setActive(-1);
    const count = `${items.length} suggestion${items.length === 1 ? "" : "s"}`;
    status.textContent = `${count}; use the arrow keys to choose.`;
  }

  async function update() {
    const mine = ++seq;
    let items;
    try {
      items = await fetchOptions(input.value.trim());
    } catch {
      items = [];
    }
    if (mine === seq && document.activeElement === input) render(items);
  }

  function choose(index) {
    const option = options[index];
    if (!option) return;
    close();
    onChoose(option);
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(update, 120);
  });
  if (openOnFocus) input.addEventListener("focus", () => update());
  input.addEventListener("blur", () => {
    clearTimeout(timer);
    seq += 1; // drop answers that arrive after the reader left
    close();
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!isOpen()) {
        update();
        return;
      }
      const step = event.key === "ArrowDown" ? 1 : -1;
      const next = active + step;
      setActive(next < 0 ? options.length - 1 : next >= options.length ? 0 : next);
    } else if (event.key === "Enter" && isOpen() && active >= 0) {
      event.preventDefault();
      event.stopPropagation();
      choose(active);
    } else if (event.key === "Escape" && isOpen()) {
      event.preventDefault();
      event.stopPropagation();
      close();
    }
  });

  return { close, update, wrapper, isOpen };
}
