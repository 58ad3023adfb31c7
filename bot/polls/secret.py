"""Keyed hashes of voter ids for anonymous polls, and the per-install secret they are keyed with.

The secret is ``VOTE_SECRET`` when set; otherwise random bytes generated once and kept in a file
beside the database (``<db>.secret``, mode 0600) — never in the database itself, so a copy of the
database alone does not reveal who voted what. Keys include the poll id, so one member's votes in
two anonymous polls cannot be linked to each other either.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

SECRET_BYTES = 32


def secret_path(database_path: Path | str) -> Path:
    path = Path(database_path)
    return path.with_name(path.name + ".secret")


def load_or_create(path: Path) -> bytes:
    """Read the secret file, creating it (0600, atomically, exactly once) when missing."""
    try:
        data = path.read_bytes().strip()
        if data:
            return data
    except FileNotFoundError:
        pass
    token = secrets.token_hex(SECRET_BYTES).encode()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()  # another process created it first: use theirs
    try:
        os.write(fd, token)
        os.fsync(fd)
    finally:
        os.close(fd)
    return token


def resolve(configured: str | None, database_path: Path | str) -> bytes:
    if configured:
        return configured.encode()
    return load_or_create(secret_path(database_path))


def voter_key(secret: bytes, poll_id: int, user_id: int) -> str:
    """HMAC-SHA256(secret, "<poll>:<member>") as hex: stable per poll, unlinkable without the secret."""
    return hmac.new(secret, f"{poll_id}:{user_id}".encode(), hashlib.sha256).hexdigest()


def public_key(user_id: int) -> str:
    return str(user_id)
