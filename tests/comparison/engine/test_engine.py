"""Behaviour of the comparison engine on the seeds and on small hand-made corpora."""

import ast
from pathlib import Path

import pytest

from articles.comparison import engine
from articles.comparison.engine import (
    DEFAULT_LEXICON,
    Config,
    CorpusIndex,
    Term,
    boilerplate_spans,
    compare,
    match_key,
)

from .gold import seed_bodies

# Site text that followed the articles in the raw seed files (002 and 003).
COMMENTS = """Notify of
Newest Most Voted
Inline Feedbacks
View all comments
Kim Jong
Good news. Headchopping foreign terrorist gangs should not be allowed to participate in Syrias \
future. They dont have to meet with Russian diplomats, they have to meet with Russian bullets.
Douglas Houck
A lot of posturing from the various sides and a lot of information from TASS on all of this.
Would love your thoughts, please comment.x"""
LICENCE = (
    "Attribution-NonCommercial 2.0 Generic Flickr: Christiaan Triebert\n\n"
    "All of our work unless otherwise noted is licensed under a Creative Commons "
    "Attribution-NonCommercial-ShareAlike 4.0 International License.\n\nComments are closed."
)
# Reader comments without any comment-section marker: only the too-common drop can stop them.
BARE_COMMENT = (
    "Exactly!! These talks are kinda pointless, ISIS and the others aren't interested in any "
    "kind of peace or ceasefire, but neither are the SAA, because they won't rest until they've "
    "completely taken back THEIR country!"
)


@pytest.fixture(scope="module")
def bodies() -> dict[str, str]:
    return seed_bodies()


@pytest.fixture(scope="module")
def seeds(bodies):
    return compare(bodies)


def _text(bodies, key, start, end):
    return bodies[key][start:end]


def test_package_imports_no_django():
    paths = sorted(Path(engine.__file__).parent.glob("*.py"))
    assert len(paths) > 5, paths  # the package's modules, wherever pytest runs from
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(name.split(".")[0] == "django" for name in names), path


def test_one_quote_sentence_links_to_two_sentences(bodies, seeds):
    """004 merges into one sentence two quotes that 001 gives separately."""
    merged = bodies["004"].index("“The factions will go")
    merged_end = bodies["004"].index("guarantor.”") + len("guarantor.”")
    linked = [
        link
        for link in seeds.links_for("004")
        if link.a_key == "001" and merged <= link.b_start and link.b_end <= merged_end
    ]
    texts = sorted(_text(bodies, "001", link.a_start, link.a_end) for link in linked)
    assert len(texts) == 2
    assert texts[0].startswith("The factions will go and the first thing they will discuss")
    assert texts[1] == "This will be a test for the Russians as the guarantor"
    verbatim = next(link for link in linked if link.kind == "verbatim")
    assert _text(bodies, "004", verbatim.b_start, verbatim.b_end) == texts[1]


def test_near_link_keeps_word_differences(bodies, seeds):
    link = next(
        link
        for link in seeds.links
        if "Malahifji" in _text(bodies, link.a_key, link.a_start, link.a_end)
        and link.kind == "near"
    )
    ops = {(op.op, op.a_text, op.b_text) for op in link.word_diff}
    assert ("replace", "rebel group", "Kama Umirt Union") in ops
    assert ("delete", "the", "") in ops


def test_ceasefire_date_discrepancy(seeds):
    dates = [d for d in seeds.differences if d.kind == "date"]
    assert [(d.a_key, d.a_text, d.b_key, d.b_text) for d in dates] == [
        ("001", "29 December 2016", "004", "December 30, 2016")
    ]
    assert dates[0].link_kind == "paraphrase"


def test_groups_join_linked_passages(seeds):
    quote = next(
        group
        for group in seeds.groups
        if "verbatim" in group.kinds and group.keys == ("001", "004")
    )
    assert quote.link_count >= 1
    assert {key for key, _, _ in quote.members} == {"001", "004"}
    # Every passage of an agreeing link is in exactly one group (a passage only linked by
    # links whose passages differ is in none: groups hold passages that say the same thing).
    agreeing = [link for link in seeds.links if link.stance == "agree"]
    ends = {(link.a_key, link.a_start, link.a_end) for link in agreeing}
    ends |= {(link.b_key, link.b_start, link.b_end) for link in agreeing}
    for key, start, end in ends:
        holders = [
            g
            for g in seeds.groups
            if any(k == key and s <= start and end <= e for k, s, e in g.members)
        ]
        assert len(holders) == 1


def test_spans_are_exact_despite_typography():
    a = "Intro.\n\n“The factions will go and the first thing they will discuss,” he said."
    b = 'Other.\n\n"THE FACTIONS  will\u00a0go and the ﬁrst thing they will discuss" – said he.'
    (link,) = compare({"a": a, "b": b}).links
    assert link.kind == "verbatim"
    assert (
        a[link.a_start : link.a_end] == "The factions will go and the first thing they will discuss"
    )
    assert (
        b[link.b_start : link.b_end]
        == "THE FACTIONS  will\u00a0go and the ﬁrst thing they will discuss"
    )
    assert match_key(a[link.a_start : link.a_end]) == match_key(b[link.b_start : link.b_end])


def _links_touching(comparison, bodies, key, start):
    return [
        link
        for link in comparison.links
        if (link.a_key == key and link.a_end > start) or (link.b_key == key and link.b_end > start)
    ]


