"""Passage groups: which passages of the shown articles carry the same thing. Groups are joined
over the links that *agree* (union-find, `engine.groups.group_links`), so a passage's tint is
shared by exactly the columns that carry it; if agreeing links would put both ends of a
differing link into one group, the second end is taken out of it, so two passages that say
different things never share a tint. Wire passages (a sentence more articles carry than the
engine links pair by pair, stored as `WirePassage` rows) join a group as by a "same words"
link, and such a group says how many published articles carry it ("carried by 312
articles"). Each member gets the links its hover card explains (at most COUNTERPARTS_SHOWN)."""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from ...models import PassageLink
from ..engine import Link, LinkGroup
from ..engine.groups import group_links
from .parts import Counterpart, Group, Member, _short

COUNTERPARTS_SHOWN = 4  # links explained on one passage's hover card, at most
# A copy of a wire sentence in a shown article: (sentence key, article id, start, end).
WireCopy = tuple[str, int, int, int]


def engine_links(rows: Iterable[PassageLink]) -> list[Link]:
    """Stored links as the engine's dataclasses (article ids as keys), word diffs dropped."""
    return [
        Link(
            r.kind,
            r.a_article_id,
            r.a_start,
            r.a_end,
            r.b_article_id,
            r.b_start,
            r.b_end,
            r.score,
            stance=r.stance,
            differs_by=tuple(r.differs_by or ()),
            shared=tuple(tuple(item) for item in r.shared or ()),
        )
        for r in rows
    ]


def _wire_links(wire: Sequence[WireCopy]) -> list[Link]:
    """A "same words" link from the first shown copy of each wire sentence to every other
    copy, so that the copies join one group (as if the articles were linked pairwise)."""
    copies: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for sentence, article_id, start, end in wire:
        copies[sentence].append((article_id, start, end))
    links = []
    for found in copies.values():
        found.sort()
        for other in found[1:]:
            (a, a_start, a_end), (b, b_start, b_end) = found[0], other
            if a != b:
                links.append(Link("verbatim", a, a_start, a_end, b, b_start, b_end, 1.0))
    return links


def _overlaps(span: tuple[int, int, int], key: int, start: int, end: int) -> bool:
    return span[0] == key and span[1] < end and start < span[2]


def _apart(found: Sequence[LinkGroup], differ: Sequence[PassageLink]) -> list[LinkGroup]:
    """Groups with no disagreement inside: a group holding both ends of a differing link loses
    the passage of the link's second end (groups left in one article are dropped)."""
    out = []
    for group in found:
        members = list(group.members)
        for link in differ:
            a = [m for m in members if _overlaps(m, link.a_article_id, link.a_start, link.a_end)]
            b = [m for m in members if _overlaps(m, link.b_article_id, link.b_start, link.b_end)]
            if a and b:
                members = [m for m in members if m not in b]
        if len({key for key, _, _ in members}) > 1:
            out.append(LinkGroup(tuple(members), group.kinds, group.link_count))
    return out


def _ordered_groups(found: Sequence[LinkGroup], order: list[int], bodies) -> list[Group]:
    """Groups numbered in reading order: by first column carrying them, then position."""
    rank = {article_id: i for i, article_id in enumerate(order)}

    def first(group: LinkGroup) -> tuple[int, int]:
        return min((rank[key], start) for key, start, _ in group.members)

    out = []
    for number, group in enumerate(sorted(found, key=first), start=1):
        key, start, end = min(group.members, key=lambda m: (rank[m[0]], m[1]))
        out.append(
            Group(
                number,
                group.kinds,
                list(group.members),
                sorted({k for k, _, _ in group.members}, key=rank.__getitem__),
                _short(bodies[key][start:end]),
            )
        )
    return out


class _Members:
    """Group members of each article, found by position."""

    def __init__(self, groups: Sequence[Group]) -> None:
        self.by_article: dict[int, list[Member]] = defaultdict(list)
        for group in groups:
            for key, start, end in group.members:
                self.by_article[key].append(Member(group, key, start, end))
        self.starts: dict[int, list[int]] = {}
        for key, members in self.by_article.items():
            members.sort(key=lambda m: m.start)
            self.starts[key] = [m.start for m in members]

    def at(self, key: int, start: int, end: int) -> Member | None:
        """The member of article `key` that holds the span (members of one article are apart)."""
        members = self.by_article.get(key, [])
        i = bisect_right(self.starts.get(key, []), start) - 1
        for member in members[max(i, 0) : i + 2]:
            if member.start < end and start < member.end:
                return member
        return None

    def all(self) -> Iterable[Member]:
        for members in self.by_article.values():
            yield from members


def page_groups(
    agree: Sequence[PassageLink],
    differ: Sequence[PassageLink],
    *,
    order: list[int],
    bodies: Mapping[int, str],
    labels: Mapping[int, str],
    wire: Sequence[WireCopy],
    carried: Mapping[str, int],
) -> tuple[list[Group], _Members]:
    """The groups in reading order, and their members with the links each one's card explains.

    order: the shown articles' ids in column order; bodies and labels: their bodies and short
    names by id; wire and carried as `build_page` takes them."""
    wire_links = _wire_links(wire)
    groups = _ordered_groups(
        _apart(group_links([*engine_links(agree), *wire_links]), differ), order, bodies
    )
    _set_carried_by(groups, wire, carried)
    members = _Members(groups)
    shown_copies: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for sentence, article_id, start, end in wire:
        shown_copies[sentence].append((article_id, start, end))
    for copies in shown_copies.values():
        for key, start, end in copies:
            member = members.at(key, start, end)
            for other in dict.fromkeys(k for k, _, _ in copies if k != key):
                if member is None:
                    break
                if len(member.counterparts) < COUNTERPARTS_SHOWN:
                    member.counterparts.append(Counterpart(labels[other], "verbatim", 1.0, []))
                else:
                    member.more += 1
    for link in agree:
        for key, start, end, other in (
            (link.a_article_id, link.a_start, link.a_end, link.b_article_id),
            (link.b_article_id, link.b_start, link.b_end, link.a_article_id),
        ):
            member = members.at(key, start, end)
            if member is None:
                continue
            if len(member.counterparts) < COUNTERPARTS_SHOWN:
                shared = [(str(c), str(t)) for c, t in (tuple(x) for x in link.shared or ())]
                member.counterparts.append(
                    Counterpart(labels[other], link.kind, link.score, shared)
                )
            else:
                member.more += 1
    return groups, members


def _set_carried_by(
    groups: Sequence[Group], wire: Sequence[WireCopy], carried: Mapping[str, int]
) -> None:
    """A group over a wire passage is carried by as many articles as its most carried one."""
    by_article: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for sentence, article_id, start, end in wire:
        by_article[article_id].append((start, end, sentence))
    for group in groups:
        counts = [
            carried[sentence]
            for key, start, end in group.members
            for w_start, w_end, sentence in by_article.get(key, ())
            if w_start < end and start < w_end and sentence in carried
        ]
        if counts:
            group.carried_by = max(counts)
