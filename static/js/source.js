// Source view: Escape dismisses the rule tooltip of the block under the pointer or focus
// (WCAG 1.4.13); it comes back when the block is left and entered again.
const blocks = document.querySelectorAll(".raw .blk");

document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  for (const block of blocks) {
    if (block.matches(":hover") || block === document.activeElement) {
      block.classList.add("why-off");
    }
  }
});

for (const block of blocks) {
  const reset = () => block.classList.remove("why-off");
  block.addEventListener("blur", reset);
  block.addEventListener("mouseleave", reset);
}
