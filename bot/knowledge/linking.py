"""Entity linking: which dramas and people a question names, and what autocomplete matches.

Exact keys first (the in-memory :class:`NameIndex` for titles, one SQL ``IN`` query for people), then
fuzzy matching (rapidfuzz over small candidate blocks) for the words no exact key explained, so typos
still land. :class:`Linker` owns the name index; :class:`~bot.knowledge.engine.KnowledgeEngine` builds
on it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from bot.knowledge import intents as _intents
from bot.knowledge.index import NameIndex
from bot.knowledge.labels import drama_label
from bot.knowledge.model import Match
from bot.knowledge.parse import JOINERS, YEAR, Mention, Parse, korean_cue, select_mentions, strip_particle
from bot.knowledge.romanize import SURNAMES, person_name_keys, romanized_keys
from bot.knowledge.text import FRAME, QUESTION_WORDS, Token, fold, has_hangul, norm, span_text, window_key
from bot.knowledge.vocab import Vocabulary

if TYPE_CHECKING:
    from bot.store import Store

log = logging.getLogger(__name__)

RECHECK_SECONDS = 30.0
BUILD_BATCH = 2_000  # names read per trip while (re)building: other queries on the connection wait less
# A background rebuild starts no sooner than this many times the last build's duration after it ended: while
# a sync writes new names, rebuilds take a few per cent of the CPU (and of the connection) from questions.
REBUILD_GAP = 30.0
# Words that are some performer's one-word name but, alone in a question, mean the word ("which *one*?").
NOT_NAMES = frozenset(("one", "ones", "both", "first", "last", "top", "best", "new", "latest", "newest", "oldest", "x"))
MAX_WINDOW = 12


@dataclass(frozen=True)
class _Names:
    """Everything derived from the catalog's names at one ``version``: swapped in as one piece."""

    version: tuple[int, ...]
    index: NameIndex
    char_aliases: dict[str, list[str]]
    vocab: Vocabulary


def _sync_only(built: tuple[int, ...], now: tuple[int, ...]) -> bool:
    """Whether only the live-data sync changed the names since ``built``: its generation moved, the import
    generation did not (see :meth:`bot.store.knowledge.KnowledgeQueries.catalog_version`)."""
    return built[2] == now[2] and built[3] != now[3]


