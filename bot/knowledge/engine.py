"""The question engine: parse a fan's question, link the dramas and people it names, answer in sentences.

Pipeline (see docs/knowledge.md):

1. tokenise; every window of up to 12 tokens is a candidate mention. Drama windows are looked up
   in the in-memory :class:`NameIndex` (exact keys), person windows in SQLite (one ``IN`` query);
   the longest non-overlapping mentions win.
2. detect the intent with keyword rules over the question with the mentions masked out;
3. when the intent needs a drama (or person) that no exact key named, the left-over words are
   matched fuzzily (rapidfuzz over a small candidate block), so typos still land;
4. answer from indexed SQL (cast, filmography, facts via FTS) in sentences this project writes.

Nothing here imports Discord; the cogs and the CLI call :meth:`KnowledgeEngine.answer`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import json
import logging
import re
import sqlite3
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz, process

from bot.knowledge import intents as _intents
from bot.knowledge.index import NameIndex
from bot.knowledge.text import (
    FRAME,
    QUESTION_WORDS,
    Token,
    echo,
    fold,
    format_date,
    has_hangul,
    join_names,
    norm,
    plural_days,
    span_text,
    tokenize,
    window_key,
)

if TYPE_CHECKING:
    from bot.store import Store

log = logging.getLogger(__name__)

MAX_QUESTION = 500
RECHECK_SECONDS = 30.0
MAX_TOKENS = 60
MAX_WINDOW = 12
ROLE_WORDS = frozenset("male female lead leads main protagonist heroine hero villain second antagonist".split())
FIELD_INTENTS = ("season2", "similar", "korean_title", "source", "director", "writer", "premiere", "finale",
                 "schedule",
                 "episodes", "air_time", "air_days", "platforms", "network", "year", "rating", "genre", "status")
EXAMPLES = ("Who plays Im Sol in Lovely Runner?", "How many episodes does Goblin have?",
            "What dramas has Kim Da Mi been in?", "Is there going to be a Lovely Runner season 2?")


@dataclass
class Mention:
    kind: str                 # "drama" | "person"
    i: int
    j: int
    ids: list[int]
    key: str
    score: float = 100.0
    partial: bool = False     # fuzzy-matched on part of a run of words

    @property
    def size(self) -> tuple[int, int]:
        return (self.j - self.i, len(self.key))


@dataclass
class Answer:
    """An answer: the sentence(s), what it was about, and whether the catalog knew."""

    text: str
    intent: str = "none"
    found: bool = True
    drama_id: int | None = None
    person_id: int | None = None
    suggestions: list[str] = field(default_factory=list)


@dataclass
class Match:
    """A drama (or person) the matcher thinks was meant, with how sure it is."""

    id: int
    score: float
    exact: bool
    key: str = ""


def _list(value: Any) -> list[str]:
    if not value:
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    try:
        parsed = json.loads(value)
    except (TypeError, ValueError):
        return [str(value)]
    return [str(v) for v in parsed] if isinstance(parsed, list) else [str(parsed)]


def drama_label(row: Any) -> str:
    title = html.unescape(str(row["title"]))  # a stray "&amp;" in imported data reads as "&"
    return f"{title} ({row['year']})" if row["year"] else title


def _fuzzy_cutoff(key: str) -> float:
    """One typo in a title scores about 90 (83 in a 6-letter one); a different word scores lower."""
    if len(key) <= 4:
        return 101.0  # too short to guess safely: exact only
    if len(key) <= 7:
        return 83.0
    if len(key) <= 12:
        return 84.0
    return 86.0


class KnowledgeEngine:
    """Answers questions about the catalog held in ``store``."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.q = store.knowledge
        self._index: NameIndex | None = None
        self._version: tuple[int, ...] | None = None
        self._changes = -1
        self._checked = 0.0
        self._lock = asyncio.Lock()

    # ------------------------------------------------------------------ index
    async def index(self) -> NameIndex:
        """The drama name index, rebuilt when the catalog's names changed.

        The check (two O(log n) max-rowid lookups) runs when this connection wrote anything since the
        last check, and otherwise at most every ``RECHECK_SECONDS`` (monotonic loop time: a cache
        lifetime, not a clock anyone sees) to notice imports made by another process.
        """
        changes = self.store.conn.total_changes
        now = asyncio.get_running_loop().time()
        if self._index is not None and changes == self._changes and now - self._checked < RECHECK_SECONDS:
            return self._index
        version = await self.q.catalog_version()
        self._changes, self._checked = changes, now
        if self._index is not None and version == self._version:
            return self._index
        async with self._lock:
            if self._index is None or version != self._version:
                builder = NameIndex.builder()
                async for batch in self.q.drama_name_batches():
                    builder.extend(batch)
                self._index = await asyncio.to_thread(builder.finish)
                self._version = version
                log.info("name index built: %d keys", len(self._index))
        return self._index

    def invalidate(self) -> None:
        self._index = None

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

    # ------------------------------------------------------------------ answering
    async def answer(self, question: str, *, today: dt.date | None = None) -> Answer:
        """Answer one question. Never raises for bad input: odd text gets a plain refusal."""
        question = (question or "").strip()
        if len(question) > MAX_QUESTION:
            question = question[:MAX_QUESTION]
        tokens = _correct_cues(tokenize(question)[:MAX_TOKENS])
        if not tokens or all(t.key in QUESTION_WORDS for t in tokens):
            return Answer(self._help_text(), intent="help", found=False)
        index = await self.index()
        parse = _Parse(question, tokens)
        await self._link_exact(parse, index)
        parse.detect()
        needs_drama = any(i in _intents.DRAMA_INTENTS for i in parse.intents)
        if not parse.dramas and (needs_drama or not parse.people or parse.chunks()):
            await self._link_fuzzy_drama(parse, index, over_people=needs_drama and bool(parse.people))
        else:
            await self._relink_soft(parse, index)
        if not parse.dramas and parse.frame_only and not parse.chunks():
            # titles made only of question words ("My Name") count when nothing better was found
            parse.mentions = _select(parse.mentions + parse.frame_only, keep=parse.mentions)
        if not parse.dramas and not parse.people and "actor_for_character" not in parse.intents:
            await self._link_fuzzy_person(parse)
        parse.detect()
        try:
            dubious = self._dubious(parse, index)
            if dubious is not None and await self._extra_is_character(parse, dubious):
                dubious = None
            if dubious is not None:
                return await self._not_found(parse, span=dubious, also=[m.ids[0] for m in parse.dramas])
            return await self._dispatch(parse, today)
        except sqlite3.Error:
            log.exception("catalog query failed for a question")
            return Answer("Sorry, I couldn't look that up just now.", intent="error", found=False)

    def _help_text(self) -> str:
        return ("I answer questions about K-dramas and their casts, for example: "
                + "; ".join(f"“{e}”" for e in EXAMPLES) + ".")

    # ------------------------------------------------------------------ linking
    async def _link_exact(self, parse: _Parse, index: NameIndex) -> None:
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
                bare = _strip_particle(key) if hanguls[j - 1] else key
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
                if ids:
                    mention = Mention("drama", i, j, ids, found_key)
                    if not all_frame or hangul:
                        drama_cands.append(mention)
                    elif not all(t.key in QUESTION_WORDS for t in window) and (j - i >= 2 or len(key) >= 3):
                        frame_only.append(mention)
                if j - i <= 5 and (not all_frame or hangul) and (single_ok or hangul) and (
                        len(key) >= 2 or window[0].text.isupper()):
                    if j - i == 1 and not hangul and key.isdigit():
                        continue
                    person_windows.setdefault(key, []).append((i, j))
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
        parse.mentions = _select(drama_cands + person_cands, person_first=person_first)
        parse.frame_only = frame_only
        if years:
            parse.year_hint = years[0]

    async def _link_fuzzy_drama(self, parse: _Parse, index: NameIndex, *, over_people: bool = False) -> None:
        soft = [m for m in parse.mentions if m.j - m.i == 1]
        spans = dict.fromkeys(parse.chunks() + (parse.chunks(ignore=soft) if soft else []))
        if over_people:
            # "How many episodes are in Jang Yong Shil?": a misspelt title that reads as a person's name
            spans.update(dict.fromkeys(parse.chunks(ignore=parse.people)))
        best: tuple[float, Mention] | None = None
        for i, j in spans:
            for a, b, penalty in _windows(parse.tokens, i, j):
                if all(t.frame or t.key.isdigit() for t in parse.tokens[a:b]):
                    continue  # "a season 2" is no title
                key = window_key(parse.tokens, a, b)
                cutoff = _fuzzy_cutoff(key)
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
            parse.mentions = _select(kept + [m], keep=kept)

    async def _relink_soft(self, parse: _Parse, index: NameIndex) -> None:
        """A mention inside a longer run of words ("... My First *Life*", "Someting in the *Rain*",
        "Alcheemy of Souls Season 2: *Light and Shadow*") may be part of a misspelt longer title:
        fuzzy-match the run around it and keep the longer title when it clearly wins."""
        await self._relink_later(parse, index)
        soft = [m for m in parse.mentions if m.j - m.i == 1]
        groups = ([soft] if soft else []) + [[m] for m in parse.mentions if m.j - m.i > 1]
        if len(parse.mentions) > 1:
            groups.append(list(parse.mentions))  # "*My Husband* GGot a *Family*"
        best: tuple[float, Mention] | None = None
        for group in groups:
            need = 86.0 if group is soft else 88.0
            for i, j in parse.chunks(ignore=group):
                inside = [m for m in group if m.i < j and m.j > i]
                if not inside:
                    continue
                for a, b, penalty in _windows(parse.tokens, i, j):
                    if b - a < 2 or not any(a <= m.i and m.j <= b and (a, b) != (m.i, m.j) for m in inside):
                        continue
                    # the run must add a word that is not a plain question word (a misspelt one counts),
                    # or join two mentions ("*Stranger* from *Hell*")
                    joined = sum(1 for m in inside if a <= m.i and m.j <= b) >= 2
                    if not joined and not any(not parse.covered(n) and parse.tokens[n].key not in FRAME
                                              for n in range(a, b)):
                        continue
                    key = window_key(parse.tokens, a, b)
                    covered = [m for m in inside if a <= m.i and m.j <= b]
                    for score, matched, drama_id in index.fuzzy(key, limit=1, cutoff=need):
                        if any(len(matched) <= len(m.key) for m in covered):
                            continue  # no better title than the one already named
                        score -= penalty
                        if score >= need and (best is None or score > best[0]):
                            best = (score, Mention("drama", a, b, [drama_id], key, score))
        if best is not None:
            m = best[1]
            kept = [x for x in parse.mentions if x.j <= m.i or x.i >= m.j]
            parse.mentions = _select(kept + [m], keep=kept)

    async def _relink_later(self, parse: _Parse, index: NameIndex) -> None:
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
            for a, b, penalty in _windows(parse.tokens, i, j):
                if a < first.j or all(t.frame or t.key.isdigit() for t in parse.tokens[a:b]):
                    continue
                key = window_key(parse.tokens, a, b)
                for score, _k, drama_id in index.fuzzy(key, limit=1, cutoff=90):
                    score -= penalty
                    if best is None or score > best[0]:
                        best = (score, Mention("drama", a, b, [drama_id], key, score))
        if best is not None and best[0] >= 90:
            kept = [m for m in parse.mentions if m is not first and (m.j <= best[1].i or m.i >= best[1].j)]
            parse.mentions = _select(kept + [best[1]], keep=kept)

    async def _link_fuzzy_person(self, parse: _Parse) -> None:
        best: tuple[float, Mention] | None = None
        for i, j in parse.chunks():
            if j - i < 2 or j - i > 5:
                continue
            key = window_key(parse.tokens, i, j)
            found = await self._fuzzy_people(key, cutoff=86, parts=[t.key for t in parse.tokens[i:j]])
            if found and (best is None or found[0][0] > best[0]):
                best = (found[0][0], Mention("person", i, j, [found[0][2]], key, found[0][0]))
        if best is not None:
            parse.mentions = _select(parse.mentions + [best[1]], keep=parse.mentions)

    async def _suggest(self, parse: _Parse, also: list[int] | None = None) -> list[str]:
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

    async def _pick_drama(self, parse: _Parse, mention: Mention) -> tuple[sqlite3.Row, list[str]]:
        """The drama a mention means; with several, the likeliest plus the others' labels."""
        if len(mention.ids) == 1:
            row = await self.q.drama(mention.ids[0])
            return row, []
        rows = await self.q.dramas_by_norms([mention.key])
        rows = [r for r in rows if r["id"] in mention.ids]
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

    # ------------------------------------------------------------------ dispatch
    async def _dispatch(self, parse: _Parse, today: dt.date) -> Answer:
        intents = parse.intents
        dramas = [m for m in parse.mentions if m.kind == "drama"]
        people = [m for m in parse.mentions if m.kind == "person"]
        if "actor_for_character" in intents and len(dramas) > 1:
            # "Who plays Vincenzo in Vincenzo?": the last title is the drama, earlier ones are characters.
            parse.mentions = [m for m in parse.mentions if m.kind != "drama" or m is dramas[-1]]
            dramas = [dramas[-1]]
        fields = [i for i in intents if i in FIELD_INTENTS]
        if dramas:
            drama, others = await self._pick_drama(parse, dramas[0])
            note = ""
            if others:
                note = (f"\n(I took {drama_label(drama)}; other dramas share that name: "
                        f"{join_names(others[:5])}. Add the year to pick one.)")
            answer = await self._drama_answer(parse, drama, people, fields, today)
            answer.text += note
            answer.drama_id = drama["id"]
            return answer
        if people:
            chunk = parse.character_chunk()
            if chunk:
                found = await self._role_by_character(people[0].ids, span_text(parse.question, parse.tokens, *chunk))
                if found is not None:
                    return found
                words = parse.residual_words()
                rows = await self.q.search_facts(words, person_id=people[0].ids[0], limit=2) if words else []
                if rows:
                    person = await self.q.person(people[0].ids[0])
                    return Answer(f"About {person['name']}: " + " ".join(_fact_text(r) for r in rows),
                                  intent="facts", person_id=person["id"])
            person = await self.q.person(people[0].ids[0])
            return await self._filmography(person, others=people[0].ids[1:])
        # Neither a drama nor a person: a character across the catalog, or a refusal.
        char_chunk = parse.character_chunk()
        if char_chunk and any(i in intents for i in ("actor_for_character", "character_for_actor", "who_is")):
            found = await self._character_anywhere(parse, char_chunk)
            if found is not None:
                return found
        return await self._not_found(parse)

    def _dubious(self, parse: _Parse, index: NameIndex) -> tuple[int, int] | None:
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

        def extra(n: int) -> bool:
            # a capitalised word or a number (not a year): title-like, unlike "getting" or "again"
            t = tokens[n]
            if parse.covered(n) or t.frame or _YEAR.match(t.key) or has_hangul(t.text):
                return False
            return t.text[:1].isupper() or t.key.isdigit()

        a, b = m.i, m.j
        while a > 0 and extra(a - 1):
            a -= 1
        k = b
        while k < len(tokens):
            if extra(k):
                k += 1
                b = k
            elif (tokens[k].key in _JOINERS if loose else tokens[k].key == "of") and not parse.covered(k):
                k += 1  # "Love *in* Jupiter"; after a full title only "of" ("Secret Garden *of* Time")
            else:
                break
        if (a, b) == (m.i, m.j):
            return None
        return (a, b)

    async def _extra_is_character(self, parse: _Parse, span: tuple[int, int]) -> bool:
        """"Vincenzo Hong Cha Young actor?": the words next to the title name one of its characters."""
        m = parse.dramas[0]
        parts = [(span[0], m.i), (m.j, span[1])]
        texts = [span_text(parse.question, parse.tokens, a, b) for a, b in parts if b > a]
        cast = await self.q.cast(m.ids[0])
        return any(_character_score(text, r["character"] or "") >= 86 for text in texts for r in cast)

    async def _not_found(self, parse: _Parse, *, span: tuple[int, int] | None = None,
                         also: list[int] | None = None) -> Answer:
        chunks = [span] if span else parse.chunks()
        shown = echo(" ".join(span_text(parse.question, parse.tokens, i, j) for i, j in chunks)) or echo(
            parse.question)
        suggestions = await self._suggest(parse, also=also)
        text = f"I couldn't find “{shown}” in my catalog of dramas and actors."
        if suggestions:
            text += f" Did you mean: {join_names(suggestions, 'or')}?"
        return Answer(text, intent="not_found", found=False, suggestions=suggestions)

    async def _drama_answer(self, parse: _Parse, d: sqlite3.Row, people: list[Mention], fields: list[str],
                            today: dt.date | None) -> Answer:
        intents = parse.intents
        label = drama_label(d)
        asks_actor = "actor_for_character" in intents or ("who_is" in intents and not fields)
        if people and not (fields and fields[0] in ("director", "writer", "source")):
            cast = await self.q.cast(d["id"])
            credited = {r["person_id"] for r in cast}
            in_cast = [m for m in people if credited.intersection(m.ids)]
            if in_cast:
                return await self._role_in(d, [i for i in in_cast[0].ids if i in credited], in_cast[0])
            # "Which drama did Lee Jong Suk play *Kang Chul* in?": the "title" may be a character of theirs
            spans = [span_text(parse.question, parse.tokens, m.i, m.j) for m in parse.dramas]
            chunk = parse.character_chunk()
            if chunk:
                spans.append(span_text(parse.question, parse.tokens, *chunk))
            for typed in spans:
                found = await self._role_by_character(people[0].ids, typed)
                if found is not None:
                    return found
            if not asks_actor and not fields:
                return await self._role_in(d, people[0].ids, people[0])
            # a character that shares its name with an actor ("Who was Seo Eun Soo in The Road?")
            parse.mentions = [m for m in parse.mentions if m.kind != "person"]
        if asks_actor or ("character_for_actor" in intents and not fields):
            chunk = parse.character_chunk()
            if chunk:
                words = {t.key for t in parse.tokens[chunk[0]:chunk[1]]}
                if words <= ROLE_WORDS | FRAME:
                    return await self._cast(d, main_only=True)
                return await self._who_plays(parse, d, chunk)
        if fields:
            intent = fields[0]
            if intent in ("premiere", "finale") and "premiere" in fields and "finale" in fields:
                intent = "dates"
            handler = getattr(self, f"_a_{intent}")
            answer = await handler(d, label, today)
            extra = await self._facts_for(parse, d)
            if extra is not None and answer.found:
                # words the intent did not use may ask something a stored fact answers ("number one on Viki?")
                answer.text += " " + extra.text
            return answer
        if any(i in intents for i in ("cast", "actor_for_character", "character_for_actor", "who_is")):
            return await self._cast(d)
        if "about" in intents:
            return await self._a_about(d, label, today)
        if "dates" in intents:
            return await self._a_dates(d, label, today)
        facts = await self._facts_for(parse, d)
        if facts is not None:
            return facts
        return await self._a_about(d, label, today)

    # ------------------------------------------------------------------ people answers
    async def _role_in(self, d: sqlite3.Row, person_ids: list[int], mention: Mention) -> Answer:
        cast = await self.q.cast(d["id"])
        label = drama_label(d)
        roles = [r for r in cast if r["person_id"] in person_ids]
        if roles:
            name = roles[0]["name"]
            chars = [r["character"] for r in roles if r["character"]]
            kind = {"main": "a main role", "support": "a supporting role", "guest": "a guest role"}.get(
                roles[0]["role"], "a role")
            if chars:
                text = f"{name} plays {join_names(chars)} in {label} ({kind})."
            else:
                text = f"{name} is in the cast of {label} ({kind})."
            return Answer(text, intent="character_for_actor", drama_id=d["id"], person_id=roles[0]["person_id"])
        person = await self.q.person(person_ids[0])
        film = await self.q.filmography(person_ids[0])
        text = f"I couldn't find {person['name']} in the cast of {label}."
        if film:
            text += " " + self._film_sentence(person["name"], film, limit=6)
        return Answer(text, intent="character_for_actor", found=False, drama_id=d["id"], person_id=person["id"])

    async def _role_by_character(self, person_ids: list[int], typed: str) -> Answer | None:
        for person_id in person_ids[:3]:
            film = await self.q.filmography(person_id)
            scored = [(_character_score(typed, r["character"] or ""), r) for r in film]
            scored = [sr for sr in scored if sr[0] >= 86]
            if scored:
                scored.sort(key=lambda sr: -sr[0])
                r = scored[0][1]
                person = await self.q.person(person_id)
                return Answer(f"{person['name']} plays {r['character']} in {drama_label(r)}.",
                              intent="character_for_actor", drama_id=r["drama_id"], person_id=person_id)
        return None

    async def _who_plays(self, parse: _Parse, d: sqlite3.Row, chunk: tuple[int, int]) -> Answer:
        label = drama_label(d)
        typed = span_text(parse.question, parse.tokens, *chunk)
        cast = await self.q.cast(d["id"])
        scored = []
        for r in cast:
            score = _character_score(typed, r["character"] or "")
            if score >= 84:
                scored.append((score, r))
        if not scored:
            text = (f"No one called “{echo(typed)}” is in the cast of {label} that I know of."
                    f" I couldn't find that character.")
            if cast:
                text += " Its main cast: " + self._cast_line(cast, main_only=True, limit=6) + "."
            return Answer(text, intent="actor_for_character", found=False, drama_id=d["id"])
        scored.sort(key=lambda sr: (-sr[0], sr[1]["billing"]))
        top = scored[0][0]
        picks = [r for s, r in scored if s >= top - 3]
        parts = [f"{r['name']} plays {r['character']}" for r in picks[:4]]
        return Answer(f"In {label}, {join_names(parts)}.", intent="actor_for_character", drama_id=d["id"],
                      person_id=picks[0]["person_id"])

    async def _character_anywhere(self, parse: _Parse, chunk: tuple[int, int]) -> Answer | None:
        words = [t.text for t in parse.tokens[chunk[0]:chunk[1]]]
        variants = {" ".join(words)}
        if len(words) >= 2:
            variants.add(" ".join(words[:-2] + [f"{words[-2]}-{words[-1]}"]))
            variants.add(" ".join(words[:-2] + [f"{words[-2]}{words[-1]}"]))
        rows = await self.q.credits_by_characters(sorted(variants))
        if not rows:
            return None
        parts = [f"{r['name']} plays {r['character']} in {drama_label(r)}" for r in rows[:5]]
        text = join_names(parts) + "."
        return Answer(text[0].upper() + text[1:], intent="actor_for_character", drama_id=rows[0]["drama_id"],
                      person_id=rows[0]["person_id"])

    def _film_sentence(self, name: str, film: list[sqlite3.Row], limit: int = 15) -> str:
        items = []
        seen: set[int] = set()
        for r in film:
            if r["drama_id"] in seen:
                continue
            seen.add(r["drama_id"])
            item = drama_label(r)
            if r["character"]:
                item += f" as {r['character']}"
            items.append(item)
        shown = items[:limit]
        more = f", and {len(items) - limit} more" if len(items) > limit else ""
        return f"{name}'s dramas: " + "; ".join(shown) + more + "."

    async def _filmography(self, person: sqlite3.Row, *, others: list[int] | None = None) -> Answer:
        film = await self.q.filmography(person["id"])
        name = person["name"]
        korean = f" ({person['korean_name']})" if person["korean_name"] else ""
        if not film:
            text = f"{name}{korean} is in my catalog, but I don't have any of their dramas yet."
        else:
            text = self._film_sentence(f"{name}{korean}", film)
        if others:
            labels = []
            for other in others[:4]:
                row = await self.q.person(other)
                works = await self.q.filmography(other)
                labels.append(f"{row['name']} ({drama_label(works[0])})" if works else row["name"])
            text += (f" (Other people share that name: {join_names(labels)}; I picked the one with the most "
                     f"credits. Add a drama to your question to pick another.)")
        return Answer(text, intent="filmography", person_id=person["id"])

    def _cast_line(self, cast: list[sqlite3.Row], *, main_only: bool = False, limit: int = 10) -> str:
        rows = [r for r in cast if r["role"] == "main"] if main_only else list(cast)
        if not rows:
            rows = list(cast)
        rows = dedupe_cast(rows)
        parts = [f"{r['name']} as {r['character']}" if r["character"] else r["name"] for r in rows[:limit]]
        return ", ".join(parts)

    async def _cast(self, d: sqlite3.Row, *, main_only: bool = False) -> Answer:
        cast = await self.q.cast(d["id"])
        label = drama_label(d)
        if not cast:
            return Answer(f"I don't have the cast of {label} yet.", intent="cast", found=False, drama_id=d["id"])
        main = [r for r in cast if r["role"] == "main"]
        rest = [r for r in cast if r["role"] != "main"]
        if main:
            text = f"The main cast of {label}: {self._cast_line(main, limit=8)}."
            if rest and not main_only:
                text += f" Also starring: {self._cast_line(rest, limit=6)}."
        else:
            text = f"The cast of {label}: {self._cast_line(cast, limit=10)}."
        return Answer(text, intent="cast", drama_id=d["id"])

    async def _facts_for(self, parse: _Parse, d: sqlite3.Row) -> Answer | None:
        words = parse.residual_words()
        if not words:
            return None
        rows = await self.q.search_facts(words, drama_id=d["id"], limit=2)
        if not rows:
            return None
        text = " ".join(_fact_text(r) for r in rows)
        return Answer(f"About {drama_label(d)}: {text}", intent="facts", drama_id=d["id"])

    # ------------------------------------------------------------------ drama field answers
    async def _a_season2(self, d, label, today) -> Answer:
        status = d["season2_status"] or "unknown"
        as_of = f" (as of {format_date(d['season2_as_of'])})" if d["season2_as_of"] else ""
        note = f" {d['season2_note'].strip()}" if d["season2_note"] else ""
        if note and not note.rstrip().endswith((".", "!", "?")):
            note += "."
        if status == "confirmed":
            text = f"Yes: a second season of {label} has been confirmed{as_of}.{note}"
        elif status == "denied":
            text = f"No: there will be no season 2 of {label}; it has been ruled out{as_of}.{note}"
        elif status == "rumoured":
            text = (f"A season 2 of {label} is only rumoured so far: it has not been confirmed{as_of}.{note}")
        else:
            text = f"A second season of {label} has not been confirmed or announced{as_of}.{note}"
        return Answer(text.strip(), intent="season2", drama_id=d["id"])

    async def _a_similar(self, d, label, today) -> Answer:
        rows = await self.q.similar(d["id"])
        if rows:
            items = [drama_label(r) + (f" ({r['reason']})" if r["reason"] else "") for r in rows]
            return Answer(f"If you liked {label}, try: " + "; ".join(items) + ".", intent="similar")
        picks = await self._alike(d)
        if not picks:
            return Answer(f"I don't have similar dramas listed for {label} yet.", intent="similar", found=False)
        return Answer(f"If you liked {label}, dramas with similar genres and themes: {join_names(picks)}.",
                      intent="similar")

    async def _alike(self, d: sqlite3.Row, limit: int = 5) -> list[str]:
        """Neighbours from nearby years ranked by shared genres, tags and network (no curated list)."""
        if not d["year"]:
            return []
        genres, tags = set(_list(d["genres"])), set(_list(d["tags"]))
        if not genres and not tags:
            return []
        scored = []
        for r in await self.q.neighbours(d["year"], d["id"]):
            score = 2 * len(genres & set(_list(r["genres"]))) + len(tags & set(_list(r["tags"])))
            score += 1 if r["network"] and r["network"] == d["network"] else 0
            if score >= 3:
                scored.append((score, r["year"] or 0, r))
        scored.sort(key=lambda x: (-x[0], -x[1]))
        return [drama_label(r) for _s, _y, r in scored[:limit]]

    async def _a_korean_title(self, d, label, today) -> Answer:
        if d["korean_title"]:
            return Answer(f"The Korean title of {label} is {d['korean_title']}.", intent="korean_title")
        return Answer(f"I don't have the Korean title of {label}.", intent="korean_title", found=False)

    async def _a_source(self, d, label, today) -> Answer:
        if not d["source_title"] and not d["source_type"]:
            return Answer(f"I don't have an original work on record for {label}; it may be an original screenplay.",
                          intent="source", found=False)
        kind = d["source_type"] or "work"
        text = f"{label} is based on the {kind}"
        if d["source_title"]:
            text += f" “{d['source_title']}”"
        if d["source_author"]:
            text += f" by {d['source_author']}"
        if d["source_illustrator"]:
            text += f", illustrated by {d['source_illustrator']}"
        if d["source_platform"]:
            text += f" (published on {d['source_platform']})"
        return Answer(text + ".", intent="source")

    async def _a_director(self, d, label, today) -> Answer:
        names = _list(d["directors"])
        if not names:
            return Answer(f"I don't know who directed {label}.", intent="director", found=False)
        return Answer(f"{label} was directed by {join_names(names)}.", intent="director")

    async def _a_writer(self, d, label, today) -> Answer:
        names = _list(d["writers"])
        if not names:
            return Answer(f"I don't know who wrote {label}.", intent="writer", found=False)
        text = f"{label} was written by {join_names(names)}."
        if d["source_title"] and d["source_author"]:
            text += f" It is based on “{d['source_title']}” by {d['source_author']}."
        return Answer(text, intent="writer")

    def _date_phrase(self, d, today: dt.date, which: str) -> str | None:
        value = d["first_aired"] if which == "first" else d["last_aired"]
        if not value:
            return None
        day = dt.date.fromisoformat(value[:10]) if re.match(r"\d{4}-\d\d-\d\d", value) else None
        future = day is not None and today is not None and day > today
        if which == "first":
            return f"{'premieres' if future else 'premiered'} on {format_date(value)}"
        return f"{'is set to end' if future else 'ended'} on {format_date(value)}"

    async def _a_premiere(self, d, label, today) -> Answer:
        first = self._date_phrase(d, today, "first")
        if not first:
            return Answer(f"I don't know when {label} premiered.", intent="premiere", found=False)
        text = f"{label} {first}"
        if d["network"]:
            text += f" on {d['network']}"
        return Answer(text + ".", intent="premiere")

    async def _a_finale(self, d, label, today) -> Answer:
        last = self._date_phrase(d, today, "last")
        if not last:
            if d["status"] == "airing":
                return Answer(f"{label} is still airing and I don't have its final date yet.", intent="finale")
            return Answer(f"I don't know when {label} ended.", intent="finale", found=False)
        extra = f" after {d['episodes']} episodes" if d["episodes"] and last.startswith("ended") else ""
        return Answer(f"{label} {last}{extra}.", intent="finale")

    async def _a_dates(self, d, label, today) -> Answer:
        first = self._date_phrase(d, today, "first")
        last = self._date_phrase(d, today, "last")
        if not first and not last:
            return Answer(f"I don't have the airing dates of {label}.", intent="dates", found=False)
        text = f"{label} {join_names([p for p in (first, last) if p])}."
        sched = self._schedule(d)
        if sched:
            text += f" It {'airs' if d['status'] in ('airing', 'upcoming') else 'aired'} {sched}."
        return Answer(text, intent="dates")

    async def _a_episodes(self, d, label, today) -> Answer:
        if not d["episodes"]:
            return Answer(f"I don't know how many episodes {label} has.", intent="episodes", found=False)
        verb = "has" if d["status"] != "upcoming" else "is planned with"
        return Answer(f"{label} {verb} {d['episodes']} episodes.", intent="episodes")

    def _schedule(self, d) -> str | None:
        days = _list(d["air_days"])
        if not days and not d["air_time"]:
            return None
        text = ""
        if days:
            text += f"every {plural_days(days)}"
        if d["air_time"]:
            tz = " KST" if (d["air_tz"] or "Asia/Seoul") == "Asia/Seoul" else f" ({d['air_tz']})"
            text += f" at {d['air_time']}{tz}"
        return text.strip()

    async def _a_air_days(self, d, label, today) -> Answer:
        sched = self._schedule(d)
        if not sched:
            text = f"I don't have the broadcast days of {label}."
            if d["first_aired"] and d["last_aired"]:
                on = f" on {d['network']}" if d["network"] else ""
                count = f" ({d['episodes']} episodes)" if d["episodes"] else ""
                text += f" It aired{on} from {format_date(d['first_aired'])} to {format_date(d['last_aired'])}{count}."
            return Answer(text, intent="air_days", found=False)
        verb = "airs" if d["status"] in ("airing", "upcoming") else "aired"
        on = f" on {d['network']}" if d["network"] else ""
        return Answer(f"{label} {verb}{on} {sched}.", intent="air_days")

    async def _a_schedule(self, d, label, today) -> Answer:
        """"When is the next episode?": the weekly slot while airing, else the airing dates."""
        if d["status"] in ("airing", "upcoming") and self._schedule(d):
            return await self._a_air_days(d, label, today)
        return await self._a_dates(d, label, today)

    async def _a_air_time(self, d, label, today) -> Answer:
        return await self._a_air_days(d, label, today)

    async def _a_platforms(self, d, label, today) -> Answer:
        platforms = _list(d["platforms"])
        if platforms:
            text = f"You can watch {label} on {join_names(platforms, 'or')}."
            if d["network"] and d["network"] not in platforms:
                text += f" It originally aired on {d['network']}."
            return Answer(text, intent="platforms")
        if d["network"]:
            return Answer(f"{label} aired on {d['network']}; I don't have streaming platforms for it.",
                          intent="platforms")
        return Answer(f"I don't know where to watch {label}.", intent="platforms", found=False)

    async def _a_network(self, d, label, today) -> Answer:
        if not d["network"]:
            return await self._a_platforms(d, label, today)
        text = f"{label} aired on {d['network']}."
        platforms = [p for p in _list(d["platforms"]) if p != d["network"]]
        if platforms:
            text += f" It streams on {join_names(platforms)}."
        return Answer(text, intent="network")

    async def _a_year(self, d, label, today) -> Answer:
        if not d["year"]:
            return Answer(f"I don't know what year {d['title']} came out.", intent="year", found=False)
        first = f" (premiere: {format_date(d['first_aired'])})" if d["first_aired"] else ""
        return Answer(f"{d['title']} is from {d['year']}{first}.", intent="year")

    async def _a_rating(self, d, label, today) -> Answer:
        parts = []
        if d["rating"] is not None:
            parts.append(f"a community rating of {d['rating']:g}/10")
        if d["peak_share"] is not None:
            parts.append(f"a peak nationwide audience share of {d['peak_share']:g}%")
        if not parts:
            return Answer(f"I don't have ratings for {label}.", intent="rating", found=False)
        return Answer(f"{label} has {join_names(parts)}.", intent="rating")

    async def _a_genre(self, d, label, today) -> Answer:
        genres = _list(d["genres"])
        if not genres:
            return Answer(f"I don't have the genres of {label}.", intent="genre", found=False)
        return Answer(f"Genres of {label}: {join_names([g.lower() for g in genres])}.", intent="genre")

    async def _a_status(self, d, label, today) -> Answer:
        status = d["status"]
        if status == "finished":
            last = f" on {format_date(d['last_aired'])}" if d["last_aired"] else ""
            return Answer(f"{label} has finished airing{last}.", intent="status")
        if status == "airing":
            return Answer(f"{label} is airing now{(' ' + self._schedule(d)) if self._schedule(d) else ''}.",
                          intent="status")
        if status == "upcoming":
            first = f"; it premieres on {format_date(d['first_aired'])}" if d["first_aired"] else ""
            return Answer(f"{label} hasn't started yet{first}.", intent="status")
        return await self._a_dates(d, label, today)

    async def _a_about(self, d, label, today) -> Answer:
        return Answer(describe(d), intent="about")


