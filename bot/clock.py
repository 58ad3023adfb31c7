"""The one clock: ``discord.utils.utcnow()``, which SimCord's ``advance_time`` moves in tests and demos.

Domain packages take ``now`` as a parameter; entry points (cogs, CLI commands) read it here.
"""

from __future__ import annotations

from datetime import datetime

import discord


def utcnow() -> datetime:
    return discord.utils.utcnow()


def timestamp() -> int:
    return int(utcnow().timestamp())
