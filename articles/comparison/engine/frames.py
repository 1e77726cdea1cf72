"""Claim frames: who did what, to whom, when, how many, in one sentence of news text.

Pure Python, no Django. `sentence_frame(text, dates)` reads one sentence into a `Frame`:

- actors, canonicalised: a country's name, demonym and capital used as an actor are one
  government actor ("Russia", "Russian", "Moscow", "the Kremlin" -> "Russia"; "the Syrian
  government", "the Assad regime", "Damascus" -> "Syria"); "rebels", "militants",
  "opposition groups" and "factions" are one armed-opposition actor; other capitalised words
  are names, one key per word by its first five letters ("Vladimir Putin" and "Putin" share
  "putin"; "Catalan" and "Catalonia" share "catal");
- predicates: concepts of the verb phrases by light stem through a synonym table, each in a
  family with a polarity (attend / join / take part / participate are "participate" +;
  boycott / refuse / freeze / suspend / stay away are "participate" -; agree / accept vs
  reject; start / begin / come into effect / take effect; hold talks / meet / negotiate ...);
- negation ("not", "never", "n't", "no"): it flips the polarity of the sentence's predicates;
- numbers (counted quantities, not years), dates (given by the caller, from dates.py) and
  places (a capital or country after "in", "at", "to", "near", "outside" ...).

`match_frames(a, b, weight)` says what two frames share: the evidence (category, text) a
reader is shown, and a similarity in [0, 1] over the shared keys weighted by `weight(key)`
(the caller's IDF). Whether the predicates agree in polarity is reported, not used to refuse
a match: a differing pair is still the same fact told two ways.

Every pattern here is linear: one pass over the words, dictionary look-ups, no backtracking.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Callable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Never

from .dates import DateValue, day_gap, find_dates

# Words, keeping inner apostrophes and dots (U.S., don't) but cutting at hyphens, so that
# "Russian-Turkish" names two countries and "UN-brokered" a broker.
_WORD_RE = re.compile(r"[^\W_]+(?:['.][^\W_]+)*")
# Number words as digits, as counted claims are read ("six seamen were wounded").
NUMBER_WORDS = {
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
    "dozen": "12",
    "twenty": "20",
}

# A number with its scale or percent sign: "844", "15,000", "2.26 million", "90%", "90 percent".
_NUMBER_RE = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?!\w|[,.]\d)"
    r"(?:\s?(%|percent\b|per\s?cent\b|million\b|billion\b|thousand\b))?",
    re.IGNORECASE,
)
_DIGIT_RE = re.compile(r"\d")
_SCALES = {"million": 1e6, "billion": 1e9, "thousand": 1e3}
# Two numbers this close (relative to the larger) read as one figure ("844" and "more than
# 800"; "2.26 million" and "about 2.25 million").
NUMBER_TOLERANCE = 0.1

# Country: (names and demonyms, capitals and seats of government). A capital used as an actor
# ("blaming Moscow and Damascus") stands for the government; after "in", "to", "near" ... it is
# a place, and so is the country's name.
_COUNTRIES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Russia": (("russia", "russian", "russians"), ("moscow", "kremlin")),
    "Turkey": (("turkey", "turkish", "turks", "turkiye"), ("ankara",)),
    "Syria": (("syria", "syrian", "syrians"), ("damascus",)),
    "Iran": (("iran", "iranian", "iranians"), ("tehran",)),
    "Iraq": (("iraq", "iraqi", "iraqis"), ("baghdad",)),
    "Israel": (("israel", "israeli", "israelis"), ("jerusalem",)),
    "Egypt": (("egypt", "egyptian", "egyptians"), ("cairo",)),
    "Qatar": (("qatar", "qatari", "qataris"), ("doha",)),
    "Saudi Arabia": (("saudi", "saudis"), ("riyadh",)),
    "Jordan": (("jordan", "jordanian"), ("amman",)),
    "Lebanon": (("lebanon", "lebanese"), ("beirut",)),
    "Kazakhstan": (("kazakhstan", "kazakh"), ("astana", "nur-sultan")),
    "Switzerland": (("switzerland", "swiss"), ("geneva", "bern")),
    "United States": (("us", "u.s", "usa", "american", "americans"), ("washington",)),
    "United Kingdom": (("uk", "u.k", "britain", "british"), ("london",)),
    "France": (("france", "french"), ("paris",)),
    "Germany": (("germany", "german", "germans"), ("berlin",)),
    "China": (("china", "chinese"), ("beijing",)),
    "India": (("india", "indian", "indians"), ("delhi",)),
    "Pakistan": (("pakistan", "pakistani"), ("islamabad",)),
    "Afghanistan": (("afghanistan", "afghan", "afghans"), ("kabul",)),
    "Ukraine": (("ukraine", "ukrainian", "ukrainians"), ("kyiv", "kiev")),
    "Nepal": (("nepal", "nepalese", "nepali"), ("kathmandu",)),
    "Japan": (("japan", "japanese"), ("tokyo",)),
    "Yemen": (("yemen", "yemeni"), ("sanaa",)),
    "Libya": (("libya", "libyan"), ("tripoli",)),
    "Sudan": (("sudan", "sudanese"), ("khartoum",)),
    "Palestine": (("palestine", "palestinian", "palestinians"), ("ramallah",)),
    "Gaza": (("gaza",), ()),
    "Spain": (("spain", "spanish", "spaniards"), ("madrid",)),
    "Indonesia": (("indonesia", "indonesian", "indonesians"), ("jakarta",)),
    "Malaysia": (("malaysia", "malaysian", "malaysians"), ("kuala",)),
    "Philippines": (("philippines", "philippine", "filipino", "filipinos"), ("manila",)),
    "Thailand": (("thailand", "thai"), ("bangkok",)),
    "Vietnam": (("vietnam", "vietnamese"), ("hanoi",)),
    "Myanmar": (("myanmar", "burma", "burmese"), ("naypyidaw", "yangon")),
    "Bangladesh": (("bangladesh", "bangladeshi"), ("dhaka",)),
    "Sri Lanka": (("lanka", "lankan"), ("colombo",)),
    "North Korea": ((), ("pyongyang",)),
    "South Korea": ((), ("seoul",)),
    "Taiwan": (("taiwan", "taiwanese"), ("taipei",)),
    "Australia": (("australia", "australian", "australians"), ("canberra",)),
    "Canada": (("canada", "canadian", "canadians"), ("ottawa",)),
    "Mexico": (("mexico", "mexican", "mexicans"), ()),
    "Brazil": (("brazil", "brazilian", "brazilians"), ("brasilia",)),
    "Argentina": (("argentina", "argentine", "argentinian"), ("buenos",)),
    "Venezuela": (("venezuela", "venezuelan", "venezuelans"), ("caracas",)),
    "Colombia": (("colombia", "colombian", "colombians"), ("bogota",)),
    "Cuba": (("cuba", "cuban", "cubans"), ("havana",)),
    "Italy": (("italy", "italian", "italians"), ("rome",)),
    "Greece": (("greece", "greek", "greeks"), ("athens",)),
    "Portugal": (("portugal", "portuguese"), ("lisbon",)),
    "Netherlands": (("netherlands", "dutch"), ("amsterdam", "hague")),
    "Belgium": (("belgium", "belgian", "belgians"), ()),
    "Poland": (("poland", "polish", "poles"), ("warsaw",)),
    "Belarus": (("belarus", "belarusian"), ("minsk",)),
    "Hungary": (("hungary", "hungarian"), ("budapest",)),
    "Austria": (("austria", "austrian"), ("vienna",)),
    "Sweden": (("sweden", "swedish", "swedes"), ("stockholm",)),
    "Norway": (("norway", "norwegian"), ("oslo",)),
    "Finland": (("finland", "finnish", "finns"), ("helsinki",)),
    "Denmark": (("denmark", "danish", "danes"), ("copenhagen",)),
    "Ireland": (("ireland", "irish"), ("dublin",)),
    "Serbia": (("serbia", "serbian", "serbs"), ("belgrade",)),
    "Romania": (("romania", "romanian", "romanians"), ("bucharest",)),
    "Moldova": (("moldova", "moldovan"), ("chisinau",)),
    "Armenia": (("armenia", "armenian", "armenians"), ("yerevan",)),
    "Azerbaijan": (("azerbaijan", "azerbaijani", "azeri"), ("baku",)),
    "Uzbekistan": (("uzbekistan", "uzbek"), ("tashkent",)),
    "Nigeria": (("nigeria", "nigerian", "nigerians"), ("abuja",)),
    "Ethiopia": (("ethiopia", "ethiopian", "ethiopians"), ("addis",)),
    "Kenya": (("kenya", "kenyan", "kenyans"), ("nairobi",)),
    "Somalia": (("somalia", "somali", "somalis"), ("mogadishu",)),
    "Algeria": (("algeria", "algerian", "algerians"), ("algiers",)),
    "Morocco": (("morocco", "moroccan", "moroccans"), ("rabat",)),
    "Tunisia": (("tunisia", "tunisian", "tunisians"), ("tunis",)),
    "United Arab Emirates": (("uae", "emirati", "emiratis"), ("abu",)),
    "Bahrain": (("bahrain", "bahraini"), ("manama",)),
    "Kuwait": (("kuwait", "kuwaiti"), ()),
    "Oman": (("oman", "omani"), ("muscat",)),
    "European Union": (("eu", "e.u", "european"), ("brussels",)),
    "United Nations": (("un", "u.n", "unsc"), ()),
}
_NATION: dict[str, str] = {}
_CAPITAL: dict[str, str] = {}
for _country, (_names, _capitals) in _COUNTRIES.items():
    _NATION.update(dict.fromkeys(_names, _country))
    _CAPITAL.update(dict.fromkeys(_capitals, _country))
# Two-word names: (first, second) -> the country, read as one word.
_PAIRS = {
    ("united", "states"): "United States",
    ("united", "nations"): "United Nations",
    ("united", "kingdom"): "United Kingdom",
    ("security", "council"): "United Nations",
    ("saudi", "arabia"): "Saudi Arabia",
    ("european", "union"): "European Union",
    ("white", "house"): "United States",
    ("russian", "federation"): "Russia",
    ("north", "korea"): "North Korea",
    ("south", "korea"): "South Korea",
    ("new", "zealand"): "New Zealand",
    ("south", "africa"): "South Africa",
    ("sri", "lanka"): "Sri Lanka",
}
# Words that make "<demonym or country> X" the country's government ("the Syrian government",
# "Russian President"), and words that make the regime of a named leader ("Assad regime").
_GOVERNMENT = frozenset(
    """government governments regime regimes army troops forces military authorities president
    minister ministry officials leader administration state""".split()
)
# Leaders whose name stands for their government in news text.
_LEADERS = {"assad": "Syria", "putin": "Russia", "erdogan": "Turkey", "kremlin": "Russia"}
# Armed groups that oppose a government, under any of their names.
_ARMED = frozenset(
    """rebel rebels militant militants opposition insurgent insurgents fighter fighters faction
    factions jihadist jihadists extremist extremists terrorist terrorists gunmen""".split()
)
_PLACE_BEFORE = frozenset("in at to near outside around from into across inside of".split())
_NEGATORS = frozenset(("not", "never", "no", "cannot", "nor", "neither", "without"))

# Predicate concepts by light stem: (family, polarity). Polarity False: the opposing predicate
# of the family (boycott of attend, reject of accept).
_PREDICATES: dict[str, tuple[str, bool]] = {
    **dict.fromkeys(("attend", "participat", "participation", "join"), ("participate", True)),
    **dict.fromkeys(
        ("boycott", "refus", "freez", "suspend", "withdraw", "withdrawal", "quit", "abstain"),
        ("participate", False),
    ),
    **dict.fromkeys(
        ("agre", "accept", "approv", "endors", "ratify", "uphold", "upheld"), ("accept", True)
    ),
    **dict.fromkeys(("reject", "deny", "denied", "oppos", "veto", "vetoed"), ("accept", False)),
    **dict.fromkeys(("start", "began", "begin", "begun", "launch", "commenc"), ("start", True)),
    **dict.fromkeys(("end", "ended", "conclud", "finish", "clos"), ("end", True)),
    **dict.fromkeys(("stop", "stopp", "halt", "block", "prevent", "thwart"), ("stop", True)),
    **dict.fromkeys(
        ("talk", "negotiat", "negotiation", "meet", "meeting", "conferenc", "summit"),
        ("talks", True),
    ),
    **dict.fromkeys(("guarantor", "guarante", "broker", "mediat", "mediator"), ("guarantee", True)),
    **dict.fromkeys(("violat", "violation", "breach", "broke", "break"), ("violate", True)),
    **dict.fromkeys(("kill", "died", "dead", "death", "die", "fatalit"), ("kill", True)),
    **dict.fromkeys(("injur", "injury", "wound", "hurt", "casualti"), ("injure", True)),
    # Acts of force: "attack" names any of them; ram, fire and detain are three different
    # acts (a ship rammed is not a ship fired on, nor one seized).
    **dict.fromkeys(("attack", "strike", "airstrik", "bomb", "raid", "assault"), ("attack", True)),
    **dict.fromkeys(("ram", "ramm", "collid", "collision"), ("ram", True)),
    **dict.fromkeys(
        ("fir", "fire", "fired", "gunfir", "gunfire", "shot", "shoot", "shell"), ("fire", True)
    ),
    **dict.fromkeys(
        ("arrest", "detain", "detention", "captur", "seiz", "seizur", "impound", "abduct"),
        ("detain", True),
    ),
    **dict.fromkeys(("releas", "freed", "free"), ("release", True)),
    **dict.fromkeys(("crash", "crashed", "plung", "plunged"), ("crash", True)),
    **dict.fromkeys(("aboard", "carry", "carri"), ("carry", True)),
    **dict.fromkeys(("schedul", "plan", "set"), ("schedule", True)),
    **dict.fromkeys(
        ("extend", "extension", "prolong", "increas", "lengthen"),
        ("extend", True),
    ),
    **dict.fromkeys(("reduc", "shorten", "decreas"), ("extend", False)),
    # Courts and crime, in any story: charged, convicted, sentenced, appealed; bribes.
    **dict.fromkeys(("charg", "indict", "accus", "prosecut"), ("charge", True)),
    **dict.fromkeys(("convict", "conviction", "guilty"), ("convict", True)),
    **dict.fromkeys(("acquit", "acquitt", "acquittal", "innocent", "exonerat"), ("convict", False)),
    **dict.fromkeys(("sentenc", "jail", "prison", "imprison", "imprisonment"), ("sentence", True)),
    **dict.fromkeys(("appeal", "appellat"), ("appeal", True)),
    **dict.fromkeys(
        ("brib", "bribery", "graft", "corrupt", "corruption", "kickback", "launder"),
        ("corrupt", True),
    ),
    # Contests: won / lost, candidates and who may stand.
    **dict.fromkeys(("win", "winn", "won", "victory", "victor"), ("win", True)),
    **dict.fromkeys(("defeat", "lose", "losing"), ("win", False)),
    **dict.fromkeys(("candidat", "candidacy", "eligibl", "compet"), ("stand", True)),
    **dict.fromkeys(("ineligibl", "disqualif", "barr"), ("stand", False)),
    # Crowds and emergencies.
    **dict.fromkeys(
        ("protest", "protester", "demonstrat", "demonstration", "rally"),
        ("protest", True),
    ),
    **dict.fromkeys(("rescu", "survivor", "surviv"), ("rescue", True)),
    **dict.fromkeys(("search", "scour"), ("search", True)),
    **dict.fromkeys(("monitor", "observ", "observer"), ("monitor", True)),
    **dict.fromkeys(("evacuat", "evacuation"), ("evacuate", True)),
    **dict.fromkeys(("back", "support", "sponsor", "fund", "funded"), ("back", True)),
    **dict.fromkeys(
        ("vote", "vot", "voted", "voter", "ballot", "referendum", "plebiscit"), ("vote", True)
    ),
    **dict.fromkeys(("count", "tally", "tallied"), ("count", True)),
    **dict.fromkeys(("ban", "banned", "prohibit", "outlaw"), ("ban", True)),
    **dict.fromkeys(("illegal", "unlawful", "unconstitutional", "illegitimat"), ("illegal", True)),
    **dict.fromkeys(("resign", "resignation"), ("resign", True)),
    **dict.fromkeys(("vanish", "disappear", "disappearanc"), ("vanish", True)),
    **dict.fromkeys(("return",), ("return", True)),
    **dict.fromkeys(("elect", "election", "reelect"), ("elect", True)),
    **dict.fromkeys(("announc", "declar", "proclaim"), ("announce", True)),
}
# Two-word predicates: (light stem, next light stem) -> (family, polarity).
_PREDICATE_PAIRS: dict[tuple[str, str], tuple[str, bool]] = {
    ("take", "part"): ("participate", True),
    ("tak", "part"): ("participate", True),
    ("took", "part"): ("participate", True),
    ("stay", "away"): ("participate", False),
    ("pull", "out"): ("participate", False),
    ("pulled", "out"): ("participate", False),
    ("into", "effect"): ("start", True),
    ("into", "forc"): ("start", True),
    ("took", "effect"): ("start", True),
    ("tak", "effect"): ("start", True),
    ("take", "effect"): ("start", True),
    ("go", "to"): ("participate", True),
    ("going", "to"): ("participate", True),
    ("come", "ahead"): ("schedule", True),
    ("held", "talk"): ("talks", True),
    ("open", "fir"): ("fire", True),
    ("opened", "fir"): ("fire", True),
    ("open", "fire"): ("fire", True),
    ("under", "fire"): ("fire", True),
    ("on", "board"): ("carry", True),
    ("step", "down"): ("resign", True),
    ("stepped", "down"): ("resign", True),
    ("lost", "contact"): ("vanish", True),
    ("los", "contact"): ("vanish", True),
    ("lose", "contact"): ("vanish", True),
    ("turn", "back"): ("return", True),
    ("turn", "around"): ("return", True),
    ("go", "back"): ("return", True),
    ("land", "back"): ("return", True),
    ("rule", "out"): ("stand", False),
    ("ruled", "out"): ("stand", False),
    ("carri", "out"): ("act", True),
    ("carry", "out"): ("act", True),
}
# Two words that are one topic ("cease-fire", cut at the hyphen).
_TOPIC_PAIRS = {("ceas", "fir"): "ceasefire"}
# Objects of the claim (what it is about): truce, deal, talks, vote ...
_TOPICS: dict[str, str] = {
    **dict.fromkeys(("ceasefir", "truc", "armistic", "cessation"), "ceasefire"),
    **dict.fromkeys(("deal", "agreement", "accord", "pact", "document"), "agreement"),
    **dict.fromkeys(("resolution", "vote"), "resolution"),
    **dict.fromkeys(("delegation", "delegat"), "delegation"),
    **dict.fromkeys(("plane", "aircraft", "flight", "airliner"), "aircraft"),
    **dict.fromkeys(("hostag", "captiv", "prisoner", "detaine"), "captives"),
    **dict.fromkeys(("civilian",), "civilians"),
}
# Actors too general to tie two sentences to one fact.
_GENERIC_ACTORS = frozenset(("armed opposition",))
# Families too general to make a claim alone.
_WEAK_FAMILIES = frozenset(
    ("talks", "back", "schedule", "end", "violate", "monitor", "announce", "carry", "act")
)


# Words after a capital that make it the venue of talks ("the Astana talks"), not an actor.
_VENUE = frozenset(("talk", "meeting", "meet", "conferenc", "process", "summit", "negotiation"))


# A word as met -> (lower case without a possessive, light stem), learnt as words are met.
_WORDS: dict[str, tuple[str, str]] = {}
_WORDS_LIMIT = 200_000


def _learn(word: str) -> tuple[str, str]:
    lower = word.lower()
    if lower.endswith("'s"):
        lower = lower[:-2]
    found = _WORDS[word] = (lower, light_stem(lower))
    return found


def light_stem(word: str) -> str:
    """No hyphen, possessive or plural; then -ing, -ed, a final -e off (refused = refuse)."""
    word = word.replace("-", "").replace(".", "")
    if word.endswith("'s"):
        word = word[:-2]
    word = word.rstrip("'")
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            word = word[: -len(suffix)]
            break
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


@dataclass(frozen=True, slots=True)
class Frame:
    """What one sentence claims. Keys are ("actor" | "place" | "number", canonical text);
    predicates are (family, polarity after negation); `surface` maps a key or family to the
    sentence's own words for it (the evidence shown)."""

    actors: frozenset[str]
    places: frozenset[str]
    predicates: frozenset[tuple[str, bool]]
    topics: frozenset[str]
    numbers: frozenset[str]
    dates: tuple[DateValue, ...]
    negated: bool
    surface: tuple[tuple[str, str], ...]
    # Counted things: (unit class, number key); class "" for "six wounded", "189 on board".
    counts: frozenset[tuple[str, str]] = frozenset()
    # The same with each act it counts the doers or objects of (see `_count_acts`):
    # ("uniformed", "6", "injure") in "six seamen were wounded".
    count_acts: frozenset[tuple[str, str, str]] = frozenset()
    # The name keys of who is quoted ("spokesman Sutopo Purwo Nugroho told", "said Turull"):
    # who said it is not what was said (see `_speaker_names`).
    speakers: frozenset[str] = frozenset()
    # `families`, made on first use (a pair's sentences are matched many times over).
    _families: frozenset[str] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def families(self) -> frozenset[str]:
        """The predicate families, whatever their polarity."""
        found = self._families
        if found is None:
            found = frozenset(family for family, _ in self.predicates)
            object.__setattr__(self, "_families", found)
        return found

    def words_for(self, key: str) -> str:
        """The sentence's own words for a key (the first seen)."""
        for name, text in self.surface:
            if name == key:
                return text
        return key


