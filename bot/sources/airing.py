"""What airs when: the day spans of /schedule airing and of "what's airing today / this week?" (Discord-free)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.errors import BadInput
from bot.schedule.times import DAY_NAMES, parse_date, to_epoch


@dataclass(frozen=True)
class Span:
    first: dt.date
    last: dt.date          # inclusive
    label: str             # "today", "this week", "Friday 9 January"

    def bounds(self, tz: ZoneInfo) -> tuple[int, int]:
        """[since, until) in UTC epoch seconds: local midnight to local midnight."""
        start = dt.datetime.combine(self.first, dt.time(0, 0), tz)
        end = dt.datetime.combine(self.last + dt.timedelta(days=1), dt.time(0, 0), tz)
        return to_epoch(start), to_epoch(end)


def span(word: str | None, today: dt.date) -> Span:
    """``today`` (default), ``tomorrow``, ``week`` (the next 7 days), a weekday name or ``YYYY-MM-DD``."""
    key = " ".join((word or "today").lower().split())
    if key in ("today", "tonight", "now"):
        return Span(today, today, "today")
    if key == "tomorrow":
        return Span(today + dt.timedelta(days=1), today + dt.timedelta(days=1), "tomorrow")
    if key in ("week", "this week", "7 days", "next 7 days"):
        return Span(today, today + dt.timedelta(days=6), "this week")
    for i, name in enumerate(DAY_NAMES):
        if key in (name.lower(), name[:3].lower()):
            ahead = (i - today.weekday()) % 7
            day = today + dt.timedelta(days=ahead)
            return Span(day, day, "today" if ahead == 0 else f"{name} {day.day} {day:%B}")
    try:
        day = parse_date(key)
    except BadInput:
        raise BadInput("Say which day: today, tomorrow, week, a weekday (e.g. friday) or a date (YYYY-MM-DD).") from None
    return Span(day, day, f"{DAY_NAMES[day.weekday()]} {day.day} {day:%B %Y}")
