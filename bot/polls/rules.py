"""Validation of what members type when they create polls: every refusal is a clear BadInput."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from bot.errors import BadInput
from bot.polls.model import NO_SEASON2, PLAIN, SEASON2, THEORY, Option

MIN_OPTIONS, MAX_OPTIONS = 2, 20
MAX_OPTION_LEN = 80
MAX_QUESTION_LEN = 300
MIN_DURATION = timedelta(minutes=1)
MAX_DURATION = timedelta(days=30)
DEFAULT_DURATION = timedelta(hours=24)
SEPARATOR = "|"
NO_SEASON2_LABEL = "No season 2"


def clean_question(text: str | None) -> str:
    question = " ".join((text or "").split())
    if not question:
        raise BadInput("The question is empty: type what you want to ask.")
    if len(question) > MAX_QUESTION_LEN:
        raise BadInput(f"The question is {len(question)} characters long; the limit is {MAX_QUESTION_LEN}.")
    return question


def clean_theory(text: str | None) -> str:
    """A fan theory becomes a season-2 poll option, so it follows the option rules."""
    cleaned = " ".join((text or "").split())
    if not cleaned:
        raise BadInput("The theory is empty.")
    if len(cleaned) > MAX_OPTION_LEN:
        raise BadInput(f"A theory can be at most {MAX_OPTION_LEN} characters (it becomes a poll option).")
    if cleaned.casefold() == NO_SEASON2_LABEL.casefold():
        raise BadInput("“No season 2” is always an option already.")
    return cleaned


def check_options(labels: list[str]) -> list[str]:
    """2..20 non-empty labels of at most 80 characters, no duplicates (case-insensitive)."""
    cleaned = [" ".join(label.split()) for label in labels]
    if any(not label for label in cleaned):
        raise BadInput(f"One of the options is empty. Separate options with `{SEPARATOR}`, e.g. `yes | no`.")
    if len(cleaned) < MIN_OPTIONS:
        raise BadInput(f"A poll needs at least {MIN_OPTIONS} options, separated by `{SEPARATOR}` (e.g. `yes | no`).")
    if len(cleaned) > MAX_OPTIONS:
        raise BadInput(f"A poll can have at most {MAX_OPTIONS} options; you gave {len(cleaned)}.")
    for label in cleaned:
        if len(label) > MAX_OPTION_LEN:
            raise BadInput(f"Option “{label[:30]}…” is {len(label)} characters long; the limit is {MAX_OPTION_LEN}.")
    seen: set[str] = set()
    for label in cleaned:
        key = label.casefold()
        if key in seen:
            raise BadInput(f"The option “{label}” appears twice; every option must be different.")
        seen.add(key)
    return cleaned


def parse_options(text: str | None) -> tuple[Option, ...]:
    """``"a | b | c"`` -> options 0..n-1."""
    raw = (text or "").split(SEPARATOR)
    labels = check_options(raw if (text or "").strip() else [])
    return tuple(Option(position=i, label=label, kind=PLAIN) for i, label in enumerate(labels))


def duration(hours: float | None, minutes: float | None, longest: timedelta = MAX_DURATION) -> timedelta:
    """``hours`` (decimals allowed) plus ``minutes``; default 24 h; 1 minute to 30 days (``longest``)."""
    limit = f"A poll can stay open for at most {longest.days} days ({longest.days * 24} hours)."
    if hours is None and minutes is None:
        return DEFAULT_DURATION
    for name, value in (("hours", hours), ("minutes", minutes)):
        if value is not None and (value != value or value in (float("inf"), float("-inf"))):
            raise BadInput(f"{name} must be a number.")
        if value is not None and value < 0:
            raise BadInput(f"{name} can't be negative.")
    try:
        length = timedelta(hours=hours or 0, minutes=minutes or 0)
    except OverflowError:
        raise BadInput(limit) from None
    if length < MIN_DURATION:
        raise BadInput("A poll must stay open for at least 1 minute.")
    if length > longest:
        raise BadInput(limit)
    return length


def max_choices(multiple: int | None, option_count: int) -> int:
    if multiple is None:
        return 1
    if multiple < 1:
        raise BadInput("multiple must be at least 1 (how many options each member may pick).")
    if multiple > option_count:
        raise BadInput(f"multiple is {multiple} but the poll has only {option_count} options.")
    return multiple


def season2_options(theories: list[tuple[int, str]], season: int = 2) -> tuple[Option, ...]:
    """Stored theories (id, text) become options, plus "No season N"; a generic "Season N happens"
    stands in when there are none. Duplicates and over-long texts are skipped, at most 19 theories.
    ``season`` is the season the poll is about (3 when the series already has two, and so on)."""
    no_label, yes_label = no_season_label(season), f"Season {season} happens"
    options: list[Option] = []
    seen = {no_label.casefold()}
    for theory_id, text in theories:
        label = " ".join(text.split())
        if not label or label.casefold() in seen:
            continue
        if len(label) > MAX_OPTION_LEN:
            label = label[: MAX_OPTION_LEN - 1].rstrip() + "…"
        seen.add(label.casefold())
        options.append(Option(position=len(options), label=label, kind=THEORY, theory_id=theory_id))
        if len(options) == MAX_OPTIONS - 1:
            break
    if not options:
        options.append(Option(position=0, label=yes_label, kind=SEASON2))
    options.append(Option(position=len(options), label=no_label, kind=NO_SEASON2))
    return tuple(options)


def no_season_label(season: int) -> str:
    return NO_SEASON2_LABEL if season == 2 else f"No season {season}"


def season2_answer(options: tuple[Option, ...], status: str) -> tuple[int, ...]:
    """Which options a season-2 status makes correct: confirmed -> every "season 2 happens"-type
    option (all theories); denied -> "No season 2". Anything else resolves nothing."""
    if status == "confirmed":
        return tuple(o.position for o in options if o.kind in (THEORY, SEASON2))
    if status == "denied":
        return tuple(o.position for o in options if o.kind == NO_SEASON2)
    return ()


def parse_answer(text: str | None, options: tuple[Option, ...]) -> tuple[int, ...]:
    """``"2"``, ``"1|3"``, ``"1, 3"`` (1-based numbers) or option labels (case-insensitive)."""
    raw = (text or "").strip()
    if not raw:
        raise BadInput("Say which option(s) were right: their numbers (e.g. `2` or `1|3`) or their text.")
    by_label = {o.label.casefold(): o.position for o in options}
    if raw.casefold() in by_label:
        return (by_label[raw.casefold()],)
    picked: list[int] = []
    for part in raw.replace(",", SEPARATOR).split(SEPARATOR):
        part = part.strip()
        if not part:
            continue
        if part.isdigit():
            number = int(part)
            if not 1 <= number <= len(options):
                raise BadInput(f"There is no option {number}; this poll has options 1 to {len(options)}.")
            position = number - 1
        elif part.casefold() in by_label:
            position = by_label[part.casefold()]
        else:
            raise BadInput(f"“{part[:80]}” is not one of this poll's options.")
        if position not in picked:
            picked.append(position)
    if not picked:
        raise BadInput("Say which option(s) were right: their numbers (e.g. `2` or `1|3`) or their text.")
    return tuple(sorted(picked))


# Discord's own limits for native polls (the Create Poll API): refused plainly beyond them.
NATIVE_MAX_ANSWERS = 10
NATIVE_MAX_ANSWER_LEN = 55
NATIVE_MAX_HOURS = 32 * 24
NATIVE_MAX_DURATION = timedelta(hours=NATIVE_MAX_HOURS)


def check_native(options: tuple[Option, ...], length: timedelta, *, max_choices: int, anonymous: bool,
                 hide_results: bool, role: bool) -> tuple[int, bool]:
    """A Discord poll: up to 10 answers of up to 55 characters, whole hours from 1 to 32 days, open to
    everyone who sees it, one answer or any number. Returns (hours, multiselect)."""
    if len(options) > NATIVE_MAX_ANSWERS:
        raise BadInput(f"A Discord poll can have at most {NATIVE_MAX_ANSWERS} answers; you gave {len(options)}. "
                       "Leave out native: for a button poll (up to 20 options).")
    for option in options:
        if len(option.label) > NATIVE_MAX_ANSWER_LEN:
            raise BadInput(f"Answer “{option.label[:30]}…” is {len(option.label)} characters long; a Discord poll "
                           f"allows {NATIVE_MAX_ANSWER_LEN}.")
    hours = length.total_seconds() / 3600
    if hours != int(hours) or not 1 <= hours <= NATIVE_MAX_HOURS:
        raise BadInput(f"A Discord poll lasts whole hours, from 1 hour to 32 days ({NATIVE_MAX_HOURS} hours).")
    for wanted, what in ((anonymous, "anonymous"), (hide_results, "hide_results"), (role, "role")):
        if wanted:
            raise BadInput(f"Discord polls have no {what}: option; leave out native: for a button poll with it.")
    if max_choices not in (1, len(options)):
        raise BadInput(f"A Discord poll takes one answer per member, or any number (multiple: {len(options)}).")
    return int(hours), max_choices > 1


def closes_at(now: datetime, length: timedelta) -> datetime:
    return (now + length).replace(microsecond=0)


def parse_poll_id(typed: str) -> int:
    """``"#12 Who wins?"`` (an autocomplete pick) or ``"12"`` -> 12."""
    match = re.match(r"\s*#?(\d{1,18})", typed or "")
    if not match:
        raise BadInput("Pick a poll from the list (or type its number, e.g. `12`).")
    return int(match.group(1))
