"""python -m bench.corpus: fill the database with a large synthetic corpus, in bulk.

Runs with the project's settings (DJANGO_SETTINGS_MODULE, else astana.settings.dev, as
manage.py does) against the database they name.
"""

import argparse
import os
import sys
from collections.abc import Sequence


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench.corpus",
        description=(
            "Generate a synthetic corpus quickly with bulk inserts: articles (wire stories "
            "copied by several outlets, and unrelated stories) with their revisions and "
            "blocks, readers, and annotations with tags, claims and replies. Deterministic "
            "for a given --seed."
        ),
    )
    parser.add_argument("--articles", type=int, default=1_000)
    parser.add_argument("--annotations", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--append",
        action="store_true",
        help="Add to a corpus generated before with the same seed instead of refusing.",
    )
    parser.add_argument(
        "--no-compare",
        dest="compare",
        action="store_false",
        help="Do not store the comparison links.",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    args = parser().parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "astana.settings.dev")
    import django

    django.setup()
    from .generate import CorpusRefused, corpus_generate

    try:
        corpus_generate(**vars(args), out=sys.stdout)
    except CorpusRefused as refused:
        sys.exit(f"error: {refused}")


if __name__ == "__main__":
    main()