EMPTY = Frame(
    frozenset(), frozenset(), frozenset(), frozenset(), frozenset(), (), False, (), frozenset()
)


def sentence_frame(text: str, dates: Sequence[DateValue] = ()) -> Frame:
    """Read one sentence into a frame. `dates`: the dates it gives (dates.py), if known.

    Frames are immutable and a passage is read again for every pair it is linked in (its
    evidence, its names): the last FRAME_CACHE read are kept."""
    return _cached_frame(text, tuple(dates))


# Frames kept by `sentence_frame` (each a few kilobytes).
FRAME_CACHE = 4096


@lru_cache(maxsize=FRAME_CACHE)
def _cached_frame(text: str, dates: tuple[DateValue, ...]) -> Frame:
    return _read_frame(text, dates)


def _read_frame(text: str, dates: tuple[DateValue, ...]) -> Frame:
    text = text.replace("\u2019", "'")
    has_digit = _DIGIT_RE.search(text) is not None
    in_dates = [(start, end) for _, start, end in find_dates(text, 0)] if has_digit else []
    numbers: set[str] = set()
    # Counted things: (unit class, number key): "six of its seamen", "844 people".
    counts: set[tuple[str, str]] = set()
    # (unit class, number key, where): a character offset for figures, a word index for
    # number words (made word indexes below).
    counted_at: list[tuple[str, str, int]] = []
    surface: list[tuple[str, str]] = []
    if has_digit:
        for match in _NUMBER_RE.finditer(text):
            if any(start <= match.start() < end for start, end in in_dates):
                continue
            value = _number_key(match.group(1), match.group(2))
            if value is not None:
                numbers.add(value)
                surface.append((value, match.group()))
                unit = _digit_unit(text, match.start(), match.end())
                if unit is not None:
                    counts.add((unit, value))
                    counted_at.append((unit, value, match.start()))
    if in_dates:
        found = [
            (m.group(), m.start())
            for m in _WORD_RE.finditer(text)
            if not any(start <= m.start() < end for start, end in in_dates)
        ]
    elif counted_at:
        found = [(m.group(), m.start()) for m in _WORD_RE.finditer(text)]
    else:
        found = [(word, 0) for word in _WORD_RE.findall(text)]
    if counted_at:
        starts = [start for _, start in found]
        counted_at = [(u, v, bisect_left(starts, at)) for u, v, at in counted_at]
    if not found:
        empty: frozenset[Never] = frozenset()  # (a frozenset of anything)
        return Frame(
            empty, empty, empty, empty, frozenset(numbers), tuple(dates), False, (), frozenset()
        )
    raw = [word for word, _ in found]
    cache = _WORDS
    if len(cache) > _WORDS_LIMIT:
        cache.clear()
    known = [cache.get(word) or _learn(word) for word in raw]
    lower = [word for word, _ in known]
    # In a headline in title case, a capital says nothing: names come from the tables only.
    long_words = [word for word in raw if len(word) > 3]
    title_case = len(long_words) >= 3 and 3 * sum(
        1 for word in long_words if word[:1].isupper()
    ) >= 2 * len(long_words)
    stems = [root for _, root in known]
    actors: set[str] = set()
    places: set[str] = set()
    predicates: set[tuple[str, bool]] = set()
    # Where each predicate was read (word index -> concept), for "refused to attend".
    placed: dict[int, tuple[str, bool]] = {}
    topics: set[str] = set()
    negated = False
    negators: list[int] = []
    count = len(lower)
    skip = -1
    for index in range(count):
        if index <= skip:
            continue
        word, root = lower[index], stems[index]
        if word not in _TABLE_WORDS and root not in _TABLE_STEMS and not word[:1].isdigit():
            # Not in any table: at most a name.
            if (
                raw[index][:1].isupper()
                and index
                and not title_case
                and len(word) > 2
                and word not in _COMMON_CAPITALS
            ):
                actors.add(root[:_NAME_PREFIX])
                surface.append((root[:_NAME_PREFIX], raw[index]))
            continue
        previous = lower[index - 1] if index else ""
        following = lower[index + 1] if index + 1 < count else ""
        if word in _NEGATORS or word.endswith("n't"):
            negated = True
            negators.append(index)
            continue
        pair = (word, following)
        if pair in _PAIRS:
            _add_nation(_PAIRS[pair], previous, lower, index + 1, actors, places)
            surface.append((_PAIRS[pair], f"{raw[index]} {raw[index + 1]}"))
            skip = index + 1
            continue
        stem_pair = (root, stems[index + 1] if index + 1 < count else "")
        if stem_pair in _TOPIC_PAIRS:
            topics.add(_TOPIC_PAIRS[stem_pair])
            surface.append((_TOPIC_PAIRS[stem_pair], f"{raw[index]}-{raw[index + 1]}"))
            skip = index + 1
            continue
        if stem_pair in _PREDICATE_PAIRS:
            concept = _PREDICATE_PAIRS[stem_pair]
            predicates.add(concept)
            placed[index] = concept
            surface.append((concept[0], f"{raw[index]} {raw[index + 1]}"))
            skip = index + 1
            continue
        if word in _NATION and (raw[index][:1].isupper() or word in ("us", "un")):
            if word in ("us", "un") and not raw[index].isupper():
                pass  # the pronoun "us", never a country
            else:
                country = _NATION[word]
                _add_nation(country, previous, lower, index, actors, places)
                surface.append((country, raw[index]))
                continue
        if word in _CAPITAL and raw[index][:1].isupper():
            country = _CAPITAL[word]
            if previous in _PLACE_BEFORE or light_stem(following) in _VENUE:
                places.add(country)
            else:
                actors.add(country)
            surface.append((country, raw[index]))
            continue
        if word in _LEADERS and following in ("regime", "government", "forces", "troops"):
            actors.add(_LEADERS[word])
            surface.append((_LEADERS[word], f"{raw[index]} {raw[index + 1]}"))
        if word in _ARMED:
            actors.add("armed opposition")
            surface.append(("armed opposition", raw[index]))
            continue
        if word[:1].isdigit():
            continue  # read above, with its scale
        if word in NUMBER_WORDS:
            numbers.add(NUMBER_WORDS[word])
            surface.append((NUMBER_WORDS[word], raw[index]))
            unit = _unit_of(lower[index + 1 : index + 1 + _UNIT_REACH])
            if unit is not None:
                counts.add((unit, NUMBER_WORDS[word]))
                counted_at.append((unit, NUMBER_WORDS[word], index))
            continue
        capital = raw[index][:1].isupper() and index > 0 and not title_case
        meaning = None if capital or word in _NO_PREDICATE else _PREDICATES.get(root)
        if meaning is not None:
            predicates.add(meaning)
            placed[index] = meaning
            surface.append((meaning[0], raw[index]))
            continue
        topic = _TOPICS.get(root)
        if topic is not None:
            topics.add(topic)
            surface.append((topic, raw[index]))
            continue
        if capital and len(word) > 2 and word not in _COMMON_CAPITALS:
            # A name by its first letters: "Catalan" = "Catalonia", "Mohammad" = "Mohammed".
            name = root[:_NAME_PREFIX]
            actors.add(name)
            surface.append((name, raw[index]))
    if placed:
        predicates = _read_predicates(placed, lower, stems, negators)
    count_acts = frozenset(
        (unit, value, act)
        for unit, value, at in counted_at
        for act in _count_acts(placed, lower, at)
    )
    return Frame(
        frozenset(actors),
        frozenset(places),
        frozenset(predicates),
        frozenset(topics),
        frozenset(numbers),
        tuple(dates),
        negated,
        tuple(surface),
        frozenset(counts),
        count_acts,
        _speaker_names(raw, lower, stems, actors),
    )


