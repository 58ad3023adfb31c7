"""Which catalog drama a provider show is: a link only when one candidate clearly wins.

Candidates are the dramas holding one of the show's names (title, Korean title, other titles) as a name
key. Each is scored on the facts both sides have: year (±1; further apart rules it out), network, episode
count, and how the name matched. Two candidates that agree on every fact are the same drama entered twice
(a duplicate: the sync merges them when it is that sure); otherwise a close second makes the show ambiguous
and it waits for the owner.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from bot.catalog.names import norm
from bot.sources.model import ShowFacts

CLEAR_SCORE = 0.6   # the winner needs at least this
CLEAR_MARGIN = 0.25  # ... and this much more than the runner-up


@dataclass(frozen=True)
class Candidate:
    drama_id: int
    slug: str
    title: str
    year: int | None
    network: str | None
    episodes: int | None
    matched: str          # 'title' (the show's main title or Korean title) or 'alias'
    linked: bool = False  # already linked to another show of this provider


@dataclass(frozen=True)
class Decision:
    kind: str                       # 'link', 'ambiguous', 'none', 'duplicate'
    drama_id: int | None = None
    confidence: float = 0.0
    others: tuple[int, ...] = ()    # ambiguous: every close candidate; duplicate: the ones to merge in
    scores: tuple[tuple[int, float], ...] = ()


def show_keys(facts: ShowFacts) -> dict[str, str]:
    """name key -> 'title' | 'alias' for every name of the show."""
    keys: dict[str, str] = {}
    for name in (facts.title, facts.korean_title):
        if name and norm(name):
            keys.setdefault(norm(name), "title")
    for name in facts.aliases:
        if norm(name):
            keys.setdefault(norm(name), "alias")
    return keys


def _network_key(value: str | None) -> str:
    return norm(value or "").replace("tv", "") if value else ""


def score(c: Candidate, facts: ShowFacts) -> float:
    """0..1; negative when the facts rule the candidate out."""
    s = 0.45 if c.matched == "title" else 0.3
    year = facts.year
    if year and c.year:
        gap = abs(year - c.year)
        if gap > 1:
            return -1.0
        s += 0.3 if gap == 0 else 0.1
    if facts.network and c.network:
        s += 0.15 if _network_key(facts.network) == _network_key(c.network) else -0.1
    count = facts.episode_count
    if count and c.episodes:
        s += 0.1 if count == c.episodes else (-0.05 if abs(count - c.episodes) > 4 else 0.0)
    return round(min(s, 1.0), 3)


def _agrees(c: Candidate, facts: ShowFacts) -> bool:
    """Every fact both have is equal: the same drama, entered twice."""
    return (c.year is not None and c.year == facts.year and bool(c.network) and bool(facts.network)
            and _network_key(c.network) == _network_key(facts.network)
            and (c.episodes is None or facts.episode_count is None or c.episodes == facts.episode_count))


def decide(candidates: list[Candidate], facts: ShowFacts) -> Decision:
    scored = sorted(((score(c, facts), c) for c in candidates if not c.linked), key=lambda p: (-p[0], p[1].drama_id))
    scored = [(s, c) for s, c in scored if s > 0]
    table = tuple((c.drama_id, s) for s, c in scored)
    if not scored:
        return Decision("none", scores=table)
    best_score, best = scored[0]
    if best_score < CLEAR_SCORE:
        return Decision("ambiguous", others=tuple(c.drama_id for _s, c in scored[:5]), scores=table)
    close = [(s, c) for s, c in scored[1:] if best_score - s < CLEAR_MARGIN]
    if not close:
        return Decision("link", best.drama_id, best_score, scores=table)
    if all(_agrees(c, facts) for _s, c in [scored[0], *close]) and best_score >= 0.9:
        return Decision("duplicate", best.drama_id, best_score, others=tuple(c.drama_id for _s, c in close),
                        scores=table)
    return Decision("ambiguous", others=tuple(c.drama_id for _s, c in [scored[0], *close]), scores=table)


def candidate_from_row(row, matched: str, linked: bool) -> Candidate:
    return Candidate(row["id"], row["slug"], row["title"], row["year"], row["network"], row["episodes"], matched,
                     linked)


def json_list(raw: str | None) -> list[str]:
    try:
        value = json.loads(raw or "[]")
    except ValueError:
        return []
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
