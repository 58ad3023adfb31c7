"""The schedule import file (``dramabot schedule import FILE``): parse and validate it whole.

Every problem is collected with its place (``dramas[2].overrides[0].delay.to``) so one run shows
them all; nothing is written unless the whole file is valid. The format is documented in
docs/schedule.md.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from bot.errors import BadInput
from bot.schedule import slots
from bot.schedule.times import (
    DEFAULT_TZ,
    parse_date,
    parse_days,
    parse_local_datetime,
    parse_time,
    to_epoch,
    to_utc,
    zone,
)
from bot.textcheck import unstorable_places


@dataclass
class DramaPlan:
    slug: str
    place: str
    episodes: list[slots.Episode]


MAX_FILE_BYTES = 5_000_000  # a schedule file for hundreds of dramas is well under 1 MB
MAX_TITLE = 200
HISTORY = -(2**40)  # "now" for a file's own overrides: every date in it may be past (it states history)


class ImportProblems(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _check(problems: list[str], place: str, fn, *args):
    try:
        return fn(*args)
    except BadInput as exc:
        problems.append(f"{place}: {exc.message}")
        return None


def parse_file(text: str, *, now: int) -> list[DramaPlan]:
    """Validate an import document; raise :class:`ImportProblems` listing every problem found.

    The file states a schedule as it is, history included: its overrides may name past dates (``now``
    is kept for the caller's bookkeeping; the file's own edits are not refused for being in the past).
    """
    problems: list[str] = []
    if len(text) > MAX_FILE_BYTES:
        raise ImportProblems([f"top level: the file is larger than {MAX_FILE_BYTES // 1_000_000} MB; "
                              "split it into several imports"])
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportProblems([f"line {exc.lineno} column {exc.colno}: not valid JSON ({exc.msg})"]) from None
    except RecursionError:
        raise ImportProblems(["top level: the JSON is nested too deeply to be a schedule file"]) from None
    bad_text = unstorable_places(doc)
    if bad_text:
        raise ImportProblems(bad_text)
    if not isinstance(doc, dict) or not isinstance(doc.get("dramas"), list):
        raise ImportProblems(["top level: expected an object with a \"dramas\" list"])
    plans, seen = [], set()
    for i, entry in enumerate(doc["dramas"]):
        place = f"dramas[{i}]"
        if not isinstance(entry, dict):
            problems.append(f"{place}: expected an object")
            continue
        plan = _drama(entry, place, problems, HISTORY)
        if plan is None:
            continue
        if plan.slug in seen:
            problems.append(f"{place}.drama: {plan.slug!r} appears twice in the file")
        seen.add(plan.slug)
        plans.append(plan)
    if problems:
        raise ImportProblems(problems)
    return plans


def _drama(entry: dict[str, Any], place: str, problems: list[str], now: int) -> DramaPlan | None:
    known = {"drama", "tz", "availability", "slot", "overrides", "episodes"}
    for key in sorted(set(entry) - known):
        problems.append(f"{place}.{key}: unknown field (allowed: {', '.join(sorted(known))})")
    slug = entry.get("drama")
    if not isinstance(slug, str) or not slug.strip():
        problems.append(f"{place}.drama: give the drama's catalog slug, e.g. \"lovely-runner-2024\"")
        slug = None
    tz = _check(problems, f"{place}.tz", zone, entry.get("tz", DEFAULT_TZ))
    availability: tuple[slots.Availability, ...] = ()
    raw_av = entry.get("availability", [])
    if not isinstance(raw_av, list):
        problems.append(f"{place}.availability: expected a list of {{\"platform\", \"offset_minutes\"}}")
    else:
        items = []
        for j, a in enumerate(raw_av):
            if not isinstance(a, dict) or not isinstance(a.get("platform"), str) or not a["platform"].strip():
                problems.append(f"{place}.availability[{j}]: expected {{\"platform\": \"Viki\", \"offset_minutes\": 60}}")
                continue
            minutes = a.get("offset_minutes", 0)
            if not isinstance(minutes, int) or isinstance(minutes, bool) or not 0 <= minutes <= 43200:
                problems.append(f"{place}.availability[{j}].offset_minutes: a whole number of minutes, 0-43200")
                continue
            items.append(slots.Availability(a["platform"].strip(), minutes))
        availability = tuple(items)
    episodes: list[slots.Episode] = []
    slot = entry.get("slot")
    if slot is not None:
        if not isinstance(slot, dict):
            problems.append(f"{place}.slot: expected an object with days, time, first_date, episodes")
        else:
            sp = f"{place}.slot"
            raw_days = slot.get("days", "")
            if isinstance(raw_days, list) and all(isinstance(d, str) for d in raw_days):
                raw_days = " ".join(raw_days)
            elif isinstance(raw_days, list):
                raw_days = None
                problems.append(f"{sp}.days: a list of day names, e.g. [\"Mon\", \"Tue\"], or \"Mon/Tue\"")
            days = _check(problems, f"{sp}.days", parse_days, raw_days) if raw_days is not None else None
            at = _check(problems, f"{sp}.time", parse_time, str(slot.get("time", "")))
            first = _check(problems, f"{sp}.first_date", parse_date, str(slot.get("first_date", "")))
            count = slot.get("episodes")
            if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= slots.MAX_EPISODES:
                problems.append(f"{sp}.episodes: a whole number between 1 and {slots.MAX_EPISODES}")
                count = None
            if None not in (days, at, first, count, tz):
                episodes = _check(problems, sp, slots.generate, days, at, first, count, tz, availability) or []
    explicit = entry.get("episodes", [])
    if not isinstance(explicit, list):
        problems.append(f"{place}.episodes: expected a list")
        explicit = []
    by_number = {e.number: e for e in episodes}
    for j, raw in enumerate(explicit):
        ep = _episode(raw, f"{place}.episodes[{j}]", problems, tz, availability)
        if ep is not None:
            by_number[ep.number] = ep
    if slot is None and not explicit:
        problems.append(f"{place}: give a \"slot\" to generate from, an \"episodes\" list, or both")
    episodes = sorted(by_number.values(), key=lambda e: e.number)
    overrides = entry.get("overrides", [])
    if not isinstance(overrides, list):
        problems.append(f"{place}.overrides: expected a list of one-key objects, e.g. [{{\"cancel\": 7}}]")
        overrides = []
    for j, override in enumerate(overrides):
        op = f"{place}.overrides[{j}]"
        if tz is None or not episodes:
            break
        result = _override(episodes, override, op, problems, tz, now)
        if result is not None:
            episodes = result
    if slug is None or tz is None:
        return None
    return DramaPlan(slug.strip(), place, episodes)


def _episode(raw: Any, place: str, problems: list[str], tz, availability) -> slots.Episode | None:
    if not isinstance(raw, dict):
        problems.append(f"{place}: expected an object with number and air")
        return None
    number = raw.get("number")
    if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= slots.MAX_EPISODES:
        problems.append(f"{place}.number: a whole number between 1 and {slots.MAX_EPISODES}")
        return None
    status = raw.get("status", "scheduled")
    if status not in slots.STATUSES:
        problems.append(f"{place}.status: one of {', '.join(slots.STATUSES)}")
        return None
    local = _check(problems, f"{place}.air", parse_local_datetime, str(raw.get("air", "")))
    if local is None or tz is None:
        return None
    moment = _check(problems, f"{place}.air", to_utc, local, tz)
    if moment is None:
        return None
    for flag in ("finale", "special"):
        if not isinstance(raw.get(flag, False), bool):
            problems.append(f"{place}.{flag}: true or false")
    title = raw.get("title")
    if title is not None and (not isinstance(title, str) or len(title) > MAX_TITLE):
        problems.append(f"{place}.title: text of at most {MAX_TITLE} characters")
        return None
    return slots.Episode(number=number, air_at=to_epoch(moment), status=status, finale=bool(raw.get("finale")),
                         special=bool(raw.get("special")), title=title, availability=availability)


def _whole(value: Any) -> bool:
    """A whole number as JSON gives it (``true`` is not episode 1)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _override(episodes, override: Any, place: str, problems: list[str], tz, now: int):
    if not isinstance(override, dict) or len(override) != 1:
        problems.append(f"{place}: expected one of {{\"delay\": ...}}, {{\"skip_week_of\": ...}}, "
                        "{\"double\": ...}, {\"cancel\": N}, {\"finale\": N}")
        return None
    (kind, value), = override.items()
    try:
        if kind == "delay":
            if not isinstance(value, dict) or not _whole(value.get("episode")):
                raise BadInput("expected {\"episode\": N, \"to\": \"YYYY-MM-DD HH:MM\"}")
            moment = to_utc(parse_local_datetime(str(value.get("to", ""))), tz)
            return slots.delay(episodes, value["episode"], to_epoch(moment), now)
        if kind == "skip_week_of":
            return slots.skip_week(episodes, parse_date(str(value)), tz, now)
        if kind == "double":
            return slots.double(episodes, parse_date(str(value)), tz, now)
        if kind == "cancel":
            if not _whole(value):
                raise BadInput("expected an episode number")
            return slots.cancel(episodes, value, now)
        if kind == "finale":
            if not _whole(value):
                raise BadInput("expected an episode number")
            return [replace(e, finale=e.number == value) for e in episodes]
        raise BadInput(f"unknown override {kind!r} (delay, skip_week_of, double, cancel, finale)")
    except BadInput as exc:
        problems.append(f"{place}.{kind}: {exc.message}")
        return None
