"""What a poll is, independent of Discord and of SQL: plain frozen dataclasses and time helpers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

# Option kinds: a plain custom option, a fan theory, the generic "season 2 happens", "no season 2".
PLAIN, THEORY, SEASON2, NO_SEASON2 = "plain", "theory", "season2", "no_season2"
CUSTOM_POLL, SEASON2_POLL = "custom", "season2"


def to_iso(moment: datetime) -> str:
    """The one stored time format: UTC, whole seconds, so text order is time order."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime; pass an aware UTC time")
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def from_iso(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


@dataclass(frozen=True)
class Option:
    position: int
    label: str
    kind: str = PLAIN
    theory_id: int | None = None
    correct: bool = False


@dataclass(frozen=True)
class Poll:
    id: int
    guild_id: int
    channel_id: int
    message_id: int | None
    creator_id: int
    question: str
    kind: str
    drama_id: int | None
    max_choices: int
    anonymous: bool
    hide_results: bool
    role_id: int | None
    created_at: datetime
    closes_at: datetime
    closed_at: datetime | None
    resolved_at: datetime | None
    options: tuple[Option, ...]
    native: bool = False  # a Discord poll: Discord holds the votes until it ends (then they are stored)

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def accepts_votes(self, now: datetime) -> bool:
        """Open and before its deadline (a due poll refuses votes even before the closer ran)."""
        return self.closed_at is None and now < self.closes_at

    def results_visible(self) -> bool:
        return not self.hide_results or self.is_closed

    def label(self, position: int) -> str:
        return self.options[position].label

    def correct_positions(self) -> tuple[int, ...]:
        return tuple(o.position for o in self.options if o.correct)


@dataclass(frozen=True)
class Tally:
    """Counts per option position and the number of distinct voters."""

    counts: tuple[int, ...]
    voters: int

    @property
    def total(self) -> int:
        return sum(self.counts)

    def share(self, position: int) -> float:
        """Share of all chosen options (0..1); with multiple choice the shares still add up to 1."""
        total = self.total
        return self.counts[position] / total if total else 0.0


@dataclass(frozen=True)
class NewPoll:
    """A validated poll ready to be stored."""

    guild_id: int
    channel_id: int
    creator_id: int
    question: str
    options: tuple[Option, ...]
    created_at: datetime
    closes_at: datetime
    kind: str = CUSTOM_POLL
    drama_id: int | None = None
    max_choices: int = 1
    anonymous: bool = False
    hide_results: bool = False
    role_id: int | None = None
    native: bool = False
