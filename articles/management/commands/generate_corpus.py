"""python manage.py generate_corpus: a large synthetic corpus, written with bulk inserts.

Wire stories are written once and copied with small edits by two to four outlets (a word
changed, a number given differently, a sentence dropped or added, paragraphs cut elsewhere,
a new headline), beside unrelated stories; sentences are assembled from pools of phrases, so
the text reads like news and outlets share passages the way wire copy does. Each article gets
a real file (title, dateline, paragraphs, a caption, page furniture naming its outlet), one
revision holding those bytes and the blocks the file splits into, and annotations made by
generated readers: highlights, comments, questions, tags, claims followed across the copies
of a story, replies; public and private. Everything is deterministic for a given --seed.

Rows are written with bulk_create in batches, one transaction per batch; simple-history
records are not written for generated rows. `Synthesizer` and `render` are plain Python and
are used by the benchmarks to write the same kind of files to disk.
"""

from __future__ import annotations

import functools
import hashlib
import random
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify
from taggit.models import Tag

from annotations.anchoring import selector_for
from annotations.models import (
    Annotation,
    Claim,
    ClaimKind,
    ClaimRating,
    Colour,
    Motivation,
    TaggedAnnotation,
    Visibility,
)
from annotations.notes import render_note
from articles.comparison.store import comparison_refresh
from articles.ingest import BODY_SEPARATOR, Kind, sentence_spans
from articles.ingest.text import word_count
from articles.models import Article, ArticleRevision, Block, Outlet

NAME_PREFIX = "synthetic"
USER_PREFIX = "reader"
ARTICLE_BATCH = 500
SENTENCE_FORMS = 30
ANNOTATION_BATCH = 5_000
# Not a hash any hasher produces: the account cannot sign in with a password.
UNUSABLE_PASSWORD = "!generated"

# --- Pools of words and phrases ----------------------------------------------------------------