class Linker:
    """Finds dramas and people in typed text; holds the drama name index of one store.

    Freshness: an import, a merge or an owner's edit (the import generation moved, or names were written any
    other way) is seen by the very next question, which waits for the rebuild. Names the live-data sync
    wrote are not worth a wait: questions keep the previous index while a background rebuild (never more
    than one at a time, spaced out by ``REBUILD_GAP``, its CPU work in a worker thread) builds the new one and
    swaps it in.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.q = store.knowledge
        self._names: _Names | None = None
        self._changes = -1
        self._checked = 0.0
        self._lock = asyncio.Lock()
        self._background: asyncio.Task | None = None
        self._next_background = 0.0  # loop time before which no background rebuild starts (REBUILD_GAP)
        self._planner = None

    # ------------------------------------------------------------------ index
    async def index(self) -> NameIndex:
        """The drama name index (see the class docstring for when it is rebuilt)."""
        return (await self._current()).index

    async def character_aliases(self) -> dict[str, list[str]]:
        """norm(other spelling) -> the credited character names ("ohmido" -> ["Oh Mi-joo"]); rebuilt with the
        name index."""
        return (await self._current()).char_aliases

    async def vocabulary(self) -> Vocabulary:
        """The catalog's genres, tags, networks and platforms (filter words), rebuilt with the name index."""
        return (await self._current()).vocab

    @property
    def rebuilding(self) -> bool:
        """A background rebuild is in flight (questions are answered from the previous index meanwhile)."""
        return self._background is not None and not self._background.done()

    async def refresh(self) -> None:
        """Bring the index up to date now, waiting for a rebuild in flight (the sync loop calls this after each
        pass, off the question path). Nothing to do before the first question built it."""
        if self._names is not None:
            await self._rebuild()

    async def _current(self) -> _Names:
        """The names to answer from. The change check (a few O(log n) lookups) runs when this connection
        wrote anything since the last check, and otherwise at most every ``RECHECK_SECONDS`` (monotonic loop
        time: a cache lifetime, not a clock anyone sees) to notice imports made by another process."""
        names = self._names
        changes = self.store.total_changes
        now = asyncio.get_running_loop().time()
        if names is not None and changes == self._changes and now - self._checked < RECHECK_SECONDS:
            return names
        version = await self.q.catalog_version()
        self._changes, self._checked = changes, now
        if names is None or (version != names.version and not _sync_only(names.version, version)):
            return await self._rebuild()
        if version != names.version:
            if self.rebuilding or now < self._next_background:
                self._changes = -1  # coalesced / spaced out: the next question looks again
            else:
                self._background = asyncio.create_task(self._rebuild_quietly(), name="name-index-rebuild")
        return names

    async def _rebuild_quietly(self) -> None:
        try:
            await self._rebuild()
        except Exception:  # noqa: BLE001 - questions keep the previous index; the next check tries again
            log.warning("background name index rebuild failed", exc_info=True)

    async def _rebuild(self) -> _Names:
        """Build from the catalog as it is now, unless the current names are already of this version."""
        async with self._lock:
            version = await self.q.catalog_version()
            if self._names is None or self._names.version != version:
                loop = asyncio.get_running_loop()
                start = loop.time()
                self._names = await self._build(version)
                end = loop.time()
                self._next_background = end + REBUILD_GAP * (end - start)
                self._changes = -1  # check again at the next use: names may have moved during the build
                log.info("name index built: %d keys", len(self._names.index))
            return self._names

    async def _build(self, version: tuple[int, ...]) -> _Names:
        """Reads in small batches and does the CPU work in a worker thread, so the event loop (commands) is
        never held for a whole build."""
        builder = NameIndex.builder()
        async for batch in self.q.drama_name_batches(size=BUILD_BATCH):
            await asyncio.to_thread(builder.extend, batch)
        index = await asyncio.to_thread(builder.finish)
        char_aliases = await asyncio.to_thread(_character_aliases, await self.q.character_alias_rows())
        vocab = await asyncio.to_thread(Vocabulary, await self.q.term_counts(), await self.q.drama_count())
        return _Names(version, index, char_aliases, vocab)

    # ------------------------------------------------------------------ matching API (autocomplete, resolve)
    async def match_dramas(self, typed: str, limit: int = 25) -> list[Match]:
        """Dramas for what was typed: exact key, prefix, substring, then fuzzy; best first."""
        index = await self.index()
        key = norm(typed)
        out: dict[int, Match] = {}

        def add(drama_id: int, score: float, exact: bool, k: str) -> None:
            if drama_id not in out or out[drama_id].score < score:
                out[drama_id] = Match(drama_id, score, exact, k)

        if not key:
            return []
        for drama_id in index.exact(key):
            add(drama_id, 100.0, True, key)
        for k, drama_id in index.prefix(key, limit=limit):
            add(drama_id, 95.0 - min(10.0, (len(k) - len(key)) / 4), False, k)
        if len(out) < limit and len(key) >= 3:
            for k, drama_id in index.substring(key, limit=limit):
                add(drama_id, 85.0 - min(10.0, (len(k) - len(key)) / 4), False, k)
        if len(out) < limit and len(key) >= 3:
            for score, k, drama_id in index.fuzzy(key, limit=limit, cutoff=60):
                add(drama_id, min(score, 90.0) - 10, False, k)
            words = [norm(w) for w in typed.split() if norm(w)]
            for n in range(len(words) - 1, 1, -1):
                if len(out) >= limit:
                    break
                # the first words may be the title, the rest noise ("Lovely Rummer Returns Forever")
                part = "".join(words[:n])
                for score, k, drama_id in index.fuzzy(part, limit=5, cutoff=75):
                    add(drama_id, min(score, 90.0) - 15, False, k)
        ranked = sorted(out.values(), key=lambda m: (-m.score, len(m.key)))
        return ranked[:limit]

    async def match_people(self, typed: str, limit: int = 25) -> list[Match]:
        key = norm(typed)
        if not key:
            return []
        rows = await self.q.people_by_norms([key])
        if has_hangul(typed):
            rows += await self.q.people_by_korean([typed.strip(), key])
        out: dict[int, Match] = {r["id"]: Match(r["id"], 100.0, True, key) for r in rows}
        for r in await self.q.person_keys_with_prefix(key, limit=200):
            score = 95.0 - min(10.0, (len(r["norm"]) - len(key)) / 3)
            if r["person_id"] not in out:
                out[r["person_id"]] = Match(r["person_id"], score, False, r["norm"])
        if len(out) < limit and len(key) >= 4:
            for score, k, pid in await self._fuzzy_people(key, cutoff=70):
                if pid not in out:
                    out[pid] = Match(pid, score - 10, False, k)
        return sorted(out.values(), key=lambda m: (-m.score, len(m.key)))[:limit]

    async def _fuzzy_people(self, key: str, *, cutoff: float, parts: list[str] | None = None
                            ) -> list[tuple[float, str, int]]:
        prefixes = {key[:3]}
        if parts and len(parts) > 1:
            prefixes.add(parts[0] + parts[1][:1])
        if len(key) >= 4:
            prefixes.add(key[:4])
        best: dict[int, tuple[float, str, int]] = {}
        for prefix in prefixes:
            for r in await self.q.person_keys_with_prefix(prefix, limit=400):
                score = fuzz.ratio(key, r["norm"])
                if score >= cutoff and (r["person_id"] not in best or best[r["person_id"]][0] < score):
                    best[r["person_id"]] = (score, r["norm"], r["person_id"])
        return sorted(best.values(), reverse=True)[:5]

    # ------------------------------------------------------------------ linking a question
    async def _link_exact(self, parse: Parse, index: NameIndex) -> None:
        tokens = parse.tokens
        n = len(tokens)
        years = parse.years
        drama_cands: list[Mention] = []
        frame_only: list[Mention] = []
        person_windows: dict[str, list[tuple[int, int]]] = {}
        frames = [t.frame for t in tokens]
        hanguls = [has_hangul(t.text) for t in tokens]
        for i in range(n):
            key = ""
            all_frame = True
            hangul = False
            for j in range(i + 1, min(n, i + MAX_WINDOW) + 1):
                key += tokens[j - 1].key
                all_frame = all_frame and frames[j - 1]
                hangul = hangul or hanguls[j - 1]
                if key.isdigit() and j - i == 1:
                    continue
                bare = strip_particle(key) if hanguls[j - 1] else key
                window = tokens[i:j]
                single_ok = j - i > 1 or parse.isolated(i)
                ids = index.exact(key) if (single_ok or hangul) else []
                if not ids and not single_ok and not all_frame and len(key) >= 4:
                    loose = index.exact(key)
                    if loose:
                        frame_only.append(Mention("drama", i, j, loose, key))
                found_key = key
                if not ids and bare != key:
                    ids = index.exact(bare)
                    found_key = bare
                if not ids and hangul and _syllables(bare) >= 2 and not all(
                        korean_cue(t.key) for t in window if has_hangul(t.text)):
                    # "사랑의 불시착" -> "saranguibulsichak": a romanised alias (or a romanised Hangul title);
                    # never one syllable or question words alone ("첫 방송" is no title "Cheot")
                    for roman in romanized_keys(bare) + (romanized_keys(key) if bare != key else []):
                        ids = index.exact(roman)
                        if ids:
                            found_key = roman
                            break
                if ids:
                    mention = Mention("drama", i, j, ids, found_key)
                    if not all_frame or hangul:
                        drama_cands.append(mention)
                    elif not all(t.key in QUESTION_WORDS for t in window) and (j - i >= 2 or len(key) >= 3):
                        frame_only.append(mention)
                if j - i <= 5 and (not all_frame or hangul) and (single_ok or hangul) and (
                        len(key) >= 2 or window[0].text.isupper()) and not (j - i == 1 and key in NOT_NAMES):
                    if j - i == 1 and not hangul and key.isdigit():
                        continue
                    person_windows.setdefault(key, []).append((i, j))
                    if bare != key and bare.isascii():
                        person_windows.setdefault(bare, []).append((i, j))  # "Gong Yoo랑": the name, no particle
        for i in range(n):
            if hanguls[i]:
                # "손예진" -> "sonyejin": Hangul person names by their usual English spellings
                word = tokens[i].key
                for k in dict.fromkeys(person_name_keys(word) + person_name_keys(strip_particle(word))):
                    person_windows.setdefault(k, []).append((i, i + 1))
        person_cands: list[Mention] = []
        if person_windows:
            rows = await self.q.people_by_norms(list(person_windows))
            hangul_words = [tokens[i].text for i in range(n) if has_hangul(tokens[i].text)]
            if hangul_words:
                rows += await self.q.people_by_korean(hangul_words)
            by_key: dict[str, list[sqlite3.Row]] = {}
            for r in rows:
                by_key.setdefault(norm(r["norm"]), []).append(r)
            for key, spans in person_windows.items():
                found = by_key.get(key)
                if not found:
                    continue
                found.sort(key=lambda r: -(r["credits"] or 0))
                ids = list(dict.fromkeys(r["id"] for r in found))
                for i, j in spans:
                    person_cands.append(Mention("person", i, j, ids, key))
        person_first = "filmography" in _intents.detect(fold(parse.question))
        parse.mentions = select_mentions(drama_cands + person_cands, person_first=person_first)
        parse.frame_only = frame_only
        parse.person_cands = person_cands
        if years:
            parse.year_hint = years[0]

    async def _link_fuzzy_drama(self, parse: Parse, index: NameIndex, *, over_people: bool = False) -> None:
        soft = [m for m in parse.mentions if m.j - m.i == 1]
        spans = dict.fromkeys(parse.chunks() + (parse.chunks(ignore=soft) if soft else []))
        if over_people:
            # "How many episodes are in Jang Yong Shil?": a misspelt title that reads as a person's name
            spans.update(dict.fromkeys(parse.chunks(ignore=parse.people)))
        best: tuple[float, Mention] | None = None
        for i, j in spans:
            for a, b, penalty in title_windows(parse.tokens, i, j):
                if all(t.frame or t.key.isdigit() for t in parse.tokens[a:b]):
                    continue  # "a season 2" is no title
                key = window_key(parse.tokens, a, b)
                cutoff = fuzzy_cutoff(key)
                if cutoff > 100:
                    continue
                for score, _k, drama_id in index.fuzzy(key, limit=1, cutoff=cutoff):
                    score -= penalty
                    if score >= cutoff and (best is None or score > best[0]):
                        best = (score, Mention("drama", a, b, [drama_id], key, score, partial=penalty > 0))
        if best is not None and best[0] >= 82:
            m = best[1]
            if any(p.i < m.j and p.j > m.i for p in parse.people) and best[0] < 88:
                return
            kept = [x for x in parse.mentions if x.j <= m.i or x.i >= m.j]
            parse.mentions = select_mentions(kept + [m], keep=kept)

    async def _relink_soft(self, parse: Parse, index: NameIndex) -> None:
        """A mention inside a longer run of words ("... My First *Life*", "Someting in the *Rain*",
        "Alcheemy of Souls Season 2: *Light and Shadow*") may be part of a misspelt longer title:
        fuzzy-match the run around it and keep the longer title when it clearly wins."""
        await self._relink_later(parse, index)
        tokens = parse.tokens

        def lead(m: Mention) -> int:
            """Question words a mention starts with ("date *for Love* Is Dorp by Drop"): a longer title
            may start after them."""
            k = m.i
            while k < m.j - 1 and tokens[k].frame:
                k += 1
            return k - m.i

        soft = [m for m in parse.mentions if m.j - m.i == 1 or (m.j - m.i == 2 and lead(m))]
        groups = ([soft] if soft else []) + [[m] for m in parse.mentions if m not in soft]
        if len(parse.mentions) > 1:
            groups.append(list(parse.mentions))  # "*My Husband* GGot a *Family*"
        best: tuple[float, Mention] | None = None
        for group in groups:
            need = 86.0 if group is soft else 88.0
            for i, j in parse.chunks(ignore=group):
                inside = [m for m in group if m.i < j and m.j > i]
                if not inside:
                    continue
                for a, b, penalty in title_windows(tokens, i, j):
                    covered = [m for m in inside if a <= m.i + lead(m) and m.j <= b and (a, b) != (m.i, m.j)]
                    if b - a < 2 or not covered:
                        continue
                    # the run must add a word that is not a plain question word (a misspelt one counts) or a
                    # year ("Hellbound 2021" is Hellbound, not "Hellbound 2"), or join two mentions
                    # ("*Stranger* from *Hell*")
                    joined = len(covered) >= 2
                    if not joined and not any(not parse.covered(n) and tokens[n].key not in FRAME
                                              and not YEAR.match(tokens[n].key) for n in range(a, b)):
                        continue
                    key = window_key(tokens, a, b)
                    for score, matched, drama_id in index.fuzzy(key, limit=1, cutoff=need):
                        if any(len(matched) <= len(m.key) for m in covered):
                            continue  # no better title than the one already named
                        score -= penalty
                        if score >= need and (best is None or score > best[0]):
                            best = (score, Mention("drama", a, b, [drama_id], key, score))
        if best is not None:
            m = best[1]
            kept = [x for x in parse.mentions if x.j <= m.i or x.i >= m.j]
            parse.mentions = select_mentions(kept + [m], keep=kept)

    async def _relink_later(self, parse: Parse, index: NameIndex) -> None:
        """"Who played Han *Sa Rang* in Society Obsessed with Lve": a short title matched early, while
        the words after it are a clearly better (misspelt) title; the early one then names a character."""
        dramas = parse.dramas
        if len(dramas) != 1:
            return
        first = dramas[0]
        best: tuple[float, Mention] | None = None
        for i, j in parse.chunks():
            if i < first.j or len(window_key(parse.tokens, i, j)) < len(first.key) + 3:
                continue
            for a, b, penalty in title_windows(parse.tokens, i, j):
                if a < first.j or all(t.frame or t.key.isdigit() for t in parse.tokens[a:b]):
                    continue
                key = window_key(parse.tokens, a, b)
                for score, _k, drama_id in index.fuzzy(key, limit=1, cutoff=90):
                    score -= penalty
                    if best is None or score > best[0]:
                        best = (score, Mention("drama", a, b, [drama_id], key, score))
        if best is not None and best[0] >= 90:
            kept = [m for m in parse.mentions if m is not first and (m.j <= best[1].i or m.i >= best[1].j)]
            parse.mentions = select_mentions(kept + [best[1]], keep=kept)

    async def _link_fuzzy_person(self, parse: Parse) -> None:
        best: tuple[float, Mention] | None = None
        for i, j in parse.chunks():
            if j - i < 2 or j - i > 5:
                continue
            key = window_key(parse.tokens, i, j)
            found = await self._fuzzy_people(key, cutoff=86, parts=[t.key for t in parse.tokens[i:j]])
            if found and (best is None or found[0][0] > best[0]):
                best = (found[0][0], Mention("person", i, j, [found[0][2]], key, found[0][0]))
        if best is not None:
            parse.mentions = select_mentions(parse.mentions + [best[1]], keep=parse.mentions)

    async def _suggest(self, parse: Parse, also: list[int] | None = None) -> list[str]:
        index = await self.index()
        best: dict[int, float] = {}
        for i, j in parse.chunks():
            windows = [(i, b) for b in range(j, i, -1)]  # the words typed first may be the title
            for a, b in windows:
                key = window_key(parse.tokens, a, b)
                if len(key) < 4:
                    continue
                for score, _k, drama_id in index.fuzzy(key, limit=3, cutoff=75):
                    score -= 2 * (j - b)
                    best[drama_id] = max(best.get(drama_id, 0.0), score)
        ids: list[int] = list(also or [])
        ids += [d for d, _ in sorted(best.items(), key=lambda kv: -kv[1]) if d not in ids]
        rows = await self.q.dramas_brief(ids[:3])
        order = {d: n for n, d in enumerate(ids)}
        return [drama_label(r) for r in sorted(rows, key=lambda r: order[r["id"]])]

    async def _pick_drama(self, parse: Parse, mention: Mention) -> tuple[sqlite3.Row, list[str]]:
        """The drama a mention means; with several, the likeliest plus the others' labels."""
        if len(mention.ids) == 1:
            row = await self.q.drama(mention.ids[0])
            return row, []
        rows = await self.q.dramas_by_norms([mention.key])
        rows = [r for r in rows if r["id"] in mention.ids]
        if not rows:  # a generated key (a romanised Hangul name) has no drama_names row
            briefs = await self.q.dramas_brief(mention.ids)
            return await self.q.drama(mention.ids[0]), [drama_label(r) for r in briefs if r["id"] != mention.ids[0]]
        if parse.year_hint:
            same_year = [r for r in rows if r["year"] == parse.year_hint]
            if same_year:
                rows = same_year + [r for r in rows if r not in same_year]
        # the year asked for, then a real title over an alias, then the better-known one (more names), older
        rows.sort(key=lambda r: (0 if parse.year_hint and r["year"] == parse.year_hint else 1,
                                 0 if r["kind"] == "title" else 1, -(r["names"] or 0), r["year"] or 0))
        seen: list[int] = []
        labels: list[str] = []
        for r in rows:
            if r["id"] in seen:
                continue
            seen.append(r["id"])
            labels.append(drama_label(r))
        chosen = await self.q.drama(seen[0])
        top_is_clear = parse.year_hint is not None or (rows[0]["kind"] == "title" and
                                                       all(r["kind"] != "title" for r in rows[1:]))
        return chosen, ([] if top_is_clear else labels[1:])

    def _dubious(self, parse: Parse, index: NameIndex) -> tuple[int, int] | None:
        """The words of a title the catalog does not have, when a short name matched inside them.

        "Love in Jupiter" holds the alias "Love", "My Secret Robot Husband" the word "Robot",
        "Business Proposal 3" the title "Business Proposal": answering about those dramas would be
        wrong, so the question is treated as naming an unknown drama. Words joined to the match count
        (and, after it, words behind "in"/"of"/"on"/...); a real title matched in full only counts
        words right next to it or behind "of", and a year never counts.
        """
        if len(parse.dramas) != 1:
            return None
        m = parse.dramas[0]
        loose = m.partial or (m.score >= 100 and (m.j - m.i == 1 or not index.is_title(m.key)))
        tokens = parse.tokens
        hangul_mention = has_hangul(span_text(parse.question, tokens, m.i, m.j))

        def extra(n: int) -> bool:
            # a capitalised word or a number (not a year): title-like, unlike "getting" or "again";
            # next to a Hangul title, a Hangul word that is no question word ("사랑의 *불시착*")
            t = tokens[n]
            if parse.covered(n) or YEAR.match(t.key):
                return False
            if has_hangul(t.text):
                return hangul_mention and not korean_cue(t.key)
            if t.frame:
                return False
            return t.text[:1].isupper() or t.key.isdigit()

        a, b = m.i, m.j
        k = a
        while k > 0:
            if extra(k - 1):
                k -= 1
                a = k
            elif loose and k - 1 > 0 and tokens[k - 1].key in TITLE_JOINERS and not parse.covered(k - 1):
                k -= 1  # "Heuut *to* Heart": a word inside a longer title
            else:
                break
        k = b
        while k < len(tokens):
            if extra(k):
                k += 1
                b = k
            elif (tokens[k].key in JOINERS if loose else tokens[k].key == "of") and not parse.covered(k):
                k += 1  # "Love *in* Jupiter"; after a full title only "of" ("Secret Garden *of* Time")
            else:
                break
        if (a, b) == (m.i, m.j):
            return None
        return (a, b)

    async def _extra_is_character(self, parse: Parse, span: tuple[int, int]) -> bool:
        """"Vincenzo Hong Cha Young actor?": the words next to the title name one of its characters."""
        m = parse.dramas[0]
        parts = [(span[0], m.i), (m.j, span[1])]
        texts = [span_text(parse.question, parse.tokens, a, b) for a, b in parts if b > a]
        cast = await self.q.cast(m.ids[0])
        return any(best_character_score(text, r) >= 86 for text in texts for r in cast)


