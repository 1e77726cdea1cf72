"""The index as a database-backed store uses it: preload what is stored, then add or remove
articles and replace the stored result of exactly the pairs the index reports changed.

Property-based (hypothesis): for any corpus, a store kept up to date that way holds what a
full recomputation gives.
"""

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from hypothesis import given
from hypothesis import strategies as st

from articles.comparison.engine import (
    Config,
    CorpusIndex,
    Link,
    attributions_of,
    frame_article,
)

from .test_properties import FLIPPY, SETTINGS, corpora, sentences

Pair = tuple[str, str]
Store = dict[Pair, tuple]


def _full_store(bodies: dict[str, str], config: Config, outlets=None) -> Store:
    """Every pair with links in a full recomputation, with its links and discrepancies."""
    index = CorpusIndex.from_bodies(bodies, config=config, outlets=outlets)
    store: Store = {}
    for a, b in index.candidate_pairs():
        links = index.pair_links(a, b)
        if links:
            store[(a, b)] = (links, index.pair_differences(a, b))
    return store


def _apply(store: Store, index: CorpusIndex, *touched: str) -> None:
    """What the database side does after adding or removing the `touched` articles."""
    for pair in [pair for pair in store if pair[0] in touched or pair[1] in touched]:
        del store[pair]
    for a, b in index.take_changed_pairs():
        links = index.pair_links(a, b)
        if links:
            store[(a, b)] = (links, index.pair_differences(a, b))
        else:
            store.pop((a, b), None)


@st.composite
def split_corpora(draw):
    """A corpus, the keys that are stored already (preloaded), and the rest, in some order."""
    bodies = draw(corpora(min_size=1, max_size=6))
    keys = sorted(bodies)
    preloaded = draw(st.lists(st.sampled_from(keys), unique=True)) if keys else []
    rest = draw(st.permutations([key for key in keys if key not in preloaded]))
    return bodies, sorted(preloaded), rest


def _links_by_pair(links: tuple[Link, ...]) -> dict[Pair, list[Link]]:
    out: dict[Pair, list[Link]] = {}
    for link in links:
        out.setdefault((link.a_key, link.b_key), []).append(link)
    return out


@SETTINGS
@given(split_corpora(), st.sampled_from([FLIPPY, Config()]))
def test_preload_then_add_reports_every_pair_that_changed(case, config):
    """Changed pairs after preload + add hold the full result; the others keep theirs."""
    bodies, preloaded, rest = case
    index = CorpusIndex(config=config)
    index.preload({key: bodies[key] for key in preloaded})
    assert index.pairs_compared == 0
    assert index.take_changed_pairs() == set()
    changed: set[Pair] = set()
    for key in rest:
        index.add(key, bodies[key])
        changed |= index.take_changed_pairs()
    full = CorpusIndex.from_bodies(bodies, config=config)
    for a, b in changed:
        assert index.pair_links(a, b) == full.pair_links(a, b)
        assert index.pair_differences(a, b) == full.pair_differences(a, b)
    for a, b in _links_by_pair(full.links()):
        if (a, b) not in changed:
            assert a in preloaded
            assert b in preloaded


@SETTINGS
@given(split_corpora(), st.sampled_from([FLIPPY, Config()]), st.booleans())
def test_store_kept_up_to_date_equals_full_recomputation(case, config, batch):
    """A store of the preloaded articles' results, updated pair by pair, ends up right,
    whether the other articles are added one by one or as one batch (`add_many`)."""
    bodies, preloaded, rest = case
    start = {key: bodies[key] for key in preloaded}
    store = _full_store(start, config)
    index = CorpusIndex(config=config)
    index.preload(start)
    if batch:
        index.add_many({key: bodies[key] for key in rest})
        _apply(store, index, *rest)
    else:
        for key in rest:
            index.add(key, bodies[key])
            _apply(store, index, key)
    assert store == _full_store(bodies, config)
    full = CorpusIndex.from_bodies(bodies, config=config)
    for key in rest:
        assert index.framing(key) == full.framing(key)
        assert index.attributions(key) == full.attributions(key)