FIRST_NAMES = (
    "Ahmed Aigerim Ali Amina Anna Arman Aslan Ayesha Bakhyt Boris Dana Daniyar Dmitry Elena "
    "Emre Farah Fatima Gulnara Hassan Ibrahim Ilya Irina Jamal Karim Khalid Laila Leyla Maria "
    "Marat Mehmet Mikhail Mohammad Nadia Nasser Nurlan Olga Omar Pavel Rania Rashid Rustam "
    "Samir Sara Sergei Serik Tariq Timur Yasmin Yerlan Yusuf Zainab Zarina Zeynep Adil Bilal "
    "Celine James Julia Lucas Martin Sophie Thomas Victor Walid Hana Kemal Aliya Ruslan"
).split()
LAST_NAMES = (
    "Abbas Abdullayev Akhmetov Alloush Aslanov Baikenov Bashir Bekov Demir Durmaz Erdem Farouk "
    "Ghazal Haddad Hamdan Ibragimov Ismailov Jabbar Kaya Karimov Kassem Khalil Kuznetsov Lavrov "
    "Mahmoud Malik Mansour Mirzaev Nasser Nurpeisov Orlov Osman Petrov Qasim Rahimi Rashidov "
    "Sabri Saleh Sarsenbayev Sayed Shalabi Smirnov Sokolov Suleimanov Tahir Tokayev Volkov Yilmaz "
    "Yusupov Zaki Zhakupov Darwish Hakimi Najjar Sidorov Morozov Ozturk Celik Aydin Bayramov "
    "Collins Dubois Fischer Hartmann Jensen Keller Laurent Moreau Novak Weber Wright Brennan"
).split()
PLACES = (
    ("ASTANA", "Kazakhstan"),
    ("ALMATY", "Kazakhstan"),
    ("DAMASCUS", "Syria"),
    ("ALEPPO", "Syria"),
    ("IDLIB", "Syria"),
    ("HOMS", "Syria"),
    ("BEIRUT", "Lebanon"),
    ("AMMAN", "Jordan"),
    ("BAGHDAD", "Iraq"),
    ("ERBIL", "Iraq"),
    ("TEHRAN", "Iran"),
    ("ISFAHAN", "Iran"),
    ("ANKARA", "Turkey"),
    ("ISTANBUL", "Turkey"),
    ("GAZIANTEP", "Turkey"),
    ("MOSCOW", "Russia"),
    ("GENEVA", "Switzerland"),
    ("CAIRO", "Egypt"),
    ("DOHA", "Qatar"),
    ("RIYADH", "Saudi Arabia"),
    ("BAKU", "Azerbaijan"),
    ("TASHKENT", "Uzbekistan"),
    ("BISHKEK", "Kyrgyzstan"),
    ("TBILISI", "Georgia"),
    ("YEREVAN", "Armenia"),
    ("AKTAU", "Kazakhstan"),
    ("SHYMKENT", "Kazakhstan"),
    ("MOSUL", "Iraq"),
    ("LATAKIA", "Syria"),
    ("DEIR EZZOR", "Syria"),
)
WIRE_AGENCIES = ("Reuters", "AFP", "Associated Press", "TASS", "Anadolu Agency", "Xinhua")
# What a story is about: its subject, how it is named in short, who and what it concerns,
# and what is expected of it.
TOPICS = (
    ("peace talks", "the talks", "delegations", "a joint statement", "resume"),
    ("ceasefire", "the truce", "monitors", "violations", "hold"),
    ("prisoner exchange", "the exchange", "detainees", "lists of names", "go ahead"),
    ("aid convoy", "the convoy", "aid workers", "food and medicine", "reach the city"),
    ("grain corridor", "the corridor", "exporters", "grain shipments", "reopen"),
    ("pipeline project", "the pipeline", "engineers", "gas supplies", "be finished"),
    ("rail freight deal", "the deal", "rail operators", "cargo volumes", "double"),
    ("border crossing", "the crossing", "border guards", "trucks and buses", "reopen"),
    ("parliamentary election", "the vote", "election officials", "ballot papers", "be held"),
    ("sanctions package", "the sanctions", "banks", "frozen assets", "be lifted"),
    ("flood relief effort", "the relief effort", "rescue teams", "temporary shelters", "expand"),
    ("earthquake response", "the response", "rescuers", "tents and blankets", "continue"),
    ("refugee returns", "the returns", "families", "identity papers", "start"),
    ("reconstruction conference", "the conference", "donors", "pledges", "open"),
    ("oil output agreement", "the agreement", "producers", "export quotas", "be extended"),
    ("water-sharing accord", "the accord", "farmers", "irrigation quotas", "be signed"),
    ("de-escalation zone", "the zone", "observers", "checkpoints", "be set up"),
    ("demining operation", "the operation", "sappers", "unexploded shells", "be completed"),
    ("currency reform", "the reform", "traders", "exchange rates", "take effect"),
    ("vaccination campaign", "the campaign", "health workers", "vaccine doses", "be extended"),
)
ARMED_GROUP_WORDS = (
    "rebels",
    "opposition fighters",
    "militants",
    "armed groups",
    "insurgents",
    "terrorists",
)
GOVERNMENT_WORDS = ("the government", "the Syrian government", "Damascus", "the regime")
_SAID_AT_END = re.compile(r", said (\S+)\.$")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January February March April May June July August September October November December"
).split()
QUOTES = (
    "We will not abandon {place}",
    "Nobody wants another war in {place}",
    "The people of {place} have waited long enough",
    "We have written guarantees from {body}",
    "{place} is calm for now, but nobody trusts {body}",
    "Every family in {place} is asking the same question",
    "We are ready to talk to {body}",
    "{body} must not fail {place}",
)
# Invented names: a person's surname, a village, a body (council, brigade...).
ONSETS = "b d f g h j k l m n q r s t v z kh sh zh b d k m n r s t".split()
VOWELS = "a a e i o u a i".split()
CODAS = ["", "", "", "n", "r", "l", "m", "z", "s", "b", "d"]
SURNAME_ENDS = ("", "", "ov", "ev", "i", "an", "yan", "oglu", "ani")
PLACE_ENDS = ("", "", "abad", "iyeh", "ovka", "kent", "ah")
BODIES = (
    "Council",
    "Brigade",
    "Committee",
    "Centre",
    "Front",
    "Institute",
    "Commission",
    "Movement",
)
HEADINGS = (
    "Doubts over guarantees",
    "What comes next",
    "A fragile agreement",
    "Pressure from abroad",
    "Reaction on the ground",
    "The question of monitoring",
    "Numbers in dispute",
    "Earlier attempts",
)
NOTES = (
    "This figure differs from what other outlets report.",
    "Worth comparing with the wire copy: the wording changed here.",
    "Key point of the story.",
    "The source of this claim is not named.",
    "Earlier reports gave a *different* date for this.",
    "Background: see the previous round of talks.",
    "Loaded wording; other outlets say **opposition**.",
    "This is the only outlet that carries this sentence.",
    "Quoted without attribution in the other versions.",
    "Check against the official statement.",
)
QUESTIONS = (
    "Who confirmed this number?",
    "Is there an independent source for this?",
    "Which delegation said this first?",
    "Does this contradict the statement quoted above?",
    "When was this agreed?",
)
REPLIES = (
    "Agreed, the agency copy says the same.",
    "The official statement gives a lower figure.",
    "Good catch, I had missed that.",
    "Not sure: the other outlets leave this out.",
    "See the ministry's statement from the same day.",
    "Thanks, I added a tag.",
)
TAGS = (
    "ceasefire",
    "casualties",
    "humanitarian aid",
    "sanctions",
    "diplomacy",
    "framing",
    "numbers",
    "quotes",
    "unsourced",
    "background",
    "refugees",
    "economy",
    "energy",
    "elections",
    "russia",
    "turkey",
    "iran",
    "united nations",
    "wire copy",
    "contradiction",
    "timeline",
    "opinion",
    "needs checking",
    "official statement",
    "eyewitness",
)
# Outlets the generator adds beside the ones the migrations seed; each names itself in a
# footer line so that the importer recognises it too.
SYNTHETIC_OUTLETS = (
    ("Caspian Courier", "caspian-courier", "Kazakhstan", "caspiancourier.example"),
    ("Steppe Herald", "steppe-herald", "Kazakhstan", "steppeherald.example"),
    ("Levant Ledger", "levant-ledger", "Lebanon", "levantledger.example"),
    ("Meridian Daily", "meridian-daily", "United Kingdom", "meridiandaily.example"),
    ("Anatolian Observer", "anatolian-observer", "Turkey", "anatolianobserver.example"),
    ("Gulf Dispatch", "gulf-dispatch", "Qatar", "gulfdispatch.example"),
)
# How each seeded outlet closes its pages (a line its signatures match).
SEEDED_FOOTERS = {
    "mehr-news-agency": "All Content by Mehr News Agency is licensed under a Creative Commons "
    "Attribution 4.0 International License.",
    "press-tv": "Press TV’s website can also be accessed at the following alternate addresses: "
    "www.presstv.ir",
    "southfront": "Copyright © 2017 SouthFront, all rights reserved.",
    "gpa": "Copyright © 2017 Geopolitics Alert, all rights reserved.",
}


