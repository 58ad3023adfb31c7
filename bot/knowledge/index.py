"""The in-memory drama name index: exact, prefix, substring and fuzzy lookups without SQL.

Only drama *names* live here (titles, Korean titles, aliases: a few hundred thousand short keys at
100,000 dramas, ~40 MB); people, credits and facts stay in SQLite behind indexes.

* exact: ``bisect`` on the sorted key list;
* prefix: the contiguous range of keys starting with what was typed;
* substring: ``str.find`` over one newline-joined blob of all keys ("runner" -> "lovelyrunner");
* fuzzy: rapidfuzz over *blocks* of candidates — keys sharing the first 3 characters, or (via the
  reversed keys) the last 3 characters — so a single typo anywhere still finds its title while each
  lookup scores hundreds of keys, not hundreds of thousands. Small catalogs are scored in full.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable

from rapidfuzz import fuzz, process

FULL_SCAN_LIMIT = 2_000    # below this many keys, fuzzy search scores every key
BLOCK_LIMIT = 4_000        # a prefix block larger than this is narrowed with a longer prefix
_END = "\U0010ffff"


class NameIndex:
    """Sorted normalised keys -> drama ids."""

    def __init__(self, pairs: Iterable[tuple]) -> None:
        """``pairs``: (key, drama id) or (key, drama id, kind) with kind "title" | "korean" | "alias"."""
        items = sorted((p[0], p[1], 0 if len(p) < 3 or p[2] == "title" else 1) for p in pairs if p[0])
        self.keys: list[str] = [k for k, _, _ in items]
        self.ids = array("q", (i for _, i, _ in items))
        self.alias = bytearray(a for _, _, a in items)  # 0: the drama's own title
        ritems = sorted(range(len(self.keys)), key=lambda n: self.keys[n][::-1])
        self.rkeys: list[str] = [self.keys[n][::-1] for n in ritems]
        self.rpos = array("q", ritems)
        self.blob = "\n".join(self.keys)
        offsets = array("q")
        pos = 0
        for key in self.keys:
            offsets.append(pos)
            pos += len(key) + 1
        self.offsets = offsets
        self.drama_count = len(set(self.ids)) if len(self.ids) < 50_000 else -1

    def __len__(self) -> int:
        return len(self.keys)

    # ---------------------------------------------------------------- exact / prefix
    def exact(self, key: str) -> list[int]:
        lo = bisect_left(self.keys, key)
        hi = bisect_right(self.keys, key, lo)
        return list(dict.fromkeys(self.ids[lo:hi]))

    def _range(self, keys: list[str], prefix: str) -> tuple[int, int]:
        lo = bisect_left(keys, prefix)
        return lo, bisect_left(keys, prefix + _END, lo)

    def prefix(self, prefix: str, limit: int = 25) -> list[tuple[str, int]]:
        """Keys starting with ``prefix``, shortest first (so "w" offers "W" before "Welcome to ...")."""
        lo, hi = self._range(self.keys, prefix)
        span = [(self.keys[n], self.ids[n]) for n in range(lo, min(hi, lo + 2000))]
        span.sort(key=lambda kv: len(kv[0]))
        return span[:limit]

    def substring(self, fragment: str, limit: int = 25) -> list[tuple[str, int]]:
        out: list[tuple[str, int]] = []
        if not fragment:
            return out
        start = 0
        while len(out) < limit:
            hit = self.blob.find(fragment, start)
            if hit < 0:
                break
            n = bisect_right(self.offsets, hit) - 1
            out.append((self.keys[n], self.ids[n]))
            start = self.offsets[n + 1] if n + 1 < len(self.offsets) else len(self.blob)
        return out

    # ---------------------------------------------------------------- fuzzy
    def _block(self, keys: list[str], key: str) -> tuple[int, int]:
        size = 3
        lo, hi = self._range(keys, key[:size])
        while hi - lo > BLOCK_LIMIT and size < len(key):
            size += 2
            lo, hi = self._range(keys, key[:size])
        return lo, hi

    def candidates(self, key: str) -> list[int]:
        """Positions (into ``keys``) worth scoring against ``key``."""
        if len(self.keys) <= FULL_SCAN_LIMIT:
            return list(range(len(self.keys)))
        lo, hi = self._block(self.keys, key)
        positions = list(range(lo, min(hi, lo + BLOCK_LIMIT)))
        rlo, rhi = self._block(self.rkeys, key[::-1])
        positions.extend(self.rpos[rlo:min(rhi, rlo + BLOCK_LIMIT)])
        return positions

    def fuzzy(self, key: str, *, limit: int = 5, cutoff: float = 60) -> list[tuple[float, str, int]]:
        """Best (score, key, drama id) for ``key``, one entry per drama, best first."""
        if not key or not self.keys:
            return []
        positions = self.candidates(key)
        if len(positions) == len(self.keys):
            choices: list[str] | dict[int, str] = self.keys
        else:
            choices = {p: self.keys[p] for p in positions}
        found = process.extract(key, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=limit * 4,
                                processor=None)
        # on equal scores a drama's own title beats another drama's alias ("You Are My Destiny")
        found.sort(key=lambda f: (-f[1], self.alias[f[2]]))
        out: list[tuple[float, str, int]] = []
        seen: set[int] = set()
        for choice, score, pos in found:
            drama_id = self.ids[pos]
            if drama_id in seen:
                continue
            seen.add(drama_id)
            out.append((score, choice, drama_id))
            if len(out) >= limit:
                break
        return out
