"""Writing news files: wire stories copied with small edits by several outlets, and others.

Plain Python (nothing here touches the database): `Synthesizer` writes the stories, `render`
lays one out as the file the importer reads, and `synthetic_files` gives those files' bytes
(the benchmarks write them to disk). Everything is deterministic for a given seed.
"""

import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from articles.ingest import BODY_SEPARATOR, Kind
from articles.ingest import Block as IngestBlock

from .words import (
    ARMED_GROUP_WORDS,
    BODIES,
    CODAS,
    FIRST_NAMES,
    GOVERNMENT_WORDS,
    HEADINGS,
    MONTHS,
    ONSETS,
    PLACE_ENDS,
    PLACES,
    QUOTES,
    SEEDED_FOOTERS,
    SURNAME_ENDS,
    SYNTHETIC_OUTLETS,
    TOPICS,
    VOWELS,
    WEEKDAYS,
    WIRE_AGENCIES,
    Topic,
)

NAME_PREFIX = "synthetic"
_SAID_AT_END = re.compile(r", said (\S+)\.$")

# The forms a story's sentences take; a story uses each once before it uses any again. The
# fields are the words `_sentence_words` draws for every sentence, and, drawn only for the
# forms that use them, those of LATE_WORDS.
SENTENCES = (
    "“{quote},” said {surname}.",
    "{person} said {group} in {place} had been asked by {body} to hand over their weapons in "
    "{second}.",
    "On {day}, {surname} counted {n} arrivals in {place}.",
    "In {place}, {short} took effect, said {surname}.",
    "{Government} accused {group} of blocking the road to {place}.",
    "Medics in {place} counted {n} dead, said {surname}.",
    "{surname} blamed the delay in {place} on {other}, who leads {body} in {second}.",
    "It was not clear whether {body} would let aid into {second}, where {group} still hold the "
    "old road to {place}.",
    "In {second}, {things} are scarce, said {surname} of {place}.",
    "“This is not the end of the process, it is the beginning for {place},” said {surname}.",
    "{place} expects {n} officials from {second}, said {surname}.",
    "According to {body}, {place} saw {n} violations in {second}.",
    "{person} said {short} would {outcome} in {place} only with the agreement of {other_surname}.",
    "{place} expects ${n} million, {surname} told {agency} in {second}.",
    "Talks between {body} and {other} broke up in {place}.",
    "Prices in {place} rose {percent} percent, said {surname}.",
    "According to {body}, {n} trucks from {second} reached {place}.",
    "{Group} in {place} denied the accusation and blamed {surname}.",
    "{place} delegates meet {other} on {date} in {second}.",
    "On {day}, {surname} met {other} in {place}.",
    "{person} said {body} had opened an office in {place}.",
    "Shelling hit {place} on {day} night, {other_surname} told {agency} in {second}.",
    "{place} got {n} tonnes from {second}.",
    "Schools in {place} are shut, said {surname}.",
    "{other} urged {body} to free the prisoners held in {place}.",
    "Residents of {place} fled to {second} after the fighting, said {surname}.",
    "{Body} denied that its men were in {place}.",
    "The road between {place} and {second} reopened on {day}, said {surname}.",
    "{surname} and {other_surname} are expected in {place}.",
    "{person} said {short} depended on {second} as much as on {place}.",
)
LATE_WORDS = {
    "quote": lambda rng, words: rng.choice(QUOTES).format_map(words),
    "percent": lambda rng, words: rng.randint(3, 45),
    "date": lambda rng, words: f"{rng.randint(1, 28)} {rng.choice(MONTHS)}",
}
# For each form, the late words it uses (none or one), drawn after its everyday words.
_LATE_IN = tuple(tuple(name for name in LATE_WORDS if f"{{{name}}}" in form) for form in SENTENCES)


@dataclass(frozen=True, slots=True)
class Piece:
    """One line of a generated file: its kind, text and whether it enters the body."""

    kind: Kind
    text: str
    rule: str
    inline: bool = False  # the next piece follows on the same line (a dateline)

    @property
    def in_body(self) -> bool:
        return self.kind in (Kind.TITLE, Kind.HEADING, Kind.PARAGRAPH)


