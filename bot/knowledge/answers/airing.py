"""Airing questions answered from the episodes (live data): "what's airing today / this week?", "when is the
next episode of X?", "when is X's finale?", "is X still airing?".

Self-contained on purpose: the engine calls :func:`whats_airing` before linking titles, and the field
answers ``schedule`` / ``finale`` / ``status`` come here first, falling back to the catalog-date answers
(``answers.dates``) when a drama has no episodes. When the episodes do not say, the answer says so plainly.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from bot.knowledge.answers import dates
from bot.knowledge.model import Answer
from bot.knowledge.text import format_date, join_names
from bot.schedule.times import DAY_NAMES
from bot.sources.airing import span

KST = ZoneInfo("Asia/Seoul")
_DAY_WORDS = r"today|tonight|tomorrow|this week|next 7 days|" + "|".join(d.lower() for d in DAY_NAMES)
_WHATS = re.compile(r"\b(?:what|which|any)\b.*\b(?:airing|airs?|on air|on tonight|on tv|showing|broadcast(?:ing)?|"
                    r"new episodes?|dramas?|k-?dramas?|shows?)\b.*\b(?P<day>" + _DAY_WORDS + r")\b"
                    r"|\b(?:airing|on air|on tv)\s+(?P<day2>" + _DAY_WORDS + r")\b")
MAX_LISTED = 12


def _zone(d) -> ZoneInfo:
    try:
        return ZoneInfo(d["air_tz"]) if d["air_tz"] else KST
    except (KeyError, ValueError, LookupError):
        return KST


def when_text(air_at: int, tz: ZoneInfo) -> str:
    local = dt.datetime.fromtimestamp(air_at, dt.UTC).astimezone(tz)
    abbrev = "KST" if tz.key == "Asia/Seoul" else tz.key
    return f"{DAY_NAMES[local.weekday()]} {format_date(local.date())} at {local:%H:%M} {abbrev}"


def _label(number: int, special: bool) -> str:
    return "a special" if special else f"episode {number}"


def asks_whats_airing(question: str) -> str | None:
    """The day word of a "what's airing <day>?" question (no drama named), else None."""
    text = " ".join((question or "").lower().replace("’", "'").split())
    match = _WHATS.search(text)
    if not match:
        return None
    return match.group("day") or match.group("day2")


async def whats_airing(store, question: str, today: dt.date | None) -> Answer | None:
    word = asks_whats_airing(question)
    if word is None or today is None:
        return None
    word = {"tonight": "today", "next 7 days": "week", "this week": "week"}.get(word, word)
    s = span(word, today)
    since, until = s.bounds(KST)
    rows = await store.sources.airing(since, until, s.first.isoformat(), s.last.isoformat(), limit=60)
    rows = [r for r in rows if r["status"] != "cancelled"]
    if not rows:
        return Answer(f"I don't know of any Korean drama episode airing {s.label} (Korea time).", intent="airing",
                      found=False)
    items, seen = [], set()
    for r in rows:
        key = (r["drama_id"], r["airdate"] or r["air_at"])
        if key in seen:
            continue
        seen.add(key)
        net = f" on {r['network']}" if r["network"] else ""
        if r["air_at"] is None:
            items.append(f"{r['title']} ({_label(r['number'], bool(r['special']))}{net}, {r['airdate']}, time not "
                         "announced)")
            continue
        local = dt.datetime.fromtimestamp(r["air_at"], dt.UTC).astimezone(KST)
        day = f"{DAY_NAMES[local.weekday()][:3]} " if s.first != s.last else ""
        items.append(f"{r['title']} ({_label(r['number'], bool(r['special']))}, {day}{local:%H:%M}{net})")
    more = f", and {len(items) - MAX_LISTED} more" if len(items) > MAX_LISTED else ""
    return Answer(f"Airing {s.label} (Korea time): {'; '.join(items[:MAX_LISTED])}{more}.", intent="airing")


async def _upcoming(q, d, today: dt.date | None) -> list:
    """The drama's episodes from today on that have not aired yet (the announcer marks aired ones)."""
    store = q.db
    start = int(dt.datetime.combine(today or dt.date(1970, 1, 1), dt.time(0, 0), dt.UTC).timestamp())
    rows = await store.schedule.upcoming(start, start + 400 * 86400, drama_id=d["id"], limit=60)
    return [r for r in rows if r["status"] in ("scheduled", "delayed")]


async def answer_next(q, d, label, today) -> Answer:
    """"When is the next episode of X?"."""
    rows = await _upcoming(q, d, today)
    tz = _zone(d)
    if rows:
        r = rows[0]
        text = f"The next episode of {label} is {_label(r['number'], bool(r['special']))}, on {when_text(r['air_at'], tz)}"
        if d["network"]:
            text += f" on {d['network']}"
        if r["status"] == "delayed" and r["original_air_at"]:
            text += f" (delayed from {when_text(r['original_air_at'], tz)})"
        return Answer(text + ".", intent="schedule")
    untimed = await q.db.sources.untimed(d["id"])
    if untimed and today is not None:
        later = [r for r in untimed if r["airdate"] >= today.isoformat()]
        if later:
            return Answer(f"{label}'s next listed episode ({_label(later[0]['number'], bool(later[0]['special']))}) "
                          f"is dated {format_date(later[0]['airdate'])}; its time isn't announced yet.",
                          intent="schedule")
    if await q.db.scalar("SELECT 1 FROM episodes WHERE drama_id = ? LIMIT 1", (d["id"],)) and d["status"] == "finished":
        return await dates.answer_finale(q, d, label, today)
    return await dates.answer_schedule(q, d, label, today)


async def answer_finale(q, d, label, today) -> Answer:
    """"When is X's finale?": the finale episode, or the last one listed while it airs."""
    rows = await _upcoming(q, d, today)
    regular = [r for r in rows if not r["special"]]
    if regular:
        tz = _zone(d)
        last = regular[-1]
        if last["finale"]:
            return Answer(f"{label}'s finale, episode {last['number']}, airs on {when_text(last['air_at'], tz)}.",
                          intent="finale")
        planned = f" of {d['episodes']}" if d["episodes"] and d["episodes"] > last["number"] else ""
        text = (f"The last episode of {label} scheduled so far is episode {last['number']}{planned}, on "
                f"{when_text(last['air_at'], tz)}")
        if planned:
            text += "; the finale's date isn't announced yet"
        return Answer(text + ".", intent="finale")
    return await dates.answer_finale(q, d, label, today)


async def answer_status(q, d, label, today) -> Answer:
    """"Is X still airing?": the derived status, with the next episode when there is one."""
    rows = await _upcoming(q, d, today)
    if rows and d["status"] in ("airing", "upcoming"):
        r = rows[0]
        when = when_text(r["air_at"], _zone(d))
        if d["status"] == "upcoming":
            return Answer(f"{label} hasn't started yet; {_label(r['number'], bool(r['special']))} airs on {when}.",
                          intent="status")
        left = len([x for x in rows if not x["special"]])
        return Answer(f"Yes, {label} is still airing: {_label(r['number'], bool(r['special']))} is on {when}"
                      f" ({left} episode{'s' if left != 1 else ''} still to come).", intent="status")
    return await dates.answer_status(q, d, label, today)


__all__ = ["answer_finale", "answer_next", "answer_status", "asks_whats_airing", "join_names", "whats_airing"]
