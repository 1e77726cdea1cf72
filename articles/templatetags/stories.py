"""Markup of a story page drawn for hundreds of articles at once, built here in one pass
(a template loop costs about ten times as much per item at 500 articles)."""

from collections.abc import Sequence

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from articles.stories.selectors import Member

register = template.Library()


def _language(code: str) -> SafeString:
    return format_html(' lang="{}"', code) if code else SafeString("")


@register.simple_tag
def story_article_items(members: Sequence[Member]) -> SafeString:
    """One <li> per article: a box to tick for comparing, its title, a link to read it, its
    outlet and date, and "suggested" when only the clustering put it there (curators)."""
    return format_html_join(
        "\n",
        '<li><input type="checkbox" name="articles" value="{slug}" id="pick-{slug}"> '
        '<label for="pick-{slug}"><span class="visually-hidden">Compare </span>'
        "<bdi{lang}>{title}</bdi></label> "
        '<a href="{url}" class="story-articles__read">read<span class="visually-hidden"> '
        "{title}</span></a> "
        '<span class="muted">{outlet}{date}</span>{badge}</li>',
        (
            {
                "slug": m.article.slug,
                "lang": _language(m.article.language),
                "title": m.article.title,
                "url": m.url,
                "outlet": m.outlet,
                "date": f" · {m.article.published_label}" if m.article.published_date else "",
                "badge": SafeString(
                    ' <span class="badge" title="Suggested by the clustering; readers see it '
                    'once a curator confirms it.">suggested</span>'
                )
                if m.suggested
                else "",
            }
            for m in members
        ),
    )