# Reporting verbs, and the words a speaker's name may carry between it and the verb.
_REPORTING = frozenset("said says say told tells added adds stated announced".split())
_SPEAKER_TITLES = frozenset(
    "spokesman spokeswoman spokesperson official head chief minister director of the".split()
)


def _speaker_names(
    raw: Sequence[str], lower: Sequence[str], stems: Sequence[str], actors: Set[str]
) -> frozenset[str]:
    """The actor keys of the names next to a reporting verb: the capitalised words (and
    titles) right before it ("Agency spokesman Sutopo Purwo Nugroho told", "Turull said")
    or right after it ("said Jordi Turull", "according to Nugroho")."""
    found: set[str] = set()
    count = len(lower)
    for index, word in enumerate(lower):
        after = index + 1
        if word == "according" and after < count and lower[after] == "to":
            after += 1
        elif word not in _REPORTING:
            continue
        for step, start in ((-1, index - 1), (1, after)):
            at = start
            while 0 <= at < count:
                if raw[at][:1].isupper():
                    key = stems[at][:_NAME_PREFIX]
                    if key in actors:
                        found.add(key)
                elif lower[at] not in _SPEAKER_TITLES:
                    break
                at += step
    return frozenset(found)


# A figure counts those who do or undergo the predicates at most this many words away.
COUNT_ACT_REACH = 8


