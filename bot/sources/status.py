"""Upcoming / airing / finished, derived from facts against today: never a stale stored word.

The episodes decide when there are any (cancelled ones aside); otherwise the premiere and finale dates do.
A K-drama runs for weeks, not years: one stored as airing that premiered more than ``LONGEST_RUN_DAYS`` ago
with no finale date is finished. Without dates or episodes (long-running shows) the stored word stays.
"""

from __future__ import annotations

import datetime as dt

LONGEST_RUN_DAYS = 200


def _day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def derive(*, first_aired: str | None, last_aired: str | None, stored: str | None, today: dt.date,
           first_episode: dt.date | None = None, last_episode: dt.date | None = None,
           episodes_left: int = 0, episodes_total: int | None = None, episodes_known: int = 0) -> str | None:
    """The status a drama has on ``today``.

    ``first_episode`` / ``last_episode``: local dates of its first and last scheduled (not cancelled) episode;
    ``episodes_left``: how many are still to come; ``episodes_known`` / ``episodes_total``: how many are listed
    and how many the drama has.
    """
    first = first_episode or _day(first_aired)
    last = _day(last_aired)
    if first is not None and first > today:
        return "upcoming"
    if episodes_left:
        return "airing" if first is not None and first <= today else "upcoming"
    if last_episode is not None:
        complete = episodes_total is None or episodes_known >= episodes_total
        if last_episode < today and (complete or (last is not None and last < today)):
            return "finished"
        if last is not None and last >= today:
            return "airing"
        if last_episode >= today - dt.timedelta(days=8) and not complete:
            return "airing"
        return "finished" if last_episode < today - dt.timedelta(days=8) else "airing"
    if last is not None:
        return "finished" if last < today else ("airing" if first is not None else stored)
    if stored == "airing" and first is not None and (today - first).days > LONGEST_RUN_DAYS:
        return "finished"  # an old import's word for a run that cannot still be going
    return stored
