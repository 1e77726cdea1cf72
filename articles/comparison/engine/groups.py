"""Passage groups: linked passages joined across all articles with union-find."""

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


def group_links(links: Iterable[Link]) -> tuple[LinkGroup, ...]:
    """Join the two ends of each link, and overlapping passages of one article, into groups."""
    links = list(links)
    ends: list[tuple[str, int, int]] = []
    for link in links:
        ends.append((link.a_key, link.a_start, link.a_end))
        ends.append((link.b_key, link.b_start, link.b_end))
    sets = UnionFind(len(ends))
    for index in range(len(links)):
        sets.union(2 * index, 2 * index + 1)
    by_article: dict[str, list[int]] = {}
    for index, (key, _, _) in enumerate(ends):
        by_article.setdefault(key, []).append(index)
    for indices in by_article.values():
        indices.sort(key=lambda i: (ends[i][1], ends[i][2]))
        reach, holder = -1, -1
        for i in indices:
            _, start, end = ends[i]
            if start < reach:
                sets.union(holder, i)
            if end > reach:
                reach, holder = end, i
    members: dict[int, dict[str, list[tuple[int, int]]]] = {}
    kinds: dict[int, set[LinkKind]] = {}
    counts: dict[int, int] = {}
    for index, (key, start, end) in enumerate(ends):
        root = sets.find(index)
        members.setdefault(root, {}).setdefault(key, []).append((start, end))
    for index, link in enumerate(links):
        root = sets.find(2 * index)
        kinds.setdefault(root, set()).add(link.kind)
        counts[root] = counts.get(root, 0) + 1
    groups = []
    for root, spans in members.items():
        merged: list[tuple[str, int, int]] = []
        for key in sorted(spans):
            current: list[list[int]] = []
            for start, end in sorted(spans[key]):
                if current and start < current[-1][1]:
                    current[-1][1] = max(current[-1][1], end)
                else:
                    current.append([start, end])
            merged.extend((key, start, end) for start, end in current)
        order = ("verbatim", "near", "paraphrase")
        groups.append(
            LinkGroup(tuple(merged), tuple(k for k in order if k in kinds[root]), counts[root])
        )
    groups.sort(key=lambda group: group.members)
    return tuple(groups)