def _count_acts(
    placed: Mapping[int, tuple[str, bool]], lower: Sequence[str], at: int
) -> frozenset[str]:
    """The acts a figure at word `at` counts the doers or objects of: the families of the
    predicates within COUNT_ACT_REACH words ("six seamen were wounded", "fired on three
    ships", "24 sailors detained on board"), but a noun that is the figure's unit ("15,000
    votes": what is counted, not an act)."""
    return frozenset(
        family
        for index, (family, _) in placed.items()
        if abs(index - at) <= COUNT_ACT_REACH
        and not (at < index <= at + _UNIT_REACH and _is_unit(lower[index]))
    )


def _is_unit(word: str) -> bool:
    return word in _UNITS or light_stem(word) in _UNITS


# What a figure counts, by light stem of the noun after it (within _UNIT_REACH words):
# people, people in uniform, vessels, aircraft, votes. "" is anyone ("six wounded").
_UNITS: dict[str, str] = {
    **dict.fromkeys(
        """people person persons passenger civilian voter resident child children infant baby
        babi adult migrant refugee protester demonstrator student worker pilgrim tourist victim
        body bodi individual men women man woman casualti casualty""".split(),
        "people",
    ),
    **dict.fromkeys(
        """police policeman policemen officer guard soldier troop serviceman servicemen sailor
        seaman seamen marine crew crewmen crewman""".split(),
        "uniformed",
    ),
    **dict.fromkeys("ship vessel boat tugboat tug warship gunboat tanker".split(), "vessel"),
    **dict.fromkeys("plane jet aircraft helicopter drone airliner".split(), "aircraft"),
    **dict.fromkeys("vote ballot".split(), "vote"),
}
_UNIT_REACH = 4
# Words that end the search for what a figure counts ("risen to 844 after police fired").
_UNIT_STOP = frozenset(
    """after before when while as in on at to from with by for since during including than
    and or but that which who were was are is have has had be been said""".split()
)
# Families whose claims are counts (how many hurt, killed, held, aboard, voting).
_COUNTED = frozenset(("injure", "kill", "detain", "carry", "vote", "count", "release", "evacuate"))
# Two counts of one thing at most this many times apart are readings of one figure (2 vs 6
# wounded; 15,000 vs 50,000 uncounted votes); further apart they count different things.
COUNT_RATIO = 4.0
_ALIKE_ONLY = frozenset(("carry",))
# Words before a figure that make it a count even when capitalised ("All 189 on board").
_QUANTIFIERS = frozenset(
    "all about only nearly almost over some least just around roughly at up more than".split()
)


