"""Usernames that could be mistaken for another: a TR39 confusables skeleton and a mixed-script
check, so `аlice` (Cyrillic а), `ALICE` or `ａｌｉｃｅ` cannot sit beside `alice`.

The confusables data is Unicode's own (confusables.txt of Unicode Technical Standard #39),
as the PyPI package confusable_homoglyphs ships it (pinned in requirements.txt). The package
keeps it as a symmetric table (each character with the characters it can be confused with),
so the prototype TR39 maps a character to is read back from it (see `_prototype`). The
skeleton is TR39's: NFD, each character replaced by its prototype, NFD again.

`username_keys` and `lookalike_script_mix` are pure. `username_problem` also reads the existing
usernames (streamed, one short string each, nothing else loaded); see its docstring.
"""

import functools
import unicodedata

from confusable_homoglyphs import categories
from confusable_homoglyphs.utils import load as load_confusables_data
from django.contrib.auth import get_user_model

# Direction marks that confusables.txt prints around right-to-left characters in the comments
# the package's table was read from; they are not part of the characters.
_MARKS = str.maketrans("", "", "\u200e\u200f")
_NEUTRAL_SCRIPTS = {"COMMON", "INHERITED", "Unknown"}

LOOKS_LIKE_ANOTHER = (
    "This username looks the same as one already taken (letters from other alphabets, "
    "capitals or full-width forms that read alike count as the same). Choose one that "
    "reads differently."
)


@functools.cache
def _table() -> dict[str, tuple[str, ...]]:
    """Each character or sequence with the ones it can be confused with (both directions)."""
    table: dict[str, list[str]] = {}
    for key, entries in load_confusables_data("confusables.json").items():
        key = key.translate(_MARKS)
        if key:
            table.setdefault(key, []).extend(e["c"].translate(_MARKS) for e in entries)
    return {key: tuple(dict.fromkeys(v for v in values if v)) for key, values in table.items()}


@functools.cache
def _prototype(ch: str) -> str:
    """What TR39 maps one character to (the class's representative), or the character.

    In confusables.txt every source is one character with exactly one prototype, and no
    prototype is a source. So a character confused with several is a prototype; one confused
    with one other is that one's source, unless the other is confused only with it: then the
    two form a class of their own, represented by the smaller, as both sides agree on it.
    """
    others = _table().get(ch, ())
    if len(others) != 1:
        return ch
    (other,) = others
    if len(other) != 1 or len(_table().get(other, ())) > 1:
        return other  # a sequence (e.g. "rn" for "m") is never a source
    return min(ch, other)


@functools.cache
def _prototypes() -> dict[int, str]:
    """The characters TR39 maps to something else, as a str.translate table."""
    table = {ch: _prototype(ch) for ch in _table() if len(ch) == 1}
    return {ord(ch): prototype for ch, prototype in table.items() if prototype != ch}


@functools.cache
def _ascii_prototypes() -> tuple[tuple[str, str], ...]:
    return tuple((chr(code), p) for code, p in _prototypes().items() if code < 128)


def skeleton(text: str) -> str:
    """TR39's skeleton: NFD, every character replaced by its prototype, NFD again."""
    text = unicodedata.normalize("NFD", text)
    if text.isascii():  # the common case, several times faster by replace than translate
        for ch, prototype in _ascii_prototypes():  # prototypes are never sources: one pass
            text = text.replace(ch, prototype)
    else:
        text = text.translate(_prototypes())
    return unicodedata.normalize("NFD", text)


def username_keys(name: str) -> tuple[str, str]:
    """Two names that share either key read alike: NFKC, then the skeleton of the name folded
    to lower case, and the lower-case fold of its skeleton (so `AIice`, with a capital I that
    looks like l, meets `alice` as `ALICE` does)."""
    name = unicodedata.normalize("NFKC", name)
    return skeleton(name.casefold()), skeleton(skeleton(name).casefold())


def _script(ch: str) -> str:
    return categories.alias(ch)


@functools.cache
def _class_scripts() -> dict[str, dict[str, str]]:
    """For each prototype, the scripts of the characters that map to it, with one of each."""
    classes: dict[str, dict[str, str]] = {}
    for ch in _table():
        if len(ch) == 1:
            classes.setdefault(_prototype(ch), {}).setdefault(_script(ch), ch)
    for prototype, scripts in classes.items():
        own = {_script(ch) for ch in prototype}
        if len(own) == 1:
            scripts[own.pop()] = prototype  # the prototype itself is the best example
    return classes


def lookalike_script_mix(name: str) -> tuple[str, str] | None:
    """A letter of one script, in a name that uses another, which reads like a letter of that
    other script (the `а` of `аlice`), as (the letter, what it reads like); else None."""
    name = unicodedata.normalize("NFKC", name)
    scripts = {_script(ch) for ch in name} - _NEUTRAL_SCRIPTS
    if len(scripts) < 2:
        return None
    for ch in dict.fromkeys(name):
        own = _script(ch)
        if own in _NEUTRAL_SCRIPTS:
            continue
        alike = _class_scripts().get(_prototype(ch), {})
        for script in sorted(scripts - {own}):
            if script in alike:
                return ch, alike[script]
    return None


def username_problem(name: str, *, exclude_pk: int | None = None) -> str | None:
    """Why this username may not be taken (it mixes look-alike scripts, or reads like an
    existing one, case and width ignored), or None.

    Compares against every other username, streamed from the database in chunks: a few
    microseconds a name, so about a second for 100,000 accounts on a sign-up. (An indexed
    alternative is a stored skeleton with a unique constraint; see the issue-13 report.)
    """
    mix = lookalike_script_mix(name)
    if mix is not None:
        ch, like = mix
        return (
            f"This username mixes alphabets: “{ch}” ({unicodedata.name(ch, 'a letter')}) "
            f"looks like “{like}”. Use letters from one alphabet."
        )
    first, second = username_keys(name)
    others = get_user_model()._default_manager.exclude(pk=exclude_pk).order_by()
    for other in others.values_list("username", flat=True).iterator(chunk_size=2000):
        other_first, other_second = username_keys(other)
        if first == other_first or second == other_second:
            return LOOKS_LIKE_ANOTHER
    return None
