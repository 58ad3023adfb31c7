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

from bot.knowledge.query import COUNT_CAP, ORDERS, Filters
from bot.store.database import DB_ERRORS

if TYPE_CHECKING:
    from bot.store.database import Database

# The name index's change counters in ``meta`` (see :meth:`KnowledgeQueries.catalog_version`). Imports, merges
# and owners' edits bump the first: the next question must see them, so it waits for a rebuild. The live-data
# sync bumps the second: questions keep the old index until a background rebuild swaps the new one in.
IMPORT_GENERATION = "catalog_generation"
SYNC_GENERATION = "catalog_sync_generation"


async def bump_generation(conn: Any, key: str = IMPORT_GENERATION) -> None:
    """Inside a write transaction: tell every process's name index that names changed (``key`` says who)."""
    await conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, '1')"
        " ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(meta.value AS INTEGER) + 1 AS TEXT)", (key,))


# SQLite's default limit on host parameters is 32766; keep batches far below it.
_MAX_IN = 500
_FTS_TOKEN = re.compile(r"\w+", re.UNICODE)
_FTS_RESERVED = {"and", "or", "not", "near"}


def fts_query(words: Iterable[str], *, any_word: bool = True, postgres: bool = False) -> str:
    """A safe full-text query: every token quoted, operators and punctuation dropped (FTS5 syntax, or
    PostgreSQL's tsquery syntax)."""
    tokens = []
    for word in words:
        for tok in _FTS_TOKEN.findall(word or ""):
            if tok.lower() in _FTS_RESERVED or not tok.strip("_"):
                continue
            tokens.append(f"'{tok}'" if postgres else f'"{tok}"')
    if postgres:
        return (" | " if any_word else " & ").join(dict.fromkeys(tokens))
    return (" OR " if any_word else " ").join(dict.fromkeys(tokens))


