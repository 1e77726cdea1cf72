"""The shape of the code: dependencies point one way and visibility is decided in one place.

These read the source (no database): the articles app never imports the annotations app, and
no module outside the access modules filters what a reader may see by hand (an article's
status, an annotation's visibility or hidden flag, `.published()`).
"""

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("articles", "annotations")
# The modules that hold the rules, and the models that define the fields (with their
# constraints). Migrations, skipped, write SQL that mirrors the rule for the database's
# counters (checked against the ORM in tests/security/test_timing_leak.py).
RULE_MODULES = {
    "articles/access.py",
    "annotations/access.py",
    "articles/models.py",
    "articles/stories/models.py",
    "annotations/models.py",
}
VISIBILITY_FIELDS = {"status", "visibility", "is_hidden"}
# Writes that select rows by these fields to change them, not to decide who may see them.
WRITES = {
    ("annotations/services/curation.py", "is_hidden"),  # hide only those not hidden yet
    # Replace an article's suggestions, confirm what is suggested: a story's or a place's
    # status chosen to change it.
    ("articles/services/stories.py", "status"),
}


def _modules(app: str) -> Iterator[tuple[str, ast.Module]]:
    for path in sorted((ROOT / app).rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "/migrations/" not in relative:
            yield relative, ast.parse(path.read_text(encoding="utf-8"), relative)


def _imported(tree: ast.Module, module: str) -> Iterator[str]:
    """Every module an import statement anywhere in the tree names (relative ones resolved)."""
    package = module.removesuffix(".py").replace("/", ".").removesuffix(".__init__")
    parts = package.split(".") if module.endswith("__init__.py") else package.split(".")[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if not node.level:
                yield node.module or ""
                continue
            base = parts[: len(parts) - node.level + 1]
            if node.module:
                yield ".".join([*base, node.module])
            else:  # from .. import x: x may be a module
                yield from (".".join([*base, alias.name]) for alias in node.names)


def test_the_articles_app_never_imports_the_annotations_app():
    """annotations may import articles, never the reverse (checked on every import line)."""
    found = [
        f"{path}: {name}"
        for path, tree in _modules("articles")
        for name in _imported(tree, path)
        if name == "annotations" or name.startswith("annotations.")
    ]
    assert found == []


def test_the_import_check_sees_relative_and_nested_imports():
    """The check above would catch an import hidden in a function or written relatively."""
    tree = ast.parse("def f():\n    from ..annotations import models\n")
    assert list(_imported(tree, "articles/x/y.py")) == ["articles.annotations"]
    tree = ast.parse("def f():\n    import annotations.models\n")
    assert list(_imported(tree, "articles/views.py")) == ["annotations.models"]
    tree = ast.parse("from ... import annotations\n")
    assert list(_imported(tree, "articles/x/y.py")) == ["annotations"]
    tree = ast.parse("from . import access\n")
    assert list(_imported(tree, "annotations/pages/views.py")) == ["annotations.pages.access"]


def _visibility_lookup(lookup: str) -> str | None:
    """The visibility field a lookup filters on ("article__status" -> "status"), if any."""
    parts = lookup.split("__")
    for part in reversed(parts):
        if part in VISIBILITY_FIELDS:
            return part
    return None


@pytest.mark.parametrize("app", APPS)
def test_no_module_decides_visibility_by_hand(app):
    """Only the access modules filter by an article's status, an annotation's visibility or
    hidden flag: every page, count, search, API view, export and cache key asks them."""
    found = []
    for path, tree in _modules(app):
        if path in RULE_MODULES:
            continue
        for line, what in _hand_filter_calls(tree):
            if (path, what) not in WRITES:
                found.append(f"{path}:{line} filters by {what}")
    assert found == []


def _hand_filter_calls(tree: ast.Module) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name == "published":
            yield node.lineno, "published()"
            continue
        if name not in {"filter", "exclude", "get", "Q", "Count", "Exists"}:
            continue
        for keyword in node.keywords:
            lookups = [keyword.arg] if keyword.arg else []
            if keyword.arg is None and isinstance(keyword.value, ast.Dict):
                lookups = [
                    k.value
                    for k in keyword.value.keys
                    if isinstance(k, ast.Constant) and isinstance(k.value, str)
                ]
            for lookup in lookups:
                if field := _visibility_lookup(lookup):
                    yield node.lineno, field


def test_the_visibility_check_finds_a_hand_made_filter():
    """The check above catches the usual ways of filtering by hand."""
    source = (
        "Article.objects.published()\n"
        "Annotation.objects.filter(article__status='published')\n"
        "Q(visibility='public')\n"
        "Count('annotations', filter=Q(annotations__is_hidden=False))\n"
        "Link.objects.filter(**{'b_article__status': 'published'})\n"
        "Annotation.objects.filter(anchor_status='orphaned')\n"  # not visibility
    )
    found = [what for _, what in _hand_filter_calls(ast.parse(source))]
    assert sorted(found) == sorted(["published()", "status", "visibility", "is_hidden", "status"])
