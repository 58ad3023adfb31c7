"""`dramabot sources ...` and `dramabot catalog merge` against a local recorded feed."""

from __future__ import annotations

import json
import shutil
import sqlite3
import threading

import pytest

from bot.cli import main
from bot.sources.feed import RECORDED
from tests.unit.test_sources_store import GOBLIN_DUPLICATE


@pytest.fixture
def feed_url(tmp_path):
    """The feed server on its own thread and loop (the CLI runs its own asyncio.run)."""
    import asyncio

    from bot.sources.feed import FeedServer

    root = tmp_path / "feed"
    shutil.copytree(RECORDED, root)
    loop = asyncio.new_event_loop()
    server = FeedServer(root)
    url = loop.run_until_complete(server.start())
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield url
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    loop.run_until_complete(server.close())
    loop.close()


@pytest.fixture
def db(tmp_path, catalog_template, monkeypatch, feed_url):
    path = tmp_path / "cli.sqlite3"
    shutil.copyfile(catalog_template, path)
    for key, value in {"DATABASE_PATH": str(path), "SOURCES": "tvmaze", "TVMAZE_URL": feed_url,
                       "SOURCES_RATE": "100", "HEARTBEAT_SECONDS": "0"}.items():
        monkeypatch.setenv(key, value)
    return path


def test_link_sync_one_drama_status_and_merge(db, capsys):
    assert main(["sources", "link", "our-golden-days-2025", "90003"]) == 0
    assert main(["sources", "sync", "--drama", "our-golden-days-2025"]) == 0
    out = capsys.readouterr().out
    assert "1 shows refreshed" in out and "+50 added" in out
    assert main(["sources", "status"]) == 0
    assert "dramas linked: 1" in capsys.readouterr().out
    assert main(["sources", "sync", "--drama", "no-such-drama"]) == 2
    assert "No drama with the slug" in capsys.readouterr().err
    duplicate = db.parent / "goblin.json"  # the shipped catalog has no duplicate left to merge: add one
    duplicate.write_text(json.dumps(GOBLIN_DUPLICATE), encoding="utf-8")
    assert main(["catalog", "import", str(duplicate), "--quiet"]) == 0
    assert main(["catalog", "merge", "guardian-the-lonely-and-great-god-2016", "goblin-2016"]) == 0
    assert main(["catalog", "merge", "guardian-the-lonely-and-great-god-2016", "goblin-2016"]) == 2
    assert "no drama with the slug goblin-2016" in capsys.readouterr().err
    assert main(["sources", "review"]) == 0
    assert "No ambiguous show" in capsys.readouterr().out


def test_link_all_reports_and_resumes(db, capsys):
    assert main(["sources", "link"]) == 2
    assert "dramabot sources link --all" in capsys.readouterr().err
    assert main(["sources", "link", "--all", "--limit", "2"]) == 0
    out = capsys.readouterr().out
    assert "2 dramas looked up" in out and "0 linked" in out and "2 not found" in out
    left = int(out.split("; ")[-1].split()[0])
    assert main(["sources", "link", "--all", "--limit", "1"]) == 0
    assert f"; {left - 1} left to look up" in capsys.readouterr().out
    assert main(["sources", "status"]) == 0
    assert "linking the catalog (sources link --all): last success" in capsys.readouterr().out


def test_review_lists_shows_waiting_from_either_provider_and_the_owner_links_either(db, capsys):
    """TMDB's discovery can leave a show waiting too: the review names both, and `link --provider tmdb` picks."""
    conn = sqlite3.connect(db)
    ids = [r[0] for r in conn.execute("SELECT id FROM dramas ORDER BY id LIMIT 2")]
    for drama_id, score in zip(ids, (0.81, 0.79), strict=True):
        conn.execute("INSERT INTO source_links (provider, show_id, drama_id, state, confidence, method, created_at)"
                     " VALUES ('tmdb', '4242', ?, 'ambiguous', ?, 'matched', 'x')", (drama_id, score))
    conn.commit()
    slug = conn.execute("SELECT slug FROM dramas WHERE id = ?", (ids[0],)).fetchone()[0]
    conn.close()
    assert main(["sources", "review"]) == 0
    out = capsys.readouterr().out
    assert "TMDB show 4242" in out and slug in out and "--provider tmdb" in out
    assert "No ambiguous show" not in out
    assert main(["sources", "link", slug, "4242", "--provider", "tmdb"]) == 0
    assert "linked to TMDB show 4242" in capsys.readouterr().out
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT drama_id, state, method FROM source_links WHERE provider = 'tmdb'").fetchall()
    conn.close()
    assert rows == [(ids[0], "linked", "owner")]
    assert main(["sources", "review"]) == 0
    assert "No ambiguous show" in capsys.readouterr().out
    assert main(["sources", "unlink", slug, "--provider", "tmdb"]) == 0
    assert "unlinked" in capsys.readouterr().out
