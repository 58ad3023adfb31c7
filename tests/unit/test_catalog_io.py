"""Catalog files: whole-file validation, all-or-nothing import, upserts, export round trip, first start."""

from __future__ import annotations

import copy
import gzip
import json
import shutil

import pytest

from bot.catalog.io import dumps, load_and_validate, read_catalog_file, validate_catalog, write_catalog_file
from bot.catalog.loader import META_KEY, load_starter_catalog
from bot.cli import main
from bot.settings import Settings
from bot.store import Store

SMALL = {
    "format": "dramabot-catalog",
    "version": 1,
    "people": [
        {"slug": "im-si-wan", "name": "Im Si-wan", "aliases": ["Yim Si Wan"]},
        {"slug": "shin-se-kyung", "name": "Shin Se-kyung"},
    ],
    "dramas": [
        {
            "slug": "run-on-2020", "title": "Run On", "korean_title": "런 온", "aliases": ["Keep On"], "year": 2020,
            "network": "JTBC", "platforms": ["Netflix"], "episodes": 16, "first_aired": "2020-12-16",
            "last_aired": "2021-02-04", "air_days": ["Wednesday", "Thursday"], "air_time": "21:00",
            "air_tz": "Asia/Seoul", "status": "finished", "genres": ["Romance"], "tags": ["Healing"],
            "synopsis": "Two people learn to talk.", "directors": ["Lee Jae-hoon"], "writers": ["Park Si-hyun"],
            "rating": 8.1, "season2": {"status": "denied", "note": "Story complete.", "as_of": "2021-02"},
            "fan_theories": ["A theory."], "similar": [{"slug": "start-up-2020", "reason": "vibe"}],
            "facts": [{"text": "Aired on JTBC.", "source": "seed", "as_of": "2021-02-04"},
                      {"text": "Has many fans.", "person": "im-si-wan"}],
            "credits": [
                {"person": "im-si-wan", "character": "Ki Seon-gyeom", "role": "main", "billing": 1},
                {"person": "shin-se-kyung", "character": "Oh Mi-joo", "character_aliases": ["Mi-do"],
                 "role": "main", "billing": 2},
            ],
            "source": {"type": "original"},
        },
        {"slug": "start-up-2020", "title": "Start-Up", "year": 2020, "similar": ["run-on-2020"]},
    ],
}


@pytest.fixture
async def store(tmp_path):
    s = Store(tmp_path / "t.sqlite3")
    await s.open()
    yield s
    await s.close()


async def _snapshot(store: Store) -> dict:
    return {t: await store.scalar(f"SELECT count(*) FROM {t}") for t in
            ("dramas", "drama_names", "people", "person_names", "credits", "facts", "fan_theories",
             "similar_dramas")}


def test_valid_file_has_no_problems():
    assert validate_catalog(SMALL) == []


def test_every_problem_is_reported_with_its_place():
    bad = copy.deepcopy(SMALL)
    run_on = bad["dramas"][0]
    run_on["episodes"] = 0
    run_on["first_aired"] = "16/12/2020"
    run_on["air_days"] = ["Wed", "Thursday"]
    run_on["season2"] = {"status": "maybe"}
    run_on["credits"][1]["person"] = "nobody"
    run_on["similar"] = ["missing-2000"]
    run_on["episdoes"] = 16
    bad["dramas"][1]["slug"] = "run-on-2020"
    bad["people"][1]["name"] = ""
    problems = validate_catalog(bad)
    assert problems == [
        'people[1] (slug "shin-se-kyung").name: must not be empty',
        'dramas[0] (slug "run-on-2020").episdoes: unknown field (check the spelling; see docs/catalog-format.md)',
        'dramas[0] (slug "run-on-2020").episodes: must be a positive whole number',
        'dramas[0] (slug "run-on-2020").first_aired: must be an ISO date (YYYY-MM-DD)',
        'dramas[0] (slug "run-on-2020").air_days: must be a list of English weekday names (Monday .. Sunday)',
        'dramas[0] (slug "run-on-2020").season2.status: must be one of unknown, rumoured, confirmed, denied',
        'dramas[0] (slug "run-on-2020").similar[0]: no drama with slug "missing-2000" in this file',
        'dramas[0] (slug "run-on-2020").credits[1].person: no person with slug "nobody" in this file',
        'dramas[1] (slug "run-on-2020").slug: duplicate drama slug',
        'dramas[1] (slug "run-on-2020").similar[0]: a drama cannot be similar to itself',
    ]


