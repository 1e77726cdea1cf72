"""Readable slugs for titles in any script."""

import pytest
from django.utils.text import slugify
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.ingest.slugs import slug_text


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Путин и Эрдоган обсудили Сирию", "putin-i-erdogan-obsudili-siriyu"),
        ("Зеленський підписав закон", "zelenskiy-pidpisav-zakon"),
        ("مفاوضات أستانا 2017", "mfwdt-stn-2017"),
        (
            "Kazakistan ile Türkiye arasında uçak seferleri",
            "kazakistan-ile-turkiye-arasinda-ucak-seferleri",
        ),
        ("中国和哈萨克斯坦", "zhong-guo-he-ha-sa-ke-si-tan"),
        ("Ærø straße", "aero-strasse"),
    ],
)
def test_non_latin_titles_give_readable_slugs(title, slug):
    """Arabic, Cyrillic and Han titles are transliterated, not reduced to their digits."""
    assert slugify(slug_text(title)) == slug


@settings(deadline=None, max_examples=200)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=300))
def test_ascii_titles_keep_the_slugs_they_had(title):
    """For ASCII titles the slug is what slugify always gave."""
    assert slugify(slug_text(title)) == slugify(title)


@settings(deadline=None, max_examples=200)
@given(st.text(max_size=2000))
def test_any_title_gives_ascii(title):
    """Whatever the title, the text is ASCII without runs of spaces."""
    text = slug_text(title)
    assert text.isascii()
    assert "  " not in text
