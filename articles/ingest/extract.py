"""Split a raw news file into typed blocks and build the readable body from them.

`extract(text, outlets=...)` is the whole engine: it takes the decoded text of one file and
returns an `Extraction` with every block (kind, span in the raw text, the rule that decided
it), the canonical body with each readable block's span in it, and the metadata read off the
page. It imports nothing from Django.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from . import bylines, datelines, dates, evidence, furniture, layout, rules, titles
from .comments import mark_comment_section
from .html_hints import apply_hints, reclaim_from_comments
from .kinds import Kind
from .language import detect as detect_language_of
from .language import with_block_languages
from .metadata import detect_credits, detect_outlet, suggest_outlet
from .records import Block, Extraction, LineHint, OutletSignature
from .secondary import Topics, is_secondary_start
from .text import matching_key, sentence_spans, word_count

BODY_SEPARATOR = "\n\n"
LONG_LINE = 1200  # characters: a line this long is a whole article flattened onto one line
PARAGRAPH_TARGET = 450  # characters: the size reading paragraphs are cut to from such a line
DERIVED_TITLE_WORDS = 14


@dataclass(slots=True)
class _Seg:
    start: int
    end: int
    text: str
    gap: int  # blank lines before this line
    kind: Kind | None = None
    rule: str = ""
    author: str = ""
    in_body: bool = False
    # As a Block's; a line gets its own only as a block (language.with_block_languages).
    language: str = ""
    direction: str = ""


def _lines(text: str) -> list[_Seg]:
    """Every non-blank line, trimmed, with the number of blank lines before it."""
    segs: list[_Seg] = []
    blank = 0
    for match in re.finditer(r"[^\n]*(?:\n|$)", text):
        line_start, line_end = match.start(), match.end()
        if line_start == line_end:
            break
        raw = text[line_start:line_end]
        stripped = raw.strip()
        if not stripped:
            blank += 1
            continue
        lead = len(raw) - len(raw.lstrip())
        start = line_start + lead
        end = start + len(stripped)
        segs.append(_Seg(start=start, end=end, text=stripped, gap=blank))
        blank = 0
    return segs


def _split_sentences(text: str, seg: _Seg) -> list[_Seg]:
    return [
        _Seg(start=s, end=e, text=text[s:e], gap=seg.gap if i == 0 else 0)
        for i, (s, e) in enumerate(sentence_spans(text, seg.start, seg.end))
    ]


def _peel_footer_sentences(text: str, segs: list[_Seg]) -> list[_Seg]:
    """Split trailing footer sentences (licence, source note) off a line of running text."""
    out: list[_Seg] = []
    for seg in segs:
        sentences = _split_sentences(text, seg)
        if len(sentences) < 2:
            out.append(seg)
            continue
        tail: list[_Seg] = []
        while len(sentences) > 1:
            rule = rules.is_footer_sentence(sentences[-1].text)
            if rule is None:
                break
            last = sentences.pop()
            last.kind, last.rule = Kind.FOOTER, f"footer: {rule} (split from the end of a line)"
            tail.insert(0, last)
        if tail:
            head_end = sentences[-1].end
            out.append(
                _Seg(start=seg.start, end=head_end, text=text[seg.start : head_end], gap=seg.gap)
            )
            out.extend(tail)
        else:
            out.append(seg)
    return out


def _split_long_paragraph(text: str, seg: _Seg) -> list[_Seg]:
    """Cut a very long line into reading paragraphs at sentence boundaries."""
    sentences = sentence_spans(text, seg.start, seg.end)
    chunks: list[_Seg] = []
    chunk_start = sentences[0][0]
    previous_end = sentences[0][1]
    for s, e in sentences[1:]:
        size = previous_end - chunk_start
        opens_quote = text[s] in "\"“‘'"
        if size >= PARAGRAPH_TARGET or (opens_quote and size >= PARAGRAPH_TARGET // 2):
            chunks.append(
                _Seg(
                    start=chunk_start, end=previous_end, text=text[chunk_start:previous_end], gap=0
                )
            )
            chunk_start = s
        previous_end = e
    chunks.append(
        _Seg(start=chunk_start, end=previous_end, text=text[chunk_start:previous_end], gap=0)
    )
    if len(chunks) > 1 and len(chunks[-1].text) < PARAGRAPH_TARGET // 3:
        last = chunks.pop()
        prev = chunks.pop()
        chunks.append(_Seg(start=prev.start, end=last.end, text=text[prev.start : last.end], gap=0))
    chunks[0].gap = seg.gap
    rule = "paragraph: sentences cut from a very long line"
    for chunk in chunks:
        chunk.kind, chunk.rule = Kind.PARAGRAPH, rule
    if len(chunks) == 1:
        chunks[0].rule = "paragraph: running text"
    return chunks


def _classify_furniture(seg: _Seg, agencies: frozenset[str] = frozenset()) -> None:
    """Kinds a line has by its own shape, wherever it stands (the footer zone and the page's
    layout are worked out afterwards, in `layout`)."""
    line = seg.text
    if rules.is_comment_widget(line):
        seg.kind, seg.rule = Kind.COMMENT, rules.RULE_COMMENT_WIDGET
    elif rules.is_date_line(line):
        seg.kind, seg.rule = Kind.DATELINE, "dateline: a date (and time) on a line of its own"
    elif rules.is_byline(line):
        seg.kind, seg.rule = Kind.DATELINE, "dateline: byline (by whom the story was filed)"
    elif (byline := bylines.parse_byline(line, agencies)) is not None:
        seg.kind, seg.rule = Kind.DATELINE, f"dateline: {byline.rule}"
    elif rules.is_link_promo(line):
        seg.kind, seg.rule = Kind.PROMO, "promo: a link to another story"
    elif rules.is_donation_amount(line):
        seg.kind, seg.rule = Kind.PROMO, "promo: a bare donation amount"
    elif rules.is_support_prompt(line):
        seg.kind, seg.rule = Kind.PROMO, "promo: a short support/subscribe prompt"
    elif rules.is_photo_caption(line):
        seg.kind, seg.rule = Kind.CAPTION, "caption: photo description or (Photo by …) credit"
    elif rules.is_credit_line(line) and not rules.is_licence_line(line):
        seg.kind, seg.rule = Kind.CAPTION, "caption: picture credit (licence name or credit label)"
    elif (rule := rules.is_footer_sentence(line)) is not None:
        seg.kind, seg.rule = Kind.FOOTER, f"footer: {rule}"
    elif rules.is_share_prompt(line):
        seg.kind, seg.rule = Kind.PROMO, layout.RULE_PROMO_SHARE
    elif (found := furniture.line_rule(line)) is not None:
        seg.kind, seg.rule = Kind(found[0]), found[1]


def _derive_title(first_sentence: str) -> str:
    tokens = first_sentence.split()
    if len(tokens) <= DERIVED_TITLE_WORDS:
        return first_sentence.rstrip(".")
    cut = " ".join(tokens[:DERIVED_TITLE_WORDS]).rstrip(",;:–—-")
    return cut + "…"


def extract(
    text: str,
    *,
    outlets: Sequence[OutletSignature] = (),
    hints: Mapping[int, LineHint] | None = None,
) -> Extraction:
    """`hints`: what a saved page's markup says of each line (by start offset), see
    html_hints; plain-text files have none."""
    segs = _peel_footer_sentences(text, _lines(text))
    main = apply_hints(segs, hints) if hints else frozenset()
    page = segs[: _mark_comments(segs, main, hints)]
    agencies = bylines.agency_names(outlets)
    _mark_furniture(segs, page, main, agencies)
    lead = layout.find_lead(page)
    layout.mark_lone_dateline(page, lead)
    repeats = layout.repeat_counts(page)
    headline = _find_headline(page, lead, repeats, outlets)
    title = _mark_headline(page, headline.index)
    # After the headline is known, so a run of promo lines never swallows it.
    layout.mark_newsletter_blocks(page)
    layout.mark_under_related_labels(page)
    layout.mark_header(page, headline.index, lead, protected=main)
    layout.mark_name_bylines(page, headline.index, lead)
    layout.mark_related_tail(page, protected=main)
    dateline, agency_in_dateline = _split_dateline(text, segs, page)
    result = _classify_story(text, segs, main=main, title=title, repeats=repeats)
    warnings: list[str] = []
    title, title_rule, title_derived = _final_title(text, result, title, headline, warnings)
    return _extraction(
        text,
        result,
        outlets=outlets,
        agencies=agencies,
        title=title,
        title_rule=title_rule,
        title_derived=title_derived,
        dateline=dateline,
        agency_in_dateline=agency_in_dateline,
        warnings=warnings,
    )


def _mark_comments(
    segs: list[_Seg], main: frozenset[int], hints: Mapping[int, LineHint] | None
) -> int:
    """Mark the comment section, never above the end of the story the markup names (lines
    the markup puts in the story are taken back from it); returns where it starts."""
    story_end = max((i + 1 for i, s in enumerate(segs) if s.start in main), default=0)
    comment_start = mark_comment_section(segs, not_before=story_end)
    if hints:
        reclaim_from_comments(segs, hints)
    return comment_start


def _mark_furniture(
    segs: list[_Seg], page: list[_Seg], main: frozenset[int], agencies: frozenset[str]
) -> None:
    """Kinds the page's lines have by their own shape, then by where they stand: the
    footer zone (never the story's own lines, as the markup says), tweets, near repeats, and
    breadcrumbs above the headline."""
    for seg in page:
        if seg.kind is None:
            _classify_furniture(seg, agencies)
    layout.mark_footer_zone(page, protected=main)
    layout.mark_tweet_texts(page)
    layout.mark_near_repeats(page)
    for seg in segs[:3]:
        if seg.kind is None and rules.is_breadcrumb(seg.text):
            seg.kind, seg.rule = Kind.BREADCRUMB, "breadcrumb: short items between separators"


@dataclass(frozen=True, slots=True)
class _Headline:
    index: int | None  # the headline's line in the page, None when there is none
    rule: str  # how it was found
    sentence: str  # a headline printed as a sentence: the title when there is no other


def _find_headline(
    page: list[_Seg],
    lead: int | None,
    repeats: dict[str, int],
    outlets: Sequence[OutletSignature],
) -> _Headline:
    """The headline the markup named, or else the first heading-shaped line before the text;
    failing both, the text of a headline printed as a sentence (the line keeps whatever kind
    the rules give it: it may be the story's first sentence)."""
    index = next((i for i, s in enumerate(page) if s.kind is Kind.TITLE), None)
    if index is not None:
        return _Headline(index, page[index].rule, "")
    lines = [titles.Line(s.text, layout.role(s)) for s in page]
    before = len(page) if lead is None else lead
    chosen = titles.choose_title(lines, before, titles.site_names(outlets), repeats)
    if chosen is not None:
        return _Headline(chosen[0], chosen[1], "")
    sentence = titles.choose_sentence_title(lines, before)
    return _Headline(None, "", page[sentence[0]].text if sentence else "")


def _mark_headline(page: list[_Seg], index: int | None) -> str:
    """Mark the headline as the title (in the body) and its repeats below it as titles kept
    out; returns its text ("" when there is none)."""
    if index is None:
        return ""
    headline = page[index]
    headline.kind, headline.in_body = Kind.TITLE, True
    headline.rule = headline.rule or "title: first heading-shaped line before the text"
    key = matching_key(headline.text)
    for seg in page[index + 1 :]:
        if seg.kind is None and matching_key(seg.text) == key:
            seg.kind, seg.rule = Kind.TITLE, "title: repeat of the headline (kept once)"
    return headline.text


def _split_dateline(text: str, segs: list[_Seg], page: list[_Seg]) -> tuple[str, str | None]:
    """Cut the dateline off the first story paragraph, whatever furniture stands above it,
    onto a line of its own; returns its place ("" when there is none) and its agency."""
    first_text = layout.find_lead(page)
    if first_text is None:
        first_text = next((i for i, s in enumerate(page) if s.kind is None), None)
    if first_text is None:
        return "", None
    seg = segs[first_text]
    found = datelines.find_dateline(seg.text)
    if not found:
        return "", None
    cut = seg.start + found["end"]
    rest_start = cut
    while rest_start < seg.end and text[rest_start].isspace():
        rest_start += 1
    date_seg = _Seg(
        start=seg.start,
        end=cut,
        text=text[seg.start : cut],
        gap=seg.gap,
        kind=Kind.DATELINE,
        rule=found.get("rule", datelines.RULE_CLASSIC),
    )
    rest = _Seg(start=rest_start, end=seg.end, text=text[rest_start : seg.end], gap=0)
    segs[first_text : first_text + 1] = [date_seg, rest]
    return found["place"], found["agency"]


@dataclass(slots=True)
class _StoryRead:
    """What `_classify_story` has read so far."""

    topics: Topics
    paragraphs: int = 0
    chars: int = 0
    secondary: bool = False  # inside a secondary story
    shouted_headings: bool = False  # the story's subheadings are set in capitals


def _classify_story(
    text: str, segs: list[_Seg], *, main: frozenset[int], title: str, repeats: dict[str, int]
) -> list[_Seg]:
    """Every line, those no rule has claimed yet classified in order: a secondary story
    that a late headline opens, captions, widget labels, subheadings and paragraphs (a very
    long line cut into several, which replace it)."""
    result: list[_Seg] = []
    story = _StoryRead(Topics(title))
    next_open = layout.next_unclassified(segs)
    open_after = evidence.open_chars_after(segs)
    for index, seg in enumerate(segs):
        if seg.kind is not None:
            result.append(seg)
            continue
        following = segs[next_open[index]] if next_open[index] < len(segs) else None
        if not story.secondary and _opens_secondary(
            seg, following, story, in_story=seg.start in main, chars_after=open_after[index]
        ):
            story.secondary = True
            seg.kind, seg.rule = (
                Kind.SECONDARY,
                "secondary story: a late headline on a topic the article has not covered",
            )
        elif story.secondary:
            seg.kind, seg.rule = Kind.SECONDARY, "secondary story: text after its headline"
        elif (caption := layout.caption_between(segs, index, repeats)) is not None:
            seg.kind, seg.rule = Kind.CAPTION, caption
        elif story.paragraphs > 0 and layout.is_widget_label(seg.text):
            seg.kind, seg.rule = Kind.PROMO, layout.RULE_WIDGET_LABEL
        elif _is_subheading(seg, following, story):
            seg.kind, seg.rule, seg.in_body = (
                Kind.HEADING,
                "heading: short line between paragraphs",
                True,
            )
            story.shouted_headings = story.shouted_headings or layout.is_shouting(seg.text)
            story.topics.add(seg.text)
        else:
            result.extend(_paragraphs(text, seg, story))
            continue
        result.append(seg)
    return result


def _opens_secondary(
    seg: _Seg, following: _Seg | None, story: _StoryRead, *, in_story: bool, chars_after: int
) -> bool:
    """A late headline on a topic the article has not covered, opening an appended story."""
    return (
        rules.looks_like_heading(seg.text)
        # A heading set in capitals like the story's own subheadings is one of them.
        and not (story.shouted_headings and layout.is_shouting(seg.text))
        and is_secondary_start(seg, following, story.topics, story.paragraphs)
        # An appended story is a tail, outside what the markup calls the story.
        and not in_story
        and evidence.is_tail(chars_after, story.chars)
    )


def _is_subheading(seg: _Seg, following: _Seg | None, story: _StoryRead) -> bool:
    """A short heading-shaped line between paragraphs, with a paragraph under it."""
    return (
        story.paragraphs > 0
        and following is not None
        and layout.is_lead_shaped(following.text)
        and rules.looks_like_heading(seg.text, max_words=rules.MAX_SUBHEADING_WORDS)
    )


def _paragraphs(text: str, seg: _Seg, story: _StoryRead) -> list[_Seg]:
    """A line of running text as the paragraphs of the body (several when it is very long)."""
    if len(seg.text) > LONG_LINE:
        pieces = _split_long_paragraph(text, seg)
    else:
        seg.kind, seg.rule = Kind.PARAGRAPH, "paragraph: running text"
        pieces = [seg]
    for piece in pieces:
        piece.in_body = True
        story.topics.add(piece.text)
        story.paragraphs += 1
        story.chars += len(piece.text)
    return pieces


def _final_title(
    text: str, result: list[_Seg], title: str, headline: _Headline, warnings: list[str]
) -> tuple[str, str, bool]:
    """The title, its rule and whether it was derived: the headline's text (`title`), or a
    headline printed as a sentence, else the first sentence of the first paragraph, else the
    file's first line (with a warning)."""
    if title:
        return titles.without_glued_date(title), headline.rule, False
    if headline.sentence:
        return titles.without_glued_date(headline.sentence), titles.RULE_SENTENCE, False
    first_paragraph = next((s for s in result if s.kind is Kind.PARAGRAPH), None)
    if first_paragraph is not None:
        spans = sentence_spans(text, first_paragraph.start, first_paragraph.end)
        derived = _derive_title(text[spans[0][0] : spans[0][1]])
        return derived, "title: derived from the first sentence (no headline above the story)", True
    warnings.append("no headline and no running text: the title is the file's first line")
    first_line = result[0].text[:120] if result else ""
    return first_line, "title: the file's first line (no headline and no running text)", True


def _extraction(
    text: str,
    result: list[_Seg],
    *,
    outlets: Sequence[OutletSignature],
    agencies: frozenset[str],
    title: str,
    title_rule: str,
    title_derived: bool,
    dateline: str,
    agency_in_dateline: str | None,
    warnings: list[str],
) -> Extraction:
    """The blocks and body made of the classified lines, with what the page says of itself:
    byline, outlet and credits, language, publication date."""
    byline = layout.first_byline(result, agencies)
    if byline is None:
        byline = bylines.boxed_byline([s.text for s in result], rules.is_date_line, agencies)
    blocks, body = _with_body(result)
    if not any(b.kind is Kind.PARAGRAPH for b in blocks if b.in_body):
        warnings.append("no paragraph of running text was found; check the source view")
    outlet_key, outlet_rule = detect_outlet(blocks, outlets)
    credits = _credits(blocks, outlets, outlet_key, agency_in_dateline)
    suggestion, suggestion_rule = (
        ("", "") if outlet_key else suggest_outlet(blocks, outlets=outlets, credits=credits)
    )
    language = detect_language_of(body if body.strip() else text)
    blocks = with_block_languages(blocks, language)
    published, published_rule = dates.publication_date(blocks, text)
    return Extraction(
        blocks=blocks,
        body=body,
        title=title,
        title_derived=title_derived,
        dateline=dateline,
        credits=credits,
        outlet_key=outlet_key,
        outlet_rule=outlet_rule,
        language=language.code,
        language_rule=language.rule,
        direction=language.direction,
        outlet_suggestion=suggestion,
        outlet_suggestion_rule=suggestion_rule,
        title_rule=title_rule,
        byline=byline.text if byline else "",
        authors=list(byline.authors) if byline else [],
        byline_rule=byline.rule if byline else "",
        dateline_agency=agency_in_dateline or "",
        published=published,
        published_rule=published_rule,
        word_count=word_count(body),
        warnings=warnings,
    )


def _credits(
    blocks: list[Block],
    outlets: Sequence[OutletSignature],
    outlet_key: str | None,
    agency_in_dateline: str | None,
) -> list[str]:
    """The agencies and outlets the page credits, but the outlet it is from."""
    credits = detect_credits(blocks, outlets, agency_in_dateline)
    own = {o.key for o in outlets if o.key == outlet_key}
    own_names = {o.name.casefold() for o in outlets if o.key in own} | {
        sig.casefold().strip("()") for o in outlets if o.key in own for sig in o.signatures
    }
    return [c for c in credits if c.casefold() not in own_names]


def _with_body(blocks: Sequence[Block] | Sequence[_Seg]) -> tuple[list[Block], str]:
    """Blocks of the blocks or lines given (a line no rule classified is a paragraph), with
    the body offsets of those marked in_body, and the body joined from their texts."""
    out: list[Block] = []
    parts: list[str] = []
    cursor = 0
    for block in blocks:
        # Built field by field: `dataclasses.replace` costs several times as much.
        body_start: int | None
        body_end: int | None
        if block.in_body:
            if parts:
                cursor += len(BODY_SEPARATOR)
            parts.append(block.text)
            body_start, body_end = cursor, cursor + len(block.text)
            cursor = body_end
        else:
            body_start = body_end = None
        out.append(
            Block(
                kind=block.kind or Kind.PARAGRAPH,
                start=block.start,
                end=block.end,
                rule=block.rule,
                text=block.text,
                author=block.author,
                in_body=block.in_body,
                body_start=body_start,
                body_end=body_end,
                language=block.language,
                direction=block.direction,
            )
        )
    return out, BODY_SEPARATOR.join(parts)


def reassemble(blocks: Sequence[Block], kinds: Mapping[int, Kind]) -> tuple[list[Block], str]:
    """The blocks with some kinds changed (by position), and the body rebuilt from them.

    The body holds the first title, headings and paragraphs, in file order, as `extract`
    builds it; a block whose kind changed carries the rule "curator: …".
    """
    changed: list[Block] = []
    seen_title = False
    for position, block in enumerate(blocks):
        kind = kinds.get(position, block.kind)
        rule = block.rule if kind == block.kind else f"curator: {block.kind.value} → {kind.value}"
        in_body = kind.readable and not (kind is Kind.TITLE and seen_title)
        seen_title = seen_title or kind is Kind.TITLE
        changed.append(replace(block, kind=kind, rule=rule, in_body=in_body))
    return _with_body(changed)