# Small words inside titles ("Heart *to* Heart", "Mr. *and* Mrs."), unlike "in"/"on" that also join a
# character's name to a title ("Kim Shin *in* Goblin").
TITLE_JOINERS = frozenset("to of and the a an".split())


def _syllables(key: str) -> int:
    return sum(1 for ch in key if "\uac00" <= ch <= "\ud7a3")


def fuzzy_cutoff(key: str) -> float:
    """One typo in a title scores about 90 (83 in a 6-letter one); a different word scores lower."""
    if len(key) <= 4:
        return 101.0  # too short to guess safely: exact only
    if len(key) <= 7:
        return 83.0
    if len(key) <= 12:
        return 84.0
    return 86.0


def _character_aliases(rows) -> dict[str, list[str]]:
    """norm(other spelling) -> the credited character names, from ``character_alias_rows``."""
    out: dict[str, list[str]] = {}
    for r in rows:
        for alias in character_names(r)[1:] + character_parts(r["character"] or ""):
            names = out.setdefault(norm(alias), [])
            if r["character"] not in names:
                names.append(r["character"])
    return out


def character_names(row) -> list[str]:
    """A credit's character name, then its other spellings (``character_aliases`` JSON, when selected)."""
    names = [row["character"] or ""]
    try:
        raw = row["character_aliases"]
    except (IndexError, KeyError):
        raw = None
    if raw:
        try:
            extra = json.loads(raw)
        except ValueError:
            extra = []
        names += [a for a in extra if isinstance(a, str) and a]
    return names


