"""Readable ASCII text for slugs from titles in any script.

`slugify` keeps only ASCII letters, so an Arabic or Cyrillic title gives a slug of its digits
("23-2017") or nothing. Transliterating first (with anyascii: "Путин" → "Putin",
"أستانا" → "'stn") gives a slug a reader can recognise; `slugify` then drops the punctuation
as it always has, so Latin titles keep the slugs they had.
"""

import re

from anyascii import anyascii

MAX_CHARS = 400  # a title longer than this is cut before transliteration (slugs are short)
# Scripts written without spaces between words: each character's syllable stands apart.
_SYLLABIC = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def slug_text(title: str) -> str:
    """The title in ASCII (other scripts transliterated, accents dropped), to give `slugify`:
    "Путин и Эрдоган" → "Putin i Erdogan", "中国" → "Zhong Guo"."""
    text = _SYLLABIC.sub(lambda match: f" {match.group(0)} ", title[:MAX_CHARS])
    return " ".join(anyascii(text).split())