def describe(d: Any) -> str:
    """The synopsis if the catalog has one, else a sentence built from genres, tags, network and year."""
    label = drama_label(d)
    if d["synopsis"]:
        return f"{label}: {d['synopsis'].strip()}"
    genres = [g.lower() for g in _list(d["genres"])]
    tags = [t.lower() for t in _list(d["tags"])][:4]
    text = f"{label} is a"
    if d["year"]:
        text += f" {d['year']}"
    text += f" {join_names(genres) if genres else 'Korean'} drama"
    bits = []
    if d["network"]:
        bits.append(d["network"])
    if d["episodes"]:
        bits.append(f"{d['episodes']} episodes")
    if bits:
        text += f" ({', '.join(bits)})"
    if tags:
        text += f" about {join_names(tags)}"
    return text + "."


def dedupe_cast(rows: list[Any]) -> list[Any]:
    """Drop a character-less credit whose actor is a spelling variant of another listed actor."""
    keys = [norm(r["name"]) for r in rows]
    out = []
    for n, r in enumerate(rows):
        if not r["character"] and any(m != n and fuzz.ratio(keys[n], keys[m]) >= 85 for m in range(len(rows))):
            continue
        out.append(r)
    return out


def _fact_text(row: Any) -> str:
    text = row["text"].strip()
    if row["as_of"]:
        end = text[-1] if text[-1:] in ".!?" else "."
        text = text.rstrip(".!?") + f" (as of {format_date(row['as_of'])}){end}"
    return text