def test_comment_sections_and_licence_lines_never_link(bodies):
    fed = dict(bodies)
    fed["001"] = bodies["001"] + "\n\n" + COMMENTS
    fed["003"] = bodies["003"] + "\n\n" + COMMENTS
    fed["000"] = bodies["000"] + "\n\n" + LICENCE
    fed["002"] = bodies["002"] + "\n\n" + LICENCE
    comparison = compare(fed)
    for key in fed:
        assert _links_touching(comparison, fed, key, len(bodies[key])) == []
    assert comparison.links == compare(bodies).links
    assert boilerplate_spans(fed["001"]) == [(len(bodies["001"]) + 2, len(fed["001"]))]


def test_what_one_outlet_repeats_is_its_boilerplate(bodies):
    """A line one outlet appends to its articles links nothing; many outlets carrying the same
    text is shared text (see test_candidates.py for the wire cluster)."""
    fillers = {f"x{i}": f"Unrelated story number {i} about weather in town {i}." for i in range(3)}
    corpus = {**bodies, **fillers}
    fed = {key: body + "\n\n" + BARE_COMMENT for key, body in corpus.items()}
    same_outlet = compare(fed, outlets=dict.fromkeys(fed, "one outlet"))
    for key in fed:
        assert _links_touching(same_outlet, fed, key, len(corpus[key])) == []
    # Carried by two articles of different outlets, the same text is a shared passage.
    two = {"a": corpus["x0"] + "\n\n" + BARE_COMMENT, "b": corpus["x1"] + "\n\n" + BARE_COMMENT}
    assert compare(two).links
    assert compare(two, outlets={"a": "one", "b": "two"}).links


def test_framing_counts_in_context(seeds, bodies):
    counts = {key: framing.counts for key, framing in seeds.framing.items()}
    assert "regime" not in counts["000"]["government"]  # "a ceasefire regime in Syria"
    assert counts["000"]["government"]["Syrian government"] == 2
    assert counts["001"]["government"]["Assad regime"] == 6
    assert counts["002"]["government"] == {"Damascus": 1, "Syrian regime": 1}
    assert "Damascus" not in counts["004"]["government"]  # "the capital, Damascus" is a place
    assert counts["004"]["armed groups"]["so-called"] == 2
    hit = next(h for h in seeds.framing["002"].hits if h.term == "Damascus")
    assert "blaming Moscow and Damascus" in hit.snippet
    assert bodies["002"][hit.snippet_start : hit.snippet_end] == hit.snippet
    assert set(DEFAULT_LEXICON) == {"armed groups", "government"}


def test_custom_lexicon_and_context_rules():
    lexicon = {"truce": ("truce", Term("ceasefire", not_before=("violations",)))}
    body = "The ceasefire held. Ceasefire violations were reported. The truce, the ceasefire."
    framing = compare({"a": body}, lexicon=lexicon).framing["a"]
    assert framing.counts == {"truce": {"ceasefire": 2, "truce": 1}}
    assert framing.total("truce") == 3


def test_attributions(seeds):
    def found(key):
        return {(a.verb, a.source, a.via) for a in seeds.attributions[key]}

    assert ("told", "Alloush", "AFP news agency") in found("001")
    assert ("quoted", "Osama Abu Zaid", "Reuters") in found("002")
    assert ("according to", "Reuters", None) in found("002")
    assert ("reported", "Sputnik", None) in found("000")
    assert ("said", "Mohammad Alloush", None) in found("004")
    assert ("said", "an official in a Free Syrian Army (FSA) rebel group", None) in found("001")
    told = next(a for a in seeds.attributions["000"] if a.via == "Sputnik")
    assert (told.source, told.resolved_source) == ("he", "Danny Makki")
    assert not any(a.verb == "announced" for a in seeds.attributions["001"])  # "third announced"


def test_incremental_index(bodies):
    index = CorpusIndex()
    for key in ("000", "001", "002"):
        index.add(key, bodies[key])
    assert not any(link.b_key == "004" for link in index.links())
    index.add("004", bodies["004"])
    assert index.links_for("004") == compare(
        {k: bodies[k] for k in ("000", "001", "002", "004")}
    ).links_for("004")
    index.add("004", "A different body now.")
    assert index.links_for("004") == ()
    index.remove("004")
    assert "004" not in index
    assert len(index) == 3
    with pytest.raises(KeyError):
        index.remove("004")


def test_candidates_come_from_the_index(bodies):
    # A stock sentence held by more articles than max_df makes no candidate pair.
    unrelated = {
        f"u{i}": f"Completely separate item {i} on football and music {i}." for i in range(30)
    }
    assert len(unrelated) > Config().max_df(len(bodies) + len(unrelated))
    index = CorpusIndex.from_bodies({**bodies, **unrelated})
    assert index.pairs_compared < 10 + len(unrelated)  # far fewer than the 595 pairs
    assert all(not a.startswith("u") for a, _ in index.candidate_pairs())


def test_relative_dates_are_read_from_the_last_date_written_out():
    """'A day earlier' after 'On December 31' dates its sentence December 30."""
    from articles.comparison.engine.dates import article_dates
    from articles.comparison.engine.document import prepare

    body = (
        "On December 31, the council adopted a resolution. "
        "A day earlier, on Friday, a ceasefire came into force. "
        "Talks begin on 23 January 2017. Two days later the delegations left. "
        "The next day nothing happened."
    )
    dates = article_dates(prepare("a", body, (3, 5)))
    assert dates == [
        [(None, 12, 31)],
        [(None, 12, 30)],
        [(2017, 1, 23)],
        [(2017, 1, 25)],
        [(2017, 1, 24)],
    ]
