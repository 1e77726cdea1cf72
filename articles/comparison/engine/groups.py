"""Passage groups: passages that agree, joined across all articles with union-find; passages
that differ are never in one group."""

from __future__ import annotations

from collections.abc import Iterable

from .results import Link, LinkGroup, LinkKind


class UnionFind:
    """Disjoint sets over 0..n-1 with path halving and union by size."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))
        self.size = [1] * size

    def find(self, item: int) -> int:
        """The representative of the set holding `item`."""
        parent = self.parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(self, first: int, second: int) -> None:
        """Merge the sets holding `first` and `second`."""
        x, y = self.find(first), self.find(second)
        if x == y:
            return
        if self.size[x] < self.size[y]:
            x, y = y, x
        self.parent[y] = x
        self.size[x] += self.size[y]


_KIND_ORDER = {"verbatim": 0, "near": 1, "paraphrase": 2}


def group_links(links: Iterable[Link]) -> tuple[LinkGroup, ...]:
    """Join the two ends of each agreeing link, and overlapping passages of one article, into
    groups: passages that carry one statement.

    Links whose passages differ join nothing, and a group never holds both ends of one: the
    joins are made strongest first (overlapping passages, then verbatim, near and paraphrase
    links, each by score), and a join that would put the two ends of a differing link into
    one group is left out. So when A agrees with B, B with C, and A differs from C, the
    weaker of the two agreeing links is the one left out, and A and C are in different
    groups. A differing link's ends that agree with nothing form no group.
    """
    links = list(links)
    ends: list[tuple[str, int, int]] = []
    for link in links:
        ends.append((link.a_key, link.a_start, link.a_end))
        ends.append((link.b_key, link.b_start, link.b_end))
    # Joins to make: (rank, -score, order, first end, second end).
    joins: list[tuple[int, float, int, int, int]] = []
    apart: list[tuple[int, int]] = []
    for index, link in enumerate(links):
        if link.stance == "differ":
            apart.append((2 * index, 2 * index + 1))
        else:
            rank = 1 + _KIND_ORDER.get(link.kind, 3)
            joins.append((rank, -link.score, index, 2 * index, 2 * index + 1))
    by_article: dict[str, list[int]] = {}
    for index, (key, _, _) in enumerate(ends):
        by_article.setdefault(key, []).append(index)
    order = len(links)
    for indices in by_article.values():
        indices.sort(key=lambda i: (ends[i][1], ends[i][2], i))
        reach, holder = -1, -1
        for i in indices:
            _, start, end = ends[i]
            if start < reach:
                joins.append((0, 0.0, order, holder, i))
                order += 1
            if end > reach:
                reach, holder = end, i
    joins.sort()
    sets = UnionFind(len(ends))
    # For each set's root, the roots of the sets it must never join (kept roots: when two
    # sets merge, their enemies are told the new root instead of the two old ones).
    enemies: dict[int, set[int]] = {}
    for first, second in apart:
        enemies.setdefault(first, set()).add(second)
        enemies.setdefault(second, set()).add(first)
    for _, _, _, first, second in joins:
        x, y = sets.find(first), sets.find(second)
        if x == y or y in enemies.get(x, ()):
            continue
        sets.union(x, y)
        root = sets.find(x)
        gone = y if root == x else x
        moved = enemies.pop(gone, None)
        if moved:
            # The root's own enemies know it already; those of the other set learn it.
            for other in moved:
                theirs = enemies[other]
                theirs.discard(gone)
                theirs.add(root)
            enemies.setdefault(root, set()).update(moved)
    members: dict[int, dict[str, list[tuple[int, int]]]] = {}
    kinds: dict[int, set[LinkKind]] = {}
    counts: dict[int, int] = {}
    for index, link in enumerate(links):
        if link.stance == "differ":
            continue
        root = sets.find(2 * index)
        if root != sets.find(2 * index + 1):
            continue  # a join left out: its passages are in two groups
        kinds.setdefault(root, set()).add(link.kind)
        counts[root] = counts.get(root, 0) + 1
    for index, (key, start, end) in enumerate(ends):
        root = sets.find(index)
        if root in counts:
            members.setdefault(root, {}).setdefault(key, []).append((start, end))
    groups = []
    for root, spans in members.items():
        merged_spans: list[tuple[str, int, int]] = []
        for key in sorted(spans):
            current: list[list[int]] = []
            for start, end in sorted(spans[key]):
                if current and start < current[-1][1]:
                    current[-1][1] = max(current[-1][1], end)
                else:
                    current.append([start, end])
            merged_spans.extend((key, start, end) for start, end in current)
        kind_order = ("verbatim", "near", "paraphrase")
        groups.append(
            LinkGroup(
                tuple(merged_spans),
                tuple(k for k in kind_order if k in kinds[root]),
                counts[root],
            )
        )
    groups.sort(key=lambda group: group.members)
    return tuple(groups)
