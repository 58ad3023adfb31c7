"""Queries for the drama catalog (dramas, names, people, credits, facts, theories)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import aiosqlite

from bot.catalog.names import norm
from bot.store.knowledge import IMPORT_GENERATION, bump_generation

if TYPE_CHECKING:
    from bot.store.database import Database

SEASON2_STATUSES = ("unknown", "rumoured", "confirmed", "denied")


class CatalogQueries:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def counts(self) -> dict[str, int]:
        row = await self.db.fetchone(
            "SELECT (SELECT count(*) FROM dramas) AS dramas, (SELECT count(*) FROM people) AS people,"
            " (SELECT count(*) FROM credits) AS credits"
        )
        return dict(row) if row else {"dramas": 0, "people": 0, "credits": 0}

    async def get_drama(self, drama_id: int) -> sqlite3.Row | None:
        return await self.db.fetchone("SELECT * FROM dramas WHERE id = ?", (drama_id,))

    async def set_season2(self, drama_id: int, status: str, note: str | None, as_of: str) -> None:
        if status not in SEASON2_STATUSES:
            raise ValueError(f"season-2 status must be one of {SEASON2_STATUSES}")
        await self.db.write(
            "UPDATE dramas SET season2_status = ?, season2_note = ?, season2_as_of = ? WHERE id = ?",
            (status, note, as_of, drama_id),
        )

    async def find_dramas(self, key: str, limit: int = 25) -> list[sqlite3.Row]:
        """Dramas whose title or alias key (see ``bot.catalog.names.norm``) equals or starts with ``key``.

        A simple, index-backed lookup; the question engine layers fuzzy matching on top.
        """
        if not key:
            return await self.db.fetchall("SELECT id, slug, title, year FROM dramas ORDER BY year DESC NULLS LAST, title LIMIT ?",
                                          (limit,))
        return await self.db.fetchall(
            "SELECT d.id, d.slug, d.title, d.year, max(CASE WHEN n.norm = ? THEN 1 ELSE 0 END) AS exact FROM drama_names n"
            " JOIN dramas d ON d.id = n.drama_id WHERE n.norm >= ? AND n.norm < ?"
            " GROUP BY d.id ORDER BY exact DESC, d.year DESC NULLS LAST LIMIT ?",
            (key, key, key + "\U0010ffff", limit),
        )

    async def drama_by_slug(self, slug: str) -> sqlite3.Row | None:
        return await self.db.fetchone("SELECT * FROM dramas WHERE slug = ?", (slug,))

    # ------------------------------------------------------------------ import / export
    async def apply_catalog(
        self,
        catalog: dict,
        *,
        now: str | None = None,
        progress: Callable[[int, int], None] | None = None,
        meta: tuple[str, str] | None = None,
    ) -> dict[str, int]:
        """Apply a VALIDATED catalog (``bot.catalog.io.validate_catalog``) in ONE transaction.

        Upsert by slug: dramas and people in the file are created or updated, never duplicated; an
        imported drama's names, credits, facts, similar list and catalog theories are replaced
        (theories members added in a server stay). Things not in the file are left alone.
        ``meta`` = (key, value) is written in the same transaction (the first-start marker).
        Returns counts of what the file contained.
        """
        dramas = catalog.get("dramas", [])
        people = catalog.get("people", [])
        if now is None:  # CLI imports; the bot passes discord.utils.utcnow()
            from bot.clock import utcnow

            now = utcnow().isoformat(timespec="seconds")
        created = now
        total = len(dramas) + len(people) + 1
        done = 0

        def tick(n: int) -> None:
            nonlocal done
            done += n
            if progress is not None:
                progress(done, total)

        async with self.db.transaction() as conn:
            fresh = not await _scalar(conn, "SELECT EXISTS (SELECT 1 FROM dramas) OR EXISTS (SELECT 1 FROM people)")
            await conn.executemany(
                "INSERT INTO people (slug, name, korean_name, aliases) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (slug) DO UPDATE SET name = excluded.name, korean_name = excluded.korean_name,"
                " aliases = excluded.aliases",
                [(p["slug"], p["name"], p.get("korean_name"), _dump(p.get("aliases"))) for p in people],
            )
            person_ids = await _ids(conn, "people")
            if not fresh:
                await conn.executemany("DELETE FROM person_names WHERE person_id = ?",
                                       [(person_ids[p["slug"]],) for p in people])
            await conn.executemany(
                "INSERT INTO person_names (person_id, name, norm) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                [(person_ids[p["slug"]], name, key) for p in people
                 for name, key in _names([p["name"], *p.get("aliases", [])])],
            )
            tick(len(people))
            await conn.executemany(
                f"INSERT INTO dramas ({', '.join(_DRAMA_COLUMNS)}) VALUES ({', '.join('?' * len(_DRAMA_COLUMNS))})"
                " ON CONFLICT (slug) DO UPDATE SET "
                + ", ".join(f"{c} = excluded.{c}" for c in _DRAMA_COLUMNS if c != "slug"),
                [_drama_row(d) for d in dramas],
            )
            drama_ids = await _ids(conn, "dramas")
            for start in range(0, len(dramas), _BATCH):
                batch = dramas[start:start + _BATCH]
                ids = [(drama_ids[d["slug"]],) for d in batch]
                if not fresh:
                    for table in ("drama_names", "drama_terms", "credits", "facts", "similar_dramas"):
                        await conn.executemany(f"DELETE FROM {table} WHERE drama_id = ?", ids)
                    await conn.executemany(
                        "DELETE FROM fan_theories WHERE drama_id = ? AND guild_id IS NULL AND source = 'catalog'", ids)
                names, credits, facts, theories, similar = [], [], [], [], []
                terms: dict[tuple[str, str, int], None] = {}
                for d in batch:
                    did = drama_ids[d["slug"]]
                    terms.update(dict.fromkeys(drama_terms(d, did)))
                    title_names = [(d["title"], "title")]
                    if d.get("korean_title"):
                        title_names.append((d["korean_title"], "korean"))
                    title_names += [(a, "korean" if _hangul(a) else "alias") for a in d.get("aliases", [])]
                    seen: set[str] = set()
                    for name, kind in title_names:
                        key = norm(name)
                        if key and key not in seen:
                            seen.add(key)
                            names.append((did, name, key, kind))
                    for pos, c in enumerate(d.get("credits", []), start=1):
                        credits.append((did, person_ids[c["person"]], c.get("character") or "",
                                        _dump(c.get("character_aliases")), c.get("role"), c.get("billing") or pos))
                    for f in d.get("facts", []):
                        facts.append((did, person_ids[f["person"]] if f.get("person") else None, f["text"],
                                       f.get("source"), f.get("as_of")))
                    for t in d.get("fan_theories", []):
                        theories.append((did, t, created))
                    for s in d.get("similar", []):
                        slug, reason = (s["slug"], s.get("reason")) if isinstance(s, dict) else (s, None)
                        similar.append((did, drama_ids[slug], reason))
                await conn.executemany("INSERT INTO drama_names (drama_id, name, norm, kind) VALUES (?, ?, ?, ?)",
                                       names)
                await conn.executemany("INSERT INTO drama_terms (kind, term, drama_id) VALUES (?, ?, ?)", list(terms))
                await conn.executemany(
                    "INSERT INTO credits (drama_id, person_id, character, character_aliases, role, billing)"
                    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (drama_id, person_id, character) DO UPDATE SET"
                    " character_aliases = excluded.character_aliases, role = excluded.role, billing = excluded.billing",
                    credits)
                await conn.executemany(
                    "INSERT INTO facts (drama_id, person_id, text, source, as_of) VALUES (?, ?, ?, ?, ?)", facts)
                await conn.executemany(
                    "INSERT INTO fan_theories (drama_id, text, source, guild_id, created_at)"
                    " VALUES (?, ?, 'catalog', NULL, ?) ON CONFLICT DO NOTHING",
                    theories)
                await conn.executemany(
                    "INSERT INTO similar_dramas (drama_id, similar_id, reason) VALUES (?, ?, ?)"
                    " ON CONFLICT (drama_id, similar_id) DO UPDATE SET reason = excluded.reason", similar)
                tick(len(batch))
            await conn.execute(REFRESH_TERM_COUNTS[0])
            await conn.execute(REFRESH_TERM_COUNTS[1])
            # The name index's change detector (KnowledgeQueries.catalog_version): max rowids alone miss a
            # re-import that deletes and re-inserts as many names (SQLite reuses the top rowids).
            await bump_generation(conn, IMPORT_GENERATION)
            if meta is not None:
                await conn.execute(
                    "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    meta)
            tick(1)
        return {"dramas": len(dramas), "people": len(people)}

    async def export_catalog(self) -> dict:
        """The whole catalog in the file format (canonical form; see ``bot.catalog.io``)."""
        from bot.catalog.io import FORMAT, VERSION, canonical

        people_rows = await self.db.fetchall("SELECT id, slug, name, korean_name, aliases FROM people")
        person_slug = {r["id"]: r["slug"] for r in people_rows}
        drama_rows = await self.db.fetchall("SELECT * FROM dramas")
        drama_slug = {r["id"]: r["slug"] for r in drama_rows}
        children: dict[str, dict[int, list]] = {}
        for name, sql in (
            ("credits", "SELECT drama_id, person_id, character, character_aliases, role, billing FROM credits"
                        " ORDER BY drama_id, billing, person_id, character"),
            ("facts", "SELECT drama_id, person_id, text, source, as_of FROM facts"
                      " WHERE drama_id IS NOT NULL ORDER BY drama_id, id"),
            ("theories", "SELECT drama_id, text FROM fan_theories WHERE guild_id IS NULL AND source = 'catalog'"
                         " ORDER BY drama_id, id"),
            ("similar", "SELECT drama_id, similar_id, reason FROM similar_dramas ORDER BY drama_id, similar_id"),
        ):
            grouped: dict[int, list] = {}
            for row in await self.db.fetchall(sql):
                grouped.setdefault(row["drama_id"], []).append(row)
            children[name] = grouped
        dramas = []
        for r in drama_rows:
            did = r["id"]
            dramas.append({
                "slug": r["slug"], "title": r["title"], "korean_title": r["korean_title"],
                "aliases": json.loads(r["aliases"]), "year": r["year"], "network": r["network"],
                "platforms": json.loads(r["platforms"]), "episodes": r["episodes"],
                "first_aired": r["first_aired"], "last_aired": r["last_aired"],
                "air_days": json.loads(r["air_days"]), "air_time": r["air_time"], "air_tz": r["air_tz"],
                "status": r["status"], "genres": json.loads(r["genres"]), "tags": json.loads(r["tags"]),
                "synopsis": r["synopsis"],
                "source": {"type": r["source_type"], "title": r["source_title"], "author": r["source_author"],
                           "illustrator": r["source_illustrator"], "platform": r["source_platform"]},
                "directors": json.loads(r["directors"]), "writers": json.loads(r["writers"]),
                "rating": r["rating"], "peak_share": r["peak_share"],
                "season2": {"status": r["season2_status"], "note": r["season2_note"], "as_of": r["season2_as_of"]},
                "fan_theories": [t["text"] for t in children["theories"].get(did, [])],
                "similar": [{"slug": drama_slug[s["similar_id"]], "reason": s["reason"]}
                            for s in children["similar"].get(did, [])],
                "facts": [{"text": f["text"], "source": f["source"], "as_of": f["as_of"],
                           "person": person_slug.get(f["person_id"])} for f in children["facts"].get(did, [])],
                "credits": [{"person": person_slug[c["person_id"]], "character": c["character"],
                             "character_aliases": json.loads(c["character_aliases"]), "role": c["role"],
                             "billing": c["billing"]} for c in children["credits"].get(did, [])],
            })
        people = [{"slug": r["slug"], "name": r["name"], "korean_name": r["korean_name"],
                   "aliases": json.loads(r["aliases"])} for r in people_rows]
        return canonical({"format": FORMAT, "version": VERSION, "dramas": dramas, "people": people})


# drama_term_counts follows drama_terms after every import (the question engine's filter vocabulary)
REFRESH_TERM_COUNTS = (
    "DELETE FROM drama_term_counts",
    "INSERT INTO drama_term_counts (kind, term, dramas) SELECT kind, term, count(*) FROM drama_terms"
    " WHERE kind IN ('genre', 'tag', 'network', 'platform') GROUP BY kind, term",
)
_BATCH = 250
_DRAMA_COLUMNS = (
    "slug", "title", "korean_title", "aliases", "year", "network", "platforms", "episodes", "first_aired",
    "last_aired", "air_days", "air_time", "air_tz", "status", "genres", "tags", "synopsis", "source_type",
    "source_title", "source_author", "source_illustrator", "source_platform", "directors", "writers", "rating",
    "peak_share", "season2_status", "season2_note", "season2_as_of",
)


def _dump(values: list | None) -> str:
    return json.dumps(values or [], ensure_ascii=False)


def _hangul(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in text)


def _names(names: list[str]) -> list[tuple[str, str]]:
    out, seen = [], set()
    for name in names:
        key = norm(name)
        if key and key not in seen:
            seen.add(key)
            out.append((name, key))
    return out


def drama_terms(d: dict, drama_id: int) -> list[tuple[str, str, int]]:
    """(kind, term, drama id) rows of ``drama_terms`` for one imported drama: genres, tags, network,
    platforms, directors and writers in lower case (what lists with filters and recommendations look up)."""
    out = []
    for kind, values in (("genre", d.get("genres")), ("tag", d.get("tags")), ("platform", d.get("platforms")),
                         ("director", d.get("directors")), ("writer", d.get("writers")),
                         ("network", [d["network"]] if d.get("network") else [])):
        for value in values or []:
            term = str(value).strip().lower()
            if term:
                out.append((kind, term, drama_id))
    return out


def _drama_row(d: dict) -> tuple:
    source = d.get("source") or {}
    season2 = d.get("season2") or {}
    return (
        d["slug"], d["title"], d.get("korean_title"), _dump(d.get("aliases")), d.get("year"), d.get("network"),
        _dump(d.get("platforms")), d.get("episodes"), d.get("first_aired"), d.get("last_aired"),
        _dump(d.get("air_days")), d.get("air_time"), d.get("air_tz"), d.get("status"), _dump(d.get("genres")),
        _dump(d.get("tags")), d.get("synopsis"), source.get("type"), source.get("title"), source.get("author"),
        source.get("illustrator"), source.get("platform"), _dump(d.get("directors")), _dump(d.get("writers")),
        d.get("rating"), d.get("peak_share"), season2.get("status", "unknown"), season2.get("note"),
        season2.get("as_of"),
    )


async def _scalar(conn: aiosqlite.Connection, sql: str, params: tuple = ()) -> Any:
    async with conn.execute(sql, params) as cur:
        row = await cur.fetchone()
    return None if row is None else row[0]


async def _ids(conn: aiosqlite.Connection, table: str) -> dict[str, int]:
    async with conn.execute(f"SELECT slug, id FROM {table}") as cur:
        return {slug: rid for slug, rid in await cur.fetchall()}
