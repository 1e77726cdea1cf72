// Where the selection toolbar and its forms go. The toolbar sits just below the selection's
// last line: never over the selected words or the line above them. It starts where the
// selection starts (its left edge, or its right edge in right-to-left text) and moves sideways
// only to stay in the window or off the sidebar beside the text. A form opens at the top of
// the sidebar when the sidebar is beside the text (pushing the cards down instead of covering
// them), else in the popover below the toolbar.

import { isRightToLeft } from "./dom.js";
import { focusRect, selectionRect } from "./selection.js";

/** Below this width the sidebar is not beside the text (annotator.css uses the same). */
const NARROW = "(max-width: 62rem)";

const sidebarElement = () => document.getElementById("annotation-sidebar");

/** The rightmost the popover may reach so as not to lie over the sidebar where the two meet
 * (only while level with it), or `max` unchanged. */
function besideSidebar({ pop, root, left, width, max }) {
  const sidebar = sidebarElement();
  if (!sidebar) return max;
  const side = sidebar.getBoundingClientRect();
  const top = pop.getBoundingClientRect().top;
  const level = top < side.bottom && top + pop.offsetHeight > side.top;
  const beside = side.left >= root.getBoundingClientRect().left;
  if (level && beside && left + width > side.left - 8) {
    return Math.min(max, Math.max(side.left - 8, root.getBoundingClientRect().right));
  }
  return max;
}

/** Keep the popover where it belongs while the window, the layout or the sidebar changes. */
function followLayout({ pop, narrow, place, fitBeside, home, formOpen }) {
  window.addEventListener("resize", place);
  // The sidebar stays put while the page scrolls: keep the toolbar off it.
  let frame = 0;
  window.addEventListener(
    "scroll",
    () => {
      if (pop.hidden || frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        fitBeside();
      });
    },
    { passive: true },
  );
  narrow.addEventListener("change", place);
  // The sidebar is re-rendered after every write: put an open form back at its top.
  document.addEventListener("annotator:refreshed", () => {
    if (formOpen() && !pop.hidden) home();
  });
}

/** root: the article body; pop: the popover; panel: the open form's box, kept in composer
 * while in the sidebar; formOpen(): is a form open; range(): the selection being annotated. */
export function createPlacement({ root, pop, panel, composer, formOpen, range }) {
  const narrow = window.matchMedia(NARROW);

  /** Just below the selection's last line, scrolling only as much as needed to show it. */
  function place() {
    if (pop.hidden || !range()) return;
    home();
    const whole = selectionRect(range());
    const parent = pop.offsetParent || document.body;
    const parentRect = parent.getBoundingClientRect();
    const top = whole.bottom + 8;
    pop.style.top = `${top - parentRect.top + parent.scrollTop}px`;
    pop.dataset.side = "below";
    fitBeside();
    // Off the bottom of the window: scroll just enough, keeping the selection in view.
    const overflow = top + Math.min(pop.offsetHeight, 160) - (window.innerHeight - 8);
    if (overflow > 0) {
      window.scrollBy(0, Math.min(overflow, Math.max(0, whole.top - 8)));
      fitBeside(); // the sidebar is sticky: it may now be level with the toolbar
    }
  }

  /** The popover's left edge: at the selection's start, moved only as far as needed. */
  function fitBeside() {
    if (pop.hidden || !range()) return;
    const start = focusRect(range(), !narrow.matches); // wide: the first line
    // Right-to-left text: the toolbar hangs from the selection's right edge, where it starts.
    const rtl = isRightToLeft(range().startContainer);
    const parent = pop.offsetParent || document.body;
    const parentRect = parent.getBoundingClientRect();
    const width = pop.offsetWidth;
    const min = 8;
    let max = document.documentElement.clientWidth - 8;
    let left = rtl ? start.right - width : start.left;
    if (!narrow.matches) max = besideSidebar({ pop, root, left, width, max });
    left = Math.max(min, Math.min(left, max - width));
    pop.style.left = `${left - parentRect.left + parent.scrollLeft}px`;
  }

  /** The form's place: in the sidebar beside the text, else in the popover. */
  function home() {
    const sidebar = sidebarElement();
    const inMargin = !narrow.matches && sidebar && getComputedStyle(sidebar).display !== "none";
    if (inMargin) {
      if (!formOpen()) return;
      if (panel.parentElement !== composer) composer.append(panel);
      if (composer.parentElement !== sidebar) {
        const heading = sidebar.querySelector("#sidebar-heading");
        if (heading) heading.after(composer);
        else sidebar.prepend(composer);
      }
    } else if (panel.parentElement !== pop) {
      pop.append(panel);
      composer.remove();
    }
  }

  followLayout({ pop, narrow, place, fitBeside, home, formOpen });
  return { place };
}
