"""The Discord-free poll rules: validation, ballots, scoring, edit throttling, chart, voter keys."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta

import pytest

from bot.errors import BadInput
from bot.polls import ballot, rules, scoring, secret
from bot.polls.ballot import VoteOp
from bot.polls.chart import render_png
from bot.polls.model import NO_SEASON2, SEASON2, THEORY, Poll, Tally
from bot.polls.throttle import EditThrottle

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def test_options_are_split_trimmed_and_validated():
    assert [o.label for o in rules.parse_options(" Sol |  Sun-jae  | Tae   sung ")] == ["Sol", "Sun-jae", "Tae sung"]
    for text, message in [
        ("", "at least 2"), ("one", "at least 2"), ("a|b|A", "appears twice"), ("a||b", "empty"),
        ("|".join(str(i) for i in range(21)), "at most 20"), ("a|" + "x" * 81, "limit is 80"),
    ]:
        with pytest.raises(BadInput, match=message):
            rules.parse_options(text)
    assert len(rules.parse_options("|".join(str(i) for i in range(20)))) == 20
    with pytest.raises(BadInput, match="300"):
        rules.clean_question("q" * 301)


@pytest.mark.parametrize(("hours", "minutes", "expected"), [
    (None, None, timedelta(hours=24)), (1.5, None, timedelta(minutes=90)), (None, 1, timedelta(minutes=1)),
    (720, None, timedelta(days=30)), (0, 30, timedelta(minutes=30)),
])
def test_duration_accepts_decimals_and_minutes(hours, minutes, expected):
    assert rules.duration(hours, minutes) == expected


@pytest.mark.parametrize(("hours", "minutes"), [(0, 0.5), (720.1, None), (-1, None), (None, -5), (1e300, None),
                                                 (float("nan"), None)])
def test_duration_out_of_range_is_refused(hours, minutes):
    with pytest.raises(BadInput):
        rules.duration(hours, minutes)


def test_season2_options_and_answers():
    options = rules.season2_options([(1, "Sol becomes an idol"), (2, "x" * 120), (3, "sol becomes an IDOL")])
    assert [o.kind for o in options] == [THEORY, THEORY, NO_SEASON2]
    assert len(options[1].label) == 80 and options[1].label.endswith("…")
    assert rules.season2_answer(options, "confirmed") == (0, 1)
    assert rules.season2_answer(options, "denied") == (2,)
    assert rules.season2_answer(options, "rumoured") == ()
    bare = rules.season2_options([])
    assert [o.kind for o in bare] == [SEASON2, NO_SEASON2]
    assert len(rules.season2_options([(i, f"theory {i}") for i in range(30)])) == 20


def test_parse_answer_numbers_and_labels():
    options = rules.parse_options("Sol | Sun-jae | No season 2")
    assert rules.parse_answer("2", options) == (1,)
    assert rules.parse_answer("3|1, 1", options) == (0, 2)
    assert rules.parse_answer("sun-JAE", options) == (1,)
    for bad in ("4", "0", "nobody", ""):
        with pytest.raises(BadInput):
            rules.parse_answer(bad, options)


def _op(action, position=None):
    return VoteOp(1, "k", 5, action, position, "2026-01-01T00:00:00+00:00")


def test_ballots_single_multiple_and_withdraw():
    single = dict(max_choices=1, option_count=3)
    assert ballot.apply((), _op(ballot.SET, 1), **single).ballot == (1,)
    assert ballot.apply((1,), _op(ballot.SET, 2), **single).ballot == (2,)
    assert not ballot.apply((2,), _op(ballot.SET, 2), **single).changed
    assert ballot.apply((2,), _op(ballot.SET, 5), **single).outcome == ballot.BAD_OPTION
    multi = dict(max_choices=2, option_count=4)
    assert ballot.apply((0,), _op(ballot.TOGGLE, 3), **multi).ballot == (0, 3)
    assert ballot.apply((0, 3), _op(ballot.TOGGLE, 1), **multi).outcome == ballot.LIMIT
    assert ballot.apply((0, 3), _op(ballot.TOGGLE, 0), **multi).ballot == (3,)
    cleared = ballot.apply((0, 3), _op(ballot.CLEAR), **multi)
    assert cleared.ballot == () and cleared.changed
    assert not ballot.apply((), _op(ballot.CLEAR), **multi).changed


def test_scoring_rule():
    assert scoring.points(1, 1) == 10 and scoring.points(2, 1) == 5 and scoring.points(3, 1) == 3
    assert scoring.points(1, 0) == 0 and scoring.points(0, 0) == 0
    rows = scoring.score_ballots({7: (0,), 8: (1,), 9: (0, 1), 10: ()}, {0})
    assert sorted(rows) == [(7, 1, 1, 10), (8, 1, 0, 0), (9, 2, 1, 5)]
    assert scoring.Score(7, 15, 2, 2).accuracy == 0.75


def test_throttle_keeps_a_poll_whose_slot_is_held_waiting_until_it_runs_out():
    throttle = EditThrottle()
    throttle.mark(1)
    assert throttle.due(T0) == [1]
    throttle.hold(1, T0 + timedelta(milliseconds=2300))  # this process claimed the slot (send after rendering)
    for ms in range(0, 2300, 100):  # a burst of clicks: not tried again before the slot runs out
        throttle.mark(1)
        assert throttle.due(T0 + timedelta(milliseconds=ms)) == []
    throttle.mark(2)
    assert throttle.due(T0 + timedelta(milliseconds=2200)) == [2]  # other polls are independent
    throttle.retry(2, T0 + timedelta(milliseconds=4000))  # another process holds poll 2's slot: still owed
    assert throttle.pending
    assert throttle.due(T0 + timedelta(milliseconds=2300)) == [1]
    assert throttle.due(T0 + timedelta(milliseconds=3900)) == []
    assert throttle.due(T0 + timedelta(milliseconds=4000)) == [2]
    assert not throttle.pending
    throttle.mark(3)
    throttle.retry(1, T0 + timedelta(seconds=9))
    assert throttle.take_all() == [1, 3]  # shutdown: everything owed, whatever its slot
    assert not throttle.pending


def _poll(**kw) -> Poll:
    options = rules.parse_options("Sol | Sun-jae | 솔 선재")
    base = dict(id=3, guild_id=1, channel_id=2, message_id=None, creator_id=4, question="Who?", kind="custom",
                drama_id=None, max_choices=1, anonymous=False, hide_results=False, role_id=None, created_at=T0,
                closes_at=T0 + timedelta(hours=1), closed_at=None, resolved_at=None, options=options)
    base.update(kw)
    return Poll(**base)


def test_chart_is_a_png():
    data = render_png(_poll(), Tally(counts=(3, 1, 0), voters=4))
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 1000
    assert render_png(_poll(), Tally(counts=(0, 0, 0), voters=0))[:4] == b"\x89PNG"


def test_poll_accepts_votes_only_before_deadline():
    poll = _poll()
    assert poll.accepts_votes(T0) and not poll.accepts_votes(T0 + timedelta(hours=1))
    assert not _poll(closed_at=T0).accepts_votes(T0)


def test_secret_file_is_private_created_once_and_keys_are_per_poll(tmp_path):
    db = tmp_path / "bot.sqlite3"
    first = secret.resolve(None, db)
    path = secret.secret_path(db)
    assert path.name == "bot.sqlite3.secret"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert secret.resolve(None, db) == first
    assert secret.resolve("configured", db) == b"configured"
    a, b = secret.voter_key(first, 1, 42), secret.voter_key(first, 2, 42)
    assert a != b and len(a) == 64
    assert secret.voter_key(b"other", 1, 42) != a