def best_character_score(typed: str, row) -> float:
    """How well ``typed`` names a credit's character, by its name or any other spelling of it."""
    return max(character_score(typed, name) for name in character_names(row))


def character_parts(character: str) -> list[str]:
    """The names inside a credited character: "Yoo Hyun Jae / Kim Da Bong" -> both names, "Ki Jung Do
    [Seon Gyeom's father]" -> "Ki Jung Do" and the note. [] for a plain name."""
    bare = re.sub(r"\(.*?\)|\[.*?\]", " ", character)
    parts = []
    if bare.strip() and " ".join(bare.split()) != character:
        parts.append(" ".join(bare.split()))
    if re.search(r"[/|]", bare):
        parts += [p.strip() for p in re.split(r"\s*[/|]\s*", bare) if p.strip()]
    parts += re.findall(r"[\[(](.+?)[\])]", character)
    return [p for p in dict.fromkeys(parts) if p and p != character]


def character_score(typed: str, character: str) -> float:
    """How well ``typed`` names ``character``; a double role ("Yoo Hyun Jae / Kim Da Bong") scores by
    either name, notes in brackets ("[Seon Gyeom's father]") and hyphens ("Hyun-jae") do not count."""
    if not character:
        return 0.0
    return max(_name_score(typed, name) for name in [character, *character_parts(character)])


