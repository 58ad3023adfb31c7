"""Read queries for the question engine (``bot.knowledge``): name lookups, cast, filmography, facts.

Everything here is index-backed so that answering stays fast with 100,000 dramas and a million
credits: names by ``drama_names.norm`` / ``person_names.norm``, credits by ``drama_id`` (primary key
prefix) or ``person_id`` (``credits_person``), characters by ``credits_character``.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.store.database import Database

# SQLite's default limit on host parameters is 32766; keep batches far below it.
_MAX_IN = 500
_FTS_TOKEN = re.compile(r"\w+", re.UNICODE)
_FTS_RESERVED = {"and", "or", "not", "near"}


def fts_query(words: Iterable[str], *, any_word: bool = True) -> str:
    """A safe FTS5 query: every token double-quoted, operators and punctuation dropped."""
    tokens = []
    for word in words:
        for tok in _FTS_TOKEN.findall(word or ""):
            if tok.lower() in _FTS_RESERVED or not tok.strip("_"):
                continue
            tokens.append(f'"{tok}"')
    return (" OR " if any_word else " ").join(dict.fromkeys(tokens))


def _chunks(items: Sequence[str], size: int = _MAX_IN) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class KnowledgeQueries:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ------------------------------------------------------------ index building
    async def catalog_version(self) -> tuple[int, int, int]:
        """Cheap change detector for the in-memory name index: every import bumps ``catalog_generation``;
        the largest rowids catch names written any other way (each is an O(log n) lookup)."""
        row = await self.db.fetchone(
            "SELECT (SELECT max(rowid) FROM dramas), (SELECT max(rowid) FROM drama_names),"
            " (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'catalog_generation')")
        return (int(row[0] or 0), int(row[1] or 0), int(row[2] or 0)) if row else (0, 0, 0)

    async def drama_name_batches(self, size: int = 5_000) -> AsyncIterator[list[tuple[str, int, str]]]:
        """Every (norm, drama_id, kind, name) name — titles, Korean titles, aliases — sorted by key (an index
        scan of ``drama_names_norm``), a batch at a time, so the name index never holds all rows at once."""
        async with self.db.conn.execute(
                "SELECT norm, drama_id, kind, name FROM drama_names INDEXED BY drama_names_norm ORDER BY norm") as cur:
            while True:
                rows = await cur.fetchmany(size)
                if not rows:
                    break
                yield rows

    # ------------------------------------------------------------ name lookups
    async def _fetch_in(self, sql: str, keys: Sequence[Any], *tail: Any) -> list[sqlite3.Row]:
        """``sql`` has one ``IN ({marks})``: run it over the distinct ``keys`` a chunk at a time (SQLite's
        parameter limit), each chunk's parameters followed by ``tail``; the rows of all chunks."""
        out: list[sqlite3.Row] = []
        for part in _chunks(list(dict.fromkeys(keys))):
            out += await self.db.fetchall(sql.format(marks=",".join("?" * len(part))), (*part, *tail))
        return out

    async def dramas_by_norms(self, keys: Sequence[str]) -> list[sqlite3.Row]:
        return await self._fetch_in(
            "SELECT n.norm, n.kind, d.id, d.title, d.year,"
            " (SELECT count(*) FROM drama_names x WHERE x.drama_id = d.id) AS names"
            " FROM drama_names n JOIN dramas d ON d.id = n.drama_id"
            " WHERE n.norm IN ({marks})", keys)

    async def people_by_norms(self, keys: Sequence[str]) -> list[sqlite3.Row]:
        return await self._fetch_in(
            "SELECT n.norm, p.id, p.name, p.korean_name,"
            " (SELECT count(*) FROM credits c WHERE c.person_id = p.id) AS credits"
            " FROM person_names n JOIN people p ON p.id = n.person_id WHERE n.norm IN ({marks})", keys)

    async def people_by_korean(self, names: Sequence[str]) -> list[sqlite3.Row]:
        return await self._fetch_in(
            "SELECT p.korean_name AS norm, p.id, p.name, p.korean_name,"
            " (SELECT count(*) FROM credits c WHERE c.person_id = p.id) AS credits"
            " FROM people p WHERE p.korean_name IN ({marks})", names)

    async def person_keys_with_prefix(self, prefix: str, limit: int = 400) -> list[sqlite3.Row]:
        """Candidate people for fuzzy matching: names whose key starts with ``prefix``."""
        return await self.db.fetchall(
            "SELECT norm, person_id FROM person_names WHERE norm >= ? AND norm < ? LIMIT ?",
            (prefix, prefix + "\U0010ffff", limit))

    async def credits_by_characters(self, names: Sequence[str], limit: int = 20) -> list[sqlite3.Row]:
        """Credits whose character is one of ``names`` (case-insensitive), across the catalog."""
        return await self._fetch_in(
            "SELECT c.character, c.role, c.billing, d.id AS drama_id, d.title, d.year, p.id AS person_id,"
            " p.name, p.aliases AS person_aliases FROM credits c JOIN dramas d ON d.id = c.drama_id JOIN people p ON p.id = c.person_id"
            " WHERE c.character COLLATE NOCASE IN ({marks}) ORDER BY d.year DESC LIMIT ?", names, limit)

    async def character_alias_rows(self) -> list[sqlite3.Row]:
        """(character, character_aliases JSON) of every credit whose character has other spellings, or
        other names inside it (double roles "A / B", notes "[B's father]"): one scan on first use, cached
        by the engine until the catalog changes."""
        return await self.db.fetchall(
            "SELECT DISTINCT character, character_aliases FROM credits WHERE character_aliases NOT IN ('', '[]')"
            " OR character LIKE '%/%' OR character LIKE '%|%' OR character LIKE '%[%' OR character LIKE '%(%'")

    # ------------------------------------------------------------ records
    async def drama(self, drama_id: int) -> sqlite3.Row | None:
        return await self.db.fetchone("SELECT * FROM dramas WHERE id = ?", (drama_id,))

    async def dramas_brief(self, ids: Sequence[int]) -> list[sqlite3.Row]:
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        return await self.db.fetchall(f"SELECT id, slug, title, year FROM dramas WHERE id IN ({marks})", list(ids))

    async def person(self, person_id: int) -> sqlite3.Row | None:
        return await self.db.fetchone("SELECT * FROM people WHERE id = ?", (person_id,))

    async def person_aliases(self, person_id: int) -> list[str]:
        rows = await self.db.fetchall("SELECT name FROM person_names WHERE person_id = ? ORDER BY name", (person_id,))
        return [r["name"] for r in rows]

    async def cast(self, drama_id: int) -> list[sqlite3.Row]:
        """The cast, main roles first, then by billing."""
        return await self.db.fetchall(
            "SELECT c.character, c.character_aliases, c.role, c.billing, p.id AS person_id, p.name, p.korean_name,"
            " p.aliases AS person_aliases FROM credits c"
            " JOIN people p ON p.id = c.person_id WHERE c.drama_id = ?"
            " ORDER BY CASE WHEN c.role = 'main' THEN 0 WHEN c.role = 'guest' THEN 2 ELSE 1 END, c.billing, p.name",
            (drama_id,))

    async def filmography(self, person_id: int) -> list[sqlite3.Row]:
        return await self.db.fetchall(
            "SELECT c.character, c.character_aliases, c.role, d.id AS drama_id, d.slug, d.title, d.year"
            " FROM credits c JOIN dramas d ON d.id = c.drama_id WHERE c.person_id = ?"
            " ORDER BY d.year DESC, d.title", (person_id,))

    async def similar(self, drama_id: int, limit: int = 5) -> list[sqlite3.Row]:
        return await self.db.fetchall(
            "SELECT d.id, d.slug, d.title, d.year, s.reason FROM similar_dramas s JOIN dramas d ON d.id = s.similar_id"
            " WHERE s.drama_id = ? ORDER BY d.year DESC LIMIT ?", (drama_id, limit))

    async def neighbours(self, year: int, drama_id: int, limit: int = 3000) -> list[sqlite3.Row]:
        """Dramas from around ``year`` (the ``dramas_year`` index) to rank as "similar" by genre and tags."""
        return await self.db.fetchall(
            "SELECT id, slug, title, year, network, genres, tags FROM dramas WHERE year BETWEEN ? AND ? AND id != ?"
            " LIMIT ?", (year - 3, year + 3, drama_id, limit))

    async def facts(self, drama_id: int, limit: int = 5) -> list[sqlite3.Row]:
        return await self.db.fetchall(
            "SELECT text, source, as_of FROM facts WHERE drama_id = ? ORDER BY id LIMIT ?", (drama_id, limit))

    async def search_facts(self, words: Iterable[str], *, drama_id: int | None = None,
                           person_id: int | None = None, limit: int = 3) -> list[sqlite3.Row]:
        """Full-text search over facts; the query is sanitised (quoted tokens, no operators)."""
        query = fts_query(words)
        if not query:
            return []
        sql = ("SELECT f.text, f.source, f.as_of, f.drama_id, f.person_id FROM facts_fts"
               " JOIN facts f ON f.id = facts_fts.rowid WHERE facts_fts MATCH ?")
        params: list = [query]
        if drama_id is not None:
            sql += " AND f.drama_id = ?"
            params.append(drama_id)
        if person_id is not None:
            sql += " AND f.person_id = ?"
            params.append(person_id)
        sql += " ORDER BY rank LIMIT ?"
        params.append(limit)
        try:
            return await self.db.fetchall(sql, params)
        except sqlite3.OperationalError:
            return []

    async def search_dramas(self, *, ids: Sequence[int] | None = None, genre: str | None = None,
                            network: str | None = None, year: int | None = None,
                            offset: int = 0, limit: int = 10) -> tuple[int, list[sqlite3.Row]]:
        """Filtered drama listing for ``/drama search`` (ids from the name matcher, else all)."""
        where, params = [], []
        if ids is not None:
            if not ids:
                return 0, []
            where.append(f"d.id IN ({','.join('?' * len(ids))})")
            params += list(ids)
        if genre:
            where.append("EXISTS (SELECT 1 FROM json_each(d.genres) g WHERE lower(g.value) = lower(?))")
            params.append(genre)
        if network:
            where.append("(lower(d.network) = lower(?) OR EXISTS (SELECT 1 FROM json_each(d.platforms) p"
                         " WHERE lower(p.value) = lower(?)))")
            params += [network, network]
        if year:
            where.append("d.year = ?")
            params.append(year)
        clause = (" WHERE " + " AND ".join(where)) if where else ""
        total = int(await self.db.scalar(f"SELECT count(*) FROM dramas d{clause}", params) or 0)
        order = ""
        if ids is not None:
            order = " ORDER BY " + "CASE d.id " + " ".join(f"WHEN {int(i)} THEN {n}" for n, i in enumerate(ids)) + " END"
        else:
            order = " ORDER BY d.year DESC, d.title"
        rows = await self.db.fetchall(
            f"SELECT d.id, d.slug, d.title, d.year, d.network, d.episodes, d.genres FROM dramas d{clause}{order}"
            f" LIMIT ? OFFSET ?", (*params, limit, offset))
        return total, rows

    async def genres(self) -> list[str]:
        rows = await self.db.fetchall(
            "SELECT DISTINCT g.value AS v FROM dramas d, json_each(d.genres) g ORDER BY v LIMIT 200")
        return [r["v"] for r in rows]

    async def networks(self) -> list[str]:
        rows = await self.db.fetchall(
            "SELECT DISTINCT network AS v FROM dramas WHERE network IS NOT NULL ORDER BY v LIMIT 200")
        return [r["v"] for r in rows]

    async def person_by_slug(self, slug: str) -> sqlite3.Row | None:
        return await self.db.fetchone("SELECT * FROM people WHERE slug = ?", (slug,))