# --- Writing stories -------------------------------------------------------------------------


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


@dataclass(frozen=True, slots=True)
class OutletStyle:
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
    blocks: tuple[tuple[Piece, int, int, int | None, int | None], ...]  # piece, raw/body spans


@dataclass(slots=True)
class _Story:
    number: int
    topic: tuple[str, str, str, str, str]
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
    return outlet_styles([*seeded, *((slug, name) for name, slug, _, _ in SYNTHETIC_OUTLETS)])


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
        _subject, short, _actors, things, outcome = story.topic
        group = rng.choice(ARMED_GROUP_WORDS)
        government = rng.choice(GOVERNMENT_WORDS)
        person = rng.choice(story.people)
        surname = person.split(" ", 1)[1]
        other = rng.choice([p for p in story.people if p != person] or story.people)
        place = rng.choice(story.localities)
        second = rng.choice([p for p in story.localities if p != place] or story.localities)
        body = story.body
        n = rng.randint(3, 900)
        day = rng.choice(WEEKDAYS)
        if not story.deck:
            story.deck = list(range(SENTENCE_FORMS))
            rng.shuffle(story.deck)
        form = story.deck.pop()
        if form == 0:
            return f"“{rng.choice(QUOTES).format(place=place, body=body)},” said {surname}."
        if form == 1:
            return (
                f"{person} said {group} in {place} had been asked by {body} to hand over their "
                f"weapons in {second}."
            )
        if form == 2:
            return f"On {day}, {surname} counted {n} arrivals in {place}."
        if form == 3:
            return f"In {place}, {short} took effect, said {surname}."
        if form == 4:
            return (
                f"{government[:1].upper()}{government[1:]} accused {group} of blocking the road "
                f"to {place}."
            )
        if form == 5:
            return f"Medics in {place} counted {n} dead, said {surname}."
        if form == 6:
            return (
                f"{surname} blamed the delay in {place} on {other}, who leads {body} in {second}."
            )
        if form == 7:
            return (
                f"It was not clear whether {body} would let aid into {second}, where {group} "
                f"still hold the old road to {place}."
            )
        if form == 8:
            return f"In {second}, {things} are scarce, said {surname} of {place}."
        if form == 9:
            return (
                f"“This is not the end of the process, it is the beginning for {place},” said "
                f"{surname}."
            )
        if form == 10:
            return f"{place} expects {n} officials from {second}, said {surname}."
        if form == 11:
            return f"According to {body}, {place} saw {n} violations in {second}."
        if form == 12:
            return (
                f"{person} said {short} would {outcome} in {place} only with the agreement of "
                f"{other.split(' ', 1)[1]}."
            )
        if form == 13:
            return f"{place} expects ${n} million, {surname} told {story.agency} in {second}."
        if form == 14:
            return f"Talks between {body} and {other} broke up in {place}."
        if form == 15:
            return f"Prices in {place} rose {rng.randint(3, 45)} percent, said {surname}."
        if form == 16:
            return f"According to {body}, {n} trucks from {second} reached {place}."
        if form == 17:
            return f"{group.capitalize()} in {place} denied the accusation and blamed {surname}."
        if form == 18:
            return (
                f"{place} delegates meet {other} on {rng.randint(1, 28)} {rng.choice(MONTHS)} "
                f"in {second}."
            )
        if form == 19:
            return f"On {day}, {surname} met {other} in {place}."
        if form == 20:
            return f"{person} said {body} had opened an office in {place}."
        if form == 21:
            return (
                f"Shelling hit {place} on {day} night, {other.split(' ', 1)[1]} told "
                f"{story.agency} in {second}."
            )
        if form == 22:
            return f"{place} got {n} tonnes from {second}."
        if form == 23:
            return f"Schools in {place} are shut, said {surname}."
        if form == 24:
            return f"{other} urged {body} to free the prisoners held in {place}."
        if form == 25:
            return f"Residents of {place} fled to {second} after the fighting, said {surname}."
        if form == 26:
            return f"{body[:1].upper()}{body[1:]} denied that its men were in {place}."
        if form == 27:
            return f"The road between {place} and {second} reopened on {day}, said {surname}."
        if form == 28:
            return f"{surname} and {other.split(' ', 1)[1]} are expected in {place}."
        return f"{person} said {short} depended on {second} as much as on {place}."

    def _title(self, story: _Story) -> str:
        rng = self.rng
        short = story.topic[1]
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
                        f"This photo shows {story.topic[2]} in {place.title()} on "
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
    """The file's text, the body, and each piece's span in both (None outside the body)."""
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
        blocks.append((piece, start, cursor, body_start, body_end))
        previous_inline = piece.inline
    parts.append("\n")
    return Rendered("".join(parts), BODY_SEPARATOR.join(body_parts), tuple(blocks))


