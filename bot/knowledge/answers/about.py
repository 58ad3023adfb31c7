"""Answers about the drama as a whole: season 2, a description, stored facts (similar dramas: recommend.py)."""

from __future__ import annotations

import re
import sqlite3
from typing import TYPE_CHECKING, Any

from bot.knowledge.labels import describe, drama_label
from bot.knowledge.model import Answer
from bot.knowledge.text import format_date

if TYPE_CHECKING:
    from bot.knowledge.parse import Parse


# Words fans use for what a stored fact says in other words (both sides are stemmed first).
RELATED = {
    "make": ("making", "made", "produc", "film"), "take": ("took",),
    "long": ("year", "month", "week"), "soundtrack": ("ost", "song", "band", "spotify", "music"),
    "ost": ("song", "band", "spotify", "music", "soundtrack"), "hear": ("song", "spotify", "band", "listen", "music"),
    "listen": ("song", "spotify", "band", "music"), "music": ("song", "band", "spotify"),
    "song": ("band", "spotify", "song"), "popular": ("number", "most", "rank", "talked"),
    "famous": ("known", "popular"), "rank": ("number",), "book": ("novel", "webtoon"),
    "novel": ("novel", "book"), "follower": ("instagram", "follower"), "instagram": ("instagram",),
    "audience": ("share", "rating"), "rating": ("share", "audience"), "viewer": ("share", "audience"),
    "cast": ("lead", "role", "cast"), "photo": ("photo", "picture"), "picture": ("photo",),
    # Korean question words (a Hangul word keeps its ending: matched by its start, see fact_score)
    "만드": ("making", "made", "produc"), "만들": ("making", "made", "produc"), "제작": ("making", "produc"),
    "걸렸": ("took",), "걸린": ("took",), "얼마나": ("year", "month"), "노래": ("song", "band", "spotify"),
    "음악": ("song", "band", "spotify"), "팬": ("fan",), "인기": ("number", "popular"),
    "팔로워": ("instagram", "follower"), "인스타": ("instagram",), "원작": ("novel", "webtoon", "book"),
}
STOP = frozenset("""a an the of in on at to for by with and or from about is are was were be been it its this that
what which who whom how when where why do does did can could should would will i me my you your we they there
any some tell know want please pls lol so just also really""".split())


def stem(word: str) -> str:
    for suffix in ("ing", "ers", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def fact_score(words: list[str], text: str) -> float:
    """How many of the question's own words (or the words fans use for them) a fact holds."""
    raw = re.findall(r"[a-z0-9]+", text.lower())
    have = {stem(w) for w in raw} | set(raw)
    score = 0.0
    for word in words:
        key = stem(word)
        if not word.isascii():
            key = next((k for k in RELATED if not k.isascii() and word.startswith(k)), word)
        if key in have or word in have:
            score += 1
        elif any(any(h.startswith(r) or (len(h) >= 3 and r.startswith(h)) for h in have)
                 for r in RELATED.get(key, RELATED.get(word, ()))):
            score += 0.8
    return score


def question_words(parse: Parse) -> list[str]:
    """The question's words that no mention covers and that are no plain function words."""
    return [t.key for n, t in enumerate(parse.tokens)
            if not parse.covered(n) and t.key not in STOP and len(t.key) > 1 and not t.key.isdigit()]


async def facts_for(q, parse: Parse, d: sqlite3.Row, *, need: float = 1.0) -> Answer | None:
    """The stored facts about ``d`` that the question's free words point at ("how long did it take to
    make?" -> "Making the series took about three years"), best first; None when none scores ``need``."""
    words = question_words(parse)
    if not words:
        return None
    rows = await q.facts(d["id"], limit=50)
    scored = sorted(((fact_score(words, r["text"]), n, r) for n, r in enumerate(rows)), key=lambda x: (-x[0], x[1]))
    best = [(s, r) for s, _n, r in scored[:2] if s >= need]
    if not best:
        return None
    if len(best) > 1 and best[1][0] < best[0][0]:
        best = best[:1]
    text = " ".join(fact_text(r) for _s, r in best)
    answer = Answer(f"About {drama_label(d)}: {text}", intent="facts", drama_id=d["id"])
    answer.score = best[0][0]
    return answer


async def theories_for(q, d: sqlite3.Row) -> str:
    """Fan theories shipped with the catalog about ``d`` (server-added ones stay in their server)."""
    rows = await q.theories(d["id"])
    if not rows:
        return ""
    return " What fans think a sequel could be about: " + " ".join(
        f"({n}) {r['text'].strip()}" for n, r in enumerate(rows[:3], start=1))


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
