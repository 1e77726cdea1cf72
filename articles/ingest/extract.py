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
    segs = _lines(text)
    segs = _peel_footer_sentences(text, segs)
    main = apply_hints(segs, hints) if hints else frozenset()

    story_end = max((i + 1 for i, s in enumerate(segs) if s.start in main), default=0)
    comment_start = mark_comment_section(segs, not_before=story_end)
    if hints:
        reclaim_from_comments(segs, hints)
    agencies = bylines.agency_names(outlets)
    page = segs[:comment_start]
    for seg in page:
        if seg.kind is None:
            _classify_furniture(seg, agencies)
    # The story's own lines (as the markup says) never join the footer.
    layout.mark_footer_zone(page, protected=main)
    layout.mark_tweet_texts(page)
    layout.mark_near_repeats(page)
    # Breadcrumbs sit above the headline.
    for seg in segs[:3]:
        if seg.kind is None and rules.is_breadcrumb(seg.text):
            seg.kind, seg.rule = Kind.BREADCRUMB, "breadcrumb: short items between separators"

    warnings: list[str] = []
    sentence_title = ""
    title_index = next(
        (i for i, s in enumerate(segs[:comment_start]) if s.kind is Kind.TITLE), None
    )  # the headline the markup named
    title_rule = segs[title_index].rule if title_index is not None else ""
    lead = layout.find_lead(page)
    layout.mark_lone_dateline(page, lead)
    repeats = layout.repeat_counts(page)
    if title_index is None:
        chosen = titles.choose_title(
            [titles.Line(s.text, layout.role(s)) for s in page],
            len(page) if lead is None else lead,
            titles.site_names(outlets),
            repeats,
        )
        if chosen is None:
            # A headline printed as a sentence: its text is the title, but the line keeps
            # whatever kind the rules give it (it may be the story's first sentence).
            sentence = titles.choose_sentence_title(
                [titles.Line(s.text, layout.role(s)) for s in page],
                len(page) if lead is None else lead,
            )
            sentence_title = page[sentence[0]].text if sentence else ""
        title_index, title_rule = chosen if chosen else (None, "")
    title = ""
    title_derived = False
    if title_index is not None:
        title_seg = segs[title_index]
        title_seg.kind, title_seg.rule, title_seg.in_body = (
            Kind.TITLE,
            title_seg.rule or "title: first heading-shaped line before the text",
            True,
        )
        title = title_seg.text
        title_key = matching_key(title)
        for seg in segs[title_index + 1 : comment_start]:
            if seg.kind is None and matching_key(seg.text) == title_key:
                seg.kind, seg.rule = Kind.TITLE, "title: repeat of the headline (kept once)"
    # After the headline is known, so a run of promo lines never swallows it.
    layout.mark_newsletter_blocks(page)
    layout.mark_under_related_labels(page)
    layout.mark_header(page, title_index, lead, protected=main)
    layout.mark_name_bylines(page, title_index, lead)
    layout.mark_related_tail(page, protected=main)

    # The dateline opens the first paragraph of text.
    dateline = ""
    agency_in_dateline = None
    # It opens the first story paragraph, whatever furniture stands above it.
    first_text = layout.find_lead(page)
    if first_text is None:
        first_text = next((i for i, s in enumerate(page) if s.kind is None), None)
    if first_text is not None:
        seg = segs[first_text]
        found = datelines.find_dateline(seg.text)
        if found:
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
            comment_start += 1
            dateline = found["place"]
            agency_in_dateline = found["agency"]

    # Headings, the secondary story, paragraphs.
    result: list[_Seg] = []
    topics = Topics(title)
    paragraphs = 0
    secondary = False
    shouted_headings = False
    next_open = layout.next_unclassified(segs)
    open_after = evidence.open_chars_after(segs)
    story_chars = 0
    for index, seg in enumerate(segs):
        if seg.kind is not None:
            result.append(seg)
            continue
        following = segs[next_open[index]] if next_open[index] < len(segs) else None
        if (
            not secondary
            and rules.looks_like_heading(seg.text)
            # A heading set in capitals like the story's own subheadings is one of them.
            and not (shouted_headings and layout.is_shouting(seg.text))
            and is_secondary_start(seg, following, topics, paragraphs)
            # An appended story is a tail, outside what the markup calls the story.
            and seg.start not in main
            and evidence.is_tail(open_after[index], story_chars)
        ):
            secondary = True
            seg.kind, seg.rule = (
                Kind.SECONDARY,
                "secondary story: a late headline on a topic the article has not covered",
            )
            result.append(seg)
            continue
        if secondary:
            seg.kind, seg.rule = Kind.SECONDARY, "secondary story: text after its headline"
            result.append(seg)
            continue
        if (caption := layout.caption_between(segs, index, repeats)) is not None:
            seg.kind, seg.rule = Kind.CAPTION, caption
            result.append(seg)
            continue
        if paragraphs > 0 and layout.is_widget_label(seg.text):
            seg.kind, seg.rule = Kind.PROMO, layout.RULE_WIDGET_LABEL
            result.append(seg)
            continue
        if (
            paragraphs > 0
            and following is not None
            and layout.is_lead_shaped(following.text)
            and rules.looks_like_heading(seg.text, max_words=rules.MAX_SUBHEADING_WORDS)
        ):
            seg.kind, seg.rule, seg.in_body = (
                Kind.HEADING,
                "heading: short line between paragraphs",
                True,
            )
            shouted_headings = shouted_headings or layout.is_shouting(seg.text)
            topics.add(seg.text)
            result.append(seg)
            continue
        if len(seg.text) > LONG_LINE:
            pieces = _split_long_paragraph(text, seg)
        else:
            seg.kind, seg.rule = Kind.PARAGRAPH, "paragraph: running text"
            pieces = [seg]
        for piece in pieces:
            piece.in_body = True
            topics.add(piece.text)
            paragraphs += 1
            story_chars += len(piece.text)
            result.append(piece)

    if not title and sentence_title:
        title, title_rule = sentence_title, titles.RULE_SENTENCE
    if not title:
        first_paragraph = next((s for s in result if s.kind is Kind.PARAGRAPH), None)
        if first_paragraph is not None:
            spans = sentence_spans(text, first_paragraph.start, first_paragraph.end)
            title = _derive_title(text[spans[0][0] : spans[0][1]])
            title_derived = True
            title_rule = "title: derived from the first sentence (no headline above the story)"
        else:
            title_rule = "title: the file's first line (no headline and no running text)"
            warnings.append("no headline and no running text: the title is the file's first line")
            title = result[0].text[:120] if result else ""
            title_derived = True

    title = titles.without_glued_date(title) if not title_derived else title
    byline = layout.first_byline(result, agencies)
    if byline is None:
        byline = bylines.boxed_byline([s.text for s in result], rules.is_date_line, agencies)
    blocks, body = _assemble(result)
    readable = [b for b in blocks if b.in_body]
    if not any(b.kind is Kind.PARAGRAPH for b in readable):
        warnings.append("no paragraph of running text was found; check the source view")

    outlet_key, outlet_rule = detect_outlet(blocks, outlets)
    credits = detect_credits(blocks, outlets, agency_in_dateline)
    own = {o.key for o in outlets if o.key == outlet_key}
    own_names = {o.name.casefold() for o in outlets if o.key in own} | {
        sig.casefold().strip("()") for o in outlets if o.key in own for sig in o.signatures
    }
    credits = [c for c in credits if c.casefold() not in own_names]
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


def _assemble(segs: list[_Seg]) -> tuple[list[Block], str]:
    blocks = [
        Block(
            kind=seg.kind or Kind.PARAGRAPH,
            start=seg.start,
            end=seg.end,
            rule=seg.rule,
            text=seg.text,
            author=seg.author,
            in_body=seg.in_body,
        )
        for seg in segs
    ]
    return _with_body(blocks)


def _with_body(blocks: Sequence[Block]) -> tuple[list[Block], str]:
    """Number the body offsets of the blocks marked in_body and join their texts."""
    out: list[Block] = []
    parts: list[str] = []
    cursor = 0
    for block in blocks:
        # Built field by field: `dataclasses.replace` costs several times as much.
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
                kind=block.kind,
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
