"""`dramabot run` when it cannot work: a damaged database, no network, a token Discord refuses.

Each ends in ONE clear line on stderr and exit code 2, never a traceback, never the token. Discord is
replaced by a local aiohttp server (or a local port nobody listens on) by pointing discord.py's API
base at it; nothing reaches the internet.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import socket
import sqlite3

import discord
import pytest
from aiohttp import web

from bot.cli import main
from tests.unit.test_cli import ROOT, run_cli

TOKEN = "MTIzNDU2Nzg5.secret-part.do-not-show-me"


@pytest.fixture
def run_env(tmp_path, monkeypatch):
    """`dramabot run` in-process, from an empty folder, on a fresh database; logging restored after."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "db.sqlite3"))
    monkeypatch.delenv("LOG_FILE", raising=False)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield tmp_path
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def one_clear_line(code: int, err: str, caplog=None) -> str:
    """The error is one line, the last (INFO log lines of a normal start may come before it)."""
    assert code == 2, err
    lines = err.strip().splitlines()
    errors = [line for line in lines if line.startswith("dramabot:")]
    assert errors == lines[-1:] and "Traceback" not in err, err
    assert TOKEN not in err and "secret-part" not in err
    assert caplog is None or "secret-part" not in caplog.text
    return lines[-1]


async def test_without_network_one_clear_line(run_env, monkeypatch, capsys, caplog):
    monkeypatch.setattr(discord.http.Route, "BASE", f"http://127.0.0.1:{free_port()}/api/v10")  # nobody there
    code = await asyncio.to_thread(main, ["run"])
    line = one_clear_line(code, capsys.readouterr().err, caplog)
    assert "Cannot reach Discord" in line and "network" in line


async def test_a_token_discord_refuses_one_clear_line(run_env, monkeypatch, capsys, caplog):
    seen = []

    async def me(request: web.Request) -> web.Response:
        seen.append(request.headers.get("Authorization", ""))
        return web.json_response({"message": "401: Unauthorized", "code": 0}, status=401)

    app = web.Application()
    app.router.add_get("/api/v10/users/@me", me)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    try:
        monkeypatch.setattr(discord.http.Route, "BASE", f"http://127.0.0.1:{port}/api/v10")
        code = await asyncio.to_thread(main, ["run"])
    finally:
        await runner.cleanup()
    assert seen == [f"Bot {TOKEN}"]  # it really asked Discord (our stand-in) with the token
    line = one_clear_line(code, capsys.readouterr().err, caplog)
    assert "Discord rejected DISCORD_TOKEN" in line


@pytest.mark.parametrize("token", ["abc def", "abc\\ndef", '"abc.def"', "토큰"])
def test_a_malformed_token_is_refused_before_connecting(run_env, monkeypatch, capsys, caplog, token):
    monkeypatch.setenv("DISCORD_TOKEN", token)
    code = main(["run"])
    err = capsys.readouterr().err
    assert "characters a bot token never has" in one_clear_line(code, err, caplog)
    assert token.strip('"') not in err


def test_a_database_with_damaged_pages_is_refused_at_start(tmp_path, catalog_template):
    db = tmp_path / "db.sqlite3"
    shutil.copyfile(catalog_template, db)
    with db.open("r+b") as fh:  # the header (page 1) stays intact; pages in the middle are overwritten
        fh.seek(40 * 4096)
        fh.write(b"\xde\xad\xbe\xef" * 4096)
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] > 0  # the header still reads fine
    conn.close()
    result = run_cli("run", cwd=tmp_path, env={"PYTHONPATH": str(ROOT), "DISCORD_TOKEN": TOKEN,
                                               "DATABASE_PATH": str(db)})
    line = one_clear_line(result.returncode, result.stderr)
    assert "is damaged" in line and "dramabot db backup" in line and "Restore" in line
    assert TOKEN not in result.stdout