# Latin spellings of Korean surnames: typed alone, one names nobody ("Kim" is in every other cast).
LATIN_SURNAMES = frozenset(s for spellings in SURNAMES.values() for s in spellings) | frozenset(
    "choe jeong rhee roh rho um eom kil ku gu bak pak sim".split())


def _name_score(typed: str, character: str) -> float:
    a, b = norm(typed), norm(character)
    if not a or not b:
        return 0.0
    score = fuzz.ratio(a, b)
    fa, fb = fold(typed).replace("-", " "), fold(character).replace("-", " ")
    # one typed word stands for a two-word name ("Sol", "Vincenzo"), never for a surname alone ("Kim") or
    # one syllable of a three-syllable Korean name ("Young" is not Ji Won Young)
    single = len(fa.split()) == 1
    if len(a) >= 3 and not (single and (a in LATIN_SURNAMES or len(fb.split()) > 2)):
        score = max(score, fuzz.token_set_ratio(fa, fb) - (2 if a != b else 0))
        parts = [norm(p) for p in fb.split() if norm(p)]
        # a given name typed alone ("Sol" for "Im Sol", "Sun Jae" for "Ryu Sun Jae"), also with the hyphen
        # dropped ("Yeonsoo"); never a surname alone ("Kim") or one syllable of a longer given name
        if len(parts) >= 2 and a == "".join(parts[1:]):
            score = max(score, 90)
    return score