# Words between a figure and the counted act it is the subject of ("200 were injured").
_AUXILIARIES = frozenset("were was are is have has had been be being".split())


def _unit_of(following: Sequence[str]) -> str | None:
    """The class of what a figure counts, from the words after it; None when it counts
    nothing known (minutes, a model number)."""
    # "six wounded", "844 injured", "189 aboard", "189 on board", "200 were injured":
    # anyone, counted.
    verb = 0
    while verb < 2 and verb < len(following) and following[verb] in _AUXILIARIES:
        verb += 1
    if verb < len(following):
        root = light_stem(following[verb])
        second = light_stem(following[verb + 1]) if len(following) > verb + 1 else ""
        concept = _PREDICATES.get(root) or _PREDICATE_PAIRS.get((root, second))
        if concept is not None and concept[0] in _COUNTED:
            return ""
    for word in following:
        if word in _UNIT_STOP:
            return None
        unit = _UNITS.get(word) or _UNITS.get(light_stem(word))
        if unit is not None:
            return unit
    return None


def _digit_unit(text: str, start: int, end: int) -> str | None:
    """The class of what a written figure counts; None after a name ("Boeing 737",
    "Flight 610": a designation, not a count)."""
    before = text[max(0, start - 30) : start].split()
    if before:
        last = before[-1]
        if last[:1].isupper() and last.lower() not in _QUANTIFIERS:
            return None
    following = [m.group().lower() for m in _WORD_RE.finditer(text, end, end + 80)]
    return _unit_of(following[:_UNIT_REACH])