@st.composite
def edits_of_a_store(draw):
    """A stored corpus, then adds, replacements and removals."""
    start = draw(corpora(max_size=5))
    extra = draw(corpora(max_size=4))
    steps = []
    for key in draw(st.lists(st.sampled_from("abcdefgh"), max_size=6)):
        if draw(st.booleans()):
            steps.append(("remove", key, ""))
        else:
            body = extra.get(key) or draw(st.sampled_from([*start.values(), *extra.values(), ""]))
            steps.append(("add", key, body))
    return start, steps


@SETTINGS
@given(edits_of_a_store(), st.sampled_from([FLIPPY, Config()]))
def test_removals_and_replacements_keep_the_store_right(script, config):
    """Removing or replacing stored articles reports what the store must change."""
    start, steps = script
    store = _full_store(start, config)
    index = CorpusIndex(config=config)
    index.preload(start)
    bodies = dict(start)
    for action, key, body in steps:
        if action == "remove":
            if key not in bodies:
                continue
            index.remove(key)
            del bodies[key]
        else:
            index.add(key, body)
            bodies[key] = body
        assert all(first in index for first, _ in index.changed_pairs)
        assert all(second in index for _, second in index.changed_pairs)
        _apply(store, index, key)
    assert store == _full_store(bodies, config)


@SETTINGS
@given(corpora(max_size=4), corpora(max_size=3), st.sampled_from([FLIPPY, Config()]))
def test_preload_after_adds_keeps_added_articles_right(first, second, config):
    """Articles added before a preload still get every pair with the preloaded ones."""
    second = {key.upper(): body for key, body in second.items()}
    index = CorpusIndex(config=config)
    for key, body in first.items():
        index.add(key, body)
    index.preload(second)
    full = CorpusIndex.from_bodies({**first, **second}, config=config)
    for key in first:
        assert index.links_for(key) == full.links_for(key)
        assert index.differences_for(key) == full.differences_for(key)


@SETTINGS
@given(corpora(max_size=4))
def test_one_article_alone_matches_the_index(bodies):
    """frame_article and attributions_of give what the index gives, with no pair work."""
    full = CorpusIndex.from_bodies(bodies)
    preloaded = CorpusIndex()
    preloaded.preload(bodies)
    for key, body in bodies.items():
        assert frame_article(key, body) == full.framing(key)
        assert attributions_of(key, body) == full.attributions(key)
        assert preloaded.framing(key) == full.framing(key)
        assert preloaded.attributions(key) == full.attributions(key)


def test_pair_between_preloaded_articles_is_computed_on_request():
    """pair_links of two preloaded articles gives their links without storing them."""
    sentence = "The factions will go and the first thing they will discuss is the ceasefire."
    bodies = {"a": sentence + " Extra words here.", "b": "Prefix text. " + sentence}
    index = CorpusIndex()
    index.preload(bodies)
    full = CorpusIndex.from_bodies(bodies)
    assert full.pair_links("a", "b")
    assert index.pair_links("b", "a") == full.pair_links("a", "b")
    assert index.links() == ()
    assert index.take_changed_pairs() == set()


def test_remove_reports_pairs_that_regain_shared_ngrams():
    """Removing an article can make an n-gram rare again: pairs sharing it are reported."""
    quote = "Discussions will be on the ceasefire and the humanitarian issues first"
    bodies = {key: f"{quote}. Story {key} goes on." for key in "abc"}
    config = Config(max_df_floor=2, max_df_ratio=0.0)  # an n-gram in 3 articles is common
    index = CorpusIndex(config=config)
    index.preload(bodies)
    assert not CorpusIndex.from_bodies(bodies, config=config).links()
    index.remove("c")
    changed = index.take_changed_pairs()
    assert changed == {("a", "b")}
    assert index.pair_links("a", "b") == CorpusIndex.from_bodies(
        {key: bodies[key] for key in "ab"}, config=config
    ).pair_links("a", "b")
    assert index.pair_links("a", "b")