def _character_score(typed: str, character: str) -> float:
    if not character:
        return 0.0
    a, b = norm(typed), norm(character)
    if not a or not b:
        return 0.0
    score = fuzz.ratio(a, b)
    fa, fb = fold(typed), fold(re.sub(r"\(.*?\)", " ", character))
    if len(a) >= 3:
        score = max(score, fuzz.token_set_ratio(fa, fb) - (2 if a != b else 0))
        parts = [norm(p) for p in re.split(r"[\s\-]+", fb) if p]
        # a given name typed alone ("Sol" for "Im Sol"), also with the hyphen dropped ("Yeonsoo")
        if a in parts or (len(parts) >= 2 and a == "".join(parts[1:])):
            score = max(score, 90)
    return score


def _windows(tokens: list[Token], i: int, j: int) -> list[tuple[int, int, float]]:
    """Where a (misspelt) title may sit in a chunk of left-over words, with a small penalty for guesses.

    The chunk itself; with up to three question words put back on either side (titles start and end
    with "A", "My", "Are You", "at First", "Day"...); the part after or before an inner question word
    ("Jang Myung Ae *in* Behind Every Satr"); the chunk less one edge word; a trailing year dropped.
    """
    out: dict[tuple[int, int], float] = {}

    def add(a: int, b: int, penalty: float) -> None:
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
        if len(window_key(tokens, i + 1, j)) >= 0.6 * total:
            add(i + 1, j, 8.0)
        if _YEAR.match(tokens[j - 1].key):
            add(i, j - 1, 0.0)
        elif len(window_key(tokens, i, j - 1)) >= 0.6 * total:
            add(i, j - 1, 8.0)
    return [(a, b, p) for (a, b), p in out.items()]


