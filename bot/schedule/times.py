"""Time zones, dates and local times as members and owners type them, validated and turned into UTC.

Everything is stored as whole UTC seconds since the epoch; local time only exists at the edges
(typing a slot in Asia/Seoul, showing a server its own local time). DST is handled by ``zoneinfo``:
a local wall-clock time is converted with the offset in force on *that* date, a time that does not
exist (skipped by a spring-forward) is refused when typed for one episode and moved past the gap when
generated for a whole run, and an ambiguous one (fall-back) takes its first occurrence.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.errors import BadInput

DEFAULT_TZ = "Asia/Seoul"
MIN_YEAR, MAX_YEAR = 1900, 2199  # schedules live here; dates near year 1 or 9999 overflow in UTC conversions
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_DAY_KEYS = {name.lower(): i for i, name in enumerate(DAY_NAMES)}
_DAY_KEYS.update({name[:3].lower(): i for i, name in enumerate(DAY_NAMES)})
_DAY_KEYS.update({"tues": 1, "weds": 2, "thur": 3, "thurs": 3})
_TIME = re.compile(r"^\s*(\d{1,2})[:h.](\d{2})\s*$")
_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")
_DATETIME = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})[ T]+(\d{1,2}[:h.]\d{2})\s*$")


def zone(name: str | None) -> ZoneInfo:
    """The IANA zone called ``name`` (e.g. ``Asia/Seoul``), or :class:`BadInput` saying what to type."""
    if name is not None and not isinstance(name, str):
        raise BadInput("Give the time zone as text, an IANA name like Asia/Seoul.")
    name = (name or "").strip()
    if not name:
        raise BadInput("Give a time zone as an IANA name, e.g. Asia/Seoul or America/New_York.")
    if name.upper() == "UTC":
        return ZoneInfo("UTC")
    if "/" not in name or name.startswith("/") or ".." in name or not re.fullmatch(r"[A-Za-z0-9_+\-/]+", name):
        raise BadInput(f"“{name[:40]}” is not an IANA time zone; use a name like Asia/Seoul or Europe/Paris.")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        close = [z for z in available_timezones() if z.lower() == name.lower()]
        hint = f" Did you mean {close[0]}?" if close else ""
        raise BadInput(f"I don't know the time zone “{name[:40]}”.{hint} Use an IANA name like Asia/Seoul.") from None


def parse_days(text: str) -> list[int]:
    """``"Mon/Tue"``, ``"mon, wed"``, ``"Saturday Sunday"`` -> sorted weekday numbers (Monday = 0)."""
    if text is not None and not isinstance(text, str):
        raise BadInput("Give the air days as text or a list of day names, e.g. Mon/Tue or [\"Mon\", \"Tue\"].")
    parts = [p for p in re.split(r"[\s,/&+]+|\band\b", (text or "").strip().lower()) if p]
    if not parts:
        raise BadInput("Give the air days, e.g. Mon/Tue or Sat,Sun.")
    days = set()
    for part in parts:
        if part not in _DAY_KEYS:
            raise BadInput(f"“{part[:20]}” is not a day of the week; use names like Mon/Tue or Saturday,Sunday.")
        days.add(_DAY_KEYS[part])
    return sorted(days)


def parse_time(text: str) -> time:
    match = _TIME.match(text or "")
    if not match:
        raise BadInput(f"“{(text or '')[:20]}” is not a time; use 24-hour HH:MM, e.g. 20:50.")
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise BadInput(f"“{text.strip()[:20]}” is not a time of day; use 24-hour HH:MM between 00:00 and 23:59.")
    return time(hour, minute)


def parse_date(text: str) -> date:
    """``"2026-03-09"`` -> a date between MIN_YEAR and MAX_YEAR (far dates overflow time zone maths)."""
    match = _DATE.match(text or "")
    if not match:
        raise BadInput(f"“{(text or '')[:20]}” is not a date; use YYYY-MM-DD, e.g. 2026-03-09.")
    try:
        day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise BadInput(f"{text.strip()} is not a real date.") from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise BadInput(f"{text.strip()} is too far from today; give a date between {MIN_YEAR} and {MAX_YEAR}.")
    return day


def parse_local_datetime(text: str) -> datetime:
    """``"2026-03-10 21:00"`` (or with a ``T``) -> a naive local datetime."""
    match = _DATETIME.match(text or "")
    if not match:
        raise BadInput(f"“{(text or '')[:30]}” is not a date and time; use YYYY-MM-DD HH:MM, e.g. 2026-03-10 21:00.")
    day = parse_date(match.group(1))
    return datetime.combine(day, parse_time(match.group(2)))


def exists_locally(naive: datetime, tz: ZoneInfo) -> bool:
    """False for wall-clock times skipped by a DST jump (they do not round-trip through UTC)."""
    aware = naive.replace(tzinfo=tz)
    back = aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    return back == naive


def to_utc(naive: datetime, tz: ZoneInfo, *, strict: bool = True) -> datetime:
    """A local wall-clock time in ``tz`` -> aware UTC. Ambiguous times take the first occurrence.

    ``strict``: refuse a time that does not exist that day (DST gap); otherwise move it past the gap.
    """
    if not exists_locally(naive, tz):
        if strict:
            raise BadInput(
                f"{naive:%Y-%m-%d %H:%M} does not exist in {tz.key}: the clocks jump forward that night. "
                "Pick a time outside the skipped hour."
            )
        # fold=0 reads a skipped time with the pre-jump offset, which lands after the gap (02:30 -> 03:30).
        return naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    return naive.replace(tzinfo=tz, fold=0).astimezone(UTC)


def to_epoch(moment: datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return int(moment.timestamp())


def from_epoch(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def local_text(seconds: int, tz: ZoneInfo) -> str:
    """``Sun 8 Mar 20:00 EDT``: what a server in ``tz`` reads, with the abbreviation in force then."""
    moment = from_epoch(seconds).astimezone(tz)
    return f"{moment:%a} {moment.day} {moment:%b %H:%M} {moment.tzname()}"


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def duration_text(seconds: float) -> str:
    """A rough, friendly duration: ``45 minutes``, ``2 hours 5 minutes``, ``3 days``."""
    minutes = max(1, round(max(seconds, 0) / 60))
    if minutes == 1:
        return "1 minute"
    if minutes < 60:
        return f"{minutes} minutes"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        text = f"{hours} hour{'s' if hours != 1 else ''}"
        return text + (f" {minutes} minute{'s' if minutes != 1 else ''}" if minutes else "")
    return f"{hours // 24} days"
