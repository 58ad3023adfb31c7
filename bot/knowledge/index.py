"""The in-memory drama name index: exact, prefix, substring and fuzzy lookups without SQL.

Only drama *names* live here (titles, Korean titles, aliases: a few hundred thousand short keys at
100,000 dramas); people, credits and facts stay in SQLite behind indexes. To stay small the keys are
not kept as separate Python strings: they sit sorted, newline-separated, in ONE string (``blob``)
with an array of offsets, so 200,000 keys cost about 6 MB.

* exact / prefix: binary search over the sorted blob;
* substring: ``str.find`` over the blob ("runner" -> "lovelyrunner");
* fuzzy: rapidfuzz over *blocks* of candidates — keys sharing the first 3 characters (a contiguous
  range), or the last 4 (a small position array per suffix) — so a single typo anywhere still finds
  its title while each lookup scores hundreds of keys, not hundreds of thousands. Small catalogs are
  scored in full.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from itertools import accumulate, repeat
from operator import add

from rapidfuzz import fuzz, process

from bot.catalog.names import norm
from bot.knowledge.romanize import has_hangul_key, romanized_keys

FULL_SCAN_LIMIT = 2_000    # below this many keys, fuzzy search scores every key
BLOCK_LIMIT = 4_000        # a prefix block larger than this is narrowed with a longer prefix
SUFFIX = 4
BLOCK_CACHE_KEYS = 50_000  # prefix blocks kept for fuzzy search, in keys (a few MB at most)
BLOOM_SHIFT = 32           # the second Bloom bit comes from the hash's high half
_END = "\U0010ffff"


class _Keys:
    """The sorted keys as a read-only sequence over the blob (what ``bisect`` needs)."""

    __slots__ = ("blob", "offsets")

    def __init__(self, blob: str, offsets: array) -> None:
        self.blob = blob
        self.offsets = offsets

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, n: int) -> str:
        return self.blob[self.offsets[n]:self.offsets[n + 1] - 1]


class NameIndex:
    """Sorted normalised keys -> drama ids."""

    def __init__(self, pairs: Iterable[tuple] = ()) -> None:
        """``pairs``: (key, drama id) or (key, drama id, kind), in any order; kind "title" | "korean" | "alias"."""
        rows = sorted((p[0], p[1], p[2] if len(p) > 2 else "title") for p in pairs if p[0])
        self._start()
        self.extend(rows)
        self.finish()

    @classmethod
    def builder(cls) -> NameIndex:
        """An empty index to fill with :meth:`extend` (rows already sorted by key), then :meth:`finish`."""
        index = cls.__new__(cls)
        index._start()
        return index

    def _start(self) -> None:
        self._parts: list[str] | None = []
        self.ids = array("q")
        self.alias = bytearray()          # 0: the drama's own title, 1: another name
        self.offsets = array("q", [0])
        self._pos = 0
        self._extra: list[tuple[str, int]] = []   # romanised keys of Hangul names, merged in by finish()
        self._heads: list[tuple[str, int]] = []   # titles before their colon, merged in when unambiguous

    def extend(self, rows: Iterable[tuple]) -> None:
        parts = self._parts
        assert parts is not None, "index already finished"
        for row in rows:
            key, drama_id, kind = row[0], row[1], row[2]
            if not key:
                continue
            if kind == "title" and len(row) > 3 and ":" in (row[3] or ""):
                # "Arthdal Chronicles Part 2: The Sky ..." is also typed as "Arthdal Chronicles Part 2"
                head = row[3].split(":", 1)[0]
                if len(head.split()) >= 2 and norm(head) not in ("", key):
                    self._heads.append((norm(head), drama_id))
            if len(row) > 3 and ":" in (row[3] or ""):
                # "Sseulsseulhago Chalranhashin: Dokkaebi": one distinctive word after the colon is what fans
                # (and the romanised Hangul "도깨비") call it; kept only when no other name has it
                tail = row[3].rsplit(":", 1)[1].strip()
                if len(tail.split()) == 1 and len(norm(tail)) >= 6 and not norm(tail).isdigit():
                    self._heads.append((norm(tail), drama_id))
            parts.append(key)
            self.ids.append(drama_id)
            self.alias.append(0 if kind == "title" else 1)
            self._pos += len(key) + 1
            self.offsets.append(self._pos)
            if not key.isascii() and has_hangul_key(key):
                # "사랑의불시착" is also "saranguibulsichak" (and "saranguibulsichag"): romanised aliases match
                # (not for one-syllable names: "고" -> "go" would read as a title in English questions)
                self._extra.extend((r, drama_id) for r in romanized_keys(key) if r != key and len(r) >= 4)

    def _merge_extra(self, parts: list[str]) -> list[str]:
        """Merge the generated keys (as aliases) into the sorted keys; rebuilds ids, flags and offsets.

        A title's part before its colon is added only when no name has that key and no other title
        shares it ("Arthdal Chronicles: The Sword of Aramun" does not shadow "Arthdal Chronicles")."""
        heads: dict[str, set[int]] = {}
        for key, drama_id in self._heads:
            heads.setdefault(key, set()).add(drama_id)
        extra_set = set(self._extra)
        for key, owners in heads.items():
            n = bisect_left(parts, key)
            if len(owners) == 1 and not (n < len(parts) and parts[n] == key):
                extra_set.add((key, next(iter(owners))))
        extra = sorted(extra_set)
        self._extra, self._heads = [], []
        # splice the (few) generated keys in by slices; offsets re-accumulated at C speed
        merged: list[str] = []
        ids, alias = array("q"), bytearray()
        prev = 0
        for key, drama_id in extra:
            at = bisect_left(parts, key, prev)
            merged += parts[prev:at]
            ids += self.ids[prev:at]
            alias += self.alias[prev:at]
            merged.append(key)
            ids.append(drama_id)
            alias.append(1)
            prev = at
        merged += parts[prev:]
        ids += self.ids[prev:]
        alias += self.alias[prev:]
        self.ids, self.alias = ids, alias
        self.offsets = array("q", accumulate(map(add, map(len, merged), repeat(1)), initial=0))
        self._pos = self.offsets[-1]
        return merged

    def finish(self) -> NameIndex:
        parts, self._parts = self._parts or [], None
        if self._extra or self._heads:
            parts = self._merge_extra(parts)
        self.blob = "\n".join(parts) + ("\n" if parts else "")
        del parts
        self.keys = _Keys(self.blob, self.offsets)
        # A Bloom filter over the keys (~16 bits a key, two set per key: about 1 % false positives).
        # Linking a question looks up every window of up to 12 words and almost none is a name: the
        # filter answers those without a binary search over the blob (~20 slicing probes each).
        count = len(self.keys)
        mask = self._mask = (1 << max(16, (count * 16).bit_length())) - 1
        bloom = bytearray((mask + 1) >> 3)
        suffixes: dict[str, array] = {}
        for n in range(count):
            key = self.keys[n]
            suffixes.setdefault(key[-SUFFIX:], array("i")).append(n)
            h = hash(key)
            a, b = h & mask, (h >> BLOOM_SHIFT) & mask
            bloom[a >> 3] |= 1 << (a & 7)
            bloom[b >> 3] |= 1 << (b & 7)
        self.suffixes = suffixes
        self._bits = bloom
        self._cache: dict[tuple, list[tuple[float, str, int]]] = {}
        self._blocks: dict[tuple[int, int], list[str]] = {}
        self._block_keys = 0
        return self

    def _absent(self, key: str) -> bool:
        """True when ``key`` is certainly not a key (False: it may be)."""
        h = hash(key)
        a, b = h & self._mask, (h >> BLOOM_SHIFT) & self._mask
        bits = self._bits
        return not (bits[a >> 3] >> (a & 7) & 1 and bits[b >> 3] >> (b & 7) & 1)

    def __len__(self) -> int:
        return len(self.keys)

    # ---------------------------------------------------------------- exact / prefix
    def exact(self, key: str) -> list[int]:
        if self._absent(key):
            return []
        lo = bisect_left(self.keys, key)
        hi = bisect_right(self.keys, key, lo)
        return list(dict.fromkeys(self.ids[lo:hi]))

    def is_title(self, key: str) -> bool:
        """Whether ``key`` is some drama's own title (not only another drama's alias)."""
        if self._absent(key):
            return False
        lo = bisect_left(self.keys, key)
        hi = bisect_right(self.keys, key, lo)
        return any(self.alias[p] == 0 for p in range(lo, hi))

    def _range(self, prefix: str) -> tuple[int, int]:
        lo = bisect_left(self.keys, prefix)
        return lo, bisect_left(self.keys, prefix + _END, lo)

    def prefix(self, prefix: str, limit: int = 25) -> list[tuple[str, int]]:
        """Keys starting with ``prefix``, shortest first (so "w" offers "W" before "Welcome to ...")."""
        lo, hi = self._range(prefix)
        span = [(self.keys[n], self.ids[n]) for n in range(lo, min(hi, lo + 2000))]
        span.sort(key=lambda kv: len(kv[0]))
        return span[:limit]

    def substring(self, fragment: str, limit: int = 25) -> list[tuple[str, int]]:
        out: list[tuple[str, int]] = []
        if not fragment or "\n" in fragment:
            return out
        start = 0
        while len(out) < limit:
            hit = self.blob.find(fragment, start)
            if hit < 0:
                break
            n = bisect_right(self.offsets, hit) - 1
            out.append((self.keys[n], self.ids[n]))
            start = self.offsets[n + 1]
        return out

    # ---------------------------------------------------------------- fuzzy
    def fuzzy(self, key: str, *, limit: int = 5, cutoff: float = 60) -> list[tuple[float, str, int]]:
        """Best (score, key, drama id) for ``key``, one entry per drama, best first."""
        if not key or not len(self.keys):
            return []
        cache_key = (key, limit, cutoff)
        cached = self._cache.get(cache_key)
        if cached is not None:
            return cached
        lo, block, same_end = self._choices(key)
        found = process.extract(key, block + same_end[1] if same_end[1] else block, scorer=fuzz.ratio,
                                score_cutoff=cutoff, limit=limit * 4, processor=None)
        size = len(block)
        found = [(choice, score, lo + n if n < size else same_end[0][n - size]) for choice, score, n in found]
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
        if len(self._cache) >= 2048:
            self._cache.clear()
        self._cache[cache_key] = out
        return out

    def _choices(self, key: str) -> tuple[int, list[str], tuple[Sequence[int], list[str]]]:
        """Candidate keys: (lo, the keys at positions lo, lo + 1, ... (the prefix block), (positions, keys)
        of the keys sharing the last ``SUFFIX`` characters that lie outside the block).

        The scorer sees the block first, then the others in position order: that order decides ties, so
        it must not change. The prefix block is one contiguous slice of the blob; recent blocks are kept
        (bounded) because many question windows start alike ("the...", "who...")."""
        if len(self.keys) <= FULL_SCAN_LIMIT:
            return 0, self._block(0, len(self.keys)), ((), [])
        size = 3
        lo, hi = self._range(key[:size])
        while hi - lo > BLOCK_LIMIT and size < len(key):
            size += 2
            lo, hi = self._range(key[:size])
        hi = min(hi, lo + BLOCK_LIMIT)
        block = self._block(lo, hi) if hi > lo else []
        same_end = self.suffixes.get(key[-SUFFIX:])
        if same_end is None:
            return lo, block, ((), [])
        same_end = same_end[:BLOCK_LIMIT]  # ascending positions: those inside the block are one run
        if hi > lo:
            a, b = bisect_left(same_end, lo), bisect_left(same_end, hi)
            same_end = same_end[:a] + same_end[b:]
        blob, offsets = self.blob, self.offsets
        return lo, block, (same_end, [blob[offsets[p]:offsets[p + 1] - 1] for p in same_end])

    def _block(self, lo: int, hi: int) -> list[str]:
        """The keys at positions lo..hi-1 (a list nobody may change), from a small cache."""
        block = self._blocks.get((lo, hi))
        if block is None:
            block = self.blob[self.offsets[lo]:self.offsets[hi] - 1].split("\n") if hi > lo else []
            self._block_keys += len(block)
            if self._block_keys > BLOCK_CACHE_KEYS:
                self._blocks.clear()
                self._block_keys = len(block)
            self._blocks[(lo, hi)] = block
        return block
