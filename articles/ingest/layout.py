"""Where a line stands on the page: header above the lead, the story, the tail, the footer.

`extract` first classifies lines by their own shape; these passes then use position and
repetition: the lead (the first line of running text), what sits above it (navigation, section
labels, captions, the headline), embeds and newsletter blocks (runs of short promo lines), the
footer zone (which only a footer line after the last story line opens), and headline lists
after the story (related stories). Each pass is one walk over the lines: linear.
"""

from collections.abc import Collection, Sequence
from typing import Protocol

from . import bylines, datelines, evidence, furniture, rules
from .kinds import Kind
from .text import line_word_count

LONG_STORY_WORDS = 30  # a line this long is story text even without a full stop
MAX_KEYED_LINE = 300  # only lines up to this long are compared for repetition
CAPTION_WORDS = 5  # a line above the lead this long that is not a sentence is a caption
NEWSLETTER_LINE_WORDS = 20
PROMO_LINE_WORDS = 10  # a neighbour of a newsletter line this short joins its block
MAX_BLOCK_LINE_WORDS = 60  # no line of a newsletter block is longer
CREDIT_FOLLOWER_WORDS = 8  # story text after a © credit: a line at least this long
ZONE_TEXT_WORDS = 12  # a line this long without a full stop may still be story text

RULE_ABOVE_TITLE = "breadcrumb: a line above the headline (navigation or a section label)"
RULE_LABEL_UNDER_TITLE = "breadcrumb: a short label between the headline and the story"
RULE_CAPTION_UNDER_TITLE = (
    "caption: a line that is not a sentence, between the headline and the story"
)
RULE_AGENCY_BYLINE = "dateline: byline: an agency in parentheses in the author slot"
RULE_NAME_BYLINE = "dateline: byline: a name alone in the author slot"
RULE_ACRONYM_BYLINE = "dateline: byline: an agency's acronym alone under the headline"
RULE_SIGNATURE = "dateline: byline: a name alone right after the story (its signature)"
RULE_NEAR_REPEAT = "caption: a caption printed twice (once with its credit)"
RULE_UNDER_RELATED_LABEL = "promo: links under a “read also” label"
RULE_RELATED = "promo: headline-shaped lines after the story (related stories)"
RULE_NEWSLETTER = "promo: newsletter or subscription block"
RULE_TWEET_TEXT = "promo: embedded tweet (its text)"
RULE_COPYRIGHT_CREDIT = "caption: picture credit with a copyright sign (text follows it)"
RULE_FOOTER_SHORT = "footer: short line after the footer began"
RULE_FOOTER_SHARE = "footer: share buttons below the footer"
RULE_PROMO_SHARE = "promo: share buttons"


class Line(Protocol):
    start: int
    text: str
    kind: Kind | None
    rule: str


def is_lead_shaped(text: str) -> bool:
    """Running story text: a sentence of five words or more that is not a short headline
    question, or a very long line (unless it is a row of words with no grammar: a menu)."""
    if furniture.is_story_shaped(text) and not rules.looks_like_heading(text):
        return True
    return line_word_count(text) >= LONG_STORY_WORDS and not evidence.is_word_row(text)


_SITE_SEPARATORS = (" | ", " - ", " – ", " — ")
MAX_SITE_NAME_WORDS = 4


def _title_bar_head(text: str) -> str | None:
    """ "Headline | Site": the headline part of a page's title bar, or None."""
    for separator in _SITE_SEPARATORS:
        head, found, site = text.rpartition(separator)
        if found and head and 0 < line_word_count(site) <= MAX_SITE_NAME_WORDS:
            return head
    return None


def repeat_counts(segs: Sequence[Line]) -> dict[str, int]:
    """How often each (short) line's key occurs; a title bar ("Headline | Site") counts as
    one more print of its headline."""
    counts: dict[str, int] = {}
    for seg in segs:
        if len(seg.text) <= MAX_KEYED_LINE:
            key = furniture.line_key(seg.text)
            counts[key] = counts.get(key, 0) + 1
            head = _title_bar_head(seg.text)
            if head is not None:
                head_key = furniture.line_key(head)
                counts[head_key] = counts.get(head_key, 0) + 1
    return counts


