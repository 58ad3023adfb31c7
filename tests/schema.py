"""Databases as an owner's older install left them, for the migration upgrade tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.store import migrations


def sqlite_at(path: Path, version: int, seed: str = "") -> Path:
    """A SQLite database built by migrations 1..``version`` (user_version set to it), holding ``seed``'s rows."""
    conn = sqlite3.connect(path)
    try:
        conn.executescript("\n".join(sql for number, _name, sql in migrations() if number <= version))
        conn.executescript(f"PRAGMA user_version = {version};\n{seed}")
        conn.commit()
    finally:
        conn.close()
    return path
