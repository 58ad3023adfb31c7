"""Answers about the drama as a whole: season 2, a description, stored facts (similar dramas: recommend.py)."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

from bot.knowledge.labels import describe, drama_label
from bot.knowledge.model import Answer
from bot.knowledge.text import format_date

if TYPE_CHECKING:
    from bot.knowledge.parse import Parse


async def facts_for(q, parse: Parse, d: sqlite3.Row) -> Answer | None:
    words = parse.residual_words()
    if not words:
        return None
    rows = await q.search_facts(words, drama_id=d["id"], limit=2)
    if not rows:
        return None
    text = " ".join(fact_text(r) for r in rows)
    return Answer(f"About {drama_label(d)}: {text}", intent="facts", drama_id=d["id"])


async def answer_season2(q, d, label, today) -> Answer:
    status = d["season2_status"] or "unknown"
    as_of = f" (as of {format_date(d['season2_as_of'])})" if d["season2_as_of"] else ""
    note = f" {d['season2_note'].strip()}" if d["season2_note"] else ""
    if note and not note.rstrip().endswith((".", "!", "?")):
        note += "."
    if status == "confirmed":
        text = f"Yes: a second season of {label} has been confirmed{as_of}.{note}"
    elif status == "denied":
        text = f"No: there will be no season 2 of {label}; it has been ruled out{as_of}.{note}"
    elif status == "rumoured":
        text = (f"A season 2 of {label} is only rumoured so far: it has not been confirmed{as_of}.{note}")
    else:
        text = f"A second season of {label} has not been confirmed or announced{as_of}.{note}"
    return Answer(text.strip(), intent="season2", drama_id=d["id"])


async def answer_about(q, d, label, today) -> Answer:
    return Answer(describe(d), intent="about")


def fact_text(row: Any) -> str:
    text = row["text"].strip()
    if row["as_of"]:
        end = text[-1] if text[-1:] in ".!?" else "."
        text = text.rstrip(".!?") + f" (as of {format_date(row['as_of'])}){end}"
    return text