def _chunks(items: Sequence[str], size: int = _MAX_IN) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class KnowledgeQueries:
    def __init__(self, db: Database) -> None:
        self.db = db

    def _json_each(self, column: str, alias: str) -> str:
        """The elements of a JSON-array-of-strings column as a table ``alias`` with a ``value`` column."""
        if self.db.postgres:
            return f"jsonb_array_elements_text(CAST({column} AS jsonb)) AS {alias}(value)"
        return f"json_each({column}) {alias}"

    # ------------------------------------------------------------ index building
    async def catalog_version(self) -> tuple[int, int, int, int]:
        """Cheap change detector for the in-memory name index: (largest drama id, largest name rowid, import
        generation, sync generation). Every import bumps the import generation and every sync write that
        changes names the sync one; the largest rowids catch names written any other way (each is an
        O(log n) lookup)."""
        # PostgreSQL has no rowid (and its tables no cheap "largest row"): there every catalog write is an
        # import or a sync, which bump a generation, so the largest drama id stands in for the names' rowid.
        names = "(SELECT max(rowid) FROM drama_names)" if not self.db.postgres else "0"
        row = await self.db.fetchone(
            f"SELECT (SELECT max(id) FROM dramas), {names},"
            " (SELECT CAST(value AS INTEGER) FROM meta WHERE key = ?),"
            " (SELECT CAST(value AS INTEGER) FROM meta WHERE key = ?)", (IMPORT_GENERATION, SYNC_GENERATION))
        return tuple(int(v or 0) for v in row) if row else (0, 0, 0, 0)  # type: ignore[return-value]

    async def drama_name_batches(self, size: int = 5_000) -> AsyncIterator[list[tuple[str, int, str]]]:
        """Every (norm, drama_id, kind, name) name — titles, Korean titles, aliases — sorted by key (an index
        scan of ``drama_names_norm``), a batch at a time, so the name index never holds all rows at once."""
        hint = "" if self.db.postgres else " INDEXED BY drama_names_norm"
        async for rows in self.db.iterate(f"SELECT norm, drama_id, kind, name FROM drama_names{hint} ORDER BY norm",
                                          size=size):
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
        # SQLite: the NOCASE index; PostgreSQL: the lower(character) index (both fold ASCII letters only).
        if self.db.postgres:
            match, keys = "lower(c.character) IN ({marks})", [n.lower() for n in names]
        else:
            match, keys = "c.character COLLATE NOCASE IN ({marks})", list(names)
        return await self._fetch_in(
            "SELECT c.character, c.role, c.billing, d.id AS drama_id, d.title, d.year, p.id AS person_id,"
            " p.name, p.aliases AS person_aliases FROM credits c JOIN dramas d ON d.id = c.drama_id JOIN people p ON p.id = c.person_id"
            f" WHERE {match} ORDER BY d.year DESC NULLS LAST LIMIT ?", keys, limit)

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
            " ORDER BY d.year DESC NULLS LAST, d.title", (person_id,))

    async def similar(self, drama_id: int, limit: int = 5) -> list[sqlite3.Row]:
        return await self.db.fetchall(
            "SELECT d.id, d.slug, d.title, d.year, s.reason FROM similar_dramas s JOIN dramas d ON d.id = s.similar_id"
            " WHERE s.drama_id = ? ORDER BY d.year DESC NULLS LAST LIMIT ?", (drama_id, limit))

    async def facts(self, drama_id: int, limit: int = 5) -> list[sqlite3.Row]:
        return await self.db.fetchall(
            "SELECT text, source, as_of FROM facts WHERE drama_id = ? ORDER BY id LIMIT ?", (drama_id, limit))

    async def synopses(self, limit: int = 5_000) -> list[sqlite3.Row]:
        """Dramas with a synopsis (the partial index ``dramas_synopsis``), for a plot remembered in words."""
        return await self.db.fetchall(
            f"SELECT {_LIST_COLUMNS}, d.synopsis FROM dramas d WHERE d.synopsis IS NOT NULL LIMIT ?", (limit,))

    async def theories(self, drama_id: int, limit: int = 5) -> list[sqlite3.Row]:
        return await self.db.fetchall(
            "SELECT text FROM fan_theories WHERE drama_id = ? AND guild_id IS NULL ORDER BY id LIMIT ?",
            (drama_id, limit))

    async def search_facts(self, words: Iterable[str], *, drama_id: int | None = None,
                           person_id: int | None = None, limit: int = 3) -> list[sqlite3.Row]:
        """Full-text search over facts; the query is sanitised (quoted tokens, no operators)."""
        query = fts_query(words, postgres=self.db.postgres)
        if not query:
            return []
        if self.db.postgres:  # the GIN index facts_fts over to_tsvector('simple', text)
            sql = ("SELECT f.text, f.source, f.as_of, f.drama_id, f.person_id FROM facts f"
                   " WHERE to_tsvector('simple', f.text) @@ to_tsquery('simple', ?)")
            rank = "ts_rank(to_tsvector('simple', f.text), to_tsquery('simple', ?)) DESC, f.id"
        else:
            sql = ("SELECT f.text, f.source, f.as_of, f.drama_id, f.person_id FROM facts_fts"
                   " JOIN facts f ON f.id = facts_fts.rowid WHERE facts_fts MATCH ?")
            rank = "rank"
        params: list = [query]
        if drama_id is not None:
            sql += " AND f.drama_id = ?"
            params.append(drama_id)
        if person_id is not None:
            sql += " AND f.person_id = ?"
            params.append(person_id)
        sql += f" ORDER BY {rank} LIMIT ?"
        if self.db.postgres:
            params.append(query)
        params.append(limit)
        try:
            return await self.db.fetchall(sql, params)
        except DB_ERRORS:
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
            where.append(f"EXISTS (SELECT 1 FROM {self._json_each('d.genres', 'g')} WHERE lower(g.value) = lower(?))")
            params.append(genre)
        if network:
            where.append(f"(lower(d.network) = lower(?) OR EXISTS (SELECT 1 FROM {self._json_each('d.platforms', 'p')}"
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
            order = " ORDER BY d.year DESC NULLS LAST, d.title"
        rows = await self.db.fetchall(
            f"SELECT d.id, d.slug, d.title, d.year, d.network, d.episodes, d.genres FROM dramas d{clause}{order}"
            f" LIMIT ? OFFSET ?", (*params, limit, offset))
        return total, rows

    async def genres(self) -> list[str]:
        rows = await self.db.fetchall(
            f"SELECT DISTINCT g.value AS v FROM dramas d, {self._json_each('d.genres', 'g')} ORDER BY v LIMIT 200")
        return [r["v"] for r in rows]

    async def networks(self) -> list[str]:
        rows = await self.db.fetchall(
            "SELECT DISTINCT network AS v FROM dramas WHERE network IS NOT NULL ORDER BY v LIMIT 200")
        return [r["v"] for r in rows]

    async def person_by_slug(self, slug: str) -> sqlite3.Row | None:
        return await self.db.fetchone("SELECT * FROM people WHERE slug = ?", (slug,))

    # ------------------------------------------------------------ composed questions (bot.knowledge.executor)
    async def term_counts(self) -> list[sqlite3.Row]:
        """(kind, term, dramas) for genres, networks and platforms, and tags on at least two dramas: the
        vocabulary a question's filter words are matched against (loaded once per catalog version)."""
        return await self.db.fetchall(
            "SELECT kind, term, dramas AS n FROM drama_term_counts WHERE dramas > 1 OR kind <> 'tag'")

    async def drama_count(self) -> int:
        return int(await self.db.scalar("SELECT count(*) FROM dramas") or 0)

    async def list_dramas(self, f: Filters, *, order: str | None = None, limit: int = 10,
                          offset: int = 0) -> tuple[int, list[sqlite3.Row]]:
        """Dramas matching ``f`` in ``order`` (a key of ``ORDERS``; default newest first), one page, and how
        many matched in all, counted up to ``COUNT_CAP`` (a larger total is reported as ``COUNT_CAP + 1``:
        "more than 500"). Both queries stop early, so a broad filter costs no more than a narrow one."""
        where, params = _filter_sql(f)
        clause = " WHERE " + " AND ".join(where) if where else ""
        column, direction = ORDERS.get(order or "newest", ORDERS["newest"])
        key = f"d.{column}"
        # The page walks the index of the ordered column and stops once it is full: the years are then
        # checked as "+d.year" (a plain expression, so no planner prefers the year index and sorts every
        # match) and, for dates, given as a range of that same column. NULLs come after (portable order):
        # dramas without that value fill a page only when the others ran out.
        walk, wparams = _filter_sql(f, walk=column)
        known = " AND ".join([*walk, f"{key} IS NOT NULL"])
        rows = await self.db.fetchall(
            f"SELECT {_LIST_COLUMNS} FROM dramas d WHERE {known} ORDER BY {key} {direction.upper()}, d.id"
            " LIMIT ? OFFSET ?", (*wparams, limit, offset))
        total = int(await self.db.scalar(
            f"SELECT count(*) FROM (SELECT 1 FROM dramas d{clause} LIMIT ?) AS m", (*params, COUNT_CAP + 1)) or 0)
        if len(rows) < limit and total > offset + len(rows):
            dated = int(await self.db.scalar(
                f"SELECT count(*) FROM (SELECT 1 FROM dramas d WHERE {known} LIMIT ?) AS m", (*wparams, COUNT_CAP + 1)
            ) or 0)
            rows += await self.db.fetchall(
                f"SELECT {_LIST_COLUMNS} FROM dramas d WHERE {' AND '.join([*where, f'{key} IS NULL'])}"
                " ORDER BY d.year DESC NULLS LAST, d.id LIMIT ? OFFSET ?", (*params, limit - len(rows), max(0, offset - dated)))
        return total, rows

    async def dramas_rows(self, ids: Sequence[int]) -> list[sqlite3.Row]:
        """Full rows of ``ids``, in that order."""
        rows = await self._fetch_in("SELECT * FROM dramas WHERE id IN ({marks})", [int(i) for i in ids])
        order = {int(i): n for n, i in enumerate(ids)}
        return sorted(rows, key=lambda r: order.get(r["id"], 0))

    async def shared_dramas(self, people: Sequence[Sequence[int]], limit: int = 25) -> list[sqlite3.Row]:
        """Dramas in which every one of ``people`` (each: the ids of one person) is credited, newest first,
        with each person's character (``characters``: JSON object person id -> character)."""
        if not people:
            return []
        where, params = [], []
        for ids in people:
            where.append(f"d.id IN (SELECT drama_id FROM credits WHERE person_id IN ({','.join('?' * len(ids))}))")
            params += list(ids)
        return await self.db.fetchall(
            f"SELECT {_LIST_COLUMNS} FROM dramas d WHERE {' AND '.join(where)}"
            " ORDER BY CASE WHEN d.first_aired IS NULL THEN 1 ELSE 0 END, d.first_aired DESC, d.year DESC NULLS LAST LIMIT ?",
            (*params, limit))

    async def credits_in(self, drama_ids: Sequence[int], person_ids: Sequence[int]) -> list[sqlite3.Row]:
        """The credits of ``person_ids`` in ``drama_ids`` (characters for a shared-dramas answer)."""
        if not drama_ids or not person_ids:
            return []
        dm, pm = ",".join("?" * len(drama_ids)), ",".join("?" * len(person_ids))
        return await self.db.fetchall(
            f"SELECT drama_id, person_id, character, role FROM credits WHERE drama_id IN ({dm})"
            f" AND person_id IN ({pm}) ORDER BY billing", (*drama_ids, *person_ids))

    async def costars(self, person_ids: Sequence[int], limit: int = 10) -> list[sqlite3.Row]:
        """The people credited most often beside ``person_ids`` (one person), with how many dramas."""
        marks = ",".join("?" * len(person_ids))
        return await self.db.fetchall(
            "SELECT p.id, p.name, p.aliases AS person_aliases, count(DISTINCT o.drama_id) AS n,"
            " max(d.year) AS latest FROM credits c JOIN credits o ON o.drama_id = c.drama_id"
            f" JOIN people p ON p.id = o.person_id JOIN dramas d ON d.id = o.drama_id"
            f" WHERE c.person_id IN ({marks}) AND o.person_id NOT IN ({marks})"
            " GROUP BY p.id, p.name, p.aliases ORDER BY n DESC, latest DESC NULLS LAST, p.name LIMIT ?",
            (*person_ids, *person_ids, limit))

    async def people_counts(self, people: Sequence[Sequence[int]]) -> list[int]:
        """How many dramas each person (their ids) is credited in."""
        out = []
        for ids in people:
            out.append(int(await self.db.scalar(
                f"SELECT count(DISTINCT drama_id) FROM credits WHERE person_id IN ({','.join('?' * len(ids))})",
                list(ids)) or 0))
        return out

    async def drama_terms(self, drama_id: int) -> list[sqlite3.Row]:
        return await self.db.fetchall("SELECT kind, term FROM drama_terms WHERE drama_id = ?", (drama_id,))

    async def term_neighbours(self, terms: Sequence[tuple[str, str, float]], exclude: Sequence[int],
                              f: Filters | None = None, limit: int = 60, per_term: int = 300,
                              pair_weight: float = 2.0) -> list[sqlite3.Row]:
        """Dramas sharing the weighted ``terms`` (kind, term, weight), best first, passing the filters ``f``
        ("like X but on Netflix"). Genres count in pairs: a drama sharing two of them scores ``pair_weight``
        per shared pair (``pairs`` says how many), so "two genres in common" is found by index seeks instead
        of adding up every drama of a common genre. Each term reads at most ``per_term`` postings, which
        bounds the work at any catalog size."""
        genres = [t for k, t, _w in terms if k == "genre"]
        where, fparams = _filter_sql(f or Filters())
        cond, join = "", ""  # filters apply to the aggregated candidates (below), not to every posting
        if where:
            per_term += per_term // 2  # a filter keeps a part of them: read a few more
        parts, params = [], []
        for n, (kind, term, weight) in enumerate((k, t, w) for k, t, w in terms if k != "genre"):
            parts.append(f"SELECT * FROM (SELECT t.drama_id, CAST(? AS DOUBLE PRECISION) AS w, 0 AS g FROM drama_terms t{join}"
                         f" WHERE t.kind = ? AND t.term = ?{cond}"
                         f" ORDER BY t.drama_id DESC LIMIT ?) AS p{n}")
            params += [float(weight), kind, term, per_term]
        for n, (a, b) in enumerate((a, b) for i, a in enumerate(genres) for b in genres[i + 1:]):
            parts.append(f"SELECT * FROM (SELECT t.drama_id, CAST(? AS DOUBLE PRECISION) AS w, 1 AS g FROM drama_terms t{join}"
                         f" WHERE t.kind = 'genre' AND t.term = ? AND EXISTS (SELECT 1 FROM"
                         f" drama_terms u WHERE u.kind = 'genre' AND u.term = ? AND u.drama_id = t.drama_id){cond}"
                         f" ORDER BY t.drama_id DESC LIMIT ?) AS q{n}")
            params += [pair_weight, a, b, per_term]
        if not parts:
            return []
        conds = where + ([f"d.id NOT IN ({','.join('?' * len(exclude))})"] if exclude else [])
        skip = " WHERE " + " AND ".join(conds) if conds else ""
        sql = (f"SELECT {_LIST_COLUMNS}, s.score, s.pairs FROM (SELECT drama_id, sum(w) AS score, sum(g) AS pairs"
               " FROM (" + " UNION ALL ".join(parts) + ") AS t GROUP BY drama_id) AS s JOIN dramas d ON d.id = s.drama_id"
               f"{skip} ORDER BY CASE WHEN s.pairs > 0 THEN 0 ELSE 1 END, s.score DESC, d.year DESC NULLS LAST LIMIT ?")
        return await self.db.fetchall(sql, (*params, *fparams, *exclude, limit))

    async def matching_terms(self, drama_ids: Sequence[int], terms: Sequence[tuple[str, str]]) -> list[sqlite3.Row]:
        """Which of ``terms`` (kind, term) each of ``drama_ids`` has (the reasons of a recommendation)."""
        if not drama_ids or not terms:
            return []
        ors = " OR ".join("(kind = ? AND term = ?)" for _ in terms)
        return await self.db.fetchall(
            f"SELECT drama_id, kind, term FROM drama_terms WHERE drama_id IN ({','.join('?' * len(drama_ids))})"
            f" AND ({ors})", (*drama_ids, *[x for t in terms for x in t]))

    async def shared_leads(self, drama_id: int, candidates: Sequence[int]) -> list[sqlite3.Row]:
        """Main-cast people of ``drama_id`` who also lead one of ``candidates``."""
        if not candidates:
            return []
        return await self.db.fetchall(
            "SELECT o.drama_id, p.name FROM credits c JOIN credits o ON o.person_id = c.person_id"
            " JOIN people p ON p.id = c.person_id WHERE c.drama_id = ? AND c.role = 'main' AND o.role = 'main'"
            f" AND o.drama_id IN ({','.join('?' * len(candidates))})", (drama_id, *candidates))


_LIST_COLUMNS = ("d.id, d.slug, d.title, d.year, d.network, d.platforms, d.episodes, d.first_aired, d.last_aired,"
                 " d.status, d.rating, d.genres, d.tags")


def _filter_sql(f: Filters, *, walk: str | None = None) -> tuple[list[str], list[Any]]:
    """WHERE conditions (over ``dramas d``) and their parameters for the filters ``f``: each term filter is
    a correlated ``EXISTS`` probe of the ``drama_terms`` primary key (never a materialised list of every
    romance drama), so the planner can walk an ordered index and stop at the first page."""
    where: list[str] = []
    params: list[Any] = []

    def terms(kinds: Sequence[str], values: Sequence[str]) -> None:
        marks = f"x.kind IN ({','.join('?' * len(kinds))}) AND x.term IN ({','.join('?' * len(values))})"
        if any(v in f.broad for v in values):  # probe per drama: the planner can stop at the first page
            where.append(f"EXISTS (SELECT 1 FROM drama_terms x WHERE {marks} AND x.drama_id = d.id)")
        else:  # a few dramas: read them from the term's postings
            where.append(f"d.id IN (SELECT x.drama_id FROM drama_terms x WHERE {marks})")
        params.extend([*kinds, *values])

    if f.channels:
        terms(("network", "platform"), f.channels)
    for group in f.genres:
        terms(("genre", "tag"), group)  # "revenge", "time travel" are genres in one source, tags in another
    for group in f.tags:
        terms(("tag",), group)
    for kind, names in f.crew:
        terms((kind,), names)
    year = "+d.year" if walk else "d.year"  # walking another index: the year is checked, not searched
    if f.year_from is not None:
        where.append(f"{year} >= ?")
        params.append(f.year_from)
        if walk == "first_aired":
            where.append("d.first_aired >= ?")
            params.append(f"{f.year_from:04d}")
    if f.year_to is not None:
        where.append(f"{year} <= ?")
        params.append(f.year_to)
        if walk == "first_aired":
            where.append("d.first_aired < ?")
            params.append(f"{f.year_to + 1:04d}")
    episodes = "+d.episodes" if walk and walk != "episodes" else "d.episodes"
    if f.episodes_min is not None:
        where.append(f"{episodes} >= ?")
        params.append(f.episodes_min)
    if f.episodes_max is not None:
        where.append(f"{episodes} <= ?")
        params.append(f.episodes_max)
    for ids in f.people:  # one person's few dramas drive the query
        role = " AND c.role = 'main'" if f.lead else ""
        where.append(f"d.id IN (SELECT c.drama_id FROM credits c WHERE c.person_id IN ({','.join('?' * len(ids))}){role})")
        params.extend(ids)
    if f.status:
        where.append("d.status = ?")
        params.append(f.status)
    if f.exclude:
        where.append(f"d.id NOT IN ({','.join('?' * len(f.exclude))})")
        params.extend(f.exclude)
    return where, params
