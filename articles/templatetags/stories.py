"""Markup of a story page drawn for hundreds of articles at once, built here in one pass
(a template loop costs about ten times as much per item at 500 articles)."""

from collections.abc import Sequence

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from articles.stories.selectors import Member
from articles.stories.timeline import Timeline

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


@register.simple_tag
def story_timeline_svg(drawn: Timeline) -> SafeString:
    """The timeline as an inline SVG: one row per outlet (its name and count above a line),
    one linked dot per article or per bunch of articles published within hours, and the date
    axis. Positions are percentages, so the drawing fills any width."""
    rows = format_html_join(
        "\n",
        '<g class="timeline-row"><text x="0" y="{}" class="timeline-outlet">{} ({})</text>'
        '<line x1="0" x2="100%" y1="{}" y2="{}" class="timeline-line"/>{}</g>',
        (
            (
                row.label_y,
                row.outlet,
                row.count,
                row.line_y,
                row.line_y,
                format_html_join(
                    "",
                    '<a href="{}" class="timeline-dot"><title>{}</title>'
                    '<circle cx="{}%" cy="{}" r="{}"/>{}</a>',
                    (
                        (
                            dot.url,
                            dot.title,
                            dot.x,
                            dot.y,
                            dot.radius,
                            format_html(
                                '<text x="{}%" y="{}" dy="0.35em" text-anchor="middle" '
                                'class="timeline-count">{}</text>',
                                dot.x,
                                dot.y,
                                dot.label,
                            )
                            if dot.label
                            else "",
                        )
                        for dot in row.dots
                    ),
                ),
            )
            for row in drawn.rows
        ),
    )
    axis = drawn.axis_y
    ticks = format_html_join(
        "\n",
        '<line x1="{x}%" x2="{x}%" y1="{y}" y2="{y6}" class="timeline-axis"/>'
        '<text x="{x}%" y="{y22}" text-anchor="{anchor}" class="timeline-tick">{label}</text>',
        (
            {
                "x": tick.x,
                "y": axis,
                "y6": axis + 6,
                "y22": axis + 22,
                "anchor": tick.anchor,
                "label": tick.label,
            }
            for tick in drawn.ticks
        ),
    )
    return format_html(
        '<svg role="group" aria-labelledby="timeline-title" width="100%" height="{}" '
        'class="timeline-svg"><title id="timeline-title">Articles of the story by publication '
        "time, one row per outlet</title>\n{}\n"
        '<line x1="0" x2="100%" y1="{}" y2="{}" class="timeline-axis"/>\n{}</svg>',
        drawn.height,
        rows,
        axis,
        axis,
        ticks,
    )
