"""Answers about people: who plays whom, a cast list, someone's filmography."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from bot.knowledge.labels import dedupe_cast, drama_label, json_list, person_label
from bot.knowledge.linking import best_character_score
from bot.knowledge.model import Answer
from bot.knowledge.text import echo, join_names, norm, span_text

if TYPE_CHECKING:
    from bot.knowledge.parse import Mention, Parse


async def role_in(q, d: sqlite3.Row, person_ids: list[int], mention: Mention | None) -> Answer:
    cast = await q.cast(d["id"])
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
    person = await q.person(person_ids[0])
    film = await q.filmography(person_ids[0])
    text = f"I couldn't find {person['name']} in the cast of {label}."
    if film:
        text += " " + film_sentence(person["name"], film, limit=6)
    return Answer(text, intent="character_for_actor", found=False, drama_id=d["id"], person_id=person["id"])


async def role_by_character(q, person_ids: list[int], typed: str) -> Answer | None:
    for person_id in person_ids[:3]:
        film = await q.filmography(person_id)
        scored = [(best_character_score(typed, r), r) for r in film]
        scored = [sr for sr in scored if sr[0] >= 86]
        if scored:
            scored.sort(key=lambda sr: -sr[0])
            r = scored[0][1]
            person = await q.person(person_id)
            return Answer(f"{person['name']} plays {r['character']} in {drama_label(r)}.",
                          intent="character_for_actor", drama_id=r["drama_id"], person_id=person_id)
    return None


def person_score(typed: str, row) -> float:
    """How well ``typed`` names a credited person, by their name or another spelling of it (a typo in an
    actor's name: "Byun Hee Boeg" for Byun Hee Bong)."""
    key = norm(typed)
    if len(key) < 5:
        return 0.0
    try:
        aliases = json_list(row["person_aliases"])
    except (IndexError, KeyError):
        aliases = []
    return max(fuzz.ratio(key, norm(name)) for name in [row["name"], *aliases])


def cast_member(cast: list[sqlite3.Row], texts: list[str]) -> tuple[float, sqlite3.Row | None]:
    """The cast member whose name one of ``texts`` spells best, with the score."""
    best: tuple[float, sqlite3.Row | None] = (0.0, None)
    for r in cast:
        score = max((person_score(t, r) for t in texts), default=0.0)
        if score > best[0]:
            best = (score, r)
    return best


ACTOR_SCORE = 85.0


async def who_plays(q, parse: Parse, d: sqlite3.Row, chunk: tuple[int, int]) -> Answer:
    label = drama_label(d)
    typed = span_text(parse.question, parse.tokens, *chunk)
    cast = await q.cast(d["id"])
    texts = [span_text(parse.question, parse.tokens, *c) for c in parse.name_chunks(chunk)]
    scored = []
    for r in cast:
        score = max(best_character_score(text, r) for text in texts)
        if score >= 84:
            scored.append((score, r))
    actor, member = cast_member(cast, texts)
    if member is not None and actor >= ACTOR_SCORE and actor > max((s for s, _r in scored), default=0.0):
        # the words name (misspell) an actor of this drama, not a character: "Who was Jnag Hee Jin in ...?"
        return await role_in(q, d, [member["person_id"]], None)
    if not scored:
        text = (f"No one called “{echo(typed)}” is in the cast of {label} that I know of."
                f" I couldn't find that character.")
        if cast:
            text += " Its main cast: " + cast_line(cast, main_only=True, limit=6) + "."
        return Answer(text, intent="actor_for_character", found=False, drama_id=d["id"])
    scored.sort(key=lambda sr: (-sr[0], sr[1]["billing"]))
    top = scored[0][0]
    picks = [r for s, r in scored if s >= top - 3]
    parts = [f"{person_label(r)} plays {r['character']}" for r in picks[:4]]
    return Answer(f"In {label}, {join_names(parts)}.", intent="actor_for_character", drama_id=d["id"],
                  person_id=picks[0]["person_id"])


async def character_anywhere(q, parse: Parse, chunk: tuple[int, int],
                             aliases: dict[str, list[str]] | None = None, *,
                             exclude: set[str] | None = None) -> Answer | None:
    """A character named without a drama, across the catalog; ``aliases``: other spellings -> names.
    The longest typed name that is found wins ("Lee Sung A" over "Lee Sung" when both were typed with a
    question word put back); names whose key is in ``exclude`` never count."""
    typed: dict[str, int] = {}  # credited name (lower case) -> length of the typed words naming it

    def add(name: str, length: int) -> None:
        typed[name.lower()] = max(typed.get(name.lower(), 0), length)

    for i, j in parse.name_chunks(chunk):
        words = [p for t in parse.tokens[i:j] for p in t.text.split("-") if p]  # "Mi-jo" -> "Mi", "jo"
        key = norm(" ".join(words))
        for name in (" ".join(words), span_text(parse.question, parse.tokens, i, j)):
            add(name, len(key))
        if len(words) >= 2:
            add(" ".join(words[:-2] + [f"{words[-2]}-{words[-1]}"]), len(key))
            add(" ".join(words[:-2] + [f"{words[-2]}{words[-1]}"]), len(key))
        for name in (aliases or {}).get(key, []):
            add(name, len(key))  # "Oh Mi Do" -> "Oh Mi-joo"
    rows = await q.credits_by_characters(sorted(typed))
    rows = [r for r in rows if norm(r["character"]) not in (exclude or set())]
    if not rows:
        return None
    longest = max(typed.get(r["character"].lower(), 0) for r in rows)
    rows = [r for r in rows if typed.get(r["character"].lower(), 0) == longest]
    parts = [f"{person_label(r)} plays {r['character']} in {drama_label(r)}" for r in rows[:5]]
    text = join_names(parts) + "."
    return Answer(text[0].upper() + text[1:], intent="actor_for_character", drama_id=rows[0]["drama_id"],
                  person_id=rows[0]["person_id"])


def film_sentence(name: str, film: list[sqlite3.Row], limit: int = 15) -> str:
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


async def filmography(q, person: sqlite3.Row, *, others: list[int] | None = None) -> Answer:
    film = await q.filmography(person["id"])
    name = person["name"]
    korean = f" ({person['korean_name']})" if person["korean_name"] else ""
    if not film:
        text = f"{name}{korean} is in my catalog, but I don't have any of their dramas yet."
    else:
        text = film_sentence(f"{name}{korean}", film)
    if others:
        labels = []
        for other in others[:4]:
            row = await q.person(other)
            works = await q.filmography(other)
            labels.append(f"{row['name']} ({drama_label(works[0])})" if works else row["name"])
        text += (f" (Other people share that name: {join_names(labels)}; I picked the one with the most "
                 f"credits. Add a drama to your question to pick another.)")
    return Answer(text, intent="filmography", person_id=person["id"])


def cast_line(cast: list[sqlite3.Row], *, main_only: bool = False, limit: int = 10) -> str:
    rows = [r for r in cast if r["role"] == "main"] if main_only else list(cast)
    if not rows:
        rows = list(cast)
    rows = dedupe_cast(rows)
    parts = [f"{person_label(r)} as {r['character']}" if r["character"] else person_label(r) for r in rows[:limit]]
    return ", ".join(parts)


async def answer_cast(q, d: sqlite3.Row, *, main_only: bool = False) -> Answer:
    cast = await q.cast(d["id"])
    label = drama_label(d)
    if not cast:
        return Answer(f"I don't have the cast of {label} yet.", intent="cast", found=False, drama_id=d["id"])
    main = [r for r in cast if r["role"] == "main"]
    rest = [r for r in cast if r["role"] != "main"]
    if main:
        text = f"The main cast of {label}: {cast_line(main, limit=8)}."
        if rest and not main_only:
            text += f" Also starring: {cast_line(rest, limit=6)}."
    else:
        text = f"The cast of {label}: {cast_line(cast, limit=10)}."
    return Answer(text, intent="cast", drama_id=d["id"])