def is_repeated(text: str, counts: dict[str, int]) -> bool:
    return len(text) <= MAX_KEYED_LINE and counts.get(furniture.line_key(text), 0) > 1


def find_lead(segs: Sequence[Line]) -> int | None:
    """The first unclassified line of running text."""
    for index, seg in enumerate(segs):
        if seg.kind is None and is_lead_shaped(seg.text):
            return index
    return None


def last_story_line(segs: Sequence[Line]) -> int:
    """The last unclassified line of running text (-1 when there is none)."""
    for index in range(len(segs) - 1, -1, -1):
        if segs[index].kind is None and is_lead_shaped(segs[index].text):
            return index
    return -1


def mark_footer_zone(segs: Sequence[Line], *, protected: Collection[int] = ()) -> None:
    """The footer zone opens at the first footer line after the last line of story text.

    A copyright credit ("© Maxim Shemetov", "© Sputnik/ Name") with text after it is a
    picture credit: it never opens the zone, and the story after it is never set aside.
    """
    # The last line that may be story text, even one that lost its full stop.
    last = next(
        (
            i
            for i in range(len(segs) - 1, -1, -1)
            if segs[i].kind is None
            and (is_lead_shaped(segs[i].text) or line_word_count(segs[i].text) >= ZONE_TEXT_WORDS)
        ),
        -1,
    )
    text_after = False  # walking back: has an unclassified line of eight words or more been seen
    for index in range(len(segs) - 1, -1, -1):
        seg = segs[index]
        if seg.kind is Kind.FOOTER and text_after and furniture.is_copyright_credit(seg.text):
            seg.kind, seg.rule = Kind.CAPTION, RULE_COPYRIGHT_CREDIT
        elif seg.kind is None and line_word_count(seg.text) >= CREDIT_FOLLOWER_WORDS:
            text_after = True
    start = next((i for i in range(last + 1, len(segs)) if segs[i].kind is Kind.FOOTER), len(segs))
    for seg in segs[start + 1 :]:
        if seg.kind is None and seg.start not in protected and not rules.ends_sentence(seg.text):
            seg.kind, seg.rule = Kind.FOOTER, RULE_FOOTER_SHORT
        elif seg.kind is Kind.PROMO and seg.rule == RULE_PROMO_SHARE:
            seg.kind, seg.rule = Kind.FOOTER, RULE_FOOTER_SHARE


def mark_tweet_texts(segs: Sequence[Line]) -> None:
    """The text of an embedded tweet sits right above its signature line."""
    for index in range(1, len(segs)):
        seg, above = segs[index], segs[index - 1]
        if (
            seg.kind is Kind.PROMO
            and seg.rule == "promo: embedded tweet (its signature line)"
            and above.kind is None
            and len(above.text) <= MAX_KEYED_LINE
        ):
            above.kind, above.rule = Kind.PROMO, RULE_TWEET_TEXT


def _promo_shaped(text: str) -> bool:
    if line_word_count(text) > NEWSLETTER_LINE_WORDS:
        return False
    return not furniture.is_story_shaped(text) or furniture.addresses_reader(text)


def _joinable(seg: Line) -> bool:
    """A neighbour that joins a newsletter block: furniture of its kind, or a line that
    speaks to the reader, or a short line with no comma that is not a sentence."""
    if seg.kind is not None:
        return seg.kind in (Kind.PROMO, Kind.COMMENT)
    words = line_word_count(seg.text)
    if words <= MAX_BLOCK_LINE_WORDS and (
        furniture.addresses_reader(seg.text) or furniture.has_newsletter_words(seg.text)
    ):
        return True
    if not _promo_shaped(seg.text):
        return False
    return words <= PROMO_LINE_WORDS and "," not in seg.text


