"""Sweep: every hostile value in every field of both import formats, through the real CLIs.

The documented schedule example (docs/schedule.md) and a small valid catalog are taken apart field by
field: each leaf in turn gets each hostile value, each list or object each wrong type. Every run must end
in exit 0 (accepted, written whole) or exit 2 (refused with the place of each problem, nothing
written), never a traceback.
"""

from __future__ import annotations

import copy
import json
import sqlite3
from pathlib import Path

import pytest

from bot.cli import main
from tests.unit.test_catalog_io import SMALL
from tests.unit.test_hostile_imports import doc_example

HOSTILE = [
    "Lovely \ud800 Runner", "Lovely\x00Runner", "\u202egnirts\u202c", "\u200b\u200d", "x" * 6000,
    "0001-01-01", "9999-12-31 23:59", "../../../etc/passwd", "'; DROP TABLE episodes; --",
    "@everyone <@&123456789012345678> <#123456789012345678>", 10**20, -1, 0, 1.5, True, None, {}, [], {"a": [1]},
]
CONTAINER_VALUES = [None, "text", 5, True, {}, [], "x" * 6000]  # a whole list or object replaced


def fields(doc, path=()):
    """Every place in a JSON document (containers included, the root excluded)."""
    if path:
        yield path
    if isinstance(doc, dict):
        for key, value in doc.items():
            yield from fields(value, (*path, key))
    elif isinstance(doc, list):
        for i, value in enumerate(doc):
            yield from fields(value, (*path, i))


def at(doc, path):
    for step in path:
        doc = doc[step]
    return doc


def replaced(doc, path, value):
    out = copy.deepcopy(doc)
    target = out
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return out


def snapshot(db: Path) -> tuple:
    conn = sqlite3.connect(db)
    try:
        return tuple(conn.execute(f"SELECT count(*), coalesce(sum(length({col})), 0) FROM {table}").fetchone()
                     for table, col in (("episodes", "air_at"), ("dramas", "title"), ("people", "name"),
                                        ("credits", "character"), ("facts", "text")))
    finally:
        conn.close()


def sweep(tmp_path, capsys, db, base, command: list[str]) -> list[str]:
    failures = []
    path = tmp_path / "input.json"
    for place in fields(base):
        original = at(base, place)
        values = CONTAINER_VALUES if isinstance(original, dict | list) else HOSTILE
        for value in values:
            path.write_text(json.dumps(replaced(base, place, value), ensure_ascii=True), encoding="utf-8")
            before = snapshot(db)
            case = f"{'.'.join(map(str, place))} = {str(value)[:40]!r}"
            try:
                code = main([*command, str(path), "--database", str(db)])
            except BaseException as exc:  # noqa: BLE001 - the finding we look for
                failures.append(f"{case}: {type(exc).__name__}: {exc}"[:300])
                continue
            out = capsys.readouterr()
            if code not in (0, 2):
                failures.append(f"{case}: exit {code}")
            elif code == 2 and (snapshot(db) != before or "nothing was imported" not in out.err.lower()):
                failures.append(f"{case}: refused but something changed, or no clear message: {out.err[:200]!r}")
            elif "Traceback" in out.err:
                failures.append(f"{case}: a traceback")
    return failures


@pytest.fixture
def db(tmp_path) -> Path:
    """A small database (the sweep imports hundreds of times): SMALL plus the documented example's drama."""
    import asyncio

    from bot.store import Store

    catalog = copy.deepcopy(SMALL)
    catalog["dramas"].append({"slug": "lovely-runner-2024", "title": "Lovely Runner", "year": 2024})
    path = tmp_path / "db.sqlite3"

    async def build() -> None:
        async with Store(path) as store:
            await store.catalog.apply_catalog(catalog)

    asyncio.run(build())
    return path


def test_every_hostile_value_in_every_field_of_a_schedule_file(tmp_path, capsys, db):
    failures = sweep(tmp_path, capsys, db, doc_example(), ["schedule", "import"])
    assert failures == [], "\n".join(failures[:30])


def test_every_hostile_value_in_every_field_of_a_catalog_file(tmp_path, capsys, db):
    failures = sweep(tmp_path, capsys, db, SMALL, ["catalog", "import", "--quiet"])
    assert failures == [], "\n".join(failures[:30])