def _counted(a: Frame, b: Frame) -> tuple[str, str] | None:
    """Two counts of one thing for one act in two frames, that make one counted claim (hurt,
    killed, held, aboard ...): each figure counts those who do or undergo the same counted
    act ("six seamen were wounded", "two servicemen injured"; not "24 sailors detained"
    against "six seamen wounded"), of one class (or anyone), and they are close enough to be
    readings of one figure (see `_count_ratio`). The two figures' keys, or None."""
    if not (a.count_acts and b.count_acts and a.families & b.families & _COUNTED):
        return None
    for unit_a, x, act_a in sorted(a.count_acts):
        if act_a not in _COUNTED or x.endswith("%"):
            continue
        for unit_b, y, act_b in sorted(b.count_acts):
            if act_b != act_a or y.endswith("%"):
                continue
            if unit_a and unit_b and unit_a != unit_b and not _close_numbers(x, y):
                continue
            low, high = sorted((float(x), float(y)))
            if low > 0 and high <= _count_ratio(act_a) * low:
                return x, y
    return None


def _count_ratio(act: str) -> float:
    """How many times apart two counts of one act may be and still read as one figure."""
    if act in _ALIKE_ONLY:
        # How many were aboard describes a vehicle in any story (181 passengers, 108 on
        # board in an old crash): a count of it must be the same figure.
        return 1.0 + NUMBER_TOLERANCE
    return COUNT_RATIO


# Classes of counted things that may name the same ones ("23 people" / "24 sailors").
_KIND = {"people": "person", "uniformed": "person"}


def counts_clash(a: Frame, b: Frame) -> bool:
    """Whether two frames count different things for one act and nothing alike: "Russia
    seized three ships" and "Russia detained 24 sailors" are two claims (the same act on a
    different patient), however alike their actors."""
    for act in a.families & b.families & _COUNTED:
        units_a = {_KIND.get(unit, unit) for unit, _, done in a.count_acts if done == act and unit}
        units_b = {_KIND.get(unit, unit) for unit, _, done in b.count_acts if done == act and unit}
        if units_a and units_b and not units_a & units_b:
            return True
    return False


# Words whose light stem is a predicate's but that are none ("plane" is no plan).
_NO_PREDICATE = frozenset(("plane", "planes"))


def counted_families(frame: Frame) -> frozenset[str]:
    """The families of a frame's counted acts (hurt, killed, held, aboard ...)."""
    return frame.families & _COUNTED


# Verbs that refuse what follows them: "refused to attend" is not attending, "declined to
# accept" is rejecting (the refusal itself is no claim of its own then).
_REFUSALS = frozenset(("refus", "declin", "fail", "reluctant", "unwilling"))


# A negator ("not", "never", "n't") denies the predicate at most this many words after it:
# "were wounded ... but were not in a critical condition" still says they were wounded.
NEGATION_REACH = 4