def _is_anchor(seg: Line) -> bool:
    """A line about newsletters or subscriptions: short and not story text, or speaking to
    the reader."""
    if seg.kind is not None or not furniture.has_newsletter_words(seg.text):
        return False
    return _promo_shaped(seg.text) or furniture.addresses_reader(seg.text)


def mark_newsletter_blocks(segs: Sequence[Line]) -> None:
    """A run of short promo lines around a line about newsletters or e-mail sign-ups."""
    count = len(segs)
    index = 0
    while index < count:
        if not _is_anchor(segs[index]):
            index += 1
            continue
        low = index
        while low > 0 and _joinable(segs[low - 1]):
            low -= 1
        high = index
        while high + 1 < count and _joinable(segs[high + 1]):
            high += 1
        for run in segs[low : high + 1]:
            if run.kind is None:
                run.kind, run.rule = Kind.PROMO, RULE_NEWSLETTER
        index = high + 1
    # A line between two lines of such blocks belongs to them.
    for index in range(1, count - 1):
        seg = segs[index]
        if (
            seg.kind is None
            and line_word_count(seg.text) <= MAX_BLOCK_LINE_WORDS
            and segs[index - 1].rule == RULE_NEWSLETTER
            and segs[index + 1].rule == RULE_NEWSLETTER
        ):
            seg.kind, seg.rule = Kind.PROMO, RULE_NEWSLETTER


def mark_header(
    segs: Sequence[Line],
    title: int | None,
    lead: int | None,
    *,
    protected: Collection[int] = (),
) -> None:
    """Lines above the headline are navigation or section labels; lines between the headline
    and the lead that are not sentences are labels or captions."""
    if lead is None:
        return
    first = 0 if title is None else title + 1
    if title is not None:
        for seg in segs[:title]:
            if seg.kind is None and seg.start not in protected:
                seg.kind, seg.rule = Kind.BREADCRUMB, RULE_ABOVE_TITLE
    for index in range(first, lead):
        seg = segs[index]
        if seg.kind is not None or seg.start in protected:
            continue
        words = line_word_count(seg.text)
        if furniture.agency_alone(seg.text):
            seg.kind, seg.rule = Kind.DATELINE, RULE_AGENCY_BYLINE
        elif (
            evidence.is_uncased_name(seg.text)
            and index > 0
            and segs[index - 1].kind in (Kind.TITLE, Kind.DATELINE)
        ):
            # A name in a script without capitals: the author slot (under the headline, its
            # date or another byline) is the second signal.
            seg.kind, seg.rule = Kind.DATELINE, RULE_NAME_BYLINE
        elif evidence.is_agency_acronym(seg.text):
            seg.kind, seg.rule = Kind.DATELINE, RULE_ACRONYM_BYLINE
        elif evidence.keeps_above_lead(seg.text):
            continue  # a highlight or a short sentence: story text, whatever its position
        elif words < CAPTION_WORDS:
            seg.kind, seg.rule = Kind.BREADCRUMB, RULE_LABEL_UNDER_TITLE
        elif not furniture.ends_sentence(seg.text):
            seg.kind, seg.rule = Kind.CAPTION, RULE_CAPTION_UNDER_TITLE


def mark_related_tail(segs: Sequence[Line], *, protected: Collection[int] = ()) -> None:
    """Headline-shaped lines after the last line of story text: related-story links."""
    last = last_story_line(segs)
    if last < 0:
        return
    tail = [
        seg
        for seg in segs[last + 1 :]
        if seg.kind is None
        and seg.start not in protected
        and rules.looks_like_heading(furniture.without_bullet(seg.text))
    ]
    # The line right after the story may be its last paragraph without a full stop: it goes
    # only on a second signal (see evidence.tail_line_is_link).
    if tail and last + 1 < len(segs) and tail[0] is segs[last + 1]:
        story = (s.text for s in segs[: last + 1] if s.kind is None)
        if not evidence.tail_line_is_link(tail[0].text, evidence.story_words(story)):
            tail = tail[1:]
    for seg in tail:
        seg.kind, seg.rule = Kind.PROMO, RULE_RELATED