def reads_as_title(index: NameIndex, tokens: list[Token], i: int, j: int) -> bool:
    """Whether the words ``tokens[i:j]`` (with the question words around them) read as a misspelt title:
    then a question is about that title, not a list of dramas or a follow-up ("Schol 2017", "vincnzo")."""
    for a, b, penalty in title_windows(tokens, i, j):
        key = window_key(tokens, a, b)
        cutoff = fuzzy_cutoff(key)
        if cutoff <= 100 and any(score - penalty >= max(cutoff, 86)
                                 for score, _k, _d in index.fuzzy(key, limit=1, cutoff=cutoff)):
            return True
    return False


def title_windows(tokens: list[Token], i: int, j: int) -> list[tuple[int, int, float]]:
    """Where a (misspelt) title may sit in a chunk of left-over words, with a small penalty for guesses.

    The chunk itself; with up to three question words put back on either side (titles start and end
    with "A", "My", "Are You", "at First", "Day"...); the part after or before an inner question word
    ("Jang Myung Ae *in* Behind Every Satr"); the chunk less one edge word; a trailing year dropped.
    """
    out: dict[tuple[int, int], float] = {}

    def add(a: int, b: int, penalty: float) -> None:
        if b - a >= 2 and YEAR.match(tokens[b - 1].key):
            add(a, b - 1, penalty)  # "The 8 Shaw (2024)": the title without its year
        if b - a >= 1 and ((a, b) not in out or out[(a, b)] > penalty):
            out[(a, b)] = penalty

    n = len(tokens)
    lefts = [i]
    while len(lefts) < 6 and lefts[-1] > 0 and tokens[lefts[-1] - 1].frame:
        lefts.append(lefts[-1] - 1)
    rights = [j]
    while len(rights) < 5 and rights[-1] < n and tokens[rights[-1]].frame:
        rights.append(rights[-1] + 1)
    for a in lefts:
        for b in rights:
            add(a, b, 0.0)
    for k in range(i + 1, j - 1):
        if tokens[k].frame:
            for b in rights:
                add(k + 1, b, 2.0)
            for a in lefts:
                add(a, k, 2.0)
    total = sum(len(t.key) for t in tokens[i:j])
    if j - i >= 2:
        # dropping an edge word costs more the more of the chunk it was: a one-typo match of the whole
        # chunk ("Romance Twon" ~ Romance Town, ~91) must beat the exact shorter title ("Romance")
        kept = len(window_key(tokens, i + 1, j))
        if kept >= 0.6 * total:
            add(i + 1, j, 8.0 + 12.0 * (1 - kept / total))
        kept = len(window_key(tokens, i, j - 1))
        if YEAR.match(tokens[j - 1].key):
            add(i, j - 1, 0.0)
        elif kept >= 0.6 * total:
            add(i, j - 1, 8.0 + 12.0 * (1 - kept / total))
    if j - i >= 2 and YEAR.match(tokens[j - 1].key):
        # "My Gonden Life 2017": the same windows for the words before the year
        for a, b, p in title_windows(tokens, i, j - 1):
            add(a, b, p)
    return [(a, b, p) for (a, b), p in out.items()]
