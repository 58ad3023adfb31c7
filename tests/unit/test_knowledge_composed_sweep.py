"""A generality sweep of the combined kinds (issue 12) about OTHER dramas than the dev sets, phrased otherwise.

``composed_sweep.jsonl`` holds ~300 questions built from the RAW source files (../shared/data/catalog-sources),
not from our catalog or the engine: two actors credited in one drama (their shared dramas expected, their
other dramas forbidden), a fact about the drama where an actor plays a character, a character alone, an
actor's dramas of a year, network-and-year and genre-and-year lists, comparisons of episode counts and years,
and recommendations, in varied English and some Korean templates. A recommendation passes when it names
three dramas sharing at least two genres with the drama asked about (the dev set's rule), read here from the
raw dramalist file. Expected titles are each file's own spelling, so a few items cannot pass (a Wikipedia title
another file spells differently); ≥ 90 % must.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.conftest import QA_DIR
from tests.qa_sweep import assert_sweep_passes

SWEEP = Path(__file__).with_name("composed_sweep.jsonl")
DRAMALIST = QA_DIR.parent / "data" / "catalog-sources" / "mehmoodulhaq570__Kdrama-recommendation-system" / \
    "dramalist_kdramas.csv"
KINDS = {"shared", "chain", "character", "actor_year", "list", "compare", "recommend"}


def items() -> list[dict]:
    out = [json.loads(line) for line in SWEEP.read_text(encoding="utf-8").splitlines() if line.strip()]
    if any(item["type"] == "recommend" for item in out):
        if not DRAMALIST.is_file():
            pytest.skip(f"{DRAMALIST} is absent: the raw sources are not next to the repo")
        genres = {r["title"]: {g.strip() for g in r["genres"].split(",") if g.strip()}
                  for r in csv.DictReader(DRAMALIST.open(encoding="utf-8"))}
        for item in out:
            if item["type"] == "recommend":
                like = genres[item["like"]]
                item["expect"] = [[t] for t, g in genres.items() if t != item["like"] and len(g & like) >= 2]
    return out


def test_the_sweep_is_broad_and_new():
    sweep = [json.loads(line) for line in SWEEP.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(sweep) >= 250 and {item["type"] for item in sweep} == KINDS
    assert sum(any("\uac00" <= ch <= "\ud7a3" for ch in item["q"]) for item in sweep) >= 20  # Korean phrasing
    for name in ("dev.jsonl", "dev2.jsonl"):
        if (QA_DIR / name).is_file():
            asked = {json.loads(line)["q"].lower() for line in (QA_DIR / name).open(encoding="utf-8") if line.strip()}
            assert not asked & {item["q"].lower() for item in sweep}


async def test_combined_questions_about_other_dramas(engine):
    await assert_sweep_passes(engine, items(), threshold=0.9)
