"""Answers that are lists of dramas: filtered lists, counts, superlatives, and one person's works.

A list says how many matched and what was asked ("12 tvN dramas from 2019, newest first"), then
the best first; a count says the number and shows a few; "the highest rated ..." names the top one.
"""

from __future__ import annotations

from bot.knowledge.labels import drama_label, json_list
from bot.knowledge.model import Answer
from bot.knowledge.query import COUNT_CAP, Filters, Query
from bot.knowledge.text import join_names

ORDER_WORDS = {"newest": "newest first", "oldest": "oldest first", "longest": "longest first",
               "shortest": "shortest first", "best": "highest rated first", "worst": "lowest rated first"}
SUPERLATIVE = {"newest": "newest", "oldest": "oldest", "longest": "longest", "shortest": "shortest",
               "best": "highest rated", "worst": "lowest rated"}


KNOWN_NAMES = {"tvn": "tvN", "tving": "TVING", "disney+": "Disney+", "mbc every1": "MBC every1", "kakao tv": "Kakao TV",
               "tv chosun": "TV Chosun", "naver tv cast": "Naver TV Cast", "v live": "V Live", "iqiyi": "iQIYI"}


def channel_name(term: str, rows) -> str:
    """A network or platform as the catalog spells it ("tvN"), from the rows shown."""
    for r in rows:
        for name in [r["network"] or "", *json_list(r["platforms"])]:
            if name.lower() == term:
                return name
    return KNOWN_NAMES.get(term) or (term.upper() if len(term) <= 4 else term.title())


def describe(f: Filters, rows, *, noun: str = "dramas") -> str:
    """``romance and comedy dramas on Netflix from 2021 with 16 episodes``: the filters in words."""
    genres = [g[0] for g in f.genres]
    tags = [t[0] for t in f.tags]
    text = (join_names(genres) + " " if genres else "") + noun
    if f.channels:
        names = list(dict.fromkeys(channel_name(t, rows) for t in f.channels))
        text += f" on {join_names(names[:3], 'or')}"
    if tags:
        text += f" about {join_names(tags)}"
    if f.year_from and f.year_to:
        text += f" from {f.year_from}" if f.year_from == f.year_to else f" from {f.year_from} to {f.year_to}"
    elif f.year_from:
        text += f" from {f.year_from} on"
    elif f.year_to:
        text += f" up to {f.year_to}"
    if f.episodes_min and f.episodes_min == f.episodes_max:
        text += f" with {f.episodes_min} episodes"
    elif f.episodes_min:
        text += f" with at least {f.episodes_min} episodes"
    elif f.episodes_max:
        text += f" with at most {f.episodes_max} episodes"
    if f.status:
        text = {"airing": "currently airing ", "upcoming": "upcoming ", "finished": "finished "}[f.status] + text
    return text


def item(r, order: str | None, role: str | None = None) -> str:
    text = drama_label(r)
    bits = []
    if role:
        bits.append(f"as {role}")
    if order in ("longest", "shortest") and r["episodes"]:
        bits.append(f"{r['episodes']} episode{'s' if r['episodes'] != 1 else ''}")
    if order in ("best", "worst") and r["rating"] is not None:
        bits.append(f"rated {r['rating']:g}/10")
    return text + (f" ({', '.join(bits)})" if bits else "")


def render(query: Query, total: int, rows, *, offset: int = 0, people=(), roles=None) -> Answer:
    roles = roles or {}
    f = query.filters
    person = people[0]["name"] if people else None
    what = describe(f, rows, noun="lead roles" if f.lead else "dramas")
    if person:
        what = f"{what} with {person}"
    if not rows:
        if offset:
            return Answer(f"No more {what}.", intent=query.kind, query=query)
        return Answer(f"I don't know of any {what}.", intent=query.kind, found=False, query=query)
    listed = [item(r, query.order, roles.get(r["id"])) for r in rows]
    many = f"more than {COUNT_CAP}" if total > COUNT_CAP else str(total)
    if query.attribute == "superlative" and offset == 0:
        best = listed[0]
        text = f"The {SUPERLATIVE.get(query.order or '', 'top')} of the {many} {what} I know: {best}."
        if len(listed) > 1:
            text += f" Next: {join_names(listed[1:])}."
        return Answer(text, intent="superlative", query=query, drama_id=rows[0]["id"])
    if query.limit == 1 and offset == 0:
        text = f"{person + '’s' if person else 'The'} latest drama that I know: {listed[0]}."
        return Answer(text, intent=query.kind, query=query, drama_id=rows[0]["id"])
    order = ORDER_WORDS.get(query.order or "newest", "")
    if query.count_only:
        head = f"I know of {many} {what}"
    elif total == 1:
        return Answer(f"The one {what.replace('dramas', 'drama', 1)} I know: {listed[0]}.", intent=query.kind,
                      query=query, drama_id=rows[0]["id"])
    else:
        head = f"{many} {what}"
    if offset:
        head += f", {offset + 1}–{offset + len(rows)}"
    text = f"{head[0].upper()}{head[1:]} ({order}): " + "; ".join(listed)
    if total > COUNT_CAP:
        text += "; and many more"
    elif total > offset + len(rows):
        text += f"; and {total - offset - len(rows)} more"
    return Answer(text + ".", intent=query.kind, query=query)