def test_wrong_format_and_bad_json(tmp_path):
    assert validate_catalog([]) == ["(top level): must be a JSON object with format, version, dramas and people"]
    assert validate_catalog({"format": "x", "version": 2}) == [
        'format: must be "dramabot-catalog"', "version: must be 1 (this dramabot reads version 1 files)"]
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": ', encoding="utf-8")
    with pytest.raises(Exception, match="invalid JSON at line 1"):
        read_catalog_file(broken)


async def test_import_round_trip_and_reimport_without_duplicates(store, tmp_path):
    await store.catalog.apply_catalog(SMALL)
    first = await store.catalog.export_catalog()
    assert dumps(first) == dumps(SMALL)  # export gives back exactly what was imported
    before = await _snapshot(store)
    await store.catalog.apply_catalog(SMALL)
    assert await _snapshot(store) == before
    # a member's theory in a server survives a re-import; the catalog's own are replaced
    drama_id = (await store.catalog.drama_by_slug("run-on-2020"))["id"]
    await store.write("INSERT INTO fan_theories (drama_id, text, source, guild_id, created_at)"
                      " VALUES (?, 'mine', 'member', 1, 'now')", (drama_id,))
    changed = copy.deepcopy(SMALL)
    changed["dramas"][0]["episodes"] = 17
    changed["dramas"][0]["fan_theories"] = ["Another theory."]
    changed["dramas"][0]["credits"].pop()
    await store.catalog.apply_catalog(changed)
    row = await store.catalog.drama_by_slug("run-on-2020")
    assert row["episodes"] == 17 and row["id"] == drama_id
    theories = [r["text"] for r in await store.fetchall("SELECT text FROM fan_theories ORDER BY id")]
    assert theories == ["mine", "Another theory."]
    assert await store.scalar("SELECT count(*) FROM credits WHERE drama_id = ?", (drama_id,)) == 1
    # the exported file imports into a fresh database and exports identically
    path = tmp_path / "out.json.gz"
    write_catalog_file(await store.catalog.export_catalog(), path)
    fresh = Store(tmp_path / "fresh.sqlite3")
    await fresh.open()
    try:
        await fresh.catalog.apply_catalog(load_and_validate(path))
        assert dumps(await fresh.catalog.export_catalog()) == dumps(read_catalog_file(path))
    finally:
        await fresh.close()


async def test_names_are_searchable_after_import(store):
    await store.catalog.apply_catalog(SMALL)
    rows = await store.catalog.find_dramas("keepon")
    assert [r["slug"] for r in rows] == ["run-on-2020"]
    assert [r["slug"] for r in await store.catalog.find_dramas("런온")] == ["run-on-2020"]
    assert await store.scalar("SELECT count(*) FROM facts_fts WHERE facts_fts MATCH 'JTBC'") == 1


