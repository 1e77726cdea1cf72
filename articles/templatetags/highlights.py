"""The reading page's highlighted text, drawn in Python: a block of a few hundred highlight
segments costs no template loop or variable lookup per segment."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from ..highlights import Segment, StoryItem

register = template.Library()


def _segment(segment: Segment) -> str:
    text = conditional_escape(segment.text)
    if not segment.spans:
        return text
    first = segment.first_of
    anchor = f' id="hl-{first[0]}"' if first else ""
    overlap = " hl--overlap" if segment.overlap else ""
    return (
        f'<mark class="hl hl--{conditional_escape(segment.colour)}{overlap}"'
        f' data-ids="{segment.ids}"{anchor} tabindex="0"'
        f' aria-describedby="{segment.described_by}">{text}</mark>'
    )


@register.simple_tag
def highlighted(item: StoryItem) -> SafeString:
    """A block's text with its highlights: each segment that annotations cover is a <mark> naming
    them (data-ids), described by their cards; the first segment of each is its anchor."""
    return mark_safe("".join(_segment(segment) for segment in item.segments))
