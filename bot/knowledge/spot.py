"""Spot the dramas, people and characters named anywhere in a piece of text ("Which drama is this?").

Unlike :meth:`KnowledgeEngine.answer`, which reads one question, this scans free chat ("omg Sun-jae in
ep 9 of lovely runner 😭") for every name the catalog knows: windows of up to ``MAX_WINDOW`` words
looked up exactly (drama titles and aliases in the name index, people and character names in the
store), longest names first and never two names over the same words. A window may not start or end
with a framing word ("the", "in", "episode"...), and a lone word counts only when it is capitalised
(or Hangul), so everyday words that happen to be titles are not "found".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.catalog.names import norm
from bot.knowledge.text import has_hangul, tokenize, window_key

if TYPE_CHECKING:
    from bot.knowledge.linking import Linker

MAX_TOKENS = 300
MAX_WINDOW = 6
MAX_NAME_WINDOW = 4
MAX_EACH = 5


@dataclass
class Spotted:
    """What a text names: catalog rows, best first, at most ``MAX_EACH`` of each kind."""

    dramas: list[Any] = field(default_factory=list)       # dramas rows
    people: list[Any] = field(default_factory=list)       # people rows
    characters: list[Any] = field(default_factory=list)   # credits rows (character, name, title, year)

    def __bool__(self) -> bool:
        return bool(self.dramas or self.people or self.characters)


@dataclass(frozen=True)
class _Hit:
    i: int
    j: int
    kind: str  # "drama" | "person" | "character"
    rows: tuple


def _word_ok(text: str) -> bool:
    return text[:1].isupper() or has_hangul(text)


def _framing(token: Any) -> bool:
    return token.frame and not has_hangul(token.text)


def _title_like(window: list) -> bool:
    """A window with framing words at its ends may still be a title: capitalised like one ("Crash Landing on
    You"), or at least three words of which two carry meaning ("crash landing on you")."""
    meaningful = [t for t in window if not t.frame]
    if not meaningful:
        return False
    capitalised = window[0].text[:1].isupper() and all(t.text[:1].isupper() for t in meaningful)
    return capitalised or (len(window) >= 3 and len(meaningful) >= 2)


async def spot(linker: Linker, text: str) -> Spotted:
    tokens = tokenize(text or "")[:MAX_TOKENS]
    q = linker.store.knowledge
    index = await linker.index()
    n = len(tokens)
    windows: list[tuple[int, int, str, str]] = []  # (i, j, key, original text): no framing word at either end
    titles: list[tuple[int, int, str]] = []         # windows looked up as titles (framing ends allowed, see below)
    for i in range(n):
        for j in range(i + 1, min(n, i + MAX_WINDOW) + 1):
            window = tokens[i:j]
            if j - i == 1 and not (_word_ok(window[0].text) and len(window[0].key) >= 3 and not window[0].frame):
                continue
            key = window_key(tokens, i, j)
            if not (_framing(window[0]) or _framing(window[-1])):
                windows.append((i, j, key, text[window[0].start:window[-1].end]))
                titles.append((i, j, key))
            elif j - i >= 2 and _title_like(window):
                titles.append((i, j, key))  # "Crash Landing on You", "crash landing on you"
    hits: list[_Hit] = []
    for i, j, key in titles:
        ids = index.exact(key)
        if ids:
            hits.append(_Hit(i, j, "drama", tuple(ids)))
    names = [w for w in windows if w[1] - w[0] <= MAX_NAME_WINDOW]
    if names:
        by_key: dict[str, list[Any]] = {}
        for row in await q.people_by_norms(list(dict.fromkeys(k for _i, _j, k, _s in names))):
            by_key.setdefault(norm(row["norm"]), []).append(row)
        hangul = [s for i, j, _k, s in names if j - i == 1 and has_hangul(s)]
        if hangul:
            for row in await q.people_by_korean(hangul):
                by_key.setdefault(row["norm"], []).append(row)
        by_text: dict[str, list[Any]] = {}
        spoken = [s for i, j, _k, s in names if j - i >= 2]
        if spoken:
            for row in await q.credits_by_characters(list(dict.fromkeys(spoken)), limit=50):
                by_text.setdefault(row["character"].casefold(), []).append(row)
        for i, j, key, shown in names:
            people = by_key.get(key) or by_key.get(shown) or []
            if people:
                people.sort(key=lambda r: -(r["credits"] or 0))
                hits.append(_Hit(i, j, "person", tuple(people)))
            credits = by_text.get(shown.casefold())
            if credits:
                hits.append(_Hit(i, j, "character", tuple(credits)))
    hits += await _cast_characters(linker, tokens, [h.rows[0] for h in hits if h.kind == "drama"][:MAX_EACH])
    return await _choose(linker, hits)


async def _cast_characters(linker: Linker, tokens: list, drama_ids: list[int]) -> list[_Hit]:
    """Characters of the dramas the text names, also by their given name alone ("Sun-jae" in Lovely Runner)."""
    names: dict[str, list[Any]] = {}
    for drama_id in dict.fromkeys(drama_ids):
        drama = await linker.store.knowledge.drama(drama_id)
        for row in await linker.store.knowledge.cast(drama_id):
            character = row["character"] or ""
            words = character.split()
            credit = {"character": character, "name": row["name"], "person_id": row["person_id"],
                      "drama_id": drama_id, "title": drama["title"], "year": drama["year"]}
            for variant in {character, " ".join(words[1:])} if len(words) >= 2 else {character}:
                key = norm(variant)
                if len(key) >= 3:
                    names.setdefault(key, []).append(credit)
    hits = []
    for i in range(len(tokens)):
        for j in range(i + 1, min(len(tokens), i + MAX_NAME_WINDOW) + 1):
            found = names.get(window_key(tokens, i, j))
            if found and not (j - i == 1 and tokens[i].frame):
                hits.append(_Hit(i, j, "character", tuple(found)))
    return hits


async def _choose(linker: Linker, hits: list[_Hit]) -> Spotted:
    """Longest names first (a drama before a person before a character of the same span), no overlaps."""
    order = {"drama": 0, "person": 1, "character": 2}
    taken: set[int] = set()
    chosen: list[_Hit] = []
    for hit in sorted(hits, key=lambda h: (-(h.j - h.i), order[h.kind], h.i)):
        span = set(range(hit.i, hit.j))
        if span & taken:
            continue
        taken |= span
        chosen.append(hit)
    chosen.sort(key=lambda h: h.i)
    found = Spotted()
    seen: set[tuple[str, Any]] = set()
    drama_ids = [h.rows[0] for h in chosen if h.kind == "drama"]
    q = linker.store.knowledge
    for hit in chosen:
        if hit.kind == "drama":
            row = await q.drama(hit.rows[0])
            if row is not None and ("d", row["id"]) not in seen and len(found.dramas) < MAX_EACH:
                seen.add(("d", row["id"]))
                found.dramas.append(row)
        elif hit.kind == "person":
            row = hit.rows[0]
            if ("p", row["id"]) not in seen and len(found.people) < MAX_EACH:
                seen.add(("p", row["id"]))
                found.people.append(row)
        else:
            # a character of a drama named in the same text first, else the most recent drama's
            rows = sorted(hit.rows, key=lambda r: r["drama_id"] not in drama_ids)
            row = rows[0]
            if ("c", row["character"].casefold(), row["drama_id"]) not in seen and len(found.characters) < MAX_EACH:
                seen.add(("c", row["character"].casefold(), row["drama_id"]))
                found.characters.append(row)
    return found