class OutletStyle(NamedTuple):
    """What the generator needs to know of an outlet: its slug, name and closing line."""

    slug: str
    name: str
    footer: str


@dataclass(frozen=True, slots=True)
class SyntheticArticle:
    name: str
    outlet: str  # slug
    story: int  # articles of one story share it
    title: str
    pieces: tuple[Piece, ...]
    credits: tuple[str, ...]
    dateline: str


@dataclass(frozen=True, slots=True)
class Rendered:
    raw_text: str
    body: str
    blocks: tuple[IngestBlock, ...]  # as the ingest engine reports them


@dataclass(slots=True)
class _Story:
    number: int
    topic: Topic
    place: str
    country: str
    agency: str
    sentences: list[str]
    people: list[str] = field(default_factory=list)
    localities: list[str] = field(default_factory=list)
    body: str = ""  # an organisation: "the Karzun Council"
    deck: list[int] = field(default_factory=list)  # sentence forms not used yet


def outlet_styles(outlets: Sequence[tuple[str, str]]) -> list[OutletStyle]:
    """(slug, name) pairs to the closing lines the generator writes for them."""
    return [
        OutletStyle(
            slug, name, SEEDED_FOOTERS.get(slug, f"Copyright © 2017 {name}, all rights reserved.")
        )
        for slug, name in outlets
    ]


def default_styles() -> list[OutletStyle]:
    """The seeded outlets that publish stories, and the synthetic ones."""
    seeded = [
        ("mehr-news-agency", "Mehr News Agency"),
        ("press-tv", "Press TV"),
        ("southfront", "SouthFront"),
        ("gpa", "GPA"),
    ]
    return outlet_styles([*seeded, *((o.slug, o.name) for o in SYNTHETIC_OUTLETS)])


