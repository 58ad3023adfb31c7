"""Both import CLIs against hostile files: a clear problem with its place, exit 2, nothing written.

Also the documented limits (schedule files 5 MB, catalog JSON 64 MB by default, gzip bombs stop at
the limit) and the import example of docs/schedule.md, extracted from the doc and run as written.
"""

from __future__ import annotations

import copy
import gzip
import json
import re
import shutil
import tracemalloc
from pathlib import Path

import pytest

from bot.catalog.io import read_catalog_file
from bot.cli import main
from tests.unit.test_catalog_io import SMALL

ROOT = Path(__file__).resolve().parents[2]


def doc_example() -> dict:
    """The JSON block under "Import file" in docs/schedule.md, exactly as documented."""
    text = (ROOT / "docs" / "schedule.md").read_text(encoding="utf-8")
    section = text.split("## Import file", 1)[1]
    return json.loads(re.search(r"```json\n(.*?)```", section, re.S).group(1))


@pytest.fixture
def db(tmp_path, catalog_template) -> Path:
    path = tmp_path / "db.sqlite3"
    shutil.copyfile(catalog_template, path)
    return path


def counts(db: Path) -> tuple[int, int]:
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        return tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("episodes", "dramas"))
    finally:
        conn.close()


def run(capsys, *args: str) -> tuple[int, str]:
    code = main(list(args))
    err = capsys.readouterr().err
    return code, err


def schedule_file(tmp_path: Path, doc) -> Path:
    path = tmp_path / "schedule.json"
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    return path


def with_entry(**changes) -> dict:
    doc = doc_example()
    entry = doc["dramas"][0]
    for key, value in changes.items():
        target, _, leaf = key.partition("__")
        if leaf:
            entry[target][leaf] = value
        else:
            entry[key] = value
    return doc


def with_episode(**fields) -> dict:
    doc = doc_example()
    doc["dramas"][0]["episodes"][0].update(fields)
    return doc


# ---------------------------------------------------------------- the documented example
def test_the_documented_schedule_example_imports_as_written(tmp_path, db, capsys):
    code = main(["schedule", "import", str(schedule_file(tmp_path, doc_example())), "--database", str(db)])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "lovely-runner-2024: 17 episodes" in out.out
    import sqlite3

    conn = sqlite3.connect(db)
    rows = dict(conn.execute("SELECT e.number, e.status FROM episodes e JOIN dramas d ON d.id = e.drama_id"
                             " WHERE d.slug = 'lovely-runner-2024'").fetchall())
    conn.close()
    assert len(rows) == 17 and rows[7] == "cancelled" and rows[5] == "delayed"


# ---------------------------------------------------------------- schedule import
LONE = "\ud800"


@pytest.mark.parametrize("doc, place", [
    (with_entry(tz=123), "dramas[0].tz"),
    (with_entry(slot__days=5), "dramas[0].slot.days"),
    (with_entry(slot__days=[1, 2]), "dramas[0].slot.days"),
    (with_entry(overrides=5), "dramas[0].overrides"),
    (with_entry(overrides=[{"cancel": True}]), "dramas[0].overrides[0].cancel: expected an episode number"),
    (with_entry(overrides=[{"delay": {"episode": True, "to": "2024-04-23 21:00"}}]),
     "dramas[0].overrides[0].delay: expected {"),
    (with_episode(title={"nested": "object"}), "dramas[0].episodes[0].title"),
    (with_episode(title="x" * 6000), "dramas[0].episodes[0].title"),
    (with_episode(title=f"Behind {LONE} the scenes"), "dramas[0].episodes[0].title"),
    (with_episode(title="Behind\x00the scenes"), "dramas[0].episodes[0].title"),
    (with_entry(drama=f"lovely{LONE}"), "dramas[0].drama"),
    (with_episode(air="0001-01-01 00:00"), "dramas[0].episodes[0].air"),
    (with_episode(air="9999-12-31 23:59"), "dramas[0].episodes[0].air"),
    (with_entry(slot__first_date="9999-12-27"), "dramas[0].slot.first_date"),
    (with_entry(overrides=[{"delay": {"episode": 5, "to": "0001-01-01 00:00"}}]), "dramas[0].overrides[0].delay"),
    ('{"dramas": ' + "[" * 200_000 + "]" * 200_000 + "}", "nested too deeply"),
    ({"dramas": [{"drama": "lovely-runner-2024", "slot": {"days": "Mon", "time": "20:50", "first_date":
      "2024-04-08", "episodes": 2}, "\ud83d": 1}]}, "dramas[0]"),
], ids=lambda v: v if isinstance(v, str) and len(v) < 50 else None)
def test_hostile_schedule_files_are_refused_with_their_place(tmp_path, db, capsys, doc, place):
    before = counts(db)
    code, err = run(capsys, "schedule", "import", str(schedule_file(tmp_path, doc)), "--database", str(db))
    assert code == 2, err
    assert place in err and "nothing was imported" in err
    assert "Traceback" not in err and len(err) < 5000
    assert counts(db) == before