def synthetic_files(count: int, *, seed: int = 1) -> Iterator[tuple[str, bytes]]:
    """(file name, bytes) of `count` generated files, as the importer reads them."""
    for article in Synthesizer(seed, default_styles()).articles(count):
        yield article.name, render(article).raw_text.encode("utf-8")


# --- Writing rows ------------------------------------------------------------------------------


@dataclass(slots=True)
class _Made:
    """A generated article as the annotation step needs it."""

    article_id: int
    revision_id: int
    story: int
    body: str
    paragraphs: list[tuple[int, int]]
    block_count: int = 0
    sentences: list[tuple[int, int]] | None = None


@dataclass(slots=True)
class AnnotationPlan:
    """Who annotates, with which tags, and where claims are followed across a story."""

    rng: random.Random
    users: list[int]
    tags: dict[str, int]
    claims_by_story: dict[int, list[Claim]] = field(default_factory=dict)
    # (pk, article, revision, colour) of public top-level annotations: what replies answer.
    public_roots: list[tuple[int, int, int, str]] = field(default_factory=list)


@dataclass(slots=True)
class AnnotationBatch:
    """Unsaved rows of one batch: passages with their tag names, new claims, replies to make."""

    passages: list[Annotation] = field(default_factory=list)
    tag_names: list[list[str]] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    replies: int = 0