def test_cli_import_export_exit_codes(tmp_path, capsys):
    db = tmp_path / "cli.sqlite3"
    good = tmp_path / "good.json"
    good.write_text(json.dumps(SMALL), encoding="utf-8")
    bad_data = copy.deepcopy(SMALL)
    bad_data["dramas"][0]["rating"] = 11
    bad_data["dramas"][1]["year"] = "2020"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(bad_data), encoding="utf-8")

    assert main(["catalog", "import", str(bad), "--database", str(db), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "nothing was imported; 2 problem(s)" in err
    assert 'dramas[0] (slug "run-on-2020").rating: must be a number from 0 to 10' in err
    assert 'dramas[1] (slug "start-up-2020").year: must be a year from 1900 to 2100' in err
    assert not db.exists()  # invalid: the database was not even opened

    assert main(["catalog", "import", str(good), "--database", str(db), "--quiet"]) == 0
    out = tmp_path / "export.json.gz"
    assert main(["catalog", "export", str(out), "--database", str(db)]) == 0
    assert dumps(read_catalog_file(out)) == dumps(SMALL)
    assert gzip.decompress(out.read_bytes())  # really gzip
    assert main(["catalog", "import", str(tmp_path / "missing.json"), "--database", str(db)]) == 2


async def test_shipped_catalog_loads_and_round_trips(catalog_template, tmp_path):
    path = tmp_path / "copy.sqlite3"
    shutil.copyfile(catalog_template, path)
    store = Store(path)
    await store.open()
    try:
        counts = await store.catalog.counts()
        assert counts["dramas"] > 2500 and counts["people"] > 3000
        assert await store.meta.get(META_KEY)
        exported = await store.catalog.export_catalog()
        assert dumps(exported) == dumps(read_catalog_file(Settings().catalog_path))
        lr = await store.catalog.drama_by_slug("lovely-runner-2024")
        assert (lr["network"], lr["peak_share"], lr["source_author"]) == ("tvN", 4.8, "Kim Bbang")
        assert await store.scalar("SELECT count(*) FROM fan_theories WHERE drama_id = ? AND source = 'catalog'",
                                  (lr["id"],)) == 3
        assert not await load_starter_catalog(store, Settings().catalog_path)  # marked: never reloaded
    finally:
        await store.close()


async def test_first_start_loads_once_and_leaves_owner_data_alone(tmp_path, store):
    path = tmp_path / "small.json.gz"
    write_catalog_file(SMALL, path)
    assert await load_starter_catalog(store, path, now="2026-01-01T00:00:00+00:00")
    assert (await store.catalog.counts())["dramas"] == 2
    await store.write("DELETE FROM dramas WHERE slug = 'start-up-2020'")
    assert not await load_starter_catalog(store, path)
    assert (await store.catalog.counts())["dramas"] == 1
    other = Store(tmp_path / "imported.sqlite3")
    await other.open()
    try:
        await other.catalog.apply_catalog({**SMALL, "dramas": [{"slug": "start-up-2020", "title": "Start-Up"}],
                                           "people": []})
        assert not await load_starter_catalog(other, path)  # an owner's import is never overwritten
        assert (await other.catalog.counts())["dramas"] == 1
        missing = Store(tmp_path / "nofile.sqlite3")
        await missing.open()
        try:
            assert not await load_starter_catalog(missing, tmp_path / "nope.json.gz")
        finally:
            await missing.close()
    finally:
        await other.close()


async def test_a_failing_import_changes_nothing(store):
    await store.catalog.apply_catalog(SMALL)
    before = await _snapshot(store)
    broken = copy.deepcopy(SMALL)
    broken["dramas"][0]["title"] = "Changed"
    broken["dramas"][1]["credits"] = [{"person": "not-validated"}]  # apply_catalog trusts validation
    with pytest.raises(KeyError):
        await store.catalog.apply_catalog(broken)
    assert await _snapshot(store) == before
    assert (await store.catalog.drama_by_slug("run-on-2020"))["title"] == "Run On"


async def test_a_reimport_renaming_a_title_reaches_the_name_index(store):
    """A re-import deletes and re-inserts as many names; SQLite may reuse their rowids, so the index must
    notice the import itself, not only moved rowids."""
    from bot.knowledge.engine import KnowledgeEngine

    await store.catalog.apply_catalog(SMALL)
    engine = KnowledgeEngine(store)
    assert "16" in (await engine.answer("how many episodes does Run On have")).text
    renamed = copy.deepcopy(SMALL)
    renamed["dramas"][0]["title"] = "Run Away"
    renamed["dramas"][0]["episodes"] = 12
    before = await store.knowledge.catalog_version()
    await store.catalog.apply_catalog(renamed)
    assert (await store.knowledge.catalog_version())[:2] == before[:2]  # the rowids alone did not move
    assert "12" in (await engine.answer("how many episodes does Run Away have")).text