def test_add_reports_preloaded_pairs_that_lose_their_links():
    """An added article can make the n-grams two preloaded articles share too common."""
    quote = "Discussions will be on the ceasefire and the humanitarian issues first"
    bodies = {key: f"{quote}. Story {key} goes on." for key in "ab"}
    config = Config(max_df_floor=2, max_df_ratio=0.0)  # an n-gram in 3 articles is common
    assert CorpusIndex.from_bodies(bodies, config=config).pair_links("a", "b")
    index = CorpusIndex(config=config)
    index.preload(bodies)
    index.add("c", f"{quote}. Story c goes on.")
    assert ("a", "b") in index.take_changed_pairs()
    assert index.pair_links("a", "b") == ()


LINES = st.sampled_from(
    ["", "\n", "\n\n", " ", "Share this article", "Comments", "© 2017 Reuters", "ﬁ", "İ", "—"]
)


@SETTINGS
@given(st.lists(st.one_of(sentences(), LINES), max_size=12), st.sampled_from(["\n", " ", "\n\n"]))
def test_preload_hashes_the_words_the_prepared_article_has(pieces, separator):
    """The n-grams preload counts are those a prepared article holds (the fast path too)."""
    from articles.comparison.engine.document import gram_sets, prepare

    body = separator.join(pieces)
    doc = prepare("k", body, (3, 5))
    assert gram_sets(body, (3, 5)) == {n: doc.gram_set(n) for n in (3, 5)}


def _add_many_results(workers: int) -> tuple:
    """In a fresh process: add half-copies of the seeds at once with `workers` processes.

    Returns what a store reads, and how many batches went to forked workers."""
    from articles.comparison.engine import corpus as index_module

    from .gold import seed_bodies

    index_module.PARALLEL_MIN = 1
    index_module.PARALLEL_CHUNK = 1
    forked = []
    in_workers = index_module.CorpusIndex._described_in_workers

    def counted(self, keys, new, count):
        forked.append(count)
        return in_workers(self, keys, new, count)

    index_module.CorpusIndex._described_in_workers = counted
    seeds = seed_bodies()
    bodies = {**seeds, **{f"{key}-copy": body[: len(body) // 2] for key, body in seeds.items()}}
    first, *rest = sorted(bodies)
    index = CorpusIndex()
    index.preload({first: bodies[first]})
    index.add_many({key: bodies[key] for key in rest}, workers=workers)
    changed = sorted(index.take_changed_pairs())
    result = (
        changed,
        [(index.pair_links(*pair), index.pair_differences(*pair)) for pair in changed],
        [(index.framing(key), index.attributions(key)) for key in rest],
        index.pairs_compared,
    )
    return result, forked


def test_add_many_in_worker_processes_gives_the_same_result():
    """add_many with forked workers finds the same pairs, links, framing and attributions.

    Each run is in a freshly spawned process: the test runner may hold threads (a live
    server), and add_many rightly refuses to fork a process that has them."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        alone, not_forked = pool.submit(_add_many_results, 1).result()
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        shared, forked = pool.submit(_add_many_results, 2).result()
    assert not_forked == []
    assert forked == [2], "add_many did not use its worker processes"
    assert alone[0]
    assert alone == shared


def _add_many_after_a_progress_bar() -> tuple[int, list[int]]:
    """In a fresh process: show a tqdm progress bar (which starts tqdm's monitor thread and
    leaves it running), then add articles with 2 workers. Returns the threads alive after
    the bar, and how many workers each batch sent to forked workers had."""
    import io
    import threading

    from tqdm import tqdm

    with tqdm(total=3, file=io.StringIO()) as bar:
        bar.update(3)
    threads = threading.active_count()
    _result, forked = _add_many_results(2)
    return threads, forked


def test_add_many_forks_its_workers_after_a_progress_bar_was_shown():
    """The comparison still runs in its worker processes after a progress bar (as after
    `import_articles`): tqdm's idle monitor thread does not keep it from forking."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        threads, forked = pool.submit(_add_many_after_a_progress_bar).result()
    assert threads == 2, "the progress bar started no monitor thread: nothing is tested"
    assert forked == [2], "add_many did not use its worker processes"