def _select(cands: list[Mention], keep: list[Mention] | None = None, *, person_first: bool = False
            ) -> list[Mention]:
    """Longest non-overlapping mentions (drama before person on a tie, unless the question asks about
    someone's dramas), in question order."""
    first = "person" if person_first else "drama"
    chosen: list[Mention] = list(keep or [])
    taken: set[int] = set()
    for m in chosen:
        taken.update(range(m.i, m.j))
    for m in sorted(cands, key=lambda m: (-m.size[0], -m.size[1], 0 if m.kind == first else 1, m.i)):
        if m in chosen:
            continue
        if taken.intersection(range(m.i, m.j)):
            continue
        chosen.append(m)
        taken.update(range(m.i, m.j))
    return sorted(chosen, key=lambda m: m.i)


_YEAR = re.compile(r"^(19[5-9]\d|20[0-4]\d)$")
_JOINERS = frozenset("in of on the a an and with for to at from".split())
_PARTICLES = ("에서", "까지", "부터", "은", "는", "이", "가", "을", "를", "의", "에", "도", "와", "과", "랑", "이랑")


# Question words worth recognising through a typo ("who directd ...", "how many episods ...").
CUE_WORDS = ("directed", "director", "episodes", "episode", "premiere", "premiered", "network", "channel",
             "written", "writer", "season", "similar", "released", "release", "broadcast", "broadcasted",
             "starring", "character", "filmography", "platform", "streaming", "finale", "korean", "original",
             "webtoon", "adaptation", "synopsis", "actress", "played", "portrays", "schedule")