def _read_predicates(
    placed: dict[int, tuple[str, bool]], lower: list[str], stems: list[str], negators: list[int]
) -> set[tuple[str, bool]]:
    """The sentence's predicates: "<refuse> to <predicate>" is the predicate refused, and a
    negator flips the first predicate within NEGATION_REACH words after it."""
    read = dict(placed)
    for index, (family, polarity) in placed.items():
        if index > 1 and lower[index - 1] == "to" and stems[index - 2] in _REFUSALS:
            read[index] = (family, not polarity)
            read.pop(index - 2, None)
    for negator in negators:
        for index in range(negator + 1, negator + 1 + NEGATION_REACH):
            if index in read:
                family, polarity = read[index]
                read[index] = (family, not polarity)
                break
    return set(read.values())


# Capitalised words that are no names (titles, months, days, sentence furniture).
_COMMON_CAPITALS = frozenset(
    """the this that these those however but and also after before on in at a an it its their
    president prime minister foreign minister spokesman spokeswoman official officials monday
    tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december crisis news""".split()
)


_NAME_PREFIX = 5
# Every word and light stem some table above knows (the rest can only be names).
_TABLE_WORDS = frozenset(
    {*_NEGATORS, *_NATION, *_CAPITAL, *_LEADERS, *_ARMED, *NUMBER_WORDS}
    | {first for first, _ in _PAIRS}
)
_TABLE_STEMS = frozenset(
    {*_PREDICATES, *_TOPICS}
    | {first for first, _ in _PREDICATE_PAIRS}
    | {first for first, _ in _TOPIC_PAIRS}
)


def _number_key(digits: str, scale: str | None) -> str | None:
    """A number as a key: its value, "%" after a percentage; None for a year."""
    plain = digits.replace(",", "")
    try:
        value = float(plain)
    except ValueError:
        return None
    unit = (scale or "").lower().replace(" ", "")
    if unit in ("%", "percent", "percent"):
        return f"{value:.6g}%" if math.isfinite(value) else None
    if not unit and plain.isdigit() and len(plain) == 4 and 1900 <= value <= 2100:
        return None
    value *= _SCALES.get(unit, 1.0)
    if not math.isfinite(value):
        return None
    return f"{value:.6g}"


def _close_numbers(x: str, y: str) -> bool:
    """Two number keys that read as one figure: both percentages or neither, within
    NUMBER_TOLERANCE of the larger."""
    if x.endswith("%") != y.endswith("%"):
        return False
    a, b = float(x.rstrip("%")), float(y.rstrip("%"))
    larger = max(abs(a), abs(b))
    return larger > 0 and abs(a - b) <= NUMBER_TOLERANCE * larger


def _figure(key: str) -> bool:
    """A number specific enough to tie two sentences to one fact: 10 or more, or a percent."""
    return key.endswith("%") or float(key) >= 10


def _add_nation(
    country: str,
    previous: str,
    lower: list[str],
    index: int,
    actors: set[str],
    places: set[str],
) -> None:
    """A country named: its government when a government word follows, a place after a
    preposition, otherwise the country as an actor."""
    following = lower[index + 1] if index + 1 < len(lower) else ""
    if following in _GOVERNMENT:
        actors.add(country)
    elif following in _ARMED or (following == "so-called"):
        return  # "Syrian rebels": the armed groups' nationality, not an actor of its own
    elif previous in _PLACE_BEFORE or previous in _CAPITAL:
        places.add(country)  # "in Syria", "Astana, Kazakhstan"
    else:
        actors.add(country)


@dataclass(frozen=True, slots=True)
class FrameMatch:
    """What two frames share, how much (in [0, 1]) and whether their predicates agree."""

    similarity: float
    families: frozenset[str]
    anchors: int
    # Whether the two sentences give dates at most date_gap days apart (one of the anchors).
    dated: bool
    # Whether they give one figure (10 or more, or a percentage), alike or close.
    figures: bool
    same_polarity: bool
    evidence: tuple[tuple[str, str], ...]
    # Whether they count one thing for one act, alike or not ("two servicemen injured",
    # "six of its seamen wounded"): see `_counted`.
    counted: bool = False
    # Whether they name different acts of force and no common one (rammed / fired on).
    clash: bool = False
    # Shared predicate families that are the background of both articles (see match_frames).
    background: frozenset[str] = frozenset()
    # How many of the anchors are names of who is quoted in either sentence (Frame.speakers).
    speaker_anchors: int = 0


def _close(x: DateValue, y: DateValue, gap: int) -> bool:
    days = day_gap(x, y)
    return days is not None and days <= gap


def key_weight(key: str) -> float:
    """How much a frame key says: generic actors and weak predicates half as much."""
    if key in _HALF_WEIGHT:
        return 0.5
    return 1.0


