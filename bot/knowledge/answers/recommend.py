"""Recommendations ("dramas like X", "what to watch after X", "like X but on Netflix") and a drama
remembered by its story ("the one where a fan travels back in time to save her idol").

Both rank dramas by the catalog terms they share, weighted by how rare a term is (a shared "time
travel" tag says more than a shared "romance" genre), plus shared directors, writers and lead actors.
A recommendation leaves out the drama itself and its other seasons, keeps one title per franchise, and
gives each pick a one-line reason.
"""

from __future__ import annotations

import math
import re

from bot.catalog.names import norm
from bot.knowledge.labels import drama_label
from bot.knowledge.model import Answer
from bot.knowledge.query import Query
from bot.knowledge.text import join_names
from bot.knowledge.vocab import VAGUE_GENRES, Vocabulary

PICKS = 5
MAX_TAGS = 10
WEIGHTS = {"genre": 3.0, "director": 3.0, "writer": 3.0, "network": 0.5}


def franchise(title: str) -> str:
    """"Hospital Playlist Season 2", "Stranger 2", "Reply 1997": the series a title belongs to."""
    head = re.split(r":| season\b| part\b| \d+\b", title, maxsplit=1, flags=re.IGNORECASE)[0]
    return norm(head) or norm(title)


def idf(vocab: Vocabulary, kind: str, term: str) -> float:
    n = vocab.counts.get((kind, term), 2)
    return 1.0 + math.log(max(2, vocab.total) / n)


async def recommend(q, query: Query, vocab: Vocabulary) -> Answer:
    source = await q.drama(query.dramas[0])
    label = drama_label(source)
    own = await q.drama_terms(source["id"])
    terms: list[tuple[str, str, float]] = []
    tags = []
    for r in own:
        kind, term = r["kind"], r["term"]
        if kind == "genre":  # genres count in pairs (two in common), "drama" and "life" included
            terms.append((kind, term, WEIGHTS["genre"]))
        elif kind in ("director", "writer", "network"):
            terms.append((kind, term, WEIGHTS[kind]))
        elif kind == "tag" and vocab.counts.get((kind, term), 0) > 1:
            tags.append((idf(vocab, kind, term), term))
    tags.sort(reverse=True)
    terms += [("tag", term, weight) for weight, term in tags[:MAX_TAGS]]
    rows = await q.term_neighbours(terms, [source["id"]], query.filters, limit=40)
    curated = {r["id"]: r["reason"] for r in await q.similar(source["id"])} if not query.filters.any() else {}
    if curated:  # the catalog's own picks (seed articles) lead
        rows = await q.dramas_rows(list(curated)) + [r for r in rows if r["id"] not in curated]
    own_series = franchise(source["title"])
    picks, seen = [], {own_series}
    for r in rows:
        key = franchise(r["title"])
        if key in seen:
            continue
        seen.add(key)
        picks.append(r)
        if len(picks) >= PICKS:
            break
    where = f" {query.described}" if query.described else ""
    if not picks:
        return Answer(f"I don't have dramas like {label}{where} to suggest yet.", intent="recommend",
                      found=False, drama_id=source["id"], query=query)
    ids = [r["id"] for r in picks]
    matched: dict[int, list[tuple[str, str]]] = {}
    for m in await q.matching_terms(ids, [(k, t) for k, t, _w in terms]):
        matched.setdefault(m["drama_id"], []).append((m["kind"], m["term"]))
    leads: dict[int, list[str]] = {}
    for m in await q.shared_leads(source["id"], ids):
        leads.setdefault(m["drama_id"], []).append(m["name"])
    weight = {(k, t): w for k, t, w in terms}
    lines = []
    for n, r in enumerate(picks, start=1):
        why = curated.get(r["id"]) or reason(matched.get(r["id"], []), leads.get(r["id"], []), weight)
        lines.append(f"{n}. {drama_label(r)}: {why[0].upper() + why[1:]}{'' if why.endswith('.') else '.'}")
    head = f"If you liked {label}, try these{where}:\n"
    return Answer(head + "\n".join(lines), intent="recommend", drama_id=source["id"], query=query)


