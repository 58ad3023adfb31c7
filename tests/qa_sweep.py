"""Shared pieces of the question sweeps: item builders in the dev set's format, and the sweep itself.

Scored with ``passes()`` from ../shared/qa/score.py (the sweeps skip when that folder is absent).
"""

from __future__ import annotations

import datetime as dt
import json

from tests.conftest import QA_DIR, qa_passes

TODAY = dt.date(2026, 1, 1)
KINDS = {"cast_list", "episodes", "premiere", "air_days", "character_for_actor", "alias_title", "network",
         "director", "filmography", "actor_for_character", "korean_title", "refuse"}


def T(q, *groups, need=None, type_=""):
    """A text item: each group is one expected value (a string, or alternatives)."""
    item = {"q": q, "kind": "text", "expect": [list(g) if isinstance(g, (list, tuple)) else [g] for g in groups],
            "type": type_}
    if need is not None:
        item["need"] = need
    return item


def D(q, *days, type_="premiere"):
    """A date item: any of ``days`` (ISO) counts."""
    return {"q": q, "kind": "date", "expect": [list(days)], "type": type_}


def R(q):
    """A question the catalog cannot answer: a plain refusal passes."""
    return {"q": q, "kind": "refuse", "type": "refuse"}


def assert_broad_and_new(items: list[dict], kinds: set[str] = KINDS) -> None:
    """Enough items, every kind, and none copied from the dev set (the engine must generalise)."""
    assert len(items) >= 60
    assert kinds <= {item["type"] for item in items}
    dev = QA_DIR / "dev.jsonl"
    if dev.exists():
        asked = {json.loads(line)["q"].lower() for line in dev.open(encoding="utf-8") if line.strip()}
        assert not asked & {item["q"].lower() for item in items}


async def assert_sweep_passes(engine, items: list[dict], threshold: float = 0.95) -> None:
    passes = qa_passes()
    misses = []
    for item in items:
        answer = await engine.answer(item["q"], today=TODAY)
        if not passes(item, answer.text):
            misses.append(f"{item['q']!r} -> {answer.text[:200]!r}")
    score = 1 - len(misses) / len(items)
    assert score >= threshold, f"{len(items) - len(misses)}/{len(items)}:\n" + "\n".join(misses)