def match_frames(
    a: Frame,
    b: Frame,
    date_gap: int = 2,
    weight: Callable[[str], float] = key_weight,
    background: Set[str] = frozenset(),
) -> FrameMatch:
    """What two frames share; `weight(key)` weighs a shared key.

    Similarity is the weight of the shared keys over the weight of the smaller frame's keys
    (so a short headline can match a long sentence). Anchors count shared actors (but the
    generic "armed opposition"), places, numbers and dates close together (names and numbers
    tie a claim to one fact; predicates alone do not).

    background: keys ("actor:Spain", "predicate:vote") that run through both articles (the
    story's own actors and act, see `background_keys`): they weigh BACKGROUND_WEIGHT as much,
    anchor nothing and make no specific predicate, since every sentence of the story has them.
    """
    if background:
        plain = weight

        def weight(key: str) -> float:
            return plain(key) * (BACKGROUND_WEIGHT if key in background else 1.0)

    evidence: list[tuple[str, str]] = []
    shared_weight = 0.0
    anchors = 0
    speaker_anchors = 0
    speakers = a.speakers | b.speakers
    figures = False
    # A country named as an actor in one sentence and as a place in the other ("Astana
    # talks", "talks in Astana") is shared all the same, as a place.
    a_places, b_places = a.places | (a.actors & b.places), b.places | (b.actors & a.places)
    families = a.families & b.families
    # The story's own actors anchor a claim only with a specific act shared ("Russia seized"
    # / "Russia seizes"), never with the story's own act alone ("Spain" ... "vote").
    # The story's act denied on both sides ("there was no referendum") is a claim of its own.
    denied = {f for f, polarity in a.predicates & b.predicates if not polarity}
    quiet = frozenset(f for f in families if f"predicate:{f}" in background and f not in denied)
    specific = families - _WEAK_FAMILIES - quiet
    for category, mine, theirs in (
        ("actor", a.actors - a_places, b.actors - b_places),
        ("place", a_places, b_places),
        ("number", a.numbers, b.numbers),
    ):
        for key in sorted(mine & theirs):
            shared_weight += weight(f"{category}:{key}")
            anchor = key not in _GENERIC_ACTORS and (
                bool(specific) or f"{category}:{key}" not in background
            )
            anchors += anchor
            speaker_anchors += anchor and category == "actor" and key in speakers
            figures = figures or (category == "number" and _figure(key))
            evidence.append((category, _pair_text(a.words_for(key), b.words_for(key))))
    for x in sorted(a.numbers - b.numbers):
        close = [y for y in sorted(b.numbers - a.numbers) if _close_numbers(x, y)]
        if close:
            shared_weight += weight(f"number:{x}")
            anchors += 1
            figures = figures or _figure(x)
            evidence.append(("number", _pair_text(a.words_for(x), b.words_for(close[0]))))
    same_polarity = True
    for family in sorted(families):
        polarities_a = {p for f, p in a.predicates if f == family}
        polarities_b = {p for f, p in b.predicates if f == family}
        if not polarities_a & polarities_b:
            same_polarity = False
        shared_weight += weight(f"predicate:{family}")
        evidence.append(("predicate", _pair_text(a.words_for(family), b.words_for(family))))
    for topic in sorted(a.topics & b.topics):
        shared_weight += 0.5 * weight(f"topic:{topic}")
    dated = False
    for day in a.dates:
        if any(_close(day, other, date_gap) for other in b.dates):
            dated = True
            break
    if dated:
        shared_weight += weight("date")
        anchors += 1
        evidence.append(("date", "same day" if set(a.dates) & set(b.dates) else "days apart"))
    counted = _counted(a, b)
    if counted is None and figures and families & _COUNTED:
        counted = ("", "")  # one figure for one counted act ("risen to 844" / "844 hurt")
    if counted is not None and counted[0]:
        x, y = counted
        text = _pair_text(a.words_for(x), b.words_for(y))
        if ("number", text) not in evidence:
            evidence.append(("number", text))
    total = min(_frame_weight(a, weight), _frame_weight(b, weight))
    similarity = min(1.0, shared_weight / total) if total else 0.0
    return FrameMatch(
        round(similarity, 6),
        families,
        anchors,
        dated,
        figures,
        same_polarity,
        tuple(evidence),
        counted is not None,
        acts_clash(a, b) or counts_clash(a, b),
        quiet,
        speaker_anchors,
    )


# Acts of force that exclude each other as one fact ("attack" names any of them).
_ACTS = frozenset(("ram", "fire", "detain", "crash"))


def acts_clash(a: Frame, b: Frame) -> bool:
    """Whether two frames name acts of force and none in common: a ship rammed and ships
    fired on and seized are two facts, however alike their actors."""
    acts_a, acts_b = a.families & _ACTS, b.families & _ACTS
    return bool(acts_a and acts_b and not acts_a & acts_b)


# How much a background key weighs (against 1 for any other key).
BACKGROUND_WEIGHT = 0.5
# Categories of keys that can be background: numbers and dates never are (a figure repeated
# through a story is still the figure of the claim).
_BACKGROUND_CATEGORIES = ("actor:", "place:", "predicate:", "topic:")


def background_keys(
    counts: Sequence[tuple[Mapping[str, int], int]], share: float
) -> frozenset[str]:
    """The keys that run through every article given: for each article (key -> how many of
    its sentences hold it, its number of sentences), a key held by at least `share` of its
    sentences (and by two or more). "Spain" and "vote" in a story on the Catalan vote,
    "crash" in one on a plane crash: two sentences sharing them are not one claim yet."""
    found: set[str] | None = None
    for held, sentences in counts:
        least = max(2.0, share * sentences)
        mine = {
            key
            for key, count in held.items()
            if count >= least and key.startswith(_BACKGROUND_CATEGORIES)
        }
        found = mine if found is None else found & mine
    return frozenset(found or ())


def _frame_weight(frame: Frame, weight: Callable[[str], float]) -> float:
    total = sum(weight(f"actor:{key}") for key in frame.actors)
    total += sum(weight(f"place:{key}") for key in frame.places)
    total += sum(weight(f"number:{key}") for key in frame.numbers)
    total += sum(weight(f"predicate:{family}") for family in frame.families)
    total += sum(0.5 * weight(f"topic:{key}") for key in frame.topics)
    if frame.dates:
        total += weight("date")
    return total


def frame_keys(frame: Frame) -> set[str]:
    """The keys of a frame, as `match_frames` weighs them (for document frequencies)."""
    keys = {f"actor:{key}" for key in frame.actors}
    keys.update(f"place:{key}" for key in frame.places)
    keys.update(f"number:{key}" for key in frame.numbers)
    keys.update(f"predicate:{family}" for family in frame.families)
    keys.update(f"topic:{key}" for key in frame.topics)
    if frame.dates:
        keys.add("date")
    return keys


def may_share_act(a: Frame, b: Frame) -> bool:
    """Whether `match_frames(a, b, ...)` can have a strong family or count one thing, with
    any background: only when the frames share a predicate family that is not weak, or a
    counted one. A cheap test that rules most sentence pairs out before matching them."""
    shared = a.families & b.families
    return bool(shared - _WEAK_FAMILIES or shared & _COUNTED)


def strong_families(match: FrameMatch) -> frozenset[str]:
    """The shared predicate families specific enough to carry a claim."""
    return match.families - _WEAK_FAMILIES - match.background


_HALF_WEIGHT = frozenset(
    {f"actor:{key}" for key in _GENERIC_ACTORS} | {f"predicate:{key}" for key in _WEAK_FAMILIES}
)


def _pair_text(x: str, y: str) -> str:
    return x if x.lower() == y.lower() else f"{x} / {y}"


__all__ = [
    "BACKGROUND_WEIGHT",
    "COUNT_RATIO",
    "EMPTY",
    "NEGATION_REACH",
    "Frame",
    "FrameMatch",
    "acts_clash",
    "background_keys",
    "counted_families",
    "counts_clash",
    "frame_keys",
    "light_stem",
    "match_frames",
    "may_share_act",
    "sentence_frame",
    "strong_families",
]
