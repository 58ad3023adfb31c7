"""Episode lists: generating them from a broadcast slot, and the owner's overrides.

Pure functions over :class:`Episode` tuples (UTC epoch seconds), so the same rules serve the
``/schedule edit`` commands, the JSON importer and the tests. Overrides never touch an episode that
already aired (``now`` is passed in): history stays as it happened.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.errors import BadInput
from bot.schedule.times import DAY_NAMES, from_epoch, to_epoch, to_utc, week_start

STATUSES = ("scheduled", "aired", "delayed", "cancelled")
MAX_EPISODES = 500
DOUBLE_GAP_MINUTES = 70  # a K-drama episode runs ~60-70 min; the second of a double bill follows it


@dataclass(frozen=True)
class Availability:
    """Where else an episode can be watched, and how long after the broadcast (e.g. Viki, +60 min)."""

    platform: str
    offset_minutes: int = 0


@dataclass(frozen=True)
class Episode:
    number: int
    air_at: int  # UTC, epoch seconds
    status: str = "scheduled"
    finale: bool = False
    special: bool = False
    title: str | None = None
    original_air_at: int | None = None  # the time it had before a delay
    availability: tuple[Availability, ...] = field(default_factory=tuple)


def generate(days: list[int], at: time, first_date: date, count: int, tz: ZoneInfo,
             availability: tuple[Availability, ...] = ()) -> list[Episode]:
    """Episodes 1..count on every listed weekday at local ``at`` in ``tz``, from ``first_date``.

    The last one is the finale. Each local date gets the offset in force that day (DST-correct).
    """
    if not days:
        raise BadInput("Give at least one air day.")
    if not 1 <= count <= MAX_EPISODES:
        raise BadInput(f"The episode count must be between 1 and {MAX_EPISODES}.")
    episodes: list[Episode] = []
    day = first_date
    wanted = set(days)
    if first_date.weekday() not in wanted:
        names = "/".join(DAY_NAMES[d][:3] for d in sorted(wanted))
        raise BadInput(f"{first_date.isoformat()} is a {DAY_NAMES[first_date.weekday()]}, not one of the air days ({names}).")
    while len(episodes) < count:
        if day.weekday() in wanted:
            moment = to_utc(datetime.combine(day, at), tz, strict=False)
            episodes.append(Episode(number=len(episodes) + 1, air_at=to_epoch(moment), availability=availability))
        day += timedelta(days=1)
    episodes[-1] = replace(episodes[-1], finale=True)
    return episodes


def _find(episodes: list[Episode], number: int) -> int:
    for i, ep in enumerate(episodes):
        if ep.number == number:
            return i
    raise BadInput(f"There is no episode {number} in this schedule.")


def _not_aired(ep: Episode, now: int) -> None:
    if ep.air_at <= now and ep.status != "cancelled":
        raise BadInput(f"Episode {ep.number} already aired; past episodes can't be changed.")


def delay(episodes: list[Episode], number: int, new_air_at: int, now: int) -> list[Episode]:
    """Move one episode (only that one) to a new time; it is marked delayed."""
    out = sorted(episodes, key=lambda e: e.number)
    i = _find(out, number)
    ep = out[i]
    _not_aired(ep, now)
    if new_air_at <= now:
        raise BadInput("The new time is in the past; give a future date and time.")
    original = ep.original_air_at if ep.original_air_at is not None else ep.air_at
    status = "scheduled" if new_air_at == original else "delayed"
    out[i] = replace(ep, air_at=new_air_at, status=status, original_air_at=None if status == "scheduled" else original)
    return out


def skip_week(episodes: list[Episode], week_of: date, tz: ZoneInfo, now: int) -> list[Episode]:
    """Pre-emption: nothing airs in the week (Mon-Sun, local) holding ``week_of``.

    Every not-yet-aired episode from that week on moves 7 days later, keeping its weekday and local
    time (so a DST change in between keeps the wall-clock time). The ones of the skipped week are
    marked delayed.
    """
    start = week_start(week_of)
    end = start + timedelta(days=7)
    start_s = to_epoch(to_utc(datetime.combine(start, time(0, 0)), tz, strict=False))
    end_s = to_epoch(to_utc(datetime.combine(end, time(0, 0)), tz, strict=False))
    if end_s <= now:
        raise BadInput(f"The week of {start.isoformat()} is already over.")
    out, moved = [], 0
    for ep in sorted(episodes, key=lambda e: e.number):
        if ep.air_at >= start_s and ep.air_at > now and ep.status != "cancelled":
            local = from_epoch(ep.air_at).astimezone(tz).replace(tzinfo=None) + timedelta(days=7)
            new_at = to_epoch(to_utc(local, tz, strict=False))
            in_week = ep.air_at < end_s
            status = "delayed" if in_week else ep.status
            original = ep.original_air_at if ep.original_air_at is not None else (ep.air_at if in_week else None)
            out.append(replace(ep, air_at=new_at, status=status, original_air_at=original))
            moved += 1
        else:
            out.append(ep)
    if not moved:
        raise BadInput(f"No upcoming episode airs in or after the week of {start.isoformat()}; nothing to skip.")
    return out


def double(episodes: list[Episode], day: date, tz: ZoneInfo, now: int,
           gap_minutes: int = DOUBLE_GAP_MINUTES) -> list[Episode]:
    """Two episodes in one night: the episode after the one airing on ``day`` follows it directly.

    Every later episode moves up into the slot of the one before it, so the run ends one slot early.
    """
    out = sorted(episodes, key=lambda e: e.number)
    live = [i for i, e in enumerate(out) if e.status != "cancelled"]
    first = None
    for i in live:
        if from_epoch(out[i].air_at).astimezone(tz).date() == day:
            first = i
            break
    if first is None:
        raise BadInput(f"No episode airs on {day.isoformat()} ({tz.key}); pick a date with an episode.")
    later = [i for i in live if i > first]
    if not later:
        raise BadInput(f"Episode {out[first].number} is the last one; there is no next episode to pair it with.")
    _not_aired(out[later[0]], now)
    slots = [out[first].air_at + gap_minutes * 60] + [out[i].air_at for i in later[:-1]]
    for i, new_at in zip(later, slots, strict=True):
        _not_aired(out[i], now)
        out[i] = replace(out[i], air_at=new_at)
    return out


def cancel(episodes: list[Episode], number: int, now: int) -> list[Episode]:
    out = sorted(episodes, key=lambda e: e.number)
    i = _find(out, number)
    _not_aired(out[i], now)
    if out[i].status == "cancelled":
        raise BadInput(f"Episode {number} is already cancelled.")
    out[i] = replace(out[i], status="cancelled")
    return out


def parse_availability(text: str | None) -> tuple[Availability, ...]:
    """``"Viki 60, Netflix 0"`` (minutes after the broadcast) -> availability entries."""
    if not text or not text.strip():
        return ()
    out = []
    for part in text.split(","):
        bits = part.strip().rsplit(" ", 1)
        name = bits[0].strip()
        if not name:
            continue
        minutes = 0
        if len(bits) == 2:
            raw = bits[1].strip().lstrip("+")
            if not raw.isdigit():
                name, minutes = part.strip(), 0
            else:
                minutes = int(raw)
        if len(name) > 40 or minutes > 60 * 24 * 30:
            raise BadInput(f"“{part.strip()[:50]}” is not a platform entry; use e.g. “Viki 60, Netflix 0” (minutes after broadcast).")
        out.append(Availability(name, minutes))
    return tuple(out)


def availability_text(items: tuple[Availability, ...] | list[Availability]) -> str:
    parts = []
    for a in items:
        if a.offset_minutes == 0:
            parts.append(f"on {a.platform} at broadcast")
        elif a.offset_minutes % 60 == 0:
            hours = a.offset_minutes // 60
            parts.append(f"on {a.platform} {hours} hour{'s' if hours != 1 else ''} after broadcast")
        else:
            parts.append(f"on {a.platform} {a.offset_minutes} min after broadcast")
    return ", ".join(parts)
