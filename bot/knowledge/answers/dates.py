"""Answers about when: premiere and finale dates, episodes, the weekly slot, year and airing status."""

from __future__ import annotations

import datetime as dt
import re

from bot.knowledge.labels import broadcast_slot, json_list
from bot.knowledge.model import Answer
from bot.knowledge.text import format_date, join_names


def date_phrase(d, today: dt.date, which: str) -> str | None:
    value = d["first_aired"] if which == "first" else d["last_aired"]
    if not value:
        return None
    day = dt.date.fromisoformat(value[:10]) if re.match(r"\d{4}-\d\d-\d\d", value) else None
    future = day is not None and today is not None and day > today
    if which == "first":
        return f"{'premieres' if future else 'premiered'} on {format_date(value)}"
    return f"{'is set to end' if future else 'ended'} on {format_date(value)}"


async def answer_premiere(q, d, label, today) -> Answer:
    first = date_phrase(d, today, "first")
    if not first:
        return Answer(f"I don't know when {label} premiered.", intent="premiere", found=False)
    text = f"{label} {first}"
    if d["network"]:
        text += f" on {d['network']}"
    return Answer(text + ".", intent="premiere")


async def answer_finale(q, d, label, today) -> Answer:
    last = date_phrase(d, today, "last")
    if not last:
        if d["status"] == "airing":
            return Answer(f"{label} is still airing and I don't have its final date yet.", intent="finale")
        return Answer(f"I don't know when {label} ended.", intent="finale", found=False)
    extra = f" after {d['episodes']} episodes" if d["episodes"] and last.startswith("ended") else ""
    return Answer(f"{label} {last}{extra}.", intent="finale")


async def answer_dates(q, d, label, today) -> Answer:
    first = date_phrase(d, today, "first")
    last = date_phrase(d, today, "last")
    if not first and not last:
        return Answer(f"I don't have the airing dates of {label}.", intent="dates", found=False)
    text = f"{label} {join_names([p for p in (first, last) if p])}."
    sched = broadcast(d)
    if sched:
        text += f" It {'airs' if d['status'] in ('airing', 'upcoming') else 'aired'} {sched}."
    return Answer(text, intent="dates")


async def answer_episodes(q, d, label, today) -> Answer:
    if not d["episodes"]:
        return Answer(f"I don't know how many episodes {label} has.", intent="episodes", found=False)
    verb = "has" if d["status"] != "upcoming" else "is planned with"
    return Answer(f"{label} {verb} {d['episodes']} episodes.", intent="episodes")


def broadcast(d) -> str | None:
    days = json_list(d["air_days"])
    if not days and not d["air_time"]:
        return None
    return ("every " if days else "") + broadcast_slot(d, days)


def run_span(d) -> str:
    """", from 8 April 2024 to 28 May 2024" for a drama whose run is known, else ""."""
    if d["first_aired"] and d["last_aired"] and d["status"] not in ("airing", "upcoming"):
        return f" from {format_date(d['first_aired'])} to {format_date(d['last_aired'])}"
    return ""


async def answer_air_days(q, d, label, today) -> Answer:
    sched = broadcast(d)
    on = f" on {d['network']}" if d["network"] else ""
    span = run_span(d)
    if not sched:
        text = f"I don't have the broadcast days of {label}."
        if span:
            count = f" ({d['episodes']} episodes)" if d["episodes"] else ""
            text += f" It aired{on}{span}{count}."
        return Answer(text, intent="air_days", found=False)
    verb = "airs" if d["status"] in ("airing", "upcoming") else "aired"
    return Answer(f"{label} {verb}{on} {sched}{',' + span if span else ''}.", intent="air_days")


async def answer_schedule(q, d, label, today) -> Answer:
    """"When is the next episode?": the weekly slot while airing, else the airing dates."""
    if d["status"] in ("airing", "upcoming") and broadcast(d):
        return await answer_air_days(q, d, label, today)
    return await answer_dates(q, d, label, today)


async def answer_air_time(q, d, label, today) -> Answer:
    return await answer_air_days(q, d, label, today)


async def answer_year(q, d, label, today) -> Answer:
    if not d["year"]:
        return Answer(f"I don't know what year {d['title']} came out.", intent="year", found=False)
    first = f" (premiere: {format_date(d['first_aired'])})" if d["first_aired"] else ""
    return Answer(f"{d['title']} is from {d['year']}{first}.", intent="year")


async def answer_status(q, d, label, today) -> Answer:
    status = d["status"]
    if status == "finished":
        last = f" on {format_date(d['last_aired'])}" if d["last_aired"] else ""
        return Answer(f"{label} has finished airing{last}.", intent="status")
    if status == "airing":
        return Answer(f"{label} is airing now{(' ' + broadcast(d)) if broadcast(d) else ''}.",
                      intent="status")
    if status == "upcoming":
        first = f"; it premieres on {format_date(d['first_aired'])}" if d["first_aired"] else ""
        return Answer(f"{label} hasn't started yet{first}.", intent="status")
    return await answer_dates(q, d, label, today)
