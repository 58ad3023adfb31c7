"""``dramabot ask "question"``: ask the question engine from a terminal (no Discord, no token).

Opens the configured database (loading the starter catalog first when the store has never had one)
and prints the answer the bot would give.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys


async def _ask(question: str, database: str | None, today: dt.date | None) -> tuple[str, bool]:
    from bot.catalog.loader import load_starter_catalog
    from bot.knowledge.engine import engine_for
    from bot.settings import load_settings
    from bot.store import Store

    settings = load_settings()
    async with Store(database or settings.database) as store:
        await load_starter_catalog(store, settings.catalog_path)
        answer = await engine_for(store).answer(question, today=today)
    return answer.text, answer.found


def cmd_ask(args: argparse.Namespace) -> int:
    question = " ".join(args.question).strip()
    if question == "-":
        question = sys.stdin.read()
    today = None
    if args.today:
        try:
            today = dt.date.fromisoformat(args.today)
        except ValueError:
            from bot.errors import ConfigError

            raise ConfigError(f"--today must be a date like 2024-05-28, got {args.today!r}.") from None
    text, _found = asyncio.run(_ask(question, args.database, today))
    print(text)
    return 0


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ask", help="ask a question about dramas and actors, as /ask would answer it")
    p.add_argument("question", nargs="+", help='the question, e.g. "Who plays Im Sol in Lovely Runner?" ("-": stdin)')
    p.add_argument("--database", help="database file (default: DATABASE_PATH)")
    p.add_argument("--today", help="answer as if today were this date (YYYY-MM-DD), for tense and upcoming dramas")
    p.set_defaults(func=cmd_ask)
