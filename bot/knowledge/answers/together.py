"""Answers about people together: the dramas two or more people share, and an actor's co-stars.

Focused: a question about two actors names their shared dramas, never one actor's filmography.
"""

from __future__ import annotations

from bot.knowledge.labels import drama_label, person_label
from bot.knowledge.model import Answer
from bot.knowledge.query import Query
from bot.knowledge.text import join_names


async def shared(q, query: Query) -> Answer:
    people = [await q.person(ids[0]) for ids in query.people]
    names = join_names([p["name"] for p in people])
    rows = await q.shared_dramas(query.people)
    if not rows:
        return Answer(f"I don't know of any drama with both {names} in it." if len(people) == 2
                      else f"I don't know of any drama with all of {names} in it.",
                      intent="shared", found=False, query=query)
    everyone = [i for ids in query.people for i in ids]
    chars: dict[int, dict[int, str]] = {}
    for c in await q.credits_in([r["id"] for r in rows[:8]], everyone):
        owner = next(n for n, ids in enumerate(query.people) if c["person_id"] in ids)
        if c["character"]:
            chars.setdefault(c["drama_id"], {}).setdefault(owner, c["character"])
    items = []
    for r in rows[:8]:
        roles = chars.get(r["id"], {})
        if len(roles) == len(people):
            items.append(f"{drama_label(r)} (as {join_names([roles[n] for n in range(len(people))])})")
        else:
            items.append(drama_label(r))
    both = "both" if len(people) == 2 else "all"
    if len(rows) == 1:
        text = f"{names} are {both} in {items[0]}."
    else:
        text = f"{names} are {both} in {len(rows)} dramas: " + "; ".join(items)
        text += f"; and {len(rows) - 8} more." if len(rows) > 8 else "."
    return Answer(text, intent="shared", drama_id=rows[0]["id"], query=query)


async def costars(q, query: Query) -> Answer:
    person = await q.person(query.people[0][0])
    rows = await q.costars(query.people[0])
    if not rows:
        return Answer(f"I don't know anyone who acted with {person['name']}.", intent="costars", found=False,
                      person_id=person["id"], query=query)
    items = [f"{person_label(r, limit=1)} ({r['n']} drama{'s' if r['n'] != 1 else ''})" for r in rows[:8]]
    return Answer(f"{person['name']}'s most frequent co-stars: " + "; ".join(items) + ".", intent="costars",
                  person_id=person["id"], query=query)