def _correct_cues(tokens: list[Token]) -> list[Token]:
    out = []
    for t in tokens:
        if len(t.key) >= 6 and t.key.isascii() and t.key not in FRAME:
            hit = process.extractOne(t.key, CUE_WORDS, scorer=fuzz.ratio, score_cutoff=86)
            if hit is not None:
                t = Token(t.text, t.key, t.start, t.end, cue=hit[0])
        out.append(t)
    return out


def _strip_particle(key: str) -> str:
    """Korean particles stick to the word before them ("도깨비는"); drop one for lookups."""
    for particle in _PARTICLES:
        if key.endswith(particle) and len(key) > len(particle) + 1:
            return key[: -len(particle)]
    return key


class _Parse:
    """A question being understood: tokens, chosen mentions, intents."""

    def __init__(self, question: str, tokens: list[Token]) -> None:
        self.question = question
        self.tokens = tokens
        self.mentions: list[Mention] = []
        self.intents: list[str] = []
        self.year_hint: int | None = None
        self.frame_only: list[Mention] = []
        self.years = [int(t.key) for t in tokens if _YEAR.match(t.key)]

    def isolated(self, i: int) -> bool:
        """A one-word window counts only when its neighbours are question words (not "Im *Sol*")."""
        left = i == 0 or self.tokens[i - 1].frame
        right = i + 1 >= len(self.tokens) or self.tokens[i + 1].frame or _YEAR.match(self.tokens[i + 1].key)
        return bool(left and right)

    @property
    def dramas(self) -> list[Mention]:
        return [m for m in self.mentions if m.kind == "drama"]

    @property
    def people(self) -> list[Mention]:
        return [m for m in self.mentions if m.kind == "person"]

    def residual_words(self) -> list[str]:
        """Words no mention covers and no question cue explains (for full-text search over facts)."""
        return [t.text for n, t in enumerate(self.tokens)
                if not self.covered(n) and not t.frame and not _YEAR.match(t.key) and len(t.key) > 1]

    def covered(self, n: int) -> bool:
        return any(m.i <= n < m.j for m in self.mentions)

    def detect(self) -> None:
        parts = []
        pos = 0
        for m in self.mentions:
            start, end = self.tokens[m.i].start, self.tokens[m.j - 1].end
            parts.append(self.question[pos:start])
            parts.append(_intents.DRAMA_MARK if m.kind == "drama" else _intents.PERSON_MARK)
            pos = end
        parts.append(self.question[pos:])
        masked = fold("".join(parts))
        for n, t in enumerate(self.tokens):
            if t.cue and not self.covered(n):
                masked += f" {t.cue}"  # a misspelt cue word ("directd" -> "directed")
        self.intents = _intents.detect(masked)

    def chunks(self, ignore: list[Mention] | None = None) -> list[tuple[int, int]]:
        """Runs of uncovered tokens (mentions in ``ignore`` count as uncovered), trimmed of question
        words at both ends, longest first."""
        out = []
        n = len(self.tokens)
        skip = [m for m in self.mentions if m not in (ignore or [])]

        def covered(k: int) -> bool:
            return any(m.i <= k < m.j for m in skip)

        k = 0
        while k < n:
            if covered(k):
                k += 1
                continue
            start = k
            while k < n and not covered(k):
                k += 1
            i, j = start, k
            while i < j and self.tokens[i].frame and not has_hangul(self.tokens[i].text):
                i += 1
            while j > i and self.tokens[j - 1].frame:
                j -= 1
            if i < j:
                out.append((i, j))
        out.sort(key=lambda ij: -(ij[1] - ij[0]))
        return out

    def character_chunk(self) -> tuple[int, int] | None:
        """The words naming a character: the first uncovered run (before the drama, usually)."""
        runs = sorted(self.chunks())
        return runs[0] if runs else None


_ENGINES: weakref.WeakKeyDictionary[Any, KnowledgeEngine] = weakref.WeakKeyDictionary()


def engine_for(store: Store) -> KnowledgeEngine:
    """The one engine (and name index) per open store."""
    engine = _ENGINES.get(store)
    if engine is None:
        engine = _ENGINES[store] = KnowledgeEngine(store)
    return engine
