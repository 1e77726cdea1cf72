// Past a few hundred cards the server sends the sidebar's first page of cards in the text and
// a link to the next (#cards-more, data-src): its pages come in as the reader scrolls to the
// link, and all at once when something needs a card not here yet (a highlight clicked, a
// share link, a filter). Without JavaScript the link opens the next page of cards.

export function createMore({ sidebar, api, onLoaded }) {
  let loading = null;
  let observer = null;
  const marker = () => sidebar.querySelector("#cards-more");

  /** Bring in the next page of cards (once at a time); false when there is none. */
  async function next() {
    const more = marker();
    if (!more) return false;
    if (!loading) {
      loading = (async () => {
        more.setAttribute("aria-busy", "true");
        const doc = await api.fetchPage(more.dataset.src);
        const list = sidebar.querySelector("#text-cards");
        for (const item of doc.querySelectorAll("#more-cards > li")) {
          const card = item.querySelector(".card");
          if (!list || (card && document.getElementById(card.id))) continue; // already here
          list.append(document.adoptNode(item));
        }
        const following = doc.querySelector("#cards-more");
        if (following) {
          more.dataset.src = following.dataset.src;
          more.querySelector("a").href = following.dataset.src;
          more.removeAttribute("aria-busy");
        } else {
          more.remove();
        }
        onLoaded();
      })().finally(() => {
        loading = null;
      });
    }
    await loading;
    return Boolean(marker());
  }

  /** Every card, when some are not here yet. */
  async function all() {
    while (marker()) {
      if (!(await next())) break;
    }
  }

  /** Whether these cards are all here; if not, bring every page in. */
  async function ensure(ids) {
    if (!marker() || ids.every((id) => document.getElementById(`card-${id}`))) return;
    await all();
  }

  /** Watch the link at the end (again after each render): in view, the next page comes in. */
  function watch() {
    if (observer) observer.disconnect();
    const more = marker();
    if (!more || !("IntersectionObserver" in window)) return;
    observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) next().then(() => watch(), () => {});
    });
    observer.observe(more);
  }

  return { next, all, ensure, watch };
}