def _sentences(made: _Made) -> list[tuple[int, int]]:
    if made.sentences is None:
        made.sentences = [
            span for start, end in made.paragraphs for span in sentence_spans(made.body, start, end)
        ]
    return made.sentences


def _span(rng: random.Random, made: _Made) -> tuple[int, int]:
    """A sentence of the body, or a run of a few words inside one."""
    start, end = rng.choice(_sentences(made))
    if rng.random() < 0.45:
        return start, end
    text = made.body[start:end]
    spaces = [i for i, char in enumerate(text) if char == " "]
    if len(spaces) < 3:
        return start, end
    first = rng.randrange(len(spaces) - 2)
    last = min(len(spaces) - 1, first + rng.randint(2, 8))
    return start + spaces[first] + 1, start + spaces[last]


MOTIVATIONS = (
    (Motivation.HIGHLIGHTING, 40),
    (Motivation.COMMENTING, 25),
    (Motivation.TAGGING, 13),
    (Motivation.ASSESSING, 9),
    (Motivation.QUESTIONING, 5),
    (Motivation.REPLYING, 8),
)


def annotation_batch(
    plan: AnnotationPlan,
    targets: Sequence[_Made],
    *,
    private_share: float = 0.15,
    replies: bool = True,
) -> AnnotationBatch:
    """One annotation per target, in order: a passage annotation, or (without `replies`,
    never) a reply left to `annotations_write`, which answers a public annotation."""
    rng = plan.rng
    motivations = [m for m, _ in MOTIVATIONS]
    weights = [w for _, w in MOTIVATIONS]
    batch = AnnotationBatch()
    for made in targets:
        motivation = rng.choices(motivations, weights)[0]
        if motivation == Motivation.REPLYING:
            if replies:
                batch.replies += 1
                continue
            motivation = Motivation.HIGHLIGHTING
        creator = rng.choice(plan.users)
        visibility = Visibility.PRIVATE if rng.random() < private_share else Visibility.PUBLIC
        start, end = _span(rng, made)
        selector = selector_for(made.body, start, end)
        claim = None
        if motivation == Motivation.ASSESSING:
            # A claim is followed across the outlets that carry a story.
            known = plan.claims_by_story.setdefault(made.story, [])
            if known and rng.random() < 0.6:
                claim = rng.choice(known)
            else:
                claim = Claim(
                    text=selector.exact[:5000],
                    claimant=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    kind=rng.choice(ClaimKind.values),
                    rating=rng.choice(ClaimRating.values),
                    created_by_id=creator,
                )
                batch.claims.append(claim)
                known.append(claim)
        note = ""
        if motivation == Motivation.COMMENTING:
            note = rng.choice(NOTES)
        elif motivation == Motivation.QUESTIONING:
            note = rng.choice(QUESTIONS)
        tags: list[str] = []
        if motivation == Motivation.TAGGING:
            tags = rng.sample(TAGS, rng.randint(1, 3))
        elif rng.random() < 0.15:
            tags = [rng.choice(TAGS)]
        batch.passages.append(
            Annotation(
                article_id=made.article_id,
                revision_id=made.revision_id,
                anchor_revision_id=made.revision_id,
                creator_id=creator,
                motivation=motivation,
                claim=claim,
                exact=selector.exact,
                prefix=selector.prefix,
                suffix=selector.suffix,
                start=start,
                end=end,
                note=note,
                note_html=_rendered(note),
                colour=rng.choice(Colour.values),
                visibility=visibility,
            )
        )
        batch.tag_names.append(tags)
    return batch


