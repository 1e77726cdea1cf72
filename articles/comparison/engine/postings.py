"""Postings: which articles hold each n-gram hash.

Most n-grams of a corpus occur in one article only: those map to its key. An n-gram held by
two or more articles moves to another map, hash -> a tuple of keys (a set when many); only
those can link articles or be too common, so candidate pairs and changes of status are
looked for there alone.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

SMALL_HOLDERS = 8  # up to this many holders are kept in a tuple, beyond it in a set

Holders = tuple[str, ...] | set[str]


class Postings:
    """For each n-gram size, the articles holding each n-gram hash, and document frequencies."""

    def __init__(self, sizes: tuple[int, ...], floor: int) -> None:
        self.floor = floor
        self._single: dict[int, dict[int, str]] = {n: {} for n in sizes}
        self._shared: dict[int, dict[int, Holders]] = {n: {} for n in sizes}
        # n-grams held by more than `floor` articles: the only ones that can be too common.
        self.hot: dict[int, set[int]] = {n: set() for n in sizes}

    def __len__(self) -> int:
        return sum(len(single) for single in self._single.values()) + sum(
            len(shared) for shared in self._shared.values()
        )

    def add(self, key: str, grams: Mapping[int, set[int]]) -> None:
        """Count an article's distinct n-gram hashes (by size)."""
        for n, sized in grams.items():
            shared, single, hot = self._shared[n], self._single[n], self.hot[n]
            held = sized & shared.keys()
            rest = sized - held
            now_shared = rest & single.keys()
            single.update(dict.fromkeys(rest - now_shared, key))
            for g in now_shared:
                shared[g] = (single.pop(g), key)
            if self.floor < 2:
                hot.update(now_shared)
            for g in held:
                holders = shared[g]
                if isinstance(holders, tuple):
                    if len(holders) < SMALL_HOLDERS:
                        holders = shared[g] = (*holders, key)
                    else:
                        holders = shared[g] = {*holders, key}
                else:
                    holders.add(key)
                if len(holders) > self.floor:
                    hot.add(g)

    def remove(self, key: str, grams: Mapping[int, set[int]]) -> None:
        """Stop counting an article; `grams` must be the hashes it was added with."""
        for n, sized in grams.items():
            shared, single, hot = self._shared[n], self._single[n], self.hot[n]
            held = sized & shared.keys()
            for g in sized - held:
                del single[g]
            for g in held:
                holders = shared[g]
                rest: Holders
                if isinstance(holders, tuple):
                    rest = tuple(k for k in holders if k != key)
                else:
                    holders.discard(key)
                    rest = tuple(sorted(holders)) if len(holders) <= SMALL_HOLDERS else holders
                if len(rest) == 1:
                    del shared[g]
                    single[g] = next(iter(rest))
                else:
                    shared[g] = rest
                if len(rest) <= self.floor:
                    hot.discard(g)

    def df(self, n: int, gram: int) -> int:
        """In how many articles an n-gram occurs."""
        holders = self._shared[n].get(gram)
        if holders is not None:
            return len(holders)
        return 1 if gram in self._single[n] else 0

    def holders(self, n: int, gram: int) -> set[str]:
        """The articles holding an n-gram."""
        holders = self._shared[n].get(gram)
        if holders is not None:
            return set(holders)
        holder = self._single[n].get(gram)
        return set() if holder is None else {holder}

    def shared(self, n: int) -> dict[int, Holders]:
        """The n-grams of size n held by two articles or more, with their holders."""
        return self._shared[n]

    def items(self) -> Iterator[tuple[int, dict[int, Holders]]]:
        """(size, shared n-grams) for each size."""
        return iter(self._shared.items())