def reason(shared: list[tuple[str, str]], leads: list[str], weight: dict) -> str:
    """One line: what a pick shares with the drama asked about, the weightiest first."""
    genres = [t for k, t in shared if k == "genre" and t not in VAGUE_GENRES]
    tags = sorted((t for k, t in shared if k == "tag"), key=lambda t: -weight.get(("tag", t), 0))
    crew = [(k, t) for k, t in shared if k in ("director", "writer")]
    bits = []
    if genres:
        bits.append("also " + join_names(genres[:3]))
    if tags:
        bits.append("the " + join_names([t.lower() for t in tags[:2]]) + (" themes" if len(tags[:2]) > 1 else " theme"))
    for kind, name in crew[:1]:
        bits.append(f"the same {kind} ({name.title()})")
    if leads:
        bits.append(f"{join_names(leads[:2])} in the lead")
    if not bits:
        network = [t for k, t in shared if k == "network"]
        bits.append(f"also on {network[0]}" if network else "a similar mood")
    return ", ".join(bits)


def stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


async def plot(q, query: Query, vocab: Vocabulary) -> Answer:
    """Dramas whose tags and genres match the words of a remembered story, rarest matches weighing most."""
    weights: dict[tuple[str, str], float] = {}
    for group in query.filters.tags:
        for term in group:
            weights[("tag", term)] = 2 * idf(vocab, "tag", term)
    for group in query.filters.genres:
        for term in group:
            weights[("genre", term)] = 1.0
    for word in query.words:
        hits = vocab.tags_with_word(stem(word))
        for term in hits[:12]:
            key = ("tag", term)
            weights[key] = max(weights.get(key, 0.0), idf(vocab, "tag", term) / max(1, len(hits) ** 0.5))
    if not weights and not query.words:
        return Answer("I couldn't find a drama with that story; tell me a bit more (a theme, a job, a twist).",
                      intent="plot", found=False, query=query)
    terms = sorted(((k, t, w) for (k, t), w in weights.items()), key=lambda x: -x[2])[:24]
    rows = list(await q.term_neighbours(terms, [], None, limit=5)) if terms else []
    told = await _synopsis_matches(q, query.words)
    if told:
        rows = told + [r for r in rows if r["id"] not in {t["id"] for t in told}]
    if not rows:
        return Answer("I couldn't find a drama with that story.", intent="plot", found=False, query=query)
    rows = rows[:5]
    matched: dict[int, list[str]] = {}
    for m in await q.matching_terms([r["id"] for r in rows], [(k, t) for k, t, _w in terms]):
        matched.setdefault(m["drama_id"], []).append(m["term"])
    items = []
    for r in rows:
        why = [t.lower() for t in matched.get(r["id"], [])[:3]] or (["its story"] if r in told else [])
        items.append(drama_label(r) + (f" ({join_names(why)})" if why else ""))
    return Answer("That sounds like " + items[0] + (". Or maybe: " + "; ".join(items[1:]) if len(items) > 1 else "")
                  + ".", intent="plot", drama_id=rows[0]["id"], query=query)


async def _synopsis_matches(q, words: list[str]) -> list:
    """Dramas whose synopsis holds at least three of the remembered words (stemmed), best first."""
    stems = {stem(w) for w in words if len(w) >= 3}
    if len(stems) < 2:
        return []
    scored = []
    for r in await q.synopses():
        have = {stem(w) for w in re.findall(r"[a-z0-9]+", (r["synopsis"] or "").lower())}
        hits = len(stems & have)
        if hits >= min(3, len(stems)):
            scored.append((hits, r))
    scored.sort(key=lambda x: -x[0])
    return [r for _h, r in scored[:3]]