class Synthesizer:
    """A seeded writer of news files: wire stories copied by several outlets, and others."""

    def __init__(self, seed: int, outlets: Sequence[OutletStyle], *, start: int = 0):
        if not outlets:
            raise ValueError("the generator needs at least one outlet")
        self.seed = seed
        self.outlets = list(outlets)
        self.start = start
        self.rng = random.Random(f"astana-corpus:{seed}:{start}")

    # Phrases ---------------------------------------------------------------------------
    # Unrelated stories must not share passages by chance, so that only copies of one story
    # link: every run of five words of a sentence holds a word of the story's own (an
    # invented name of a person, place or body), unless the run is made of stock words
    # every story uses (which the comparison drops as too common).

    def _invented(self) -> str:
        rng = self.rng
        syllables = rng.choice((2, 2, 2, 3))
        word = "".join(
            rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS) for _ in range(syllables)
        )
        return word.capitalize()

    def _person(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self._invented()}{self.rng.choice(SURNAME_ENDS)}"

    def _place(self) -> str:
        return self._invented() + self.rng.choice(PLACE_ENDS)

    def _date(self) -> str:
        rng = self.rng
        return f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.choice((2016, 2017))}"

    def _sentence(self, story: _Story) -> str:
        rng = self.rng
        words = self._sentence_words(story)
        if not story.deck:
            story.deck = list(range(len(SENTENCES)))
            rng.shuffle(story.deck)
        form = story.deck.pop()
        for name in _LATE_IN[form]:
            words[name] = LATE_WORDS[name](rng, words)
        return SENTENCES[form].format_map(words)

    def _sentence_words(self, story: _Story) -> dict[str, object]:
        """The words any sentence form may use, drawn afresh for each sentence."""
        rng = self.rng
        group = rng.choice(ARMED_GROUP_WORDS)
        government = rng.choice(GOVERNMENT_WORDS)
        person = rng.choice(story.people)
        other = rng.choice([p for p in story.people if p != person] or story.people)
        place = rng.choice(story.localities)
        second = rng.choice([p for p in story.localities if p != place] or story.localities)
        n = rng.randint(3, 900)
        day = rng.choice(WEEKDAYS)
        return {
            "group": group,
            "Group": _capitalised(group),
            "government": government,
            "Government": _capitalised(government),
            "person": person,
            "surname": person.split(" ", 1)[1],
            "other": other,
            "other_surname": other.split(" ", 1)[1],
            "place": place,
            "second": second,
            "body": story.body,
            "Body": _capitalised(story.body),
            "short": story.topic.short,
            "things": story.topic.things,
            "outcome": story.topic.outcome,
            "agency": story.agency,
            "n": n,
            "day": day,
        }

    def _title(self, story: _Story) -> str:
        rng = self.rng
        short = story.topic.short
        place = rng.choice(story.localities)
        surname = rng.choice(story.people).split(" ", 1)[1]
        noun = short.removeprefix("the ")
        forms = (
            f"{place} {noun} stalls, says {surname}",
            f"{place} {noun}: {surname} upbeat",
            f"{place} {noun}: {surname} warns",
            f"{place}: hopes rise, says {surname}",
        )
        return rng.choice(forms)

    # Stories ---------------------------------------------------------------------------

    def _story(self, number: int) -> _Story:
        rng = self.rng
        city, country = rng.choice(PLACES)
        localities = [city.title(), *(self._place() for _ in range(rng.randint(2, 3)))]
        story = _Story(
            number=number,
            topic=rng.choice(TOPICS),
            place=city,
            country=country,
            agency=rng.choice(WIRE_AGENCIES),
            sentences=[],
            people=[self._person() for _ in range(rng.randint(3, 4))],
            localities=localities[1:],
            body=f"the {self._invented()} {rng.choice(BODIES)}",
        )
        story.sentences = [self._sentence(story) for _ in range(rng.randint(24, 56))]
        return story

    def _edited(self, story: _Story) -> list[str]:
        """Another outlet's copy of a wire story: small edits, cuts and additions."""
        rng = self.rng
        out: list[str] = []
        for sentence in story.sentences:
            roll = rng.random()
            if roll < 0.07:
                continue
            if roll < 0.25:
                # Framing words and word order change; the rest stays word for word.
                for word, other in (
                    ("rebels", rng.choice(("militants", "terrorists", "opposition fighters"))),
                    ("the government", "the regime"),
                    ("the Syrian government", "the Assad regime"),
                ):
                    if word in sentence:
                        sentence = sentence.replace(word, other, 1)
                        break
                else:
                    sentence = _SAID_AT_END.sub(r", \1 said.", sentence)
            elif roll < 0.33:
                words = sentence.split(" ")
                numbers = [i for i, w in enumerate(words) if w.isdigit()]
                if numbers:
                    i = rng.choice(numbers)
                    words[i] = str(int(words[i]) + rng.randint(1, 9))
                    sentence = " ".join(words)
            out.append(sentence)
            if rng.random() < 0.06:
                out.append(self._sentence(story))
        return out

    def _paragraphs(self, sentences: list[str]) -> list[str]:
        rng = self.rng
        paragraphs, i = [], 0
        while i < len(sentences):
            take = rng.choice((1, 1, 2, 2, 3))
            paragraphs.append(" ".join(sentences[i : i + take]))
            i += take
        return paragraphs

    def _article(
        self, index: int, story: _Story, outlet: OutletStyle, sentences: list[str], wire: bool
    ) -> SyntheticArticle:
        rng = self.rng
        title = self._title(story)
        paragraphs = self._paragraphs(sentences)
        pieces: list[Piece] = []
        if rng.random() < 0.3:
            pieces.append(
                Piece(
                    Kind.BREADCRUMB,
                    f"News / {story.country}",
                    "breadcrumb: short items between separators",
                )
            )
        pieces.append(Piece(Kind.TITLE, title, "title: first heading-shaped line before the text"))
        place = story.place
        credits: tuple[str, ...] = ()
        if wire:
            stamp = f"{place} ({story.agency}) -"
            credits = (story.agency,)
        else:
            stamp = f"{place} -"
        pieces.append(
            Piece(
                Kind.DATELINE,
                stamp,
                "dateline: place in capitals or after an agency tag, then a dash",
                inline=True,
            )
        )
        heading_at = rng.randint(3, 6) if len(paragraphs) > 6 and rng.random() < 0.5 else -1
        caption_at = rng.randint(1, 3) if rng.random() < 0.4 else -1
        for i, paragraph in enumerate(paragraphs):
            if i == heading_at:
                pieces.append(
                    Piece(
                        Kind.HEADING, rng.choice(HEADINGS), "heading: short line between paragraphs"
                    )
                )
            if i == caption_at:
                pieces.append(
                    Piece(
                        Kind.CAPTION,
                        f"This photo shows {story.topic.actors} in {place.title()} on "
                        f"{self._date()}. (Photo by {rng.choice(WIRE_AGENCIES)})",
                        "caption: photo description or (Photo by …) credit",
                    )
                )
            pieces.append(Piece(Kind.PARAGRAPH, paragraph, "paragraph: running text"))
        if wire and rng.random() < 0.5:
            pieces.append(
                Piece(
                    Kind.FOOTER,
                    f"(Reporting by {self._person()}; Editing by {self._person()})",
                    "footer: reporting credits or tags closing the story",
                )
            )
        pieces.append(Piece(Kind.FOOTER, outlet.footer, "footer: licence or copyright wording"))
        if rng.random() < 0.4:
            pieces.append(
                Piece(Kind.FOOTER, "Share this article", "footer: share buttons below the footer")
            )
        name = f"{NAME_PREFIX}-s{self.seed}-{index:06d}.txt"
        return SyntheticArticle(
            name=name,
            outlet=outlet.slug,
            story=story.number,
            title=title,
            pieces=tuple(pieces),
            credits=credits,
            dateline=place,
        )

    def articles(self, count: int) -> Iterator[SyntheticArticle]:
        """`count` articles, numbered from `start`: about half are copies of wire stories."""
        rng = self.rng
        index = self.start
        end = self.start + count
        story_number = self.start
        while index < end:
            story = self._story(story_number)
            story_number += 1
            if rng.random() < 0.2:
                copies = min(rng.randint(2, 4), end - index)
                for outlet in rng.sample(self.outlets, min(copies, len(self.outlets))):
                    yield self._article(index, story, outlet, self._edited(story), True)
                    index += 1
            else:
                outlet = rng.choice(self.outlets)
                yield self._article(index, story, outlet, story.sentences, False)
                index += 1


