"""What the announcer does with a due delivery, and the words it posts. Discord-free.

A *delivery* is one message (or scheduled event) for one target and one episode: a server's
announcement or reminder, a member's DM reminder, a server's scheduled event. The store keeps one
row per (target, episode, kind) under a UNIQUE key and walks it through a small state machine::

    pending --claim (committed)--> claimed --sent--> sent
                                      |--5xx/timeout--> pending (retry later, backoff) ... --> failed
                                      |--50013/10003--> held (follow paused; managers told)
    pending --cancelled / beyond grace / reminder after air--> skipped

A reminder (``remind``/``dm``) is owed once per scheduled time: the key includes the episode's
*revision*, which moves on each time the air time changes. A pending reminder moves along with it;
one already sent stays, so the moved episode is reminded of again (saying so) before its new time.

On start-up every ``claimed`` row (a send that may or may not have reached Discord when the process
died) goes back to ``pending`` with its attempt count; any attempt after the first first looks for
the delivery's marker (``ref``) among the channel's recent messages and, when found, records it
as sent instead of posting again. See docs/schedule.md for the whole policy.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.schedule.times import duration_text

KINDS = ("announce", "remind", "dm", "event")
LATE_AFTER_SECONDS = 5 * 60   # an announcement posted later than this says how long ago it aired
MAX_ATTEMPTS = 4              # transient failures (5xx, timeouts) before a delivery is recorded failed
EVENT_LEAD_SECONDS = 14 * 86400  # scheduled events are created for episodes airing in the next 14 days
EVENT_LENGTH_SECONDS = 70 * 60


@dataclass(frozen=True)
class Decision:
    send: bool
    late_seconds: int = 0
    reason: str = ""


def decide(kind: str, air_at: int, status: str, now: int, grace_minutes: int, excused: int = 0) -> Decision:
    """Send, send late, or skip (with the reason logged) a delivery that came due.

    ``excused``: seconds of the delay during which the bot was up but its passes failed (e.g. the
    database was locked by another process). The grace period is for outages: time the bot was up
    never counts against it (see :func:`stalled_seconds`).
    """
    if status == "cancelled":
        return Decision(False, reason="episode cancelled")
    late = now - air_at
    if kind in ("remind", "dm", "event"):
        if late >= 0:
            return Decision(False, reason="the episode already started")
        return Decision(True)
    missed = late - max(0, excused)
    if missed > grace_minutes * 60:
        return Decision(False, late, reason=f"missed by {duration_text(late)}, beyond the grace period")
    return Decision(True, late if late > LATE_AFTER_SECONDS else 0)


def stalled_seconds(stalls: list[tuple[int, int]], since: int, now: int) -> int:
    """How much of ``[since, now]`` fell in stretches when the bot was up but its passes failed."""
    return sum(max(0, min(end, now) - max(start, since)) for start, end in stalls)


def pass_retry_delay(failures: int) -> float:
    """Seconds before the next announcer pass after ``failures`` failed ones in a row: 2, 4, 8 ... 60."""
    return float(min(2 ** max(failures, 1), 60))


def reminder_skip(revision: int, episode_revision: int, reminded_for: int | None, air_at: int) -> str:
    """Why a due reminder must not go out (empty: send it). Reminders are owed once per scheduled time.

    ``revision``: the episode revision the reminder was created for (it moves on with each change of the
    air time); ``reminded_for``: the time named by the last reminder this target got for the episode.
    """
    if revision != episode_revision:  # claimed before a move, retried since: the new time has its own
        return "the episode moved; reminded before its new time instead"
    if reminded_for == air_at:  # moved away and back again before the other time's reminder went out
        return "already reminded of this time"
    return ""


def moved_from(reminded_for: int | None, original_air_at: int | None, air_at: int) -> int | None:
    """The earlier time a reminder should mention: the last one reminded of, else the original slot."""
    for earlier in (reminded_for, original_air_at):
        if earlier is not None and earlier != air_at:
            return earlier
    return None


def retry_delay(attempts: int) -> int:
    """Seconds to wait before attempt ``attempts + 1`` after a transient failure (30 s, 60 s, 120 s...)."""
    return 30 * 2 ** max(attempts - 1, 0)


def marker(delivery_id: int) -> str:
    """The reference printed on every delivered message; restart recovery searches for it."""
    return f"ref d{delivery_id}"


SPECIAL_NUMBERS = 1000  # live data numbers a provider's specials 1001, 1002, ... (bot.sources.model.SPECIAL_BASE)


def episode_label(number: int, finale: bool, special: bool) -> str:
    if special and number > SPECIAL_NUMBERS:
        return "Special"
    label = f"Episode {number}"
    if finale:
        label += " (finale)"
    if special:
        label += " (special)"
    return label


def announcement_text(title: str, number: int, *, finale: bool, special: bool, late_seconds: int,
                      delayed: bool, availability: str) -> str:
    label = episode_label(number, finale, special)
    if late_seconds:
        head = f"📺 **{title}** — {label} aired {duration_text(late_seconds)} ago."
    else:
        head = f"📺 **{title}** — {label} is airing now!"
    lines = [head]
    if finale:
        lines.append("It's the finale. 🎬")
    if delayed:
        lines.append("(This episode was delayed from its original slot.)")
    if availability:
        lines.append(f"Also {availability}.")
    return "\n".join(lines)


def reminder_text(title: str, number: int, *, finale: bool, special: bool, air_at: int, now: int,
                  moved_from: int | None = None) -> str:
    """``moved_from``: the time members were told before (an earlier reminder, or the original slot)."""
    label = episode_label(number, finale, special)
    text = (f"⏰ **{title}** — {label} starts in {duration_text(air_at - now)} "
            f"(<t:{air_at}:t>, <t:{air_at}:R>).")
    if moved_from is not None:
        text += f"\n⚠️ Moved from <t:{moved_from}:f>: this is the new time."
    return text


def thread_name(title: str, number: int) -> str:
    return f"{title[:80]} · Episode {number} discussion"


def spoiler_note(title: str, number: int) -> str:
    return (f"Spoilers for **{title}** episode {number} are welcome in this thread. "
            "Please keep other channels spoiler-free, and use ||spoiler tags|| for anything from later episodes.")


def pause_notice(title: str, channel_mention: str, code: int, *, events: bool = False) -> str:
    """Plain words for managers when a follow had to be paused, with the way to fix it."""
    if events:
        problem = f"I'm not allowed to create scheduled events for **{title}** (I need Manage Events)"
        fix = f"Give me Manage Events, or run `/schedule follow` for {title} again with event off,"
    elif code == 10003:
        problem = f"the channel I was announcing **{title}** in no longer exists"
        fix = "Run `/schedule follow` again with a channel that exists"
    else:
        problem = (f"I'm not allowed to post **{title}** announcements in {channel_mention} "
                   "(I need View Channel, Send Messages, Embed Links, and Create Public Threads if threads are on)")
        fix = f"Give me those permissions in {channel_mention}, then run `/schedule follow` for {title} again"
    return (f"⚠️ Episode announcements paused: {problem}. {fix} to resume; "
            "`/schedule following` shows what is paused.")
