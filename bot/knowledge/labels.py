"""How a catalog row reads in a sentence: its label, a plain description, lists stored as JSON.

Shared by the answers and the /drama cog, so a drama is named the same way everywhere.
"""

from __future__ import annotations

import html
import json
from typing import Any

from rapidfuzz import fuzz

from bot.catalog.normalize import same_person
from bot.knowledge.text import join_names, norm, plural_days


def json_list(value: Any) -> list[str]:
    """A list column stored as JSON text (or already a list); a bare value counts as one item."""
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


def person_label(row: Any, *, limit: int = 2) -> str:
    """``Mun Ka Young (also Moon Ga-young)``: a credited person's name with up to ``limit`` other Latin
    spellings (sources romanise one actor several ways; the reader may know any of them). Hyphen and
    spacing variants ("Park Si-hoo" for "Park Si Hoo") are not repeated."""
    name = str(row["name"])
    try:
        raw = row["person_aliases"]
    except (IndexError, KeyError):
        raw = None
    seen = {norm(name)}
    other = []
    for alias in json_list(raw):
        key = norm(alias)
        if key and key not in seen and key.isascii():
            seen.add(key)
            other.append(alias)
    return f"{name} (also {join_names(other[:limit], 'or')})" if other else name


def crew_names(names: list[str]) -> list[str]:
    """Directors or writers, one entry per person: ``["Noh Ji Sul (also No Ji-sul)", "Kim Jin Won"]`` (the
    sources spell some names several ways; the catalog keeps every spelling, the first one leads)."""
    groups: list[list[str]] = []
    for name in names:
        group = next((g for g in groups if same_person(name, g[0])), None)
        if group is None:
            groups.append([name])
        elif norm(name) not in {norm(n) for n in group}:
            group.append(name)
    return [g[0] + (f" (also {join_names(g[1:], 'or')})" if len(g) > 1 else "") for g in groups]


def describe(d: Any) -> str:
    """The synopsis if the catalog has one, else a sentence built from genres, tags, network and year."""
    label = drama_label(d)
    if d["synopsis"]:
        return f"{label}: {d['synopsis'].strip()}"
    genres = [g.lower() for g in json_list(d["genres"])]
    tags = [t.lower() for t in json_list(d["tags"])][:4]
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


def broadcast_slot(d: Any, days: list[str]) -> str:
    """``Fridays and Saturdays at 21:10 KST``: the weekly slot (``days`` already read from the row)."""
    text = plural_days(days) if days else ""
    if d["air_time"]:
        tz = " KST" if (d["air_tz"] or "Asia/Seoul") == "Asia/Seoul" else f" ({d['air_tz']})"
        text += f" at {d['air_time']}{tz}"
    return text.strip()


def source_text(d: Any, *, work: str = "work", illustrated: str = "illustrated by",
                published: str = "published on ") -> str:
    """``webtoon “Title” by A, illustrated by B (published on P)``: the original work a drama adapts."""
    text = d["source_type"] or work
    if d["source_title"]:
        text += f" “{d['source_title']}”"
    if d["source_author"]:
        text += f" by {d['source_author']}"
    if d["source_illustrator"]:
        text += f", {illustrated} {d['source_illustrator']}"
    if d["source_platform"]:
        text += f" ({published}{d['source_platform']})"
    return text