def render(article: SyntheticArticle) -> Rendered:
    """The file's text, its body, and its blocks as the ingest engine reads them back: each
    piece's span in the text and in the body (None outside the body)."""
    parts: list[str] = []
    body_parts: list[str] = []
    blocks = []
    cursor = 0
    body_cursor = 0
    previous_inline = False
    for piece in article.pieces:
        if parts:
            separator = " " if previous_inline else "\n\n"
            parts.append(separator)
            cursor += len(separator)
        start = cursor
        parts.append(piece.text)
        cursor += len(piece.text)
        body_start = body_end = None
        if piece.in_body:
            if body_parts:
                body_cursor += len(BODY_SEPARATOR)
            body_start = body_cursor
            body_parts.append(piece.text)
            body_cursor += len(piece.text)
            body_end = body_cursor
        blocks.append(
            IngestBlock(
                piece.kind,
                start,
                cursor,
                piece.rule,
                piece.text,
                in_body=piece.in_body,
                body_start=body_start,
                body_end=body_end,
            )
        )
        previous_inline = piece.inline
    parts.append("\n")
    return Rendered("".join(parts), BODY_SEPARATOR.join(body_parts), tuple(blocks))


def synthetic_files(count: int, *, seed: int = 1) -> Iterator[tuple[str, bytes]]:
    """(file name, bytes) of `count` generated files, as the importer reads them."""
    for article in Synthesizer(seed, default_styles()).articles(count):
        yield article.name, render(article).raw_text.encode("utf-8")


def _capitalised(words: str) -> str:
    """The words with a capital first letter ("the Karzun Council" -> "The Karzun Council")."""
    return words[:1].upper() + words[1:]