def test_a_schedule_file_over_the_limit_is_refused_unread(tmp_path, db, capsys):
    big = tmp_path / "big.json"
    with big.open("wb") as fh:
        fh.truncate(200_000_000)  # 200 MB (sparse): only the first 5 MB + 1 byte are ever read
    tracemalloc.start()
    code, err = run(capsys, "schedule", "import", str(big), "--database", str(db))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert code == 2 and "larger than 5 MB" in err and "Nothing was imported" in err
    assert peak < 30_000_000


def test_a_schedule_file_that_is_not_utf8_is_refused(tmp_path, db, capsys):
    path = tmp_path / "latin1.json"
    path.write_bytes('{"dramas": [{"drama": "caf\xe9"}]}'.encode("latin-1"))
    code, err = run(capsys, "schedule", "import", str(path), "--database", str(db))
    assert code == 2 and "not UTF-8" in err


# ---------------------------------------------------------------- catalog import
def catalog_file(tmp_path: Path, data, *, gz: bool = False) -> Path:
    raw = (data if isinstance(data, str) else json.dumps(data)).encode("utf-8")
    path = tmp_path / ("catalog.json.gz" if gz else "catalog.json")
    path.write_bytes(gzip.compress(raw) if gz else raw)
    return path


def small_with(**title_changes) -> dict:
    data = copy.deepcopy(SMALL)
    data["dramas"][0].update(title_changes)
    return data


@pytest.mark.parametrize("data, place", [
    ('{"dramas": ' + "[" * 200_000 + "]" * 200_000 + "}", "nested too deeply"),
    (small_with(title=f"Run {LONE}On"), "dramas[0].title"),
    (small_with(title="Run\x00On"), "dramas[0].title"),
    (small_with(synopsis="a\x07b"), "dramas[0].synopsis"),
])
def test_hostile_catalog_files_are_refused_with_their_place(tmp_path, db, capsys, data, place):
    before = counts(db)
    code, err = run(capsys, "catalog", "import", str(catalog_file(tmp_path, data)), "--database", str(db), "--quiet")
    assert code == 2, err
    assert place in err and "nothing was imported" in err and "Traceback" not in err
    assert counts(db) == before


def test_a_gzip_bomb_stops_at_the_limit(tmp_path, db, capsys):
    bomb = tmp_path / "bomb.json.gz"
    with gzip.open(bomb, "wb", compresslevel=9) as gz:
        block = b" " * 1_000_000
        for _ in range(100):  # 100 MB of JSON whitespace in ~100 KB of gzip
            gz.write(block)
    assert bomb.stat().st_size < 1_000_000
    tracemalloc.start()
    code, err = run(capsys, "catalog", "import", str(bomb), "--database", str(db), "--max-size", "8", "--quiet")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert code == 2 and "larger than 8 MB of JSON" in err
    assert peak < 40_000_000  # the 8 MB read (+ its copies), never the 100 MB
    with pytest.raises(Exception, match="larger than 64 MB"):
        read_catalog_file(bomb)  # the default limit is documented: 64 MB of JSON after unpacking


def test_the_shipped_catalog_fits_the_default_limit():
    assert read_catalog_file(ROOT / "data" / "catalog.json.gz")["dramas"]