RULE_CAPTION_TWICE = "caption: a line printed twice (a caption and its copy)"
RULE_CAPTION_ABOVE_CREDIT = "caption: a line that is not a sentence, right above a picture credit"
RULE_CAPTION_GLUED = "caption: a caption with its picture credit glued on"
MAX_CAPTION_WORDS = 60


def _is_credit(seg: Line) -> bool:
    return seg.kind is Kind.CAPTION and "credit" in seg.rule


def _next_to_copy(segs: Sequence[Line], index: int) -> bool:
    """The line right above or below is the same text (a caption and its copy stand
    together; a subheading used twice in a story does not)."""
    key = furniture.line_key(segs[index].text)
    return any(
        0 <= other < len(segs) and furniture.line_key(segs[other].text[:MAX_KEYED_LINE]) == key
        for other in (index - 1, index + 1)
    )


def caption_between(segs: Sequence[Line], index: int, repeats: dict[str, int]) -> str | None:
    """The caption rule for an unclassified line among the story's paragraphs, or None.

    A caption is printed twice (the copy right next to it), or stands right above a picture
    credit, or has its credit glued on; a sentence is never taken for one (a story paragraph
    printed twice stays).
    (A line right below a credit may be a subheading: it is left to the heading rule.)
    """
    text = segs[index].text
    words = line_word_count(text)
    if words > MAX_CAPTION_WORDS:
        return None
    if furniture.ends_sentence(text):
        return None  # a story paragraph printed twice stays a paragraph
    if is_repeated(text, repeats) and _next_to_copy(segs, index):
        return RULE_CAPTION_TWICE
    if index + 1 < len(segs) and _is_credit(segs[index + 1]):
        return RULE_CAPTION_ABOVE_CREDIT
    if furniture.glued_credit(text):
        return RULE_CAPTION_GLUED
    return None


MAX_CREDIT_EXTENSION_WORDS = 8


def mark_near_repeats(segs: Sequence[Line]) -> None:
    """Two adjacent lines, the second the first with a credit added (or the other way
    round): a caption printed twice, once with its credit glued on."""
    for index in range(1, len(segs)):
        above, seg = segs[index - 1], segs[index]
        if above.kind is not None or seg.kind is not None:
            continue
        if len(above.text) > MAX_KEYED_LINE or len(seg.text) > MAX_KEYED_LINE:
            continue
        if above.text[:3].casefold() != seg.text[:3].casefold():
            continue  # cheap test first: a copy starts the same way
        short, long = sorted(
            (furniture.line_key(above.text), furniture.line_key(seg.text)), key=len
        )
        if short == long or not long.startswith(short):
            continue
        extension = long[len(short) :]
        if line_word_count(extension) > MAX_CREDIT_EXTENSION_WORDS or is_lead_shaped(long):
            continue
        for line in (above, seg):
            line.kind, line.rule = Kind.CAPTION, RULE_NEAR_REPEAT


def mark_under_related_labels(segs: Sequence[Line]) -> None:
    """A "read also" label and the lines under it that are not story text (the links).

    A headline under the label with story text right under it is left alone: it opens an
    appended story, which the secondary-story rule judges by its topic.
    """
    under = False
    for index, seg in enumerate(segs):
        if furniture.is_related_label(seg.text):
            under = True
            if seg.kind is None:
                seg.kind, seg.rule = Kind.PROMO, RULE_UNDER_RELATED_LABEL
            continue
        if not under:
            continue
        if seg.kind is not None:
            continue
        # Story text is strictly a sentence here: link lists hold long headlines.
        following = segs[index + 1] if index + 1 < len(segs) else None
        if _is_sentence_text(seg.text) or (
            following is not None
            and rules.looks_like_heading(seg.text)
            and _is_sentence_text(following.text)
        ):
            under = False
        else:
            seg.kind, seg.rule = Kind.PROMO, RULE_UNDER_RELATED_LABEL


