// Form pieces shared by the selection toolbar and the sidebar: a colour picker (radio
// swatches with the palette's meanings), a labelled field and a tag field (chips with
// autocomplete).

import { combobox } from "./combobox.js";
import { h, newId } from "./dom.js";

/** A fieldset of radio swatches; .value() gives the chosen colour, .set(value) changes it
 * without counting as the reader's pick, onPick(value) runs when the reader picks one. */
export function colourPicker(palette, selected = "yellow", { onPick = null, hint = null } = {}) {
  const name = newId("colour");
  const hintId = hint !== null ? newId("colour-hint") : null;
  const fieldset = h(
    "fieldset",
    { class: "colour-pick", "aria-describedby": hintId },
    h("legend", {}, "Colour"),
    ...palette.map(({ value, meaning }) =>
      h(
        "label",
        { class: "colour-pick__item", title: `${capitalise(value)}: ${meaning}` },
        h("input", { type: "radio", name, value, checked: value === selected }),
        h("span", { class: `swatch hl--${value}`, "aria-hidden": "true" }),
        h("span", { class: "visually-hidden" }, `${capitalise(value)}: ${meaning}`),
      ),
    ),
  );
  if (hint !== null) fieldset.append(h("span", { class: "hint colour-pick__hint", id: hintId }, hint));
  if (onPick) fieldset.addEventListener("change", (event) => onPick(event.target.value));
  return {
    el: fieldset,
    value: () => (fieldset.querySelector("input:checked") || {}).value || selected,
    set(value) {
      for (const input of fieldset.querySelectorAll("input")) input.checked = input.value === value;
    },
    setHint(text) {
      const el = hintId && fieldset.querySelector(`#${hintId}`);
      if (el) el.textContent = text;
    },
  };
}

/** A labelled field: the label (for `id`), its control and what follows (hints, notes). */
export function field(id, label, control, ...after) {
  return h("div", { class: "field" }, h("label", { for: id }, label), control, ...after);
}

export function capitalise(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * A tag field: type to get suggestions of existing tags (or create a new one), Enter or comma
 * adds the tag as a chip. .values() gives the chosen tags (including text still being typed).
 */
export function tagField({ api, initial = [], label = "Tags" }) {
  const inputId = newId("tag-input");
  const hintId = newId("tag-hint");
  const chosen = [];
  const chips = h("ul", { class: "chips", "aria-label": "Chosen tags" });
  const input = h("input", {
    id: inputId,
    type: "text",
    class: "text-input",
    "aria-describedby": hintId,
    maxlength: 200,
  });
  const field = h(
    "div",
    { class: "field tag-field" },
    h("label", { for: inputId }, label),
  );
  const combo = combobox({
    input,
    listLabel: "Tag suggestions",
    fetchOptions: async (q) => {
      const tags = await api.searchTags(q); // the most used first, also for an empty query
      const options = tags
        .filter((t) => !has(t.name))
        .slice(0, 8)
        .map((t) => ({ label: t.name, value: t.name, detail: `used ${t.count}×` }));
      const exists = tags.some((t) => t.name.toLowerCase() === q.toLowerCase());
      if (q && !exists && !has(q)) options.push({ label: `New tag “${q}”`, value: q, isNew: true });
      return options;
    },
    onChoose: (option) => {
      add(option.value);
      input.value = "";
    },
  });
  field.append(
    combo.wrapper,
    h(
      "p",
      { id: hintId, class: "hint" },
      "Type to see matching tags (↓ lists the most used); Enter or a comma adds a new one.",
    ),
    chips,
  );

  function has(name) {
    return chosen.some((t) => t.toLowerCase() === name.toLowerCase());
  }

  function add(raw) {
    const name = raw.split(/\s+/).join(" ").trim();
    if (!name || has(name)) return;
    chosen.push(name);
    chips.append(
      h(
        "li",
        { class: "chip" },
        h("span", {}, name),
        h(
          "button",
          {
            type: "button",
            class: "chip__remove",
            "aria-label": `Remove tag ${name}`,
            onclick: (event) => {
              chosen.splice(chosen.indexOf(name), 1);
              event.currentTarget.closest("li").remove();
              input.focus();
            },
          },
          "×",
        ),
      ),
    );
  }

  input.addEventListener("keydown", (event) => {
    if ((event.key === "Enter" || event.key === ",") && input.value.trim()) {
      event.preventDefault();
      add(input.value.replace(/,/g, " "));
      input.value = "";
      combo.close();
    } else if (event.key === "Backspace" && !input.value && chosen.length) {
      chosen.pop();
      chips.lastElementChild.remove();
    }
  });
  initial.forEach(add);

  return {
    el: field,
    input,
    values: () => {
      const typed = input.value.replace(/,/g, " ").trim();
      return typed && !has(typed) ? [...chosen, typed] : [...chosen];
    },
  };
}

/** Ctrl/Cmd+Enter in any text area of the form submits it. */
export function submitOnCtrlEnter(form) {
  form.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
}

/** Mark a form busy while a request runs; returns false when it already was (double submit).
 * Controls stay enabled so keyboard focus is never lost to the page. */
export function setBusy(form, busy) {
  if (busy && form.getAttribute("aria-busy") === "true") return false;
  form.setAttribute("aria-busy", String(busy));
  return true;
}
