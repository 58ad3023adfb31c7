"""The ``.ics`` calendar a server downloads with ``/schedule calendar`` (built with icalendar)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from icalendar import Calendar, Event

from bot.schedule.delivery import EVENT_LENGTH_SECONDS, episode_label
from bot.schedule.times import from_epoch


@dataclass(frozen=True)
class CalendarItem:
    episode_id: int
    drama_title: str
    number: int
    air_at: int
    status: str
    finale: bool = False
    special: bool = False
    network: str | None = None
    availability: str = ""


def build_ics(items: list[CalendarItem], *, name: str, stamp: int) -> bytes:
    """One VEVENT per episode, times in UTC (calendar apps show local time); cancelled ones say so."""
    cal = Calendar()
    cal.add("prodid", "-//dramabot//episode schedule//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    for item in items:
        event = Event()
        event.add("uid", f"episode-{item.episode_id}@dramabot")
        event.add("dtstamp", from_epoch(stamp))
        start = from_epoch(item.air_at)
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(seconds=EVENT_LENGTH_SECONDS))
        summary = f"{item.drama_title} — {episode_label(item.number, item.finale, item.special)}"
        if item.status == "delayed":
            summary += " (delayed)"
        event.add("summary", summary)
        details = [d for d in (f"On {item.network}" if item.network else "",
                               f"Also {item.availability}" if item.availability else "") if d]
        if details:
            event.add("description", ". ".join(details) + ".")
        event.add("status", "CANCELLED" if item.status == "cancelled" else "CONFIRMED")
        cal.add_component(event)
    return cal.to_ical()
