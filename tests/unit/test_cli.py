"""The CLI's expected failures: one line on stderr, exit code 2, files untouched."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import Settings, load_settings
from bot.store import latest_version

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DATABASE_"))}
    base.update(env or {})
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=base,
                          cwd=cwd or ROOT, timeout=60)


def test_run_without_a_token_says_what_to_do(tmp_path):
    result = run_cli("run", cwd=tmp_path, env={"PYTHONPATH": str(ROOT)})
    assert result.returncode == 2
    assert "copy .env.example to .env" in result.stderr.lower()
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_run_with_a_text_file_as_database(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("hello\n")
    result = run_cli("run", cwd=tmp_path, env={"PYTHONPATH": str(ROOT), "DISCORD_TOKEN": "not-a-real-token",
                                               "DATABASE_PATH": str(notes)})
    assert result.returncode == 2, result.stderr
    assert "not a SQLite database" in result.stderr
    assert "not-a-real-token" not in result.stderr + result.stdout
    assert len(result.stderr.strip().splitlines()) == 1
    assert notes.read_text() == "hello\n"


def test_run_with_a_database_from_a_newer_version(tmp_path):
    path = tmp_path / "future.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {latest_version() + 1}")
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    result = run_cli("run", cwd=tmp_path, env={"PYTHONPATH": str(ROOT), "DISCORD_TOKEN": "x",
                                               "DATABASE_PATH": str(path)})
    assert result.returncode == 2
    assert "newer dramabot" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert path.read_bytes() == before


def test_db_upgrade_check_and_backup(tmp_path):
    db = tmp_path / "db.sqlite3"
    env = {"PYTHONPATH": str(ROOT), "DATABASE_PATH": str(db)}
    up = run_cli("db", "upgrade", cwd=tmp_path, env=env)
    assert up.returncode == 0, up.stderr
    check = run_cli("db", "check", cwd=tmp_path, env=env)
    assert check.returncode == 0 and "up to date" in check.stdout and "integrity ok" in check.stdout
    backup = run_cli("db", "backup", str(tmp_path / "copy.sqlite3"), cwd=tmp_path, env=env)
    assert backup.returncode == 0, backup.stderr
    conn = sqlite3.connect(tmp_path / "copy.sqlite3")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == latest_version()
    conn.close()


def test_sync_without_a_token_exits_2(tmp_path):
    result = run_cli("sync", cwd=tmp_path, env={"PYTHONPATH": str(ROOT)})
    assert result.returncode == 2 and "DISCORD_TOKEN" in result.stderr


def test_settings_never_show_the_token():
    settings = Settings(token="super-secret-token", vote_secret="also-secret")
    assert "super-secret-token" not in repr(settings)
    assert "also-secret" not in repr(settings)


def test_settings_from_environment():
    settings = load_settings({"DISCORD_TOKEN": " abc ", "OWNER_IDS": "1, 2", "DEV_GUILD_ID": "55",
                              "LOG_LEVEL": "debug", "DATABASE_PATH": "x.db"})
    assert settings.token == "abc"
    assert settings.owner_ids == {1, 2}
    assert settings.dev_guild_id == 55
    assert settings.log_level == "DEBUG"
    assert settings.database_path == Path("x.db")


@pytest.mark.parametrize("env, message", [
    ({"OWNER_IDS": "12,abc"}, "OWNER_IDS"),
    ({"DEV_GUILD_ID": "guild"}, "DEV_GUILD_ID"),
    ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
])
def test_bad_settings_fail_fast(env, message):
    from bot.errors import ConfigError

    with pytest.raises(ConfigError, match=message):
        load_settings(env)


def test_env_example_lists_every_setting():
    text = (ROOT / ".env.example").read_text()
    for key in ("DISCORD_TOKEN", "DATABASE_PATH", "OWNER_IDS", "DEV_GUILD_ID", "LOG_LEVEL", "LOG_FILE",
                "VOTE_SECRET", "DATA_RETENTION_DAYS", "ASK_COOLDOWN_SECONDS", "POLL_COOLDOWN_SECONDS",
                "CATALOG_PATH"):
        assert f"\n{key}=" in "\n" + text, key
        # each key has a comment line right above it
        before = text.split(f"\n{key}=")[0] if not text.startswith(f"{key}=") else ""
        assert before.rstrip().splitlines()[-1].startswith("#"), key
