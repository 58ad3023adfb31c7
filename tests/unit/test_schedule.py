"""Schedule domain rules without Discord: time zones, DST, slot generation, overrides, policy, .ics, import."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, time

import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import BadInput
from bot.schedule import delivery as policy
from bot.schedule import slots
from bot.schedule.ics import CalendarItem, build_ics
from bot.schedule.importer import ImportProblems, parse_file
from bot.schedule.times import (
    duration_text,
    local_text,
    parse_date,
    parse_days,
    parse_local_datetime,
    parse_time,
    to_epoch,
    to_utc,
    zone,
)

SEOUL, NY = zone("Asia/Seoul"), zone("America/New_York")
NOW = to_epoch(datetime(2026, 1, 1, tzinfo=UTC))


def utc(*args) -> int:
    return to_epoch(datetime(*args, tzinfo=UTC))


# ------------------------------------------------------------------ inputs
@pytest.mark.parametrize("bad", ["", "Mars/Olympus", "EST5EDT/../x", "Seoul", "../etc/passwd", "Asia/Seoul "*9])
def test_bad_time_zones_are_refused(bad):
    with pytest.raises(BadInput):
        zone(bad)


def test_time_zone_case_hint():
    with pytest.raises(BadInput, match="Did you mean Asia/Seoul"):
        zone("asia/seoul")


def test_parsers():
    assert parse_days("Mon/Tue") == [0, 1] and parse_days("saturday, sunday") == [5, 6]
    assert parse_time("20:50") == time(20, 50) and parse_time("9.05") == time(9, 5)
    assert parse_date("2026-03-08") == date(2026, 3, 8)
    assert parse_local_datetime("2026-03-10T21:00") == datetime(2026, 3, 10, 21, 0)
    for fn, bad in [(parse_days, "Mon/Funday"), (parse_time, "24:00"), (parse_time, "8pm"),
                    (parse_date, "2026-02-29"), (parse_date, "08/03/2026"), (parse_local_datetime, "tomorrow")]:
        with pytest.raises(BadInput):
            fn(bad)


# ------------------------------------------------------------------ DST
def test_new_york_dst_both_sides():
    before = to_utc(datetime(2026, 3, 7, 20, 0), NY)
    after = to_utc(datetime(2026, 3, 9, 20, 0), NY)
    assert before.hour == 1 and after.hour == 0  # EST = UTC-5, EDT = UTC-4
    assert local_text(to_epoch(before), NY) == "Sat 7 Mar 20:00 EST"
    assert local_text(to_epoch(after), NY) == "Mon 9 Mar 20:00 EDT"


def test_skipped_local_time_refused_or_moved_past_the_gap():
    with pytest.raises(BadInput, match="does not exist"):
        to_utc(datetime(2026, 3, 8, 2, 30), NY)
    moved = to_utc(datetime(2026, 3, 8, 2, 30), NY, strict=False)
    assert local_text(to_epoch(moved), NY) == "Sun 8 Mar 03:30 EDT"


def test_ambiguous_time_takes_first_occurrence():
    first = to_utc(datetime(2026, 11, 1, 1, 30), NY)
    assert first == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)


def test_generation_keeps_wall_clock_across_dst():
    eps = slots.generate([6], time(20, 0), date(2026, 3, 1), 3, NY)
    assert [local_text(e.air_at, NY) for e in eps] == ["Sun 1 Mar 20:00 EST", "Sun 8 Mar 20:00 EDT", "Sun 15 Mar 20:00 EDT"]
    assert eps[1].air_at - eps[0].air_at == 7 * 86400 - 3600


# ------------------------------------------------------------------ generator and overrides
def test_generate_mon_tue_seoul():
    eps = slots.generate(parse_days("Mon/Tue"), time(20, 50), date(2026, 1, 5), 16, SEOUL)
    assert len(eps) == 16 and eps[-1].finale and not eps[0].finale
    assert eps[0].air_at == utc(2026, 1, 5, 11, 50) and eps[1].air_at == utc(2026, 1, 6, 11, 50)
    assert eps[2].air_at == utc(2026, 1, 12, 11, 50)


@given(st.lists(st.integers(0, 6), min_size=1, max_size=7, unique=True), st.integers(1, 60))
def test_generate_properties(days, count):
    first = date(2026, 1, 5)
    while first.weekday() not in days:
        first = first.replace(day=first.day + 1)
    eps = slots.generate(days, time(21, 0), first, count, SEOUL)
    assert [e.number for e in eps] == list(range(1, count + 1))
    assert all(a.air_at < b.air_at for a, b in zip(eps, eps[1:], strict=False))
    assert all(datetime.fromtimestamp(e.air_at, SEOUL).weekday() in days for e in eps)


def _eps():
    return slots.generate([0, 1], time(20, 50), date(2026, 1, 5), 8, SEOUL)


def test_delay_moves_only_that_episode():
    eps = _eps()
    out = slots.delay(eps, 2, eps[1].air_at + 3600, NOW)
    assert out[1].status == "delayed" and out[1].original_air_at == eps[1].air_at
    assert [e.air_at for i, e in enumerate(out) if i != 1] == [e.air_at for i, e in enumerate(eps) if i != 1]
    back = slots.delay(out, 2, eps[1].air_at, NOW)
    assert back[1].status == "scheduled" and back[1].original_air_at is None
    with pytest.raises(BadInput, match="past"):
        slots.delay(eps, 2, NOW - 1, NOW)


def test_skip_week_pushes_the_rest_a_week():
    eps = _eps()
    out = slots.skip_week(eps, date(2026, 1, 14), SEOUL, NOW)
    assert out[:2] == eps[:2]
    assert all(o.air_at == e.air_at + 7 * 86400 for o, e in zip(out[2:], eps[2:], strict=True))
    assert out[2].status == "delayed" and out[4].status == "scheduled"


def test_double_pairs_next_episode_and_shifts_the_rest_up():
    eps = _eps()
    out = slots.double(eps, date(2026, 1, 12), SEOUL, NOW)
    assert out[3].air_at == eps[2].air_at + 70 * 60
    assert [e.air_at for e in out[4:]] == [e.air_at for e in eps[3:-1]]
    with pytest.raises(BadInput, match="No episode airs"):
        slots.double(eps, date(2026, 1, 8), SEOUL, NOW)


def test_cancel_and_past_episodes_are_frozen():
    eps = _eps()
    out = slots.cancel(eps, 3, NOW)
    assert out[2].status == "cancelled"
    with pytest.raises(BadInput, match="already cancelled"):
        slots.cancel(out, 3, NOW)
    with pytest.raises(BadInput, match="already aired"):
        slots.cancel(eps, 1, eps[0].air_at + 1)


def test_availability_parsing_and_text():
    items = slots.parse_availability("Viki 60, Netflix 0, iQIYI +90")
    assert slots.availability_text(items) == ("on Viki 1 hour after broadcast, on Netflix at broadcast, "
                                              "on iQIYI 90 min after broadcast")


# ------------------------------------------------------------------ delivery policy
def test_decide():
    air = NOW
    assert policy.decide("announce", air, "scheduled", air, 360) == policy.Decision(True, 0)
    late = policy.decide("announce", air, "aired", air + 2 * 3600, 360)
    assert late.send and late.late_seconds == 7200
    assert not policy.decide("announce", air, "scheduled", air + 7 * 3600, 360).send
    assert not policy.decide("announce", air, "cancelled", air, 360).send
    assert policy.decide("remind", air, "scheduled", air - 60, 360).send
    assert not policy.decide("remind", air, "scheduled", air + 1, 360).send
    assert [policy.retry_delay(n) for n in (1, 2, 3)] == [30, 60, 120]


def test_texts():
    text = policy.announcement_text("X", 16, finale=True, special=False, late_seconds=3900, delayed=True,
                                    availability="on Viki 1 hour after broadcast")
    assert "Episode 16 (finale) aired 1 hour 5 minutes ago" in text and "delayed" in text and "Viki" in text
    assert "Manage Events" in policy.pause_notice("X", "#a", 50013, events=True)
    assert "no longer exists" in policy.pause_notice("X", "#a", 10003)
    assert duration_text(59) == "1 minute" and duration_text(3 * 86400) == "3 days"


# ------------------------------------------------------------------ .ics
def test_ics_round_trip():
    data = build_ics([CalendarItem(1, "Drama", 1, NOW, "scheduled", network="tvN"),
                      CalendarItem(2, "Drama", 2, NOW + 86400, "cancelled", finale=True)], name="x", stamp=NOW)
    cal = icalendar.Calendar.from_ical(data)
    events = list(cal.walk("VEVENT"))
    assert [str(e["uid"]) for e in events] == ["episode-1@dramabot", "episode-2@dramabot"]
    assert events[0].decoded("dtstart") == datetime(2026, 1, 1, tzinfo=UTC)
    assert str(events[1]["status"]) == "CANCELLED" and "finale" in str(events[1]["summary"])


# ------------------------------------------------------------------ import format
GOOD = {
    "dramas": [{
        "drama": "moonlit-runner-2026",
        "tz": "Asia/Seoul",
        "availability": [{"platform": "Viki", "offset_minutes": 60}],
        "slot": {"days": ["Mon", "Tue"], "time": "20:50", "first_date": "2026-01-05", "episodes": 8},
        "overrides": [{"delay": {"episode": 2, "to": "2026-01-07 21:00"}}, {"skip_week_of": "2026-01-14"},
                      {"cancel": 8}],
        "episodes": [{"number": 9, "air": "2026-02-10 22:00", "special": True}],
    }]
}


def test_import_good_file():
    [plan] = parse_file(json.dumps(GOOD), now=NOW)
    assert plan.slug == "moonlit-runner-2026" and len(plan.episodes) == 9
    eps = {e.number: e for e in plan.episodes}
    assert eps[2].status == "delayed" and eps[8].status == "cancelled" and eps[9].special
    assert eps[1].availability[0].platform == "Viki"


def test_import_lists_every_problem_with_its_place():
    bad = {"dramas": [
        {"drama": "", "tz": "Nowhere/City", "slot": {"days": "Mon", "time": "25:00", "first_date": "2026-13-01",
                                                      "episodes": 0}},
        {"drama": "ok", "episodes": [{"number": 1, "air": "2026-03-08 02:30"}, {"number": "x"}],
         "tz": "America/New_York", "colour": "red"},
    ]}
    with pytest.raises(ImportProblems) as info:
        parse_file(json.dumps(bad), now=NOW)
    text = "\n".join(info.value.problems)
    for where in ("dramas[0].drama", "dramas[0].tz", "dramas[1].colour", "dramas[1].episodes[0].air",
                  "dramas[1].episodes[1].number"):
        assert where in text, where
    with pytest.raises(ImportProblems, match="line 1"):
        parse_file("{not json", now=NOW)


async def test_cli_import_all_or_nothing(tmp_path, capsys):
    from bot.schedule.cli import run_import
    from bot.store import Store

    db = tmp_path / "x.sqlite3"
    store = Store(db)
    await store.open()
    await store.write("INSERT INTO dramas (slug, title) VALUES ('moonlit-runner-2026', 'Moonlit Runner')")
    await store.close()
    two = {"dramas": [GOOD["dramas"][0], {**GOOD["dramas"][0], "drama": "unknown-drama"}]}
    assert await run_import(json.dumps(two), database=str(db), now=NOW) == 2
    assert "dramas[1].drama" in capsys.readouterr().err
    store = Store(db)
    await store.open()
    try:
        assert await store.schedule.episodes(1) == []
        out = io.StringIO()
        assert await run_import(json.dumps(GOOD), database=str(db), now=NOW, out=out) == 0
        assert "9 episodes" in out.getvalue()
        assert len(await store.schedule.episodes(1)) == 9
    finally:
        await store.close()


def test_cli_parser_registers_schedule_import():
    from bot.cli import build_parser

    args = build_parser().parse_args(["schedule", "import", "file.json"])
    assert args.func.__name__ == "cmd_import"
