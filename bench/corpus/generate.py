"""A whole synthetic corpus in one call: outlets and readers, articles, annotations, and
(unless told not to) the comparison links. Needs Django set up."""

import time
from typing import TextIO

from articles.comparison.store import comparison_refresh
from articles.models import Article

from .annotate import annotate_generated
from .publish import articles_publish, outlets_ensure, readers_ensure
from .stories import NAME_PREFIX, Synthesizer


class CorpusRefused(ValueError):
    """Sizes that make no corpus, or a seed already used; the message says what to do."""


def _check_sizes(articles: int, annotations: int, users: int) -> None:
    if articles < 0 or annotations < 0 or users < 0:
        raise CorpusRefused("--articles, --annotations and --users must not be negative")
    if annotations and not articles:
        raise CorpusRefused("annotations need articles: give --articles")
    if annotations and not users:
        raise CorpusRefused("annotations need readers: give --users")


def _first_number(seed: int, append: bool) -> int:
    """The number the new articles start from: 0, or after the seed's last with `append`."""
    prefix = f"{NAME_PREFIX}-s{seed}-"
    existing = Article.objects.filter(source_name__startswith=prefix)
    if not existing.exists():
        return 0
    if not append:
        raise CorpusRefused(
            f"a corpus with seed {seed} exists already ({existing.count():,} articles "
            f"named {prefix}…); use --append to add to it, or another --seed"
        )
    last = existing.order_by("-source_name").values_list("source_name", flat=True)[0]
    return int(last.removeprefix(prefix).removesuffix(".txt")) + 1


def corpus_generate(
    *,
    articles: int,
    annotations: int,
    users: int,
    seed: int = 1,
    append: bool = False,
    compare: bool = True,
    out: TextIO | None = None,
) -> dict[str, int]:
    """Write a corpus of `articles` articles and `annotations` annotations by `users` readers,
    the same for a given seed; with `append`, add to the seed's corpus instead of refusing.
    Each step and its time is written to `out`. Returns the counts of rows written."""
    _check_sizes(articles, annotations, users)
    start = _first_number(seed, append)
    timings: list[float] = []

    def step(what: str, started: float) -> None:
        timings.append(time.perf_counter() - started)
        if out is not None:
            out.write(f"{what}: {timings[-1]:.1f} s\n")

    started = time.perf_counter()
    styles = outlets_ensure()
    user_ids = readers_ensure(seed, users)
    step("outlets and readers", started)

    started = time.perf_counter()
    targets = articles_publish(Synthesizer(seed, styles, start=start), articles)
    blocks = sum(t.block_count for t in targets)
    step(f"{len(targets):,} articles, {len(targets):,} revisions, {blocks:,} blocks", started)

    started = time.perf_counter()
    counts = annotate_generated(targets, annotations, users=user_ids, seed=seed, start=start)
    step(
        f"{counts['annotations']:,} annotations ({counts['replies']:,} replies, "
        f"{counts['private']:,} private), {counts['claims']:,} claims, "
        f"{counts['tags']:,} tag links",
        started,
    )

    if compare:
        started = time.perf_counter()
        report = comparison_refresh()
        step(f"comparison: {report.summary()}", started)
    if out is not None:
        out.write(f"Done in {sum(timings):.1f} s.\n")
    return {"articles": len(targets), "revisions": len(targets), "blocks": blocks, **counts}