@functools.cache
def _rendered(note: str) -> str:
    """The stored HTML of one of the generator's few fixed notes, rendered once."""
    return render_note(note)


def annotations_write(plan: AnnotationPlan, batch: AnnotationBatch) -> dict[str, int]:
    """Insert one batch: its claims, passage annotations and their tags, then the replies
    (to public annotations of this batch or earlier ones). Call inside a transaction."""
    Claim.objects.bulk_create(batch.claims)
    for annotation in batch.passages:
        if annotation.claim is not None:
            annotation.claim_id = annotation.claim.pk
    Annotation.objects.bulk_create(batch.passages)
    links = [
        TaggedAnnotation(content_object_id=annotation.pk, tag_id=plan.tags[name])
        for annotation, names in zip(batch.passages, batch.tag_names, strict=True)
        for name in names
    ]
    TaggedAnnotation.objects.bulk_create(links)
    plan.public_roots.extend(
        (annotation.pk, annotation.article_id, annotation.revision_id, annotation.colour)
        for annotation in batch.passages
        if annotation.visibility == Visibility.PUBLIC
    )
    rng = plan.rng
    replies = []
    for _ in range(batch.replies if plan.public_roots else 0):
        parent, article, revision, colour = rng.choice(plan.public_roots)
        replies.append(
            Annotation(
                article_id=article,
                revision_id=revision,
                anchor_revision_id=revision,
                creator_id=rng.choice(plan.users),
                motivation=Motivation.REPLYING,
                parent_id=parent,
                note=(reply := rng.choice(REPLIES)),
                note_html=_rendered(reply),
                colour=colour,
                visibility=Visibility.PUBLIC,
            )
        )
    Annotation.objects.bulk_create(replies)
    return {
        "annotations": len(batch.passages) + len(replies),
        "replies": len(replies),
        "private": sum(1 for a in batch.passages if a.visibility == Visibility.PRIVATE),
        "claims": len(batch.claims),
        "tags": len(links),
    }


def tags_ensure() -> dict[str, int]:
    """The generator's tags by name, created when missing."""
    existing = set(Tag.objects.filter(name__in=TAGS).values_list("name", flat=True))
    Tag.objects.bulk_create(
        [Tag(name=name, slug=slugify(name)) for name in TAGS if name not in existing],
        ignore_conflicts=True,
    )
    return dict(Tag.objects.filter(name__in=TAGS).values_list("name", "pk"))


def annotate_articles(
    articles: Sequence[Article],
    count: int,
    *,
    users: Sequence[int],
    seed: int = 1,
    private_share: float = 0.15,
    replies: bool = True,
) -> dict[str, int]:
    """Add `count` generated annotations to existing articles (spread evenly over them), in
    batches of one transaction each. With private_share=0 and replies=False every one is a
    public passage annotation."""
    revisions = ArticleRevision.objects.in_bulk([a.current_revision_id for a in articles])
    targets = []
    for article in articles:
        revision = revisions[article.current_revision_id]
        paragraphs = [
            (b.body_start, b.body_end)
            for b in revision.blocks.filter(kind=Kind.PARAGRAPH, body_start__isnull=False)
        ]
        targets.append(_Made(article.pk, revision.pk, -article.pk, revision.body, paragraphs))
    rng = random.Random(f"astana-annotate:{seed}")
    plan = AnnotationPlan(rng=rng, users=list(users), tags=tags_ensure())
    return _annotate(
        plan, [targets[i % len(targets)] for i in range(count)], private_share, replies
    )


