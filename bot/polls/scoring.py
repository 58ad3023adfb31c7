"""Prediction points: the one rule, used by the store when a poll is resolved and shown in /help.

Rule: a resolved public poll gives each member who voted ``10 × correct picks ÷ picks`` points,
rounded (10 for a correct single pick; hedging across several options dilutes it). Accuracy is
points earned ÷ points possible (10 per resolved poll you voted in). Anonymous polls award nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

POINTS_PER_PREDICTION = 10
RULE_TEXT = (
    "Predictions: when a poll is resolved, a correct pick earns 10 points (split if you picked several "
    "options); accuracy = points ÷ 10 per resolved poll you voted in. Anonymous polls give no points."
)


def points(picks: int, hits: int) -> int:
    if picks <= 0:
        return 0
    return int(POINTS_PER_PREDICTION * hits / picks + 0.5)


@dataclass(frozen=True)
class Score:
    user_id: int
    points: int
    predictions: int
    hits: int

    @property
    def accuracy(self) -> float:
        possible = self.predictions * POINTS_PER_PREDICTION
        return self.points / possible if possible else 0.0


def score_ballots(ballots: dict[int, tuple[int, ...]], correct: set[int]) -> list[tuple[int, int, int, int]]:
    """{user_id: ballot} -> [(user_id, picks, hits, points)] for every non-empty ballot."""
    rows = []
    for user_id, ballot in ballots.items():
        if not ballot:
            continue
        hits = sum(1 for p in ballot if p in correct)
        rows.append((user_id, len(ballot), hits, points(len(ballot), hits)))
    return rows
