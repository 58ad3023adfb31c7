"""Comparisons of two or more dramas (episodes, premiere or finale dates, ratings) or people (how many
dramas): the winner first, then every value, so the answer holds whichever way the question was put."""

from __future__ import annotations

from bot.knowledge.labels import drama_label
from bot.knowledge.model import Answer
from bot.knowledge.query import Query
from bot.knowledge.text import format_date, join_names

# attribute -> (column, the value as a noun, as a verb phrase, the winner's phrase)
ATTRIBUTES = {
    "episodes": ("episodes", lambda v: f"{v} episodes", lambda v: f"has {v} episodes", "has the most episodes"),
    "rating": ("rating", lambda v: f"{v:g}/10", lambda v: f"is rated {v:g}/10", "is rated higher"),
    "premiere": ("first_aired", lambda v: format_date(v), lambda v: f"premiered on {format_date(v)}", "came out first"),
    "finale": ("last_aired", lambda v: format_date(v), lambda v: f"ended on {format_date(v)}", "ended first"),
}


async def compare(q, query: Query) -> Answer:
    if query.attribute == "credits":
        return await _people(q, query)
    rows = await q.dramas_rows(list(dict.fromkeys(query.dramas)))
    column, noun, words, winner = ATTRIBUTES.get(query.attribute or "premiere", ATTRIBUTES["premiere"])
    known = [r for r in rows if r[column] is not None]
    unknown = [r for r in rows if r[column] is None]
    if len(rows) < 2:
        return Answer("I need two different dramas to compare.", intent="compare", found=False, query=query)
    parts = [f"{drama_label(r)} {words(r[column])}" for r in known]
    if len(known) < 2:
        text = (join_names(parts) + ". " if parts else "") + (
            f"I don't know that for {join_names([drama_label(r) for r in unknown])}.")
        return Answer(text, intent="compare", found=False, query=query)
    dates = column in ("first_aired", "last_aired")
    ranked = sorted(known, key=lambda r: r[column], reverse=not dates)
    top = ranked[0]
    if ranked[0][column] == ranked[1][column]:
        text = f"They are level: {join_names(parts)}."
    elif dates:
        text = f"{drama_label(top)} {winner}: it {words(top[column])}, " + join_names(
            [f"{drama_label(r)} {words(r[column])}" for r in ranked[1:]]) + "."
    else:
        text = f"{drama_label(top)} {winner}: {noun(top[column])}, against " + join_names(
            [f"{noun(r[column])} for {drama_label(r)}" for r in ranked[1:]]) + "."
    if unknown:
        text += f" (I don't know that for {join_names([drama_label(r) for r in unknown])}.)"
    return Answer(text, intent="compare", drama_id=top["id"], query=query)


async def _people(q, query: Query) -> Answer:
    people = [await q.person(ids[0]) for ids in query.people]
    counts = await q.people_counts(query.people)
    ranked = sorted(zip(people, counts, strict=True), key=lambda pc: -pc[1])
    parts = [f"{p['name']} {n} drama{'s' if n != 1 else ''}" for p, n in ranked]
    if ranked[0][1] == ranked[1][1]:
        return Answer(f"They are level in my catalog: {join_names(parts)}.", intent="compare", query=query)
    return Answer(f"{ranked[0][0]['name']} has been in more dramas in my catalog: {join_names(parts)}.",
                  intent="compare", person_id=ranked[0][0]["id"], query=query)