def _annotate(
    plan: AnnotationPlan, targets: list[_Made], private_share: float, replies: bool
) -> dict[str, int]:
    counts = {"annotations": 0, "replies": 0, "private": 0, "claims": 0, "tags": 0}
    for first in range(0, len(targets), ANNOTATION_BATCH):
        batch = annotation_batch(
            plan,
            targets[first : first + ANNOTATION_BATCH],
            private_share=private_share,
            replies=replies,
        )
        with transaction.atomic():
            for key, value in annotations_write(plan, batch).items():
                counts[key] += value
    return counts


class Command(BaseCommand):
    help = (
        "Generate a synthetic corpus quickly with bulk inserts: articles (wire stories copied "
        "by several outlets, and unrelated stories) with their revisions and blocks, readers, "
        "and annotations with tags, claims and replies. Deterministic for a given --seed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=1_000)
        parser.add_argument("--annotations", type=int, default=10_000)
        parser.add_argument("--users", type=int, default=50)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--append",
            action="store_true",
            help="Add to a corpus generated before with the same seed instead of refusing.",
        )
        parser.add_argument(
            "--no-compare", action="store_true", help="Do not store the comparison links."
        )

    def handle(self, *args, **options):
        articles, annotations, users = (
            options["articles"],
            options["annotations"],
            options["users"],
        )
        seed = options["seed"]
        if articles < 0 or annotations < 0 or users < 0:
            raise CommandError("--articles, --annotations and --users must not be negative")
        if annotations and not articles:
            raise CommandError("annotations need articles: give --articles")
        if annotations and not users:
            raise CommandError("annotations need readers: give --users")
        prefix = f"{NAME_PREFIX}-s{seed}-"
        existing = Article.objects.filter(source_name__startswith=prefix)
        start = 0
        if existing.exists():
            if not options["append"]:
                raise CommandError(
                    f"a corpus with seed {seed} exists already ({existing.count():,} articles "
                    f"named {prefix}…); use --append to add to it, or another --seed"
                )
            last = existing.order_by("-source_name").values_list("source_name", flat=True)[0]
            start = int(last.removeprefix(prefix).removesuffix(".txt")) + 1
        self.timings: list[tuple[str, float]] = []

        started = time.perf_counter()
        styles = self._outlets()
        user_ids = self._users(seed, users)
        self._step("outlets and readers", started)

        started = time.perf_counter()
        made = self._articles(Synthesizer(seed, styles, start=start), articles)
        blocks = sum(m.block_count for m in made)
        self._step(f"{len(made):,} articles, {len(made):,} revisions, {blocks:,} blocks", started)

        started = time.perf_counter()
        counts = self._annotations(seed, start, made, user_ids, annotations)
        self._step(
            f"{counts['annotations']:,} annotations ({counts['replies']:,} replies, "
            f"{counts['private']:,} private), {counts['claims']:,} claims, "
            f"{counts['tags']:,} tag links",
            started,
        )

        if not options["no_compare"]:
            started = time.perf_counter()
            report = comparison_refresh()
            self._step(f"comparison: {report.summary()}", started)
        total = sum(seconds for _, seconds in self.timings)
        self.stdout.write(f"Done in {total:.1f} s.")

    def _step(self, what: str, started: float) -> None:
        seconds = time.perf_counter() - started
        self.timings.append((what, seconds))
        self.stdout.write(f"{what}: {seconds:.1f} s")

    def _outlets(self) -> list[OutletStyle]:
        """The seeded outlets that publish, and the synthetic ones (added when missing)."""
        with transaction.atomic():
            have = set(Outlet.objects.values_list("slug", flat=True))
            Outlet.objects.bulk_create(
                [
                    Outlet(
                        name=name,
                        slug=slug,
                        country=country,
                        homepage=f"https://{domain}/",
                        signatures=[name, domain],
                        notes="Generated by manage.py generate_corpus.",
                    )
                    for name, slug, country, domain in SYNTHETIC_OUTLETS
                    if slug not in have
                ]
            )
        publishing = Outlet.objects.filter(is_agency=False).order_by("slug")
        return outlet_styles(list(publishing.values_list("slug", "name")))

    def _users(self, seed: int, count: int) -> list[int]:
        User = get_user_model()
        names = [f"{USER_PREFIX}-s{seed}-{i:04d}" for i in range(count)]
        with transaction.atomic():
            have = set(User.objects.filter(username__in=names).values_list("username", flat=True))
            User.objects.bulk_create(
                [User(username=n, password=UNUSABLE_PASSWORD) for n in names if n not in have]
            )
        ids = dict(User.objects.filter(username__in=names).values_list("username", "pk"))
        return [ids[n] for n in names]

    def _articles(self, synthesizer: Synthesizer, count: int) -> list[_Made]:
        outlet_ids = dict(Outlet.objects.values_list("slug", "pk"))
        made: list[_Made] = []
        batch: list[SyntheticArticle] = []
        for article in synthesizer.articles(count):
            batch.append(article)
            if len(batch) == ARTICLE_BATCH:
                made.extend(self._article_batch(batch, outlet_ids))
                batch = []
        if batch:
            made.extend(self._article_batch(batch, outlet_ids))
        return made

    @transaction.atomic
    def _article_batch(
        self, batch: list[SyntheticArticle], outlet_ids: dict[str, int]
    ) -> list[_Made]:
        rendered = [render(article) for article in batch]
        rows = [
            Article(
                slug=_slug(article),
                source_name=article.name,
                outlet_id=outlet_ids[article.outlet],
                title=article.title[:500],
                dateline=article.dateline,
                credits=list(article.credits),
                language="en",
                word_count=word_count(text.body),
                status=Article.Status.PUBLISHED,
            )
            for article, text in zip(batch, rendered, strict=True)
        ]
        Article.objects.bulk_create(rows)
        revisions = []
        for row, text in zip(rows, rendered, strict=True):
            data = text.raw_text.encode("utf-8")
            revisions.append(
                ArticleRevision(
                    article_id=row.pk,
                    number=1,
                    raw_bytes=data,
                    sha256=hashlib.sha256(data).hexdigest(),
                    encoding="utf-8",
                    raw_text=text.raw_text,
                    body=text.body,
                    source_path=f"generated/{row.source_name}",
                    outlet_rule="generated: the outlet the story was written for",
                )
            )
        ArticleRevision.objects.bulk_create(revisions)
        blocks = [
            Block(
                revision_id=revision.pk,
                position=position,
                kind=piece.kind.value,
                rule=piece.rule,
                text=piece.text,
                start=start,
                end=end,
                body_start=body_start,
                body_end=body_end,
            )
            for revision, text in zip(revisions, rendered, strict=True)
            for position, (piece, start, end, body_start, body_end) in enumerate(text.blocks)
        ]
        Block.objects.bulk_create(blocks)
        for row, revision in zip(rows, revisions, strict=True):
            row.current_revision_id = revision.pk
        Article.objects.bulk_update(rows, ["current_revision"])
        made = []
        for article, row, revision, text in zip(batch, rows, revisions, rendered, strict=True):
            paragraphs = [
                (body_start, body_end)
                for piece, _, _, body_start, body_end in text.blocks
                if piece.kind is Kind.PARAGRAPH
            ]
            made.append(
                _Made(row.pk, revision.pk, article.story, text.body, paragraphs, len(text.blocks))
            )
        return made

    def _annotations(
        self, seed: int, start: int, made: list[_Made], user_ids: list[int], count: int
    ) -> dict[str, int]:
        if not count:
            return {"annotations": 0, "replies": 0, "private": 0, "claims": 0, "tags": 0}
        rng = random.Random(f"astana-annotations:{seed}:{start}")
        plan = AnnotationPlan(rng=rng, users=user_ids, tags=tags_ensure())
        # Some articles draw far more readers than others (a Zipf-like share).
        weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(made))]
        order = list(made)
        rng.shuffle(order)
        return _annotate(plan, rng.choices(order, weights, k=count), 0.15, True)


def _slug(article: SyntheticArticle) -> str:
    suffix = "-" + article.name.removeprefix(NAME_PREFIX + "-").removesuffix(".txt")
    return slugify(article.title)[: 80 - len(suffix)].rstrip("-") + suffix
