// The layer the reader shows (the sidebar's "Showing": everything, Public, Only me or one of
// their groups) is also where new annotations go: audience() gives a new annotation's
// visibility (and group) from it, and the line under the choice says so whenever it changes.

const NAMES = { "": "public", public: "public", private: "only for you" };

function layerValue() {
  const select = document.getElementById("layer");
  return select ? select.value : "";
}

/** The visibility (and group) of a new annotation: the layer shown decides; with everything
 * or Public shown, the toolbar's Private still makes it private. */
export function audience(isPrivate = false) {
  const layer = layerValue();
  if (layer.startsWith("group:")) return { visibility: "group", group: layer.slice("group:".length) };
  if (layer === "private" || isPrivate) return { visibility: "private" };
  return { visibility: "public" };
}

/** Say where new annotations go, under the choice. */
export function showTarget() {
  const row = document.getElementById("layer-row");
  if (row) row.hidden = false; // the choice works with the script only
  const target = document.getElementById("layer-target");
  const select = document.getElementById("layer");
  if (!target || !select) return;
  const layer = select.value;
  const where = layer.startsWith("group:")
    ? `to ${select.selectedOptions[0].textContent.replace(/^Group: /, "the group ")} only`
    : NAMES[layer] ?? "public";
  target.textContent = layer.startsWith("group:") ? `New annotations go ${where}.` : `New annotations are ${where}.`;
  document.documentElement.dataset.layer = layer;
}

document.addEventListener("change", (event) => {
  if (event.target && event.target.id === "layer") showTarget();
});
document.addEventListener("annotator:refreshed", showTarget);