def _is_sentence_text(text: str) -> bool:
    return furniture.is_story_shaped(text) and not rules.looks_like_heading(text)


def mark_name_bylines(segs: Sequence[Line], title: int | None, lead: int | None) -> None:
    """A name alone in the author slot: right under the headline, or right after the lead
    (under a standfirst); and a name alone right after the story, its signature."""
    if lead is None:
        return
    slots = [lead + 1]
    if title is not None:
        slots.append(title + 1)
    for index in slots:
        if index < len(segs) and segs[index].kind is None:
            seg = segs[index]
            following = segs[index + 1] if index + 1 < len(segs) else None
            if (
                furniture.is_name_alone(seg.text)
                and following is not None
                and is_lead_shaped(following.text)
                and evidence.name_is_not_topic(seg.text, (segs[index - 1].text, following.text))
            ):
                seg.kind, seg.rule = Kind.DATELINE, RULE_NAME_BYLINE
    after = last_story_line(segs) + 1  # nothing after it is story text
    if 0 < after < len(segs) and segs[after].kind is None:
        text = segs[after].text
        # A script without capitals gives a name no shape of its own: it must also be the
        # page's last line of text.
        if furniture.is_name_alone(text) or (
            evidence.is_uncased_name(text) and all(s.kind is not None for s in segs[after + 1 :])
        ):
            segs[after].kind, segs[after].rule = Kind.DATELINE, RULE_SIGNATURE


RULE_WIDGET_LABEL = "promo: a one-word label between paragraphs (a widget's title)"


def is_widget_label(text: str) -> bool:
    """One word alone between paragraphs ("Map", "Video", "PUBLICITÉ"): a widget's title,
    never a subheading (those say something)."""
    stripped = text.strip()
    return (
        " " not in stripped
        and len(stripped) <= 30
        and line_word_count(stripped) == 1
        and not furniture.ends_sentence(stripped)
    )


def is_shouting(text: str) -> bool:
    """Every cased letter is a capital (and there are some)."""
    cased = [char for char in text[:MAX_KEYED_LINE] if char.upper() != char.lower()]
    return len(cased) >= 3 and all(char.isupper() for char in cased)


def role(seg: Line) -> str:
    """What the title chooser needs to know of a line: "" (unclassified), "byline", "date"
    (a dateline-kind line that is not a byline) or "other"."""
    if seg.kind is None:
        return ""
    if seg.kind is Kind.DATELINE:
        return "byline" if "byline" in seg.rule else "date"
    return "other"


def mark_lone_dateline(segs: Sequence[Line], lead: int | None) -> None:
    """A dateline alone on a line above the lead ("ASTANA, Kazakhstan (AP) —")."""
    for seg in segs[: len(segs) if lead is None else lead]:
        if seg.kind is None and datelines.is_dateline_only(seg.text):
            seg.kind, seg.rule = Kind.DATELINE, datelines.RULE_ALONE
            return


def next_unclassified(segs: Sequence[Line]) -> list[int]:
    """For each line, the index of the next line no rule has classified yet (one walk back,
    so finding each line's follower stays linear)."""
    out = [len(segs)] * len(segs)
    following = len(segs)
    for index in range(len(segs) - 1, -1, -1):
        out[index] = following
        if segs[index].kind is None:
            following = index
    return out


def first_byline(segs: Sequence[Line], agencies: Collection[str]) -> bylines.Byline | None:
    """The first byline of the page, with its authors."""
    for seg in segs:
        if seg.kind is Kind.DATELINE and "byline" in seg.rule:
            found = bylines.parse_byline(seg.text, agencies)
            if found is None:  # a name or an agency standing alone where bylines stand
                name = furniture.agency_alone(seg.text) or seg.text.strip().rstrip(".")
                found = bylines.Byline(seg.text, (name,), seg.rule.removeprefix("dateline: "))
            return found
    return None
