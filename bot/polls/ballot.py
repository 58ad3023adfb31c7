"""How a click changes a member's ballot: pure functions, applied by the store's vote writer in order.

A ballot is the sorted tuple of option positions a voter currently holds. Single-choice polls
replace the ballot on every click (change your vote by clicking another option); multiple-choice
polls toggle the clicked option, up to the poll's limit; "withdraw" empties it.
"""

from __future__ import annotations

from dataclasses import dataclass

SET, TOGGLE, CLEAR = "set", "toggle", "clear"

# Outcomes besides a new ballot.
OK, CLOSED, LIMIT, BAD_OPTION = "ok", "closed", "limit", "bad_option"


@dataclass(frozen=True)
class VoteOp:
    poll_id: int
    voter_key: str
    voter_id: int | None  # None for anonymous polls: only the keyed hash is stored
    action: str  # SET / TOGGLE / CLEAR
    position: int | None
    now_iso: str


@dataclass(frozen=True)
class VoteResult:
    outcome: str
    ballot: tuple[int, ...]
    changed: bool = False


def apply(current: tuple[int, ...], op: VoteOp, *, max_choices: int, option_count: int) -> VoteResult:
    """The ballot after ``op`` (no I/O). ``current`` is the committed ballot."""
    if op.action == CLEAR:
        return VoteResult(OK, (), changed=bool(current))
    if op.position is None or not 0 <= op.position < option_count:
        return VoteResult(BAD_OPTION, current)
    if max_choices <= 1 or op.action == SET:
        new = (op.position,)
        return VoteResult(OK, new, changed=new != current)
    if op.position in current:
        new = tuple(p for p in current if p != op.position)
        return VoteResult(OK, new, changed=True)
    if len(current) >= max_choices:
        return VoteResult(LIMIT, current)
    return VoteResult(OK, tuple(sorted((*current, op.position))), changed=True)
