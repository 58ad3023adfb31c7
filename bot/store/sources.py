"""Queries for live sources (bot.sources): provider links, the provider's episodes, sync state, holds, merges.

A show is applied in ONE short transaction (:meth:`SourceQueries.apply_show`), so a sync never holds the
write lock for long and a failure half-way leaves nothing behind. Episodes change only through
``store.schedule.replace_episodes_in``: revisions, deliveries and scheduled events follow as for an owner's
edit.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from typing import TYPE_CHECKING, Any

import aiosqlite

from bot.catalog.names import norm
from bot.catalog.normalize import has_hangul, slugify
from bot.sources import status as status_rules
from bot.sources.episodes import SourceEpisode, merge
from bot.sources.linking import Candidate, Decision
from bot.sources.model import ShowFacts
from bot.store.knowledge import IMPORT_GENERATION, SYNC_GENERATION, bump_generation

if TYPE_CHECKING:
    from bot.store.database import Database

_MAX_IN = 400
# A drama the bulk linking pass has still to look up (params: provider, provider, retry errors tried before).
_UNTRIED = (
    "NOT EXISTS (SELECT 1 FROM source_links l WHERE l.drama_id = d.id AND l.provider = ?"
    " AND l.state IN ('linked', 'ambiguous'))"
    " AND NOT EXISTS (SELECT 1 FROM source_link_tries t WHERE t.drama_id = d.id AND t.provider = ?"
    " AND (t.outcome != 'error' OR t.tried_at >= ?))")


async def _rows(conn: aiosqlite.Connection, sql: str, params: tuple | list = ()) -> list[sqlite3.Row]:
    async with conn.execute(sql, params) as cur:
        cur.row_factory = sqlite3.Row
        return list(await cur.fetchall())


async def _one(conn: aiosqlite.Connection, sql: str, params: tuple | list = ()) -> sqlite3.Row | None:
    rows = await _rows(conn, sql, params)
    return rows[0] if rows else None


def _dump(values) -> str:
    return json.dumps(list(values or []), ensure_ascii=False)


def _load(raw: str | None) -> list:
    try:
        value = json.loads(raw or "[]")
    except ValueError:
        return []
    return value if isinstance(value, list) else []


class SourceQueries:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ------------------------------------------------------------------ links
    async def linked_drama(self, provider: str, show_id: str) -> int | None:
        return await self.db.scalar(
            "SELECT drama_id FROM source_links WHERE provider = ? AND show_id = ? AND state = 'linked'"
            " ORDER BY drama_id LIMIT 1", (provider, show_id))

    async def link_of(self, drama_id: int, provider: str | None = None) -> sqlite3.Row | None:
        """The drama's live link with its show's sync state (provenance for /drama info)."""
        sql = ("SELECT l.*, s.synced_at, s.title AS show_title FROM source_links l LEFT JOIN source_shows s"
               " ON s.provider = l.provider AND s.show_id = l.show_id WHERE l.drama_id = ? AND l.state = 'linked'")
        params: list[Any] = [drama_id]
        if provider:
            sql += " AND l.provider = ?"
            params.append(provider)
        return await self.db.fetchone(sql + " ORDER BY l.provider DESC LIMIT 1", params)

    async def candidates(self, keys: dict[str, str], provider: str, show_id: str) -> list[Candidate]:
        """Dramas holding one of the show's name keys (``keys``: key -> 'title' | 'alias')."""
        if not keys:
            return []
        found: dict[int, Candidate] = {}
        items = list(keys)
        for start in range(0, len(items), _MAX_IN):
            chunk = items[start:start + _MAX_IN]
            rows = await self.db.fetchall(
                "SELECT DISTINCT d.id, d.slug, d.title, d.year, d.network, d.episodes, n.norm,"
                " EXISTS (SELECT 1 FROM source_links l WHERE l.drama_id = d.id AND l.provider = ?"
                "   AND l.state = 'linked' AND l.show_id != ?) AS other_link,"
                " EXISTS (SELECT 1 FROM source_links r WHERE r.drama_id = d.id AND r.provider = ? AND r.show_id = ?"
                "   AND r.state = 'rejected') AS rejected"
                f" FROM drama_names n JOIN dramas d ON d.id = n.drama_id WHERE n.norm IN ({','.join('?' * len(chunk))})",
                (provider, show_id, provider, show_id, *chunk))
            for r in rows:
                if r["rejected"]:
                    continue
                matched = keys[r["norm"]]
                old = found.get(r["id"])
                if old is None or (old.matched == "alias" and matched == "title"):
                    found[r["id"]] = Candidate(r["id"], r["slug"], r["title"], r["year"], r["network"], r["episodes"],
                                               matched, bool(r["other_link"]))
        return sorted(found.values(), key=lambda c: c.drama_id)

    async def set_link(self, provider: str, show_id: str, drama_id: int, *, method: str, confidence: float,
                       now: str) -> None:
        """An owner's link: replaces the drama's and the show's other links of this provider."""
        async with self.db.transaction() as conn:
            await conn.execute("DELETE FROM source_links WHERE provider = ? AND (drama_id = ? OR show_id = ?)",
                               (provider, drama_id, show_id))
            await conn.execute(
                "INSERT INTO source_links (provider, show_id, drama_id, state, confidence, method, created_at)"
                " VALUES (?, ?, ?, 'linked', ?, ?, ?)", (provider, show_id, drama_id, confidence, method, now))

    async def credited_people(self, drama_id: int) -> dict[str, tuple[int, str | None]]:
        """Every name key of the drama's credited people -> (person id, their Hangul name or None)."""
        rows = await self.db.fetchall(
            "SELECT DISTINCT n.norm, p.id, p.korean_name FROM credits c JOIN people p ON p.id = c.person_id"
            " JOIN person_names n ON n.person_id = p.id WHERE c.drama_id = ?", (drama_id,))
        return {r["norm"]: (r["id"], r["korean_name"]) for r in rows}

    async def credited_characters(self, drama_id: int) -> list[str]:
        rows = await self.db.fetchall("SELECT character FROM credits WHERE drama_id = ? AND character != ''",
                                      (drama_id,))
        return [r[0] for r in rows]

    async def apply_tmdb(self, drama_id: int, show, people: list[tuple[int, str | None, str | None]],
                         now: str, *, missing: list | None = None) -> None:
        """TMDB's names for a drama in ONE transaction: the link, the Korean title (only where there is none),
        Hangul other titles, people's Hangul names (as names questions find), characters credits lack, and the
        ``missing`` cast members (with their characters) our credits lack."""
        async with self.db.transaction() as conn:
            await conn.execute("DELETE FROM source_links WHERE provider = 'tmdb' AND state = 'linked'"
                               " AND (drama_id = ? OR show_id = ?) AND NOT (drama_id = ? AND show_id = ?)",
                               (drama_id, show.show_id, drama_id, show.show_id))
            await conn.execute(
                "INSERT INTO source_links (provider, show_id, drama_id, state, confidence, method, created_at)"
                " VALUES ('tmdb', ?, ?, 'linked', 1.0, 'matched', ?) ON CONFLICT (provider, show_id, drama_id)"
                " DO NOTHING", (show.show_id, drama_id, now))
            if show.korean_title:
                await conn.execute("UPDATE dramas SET korean_title = coalesce(korean_title, ?) WHERE id = ?",
                                   (show.korean_title, drama_id))
            names = [(n, norm(n)) for n in (show.korean_title, *show.aliases) if n and norm(n)]
            changed = 0
            for name, key in names:
                cur = await conn.execute("INSERT INTO drama_names (drama_id, name, norm, kind) VALUES (?, ?, ?, 'korean')"
                                         " ON CONFLICT (drama_id, norm) DO NOTHING", (drama_id, name, key))
                changed += max(cur.rowcount, 0)
            for person_id, hangul, character in people:
                if hangul and norm(hangul):
                    await conn.execute("UPDATE people SET korean_name = coalesce(korean_name, ?) WHERE id = ?",
                                       (hangul, person_id))
                    cur = await conn.execute("INSERT INTO person_names (person_id, name, norm) VALUES (?, ?, ?)"
                                             " ON CONFLICT (person_id, norm) DO NOTHING",
                                             (person_id, hangul, norm(hangul)))
                    changed += max(cur.rowcount, 0)
                if character:
                    await conn.execute("UPDATE credits SET character = ? WHERE drama_id = ? AND person_id = ?"
                                       " AND character = ''", (character, drama_id, person_id))
            if missing:
                changed += await self._add_cast(conn, drama_id, "tmdb", missing)
            if changed:  # the question engine's name index rebuilds only when names changed
                await bump_generation(conn, SYNC_GENERATION)

    async def unlink(self, provider: str, drama_id: int, now: str) -> int:
        """Remove the drama's link; the show is remembered as 'not this drama' so the sync does not relink it."""
        async with self.db.transaction() as conn:
            rows = await _rows(conn, "SELECT show_id FROM source_links WHERE provider = ? AND drama_id = ?"
                                     " AND state = 'linked'", (provider, drama_id))
            for r in rows:
                await conn.execute(
                    "UPDATE source_links SET state = 'rejected', method = 'owner', created_at = ?"
                    " WHERE provider = ? AND show_id = ? AND drama_id = ?", (now, provider, r["show_id"], drama_id))
            return len(rows)

    async def ambiguous(self, provider: str) -> list[sqlite3.Row]:
        return await self.db.fetchall(
            "SELECT l.show_id, l.drama_id, l.confidence, d.slug, d.title, d.year, d.network, s.title AS show_title"
            " FROM source_links l JOIN dramas d ON d.id = l.drama_id LEFT JOIN source_shows s"
            " ON s.provider = l.provider AND s.show_id = l.show_id WHERE l.provider = ? AND l.state = 'ambiguous'"
            " ORDER BY l.show_id, l.confidence DESC", (provider,))

    # ------------------------------------------------------------------ the bulk linking pass
    async def unlinked_batch(self, provider: str, limit: int, retry_before: str) -> list[sqlite3.Row]:
        """The next catalog dramas the bulk pass looks up: not linked, not waiting as ambiguous, not looked up
        already (a provider error is tried again once ``tried_at`` is before ``retry_before``). Followed or
        reminded dramas first, then the most recent: the order is stable, so a restart resumes where it was."""
        return await self.db.fetchall(
            "SELECT d.id, d.slug, d.title, d.korean_title, d.year FROM dramas d WHERE " + _UNTRIED
            + " ORDER BY CASE WHEN EXISTS (SELECT 1 FROM follows f WHERE f.drama_id = d.id)"
            "   OR EXISTS (SELECT 1 FROM member_reminders m WHERE m.drama_id = d.id) THEN 0 ELSE 1 END,"
            " coalesce(d.year, 0) DESC, d.id LIMIT ?", (provider, provider, retry_before, limit))

    async def untried(self, provider: str, retry_before: str) -> int:
        """How many dramas the bulk pass has still to look up."""
        return await self.db.scalar("SELECT count(*) FROM dramas d WHERE " + _UNTRIED,
                                    (provider, provider, retry_before)) or 0

    async def link_state(self, provider: str, drama_id: int) -> str | None:
        """'linked', 'ambiguous' (a show waits for the owner with it as a candidate), 'gone' (merged into its
        twin) or None."""
        if not await self.db.scalar("SELECT 1 FROM dramas WHERE id = ?", (drama_id,)):
            return "gone"
        return await self.db.scalar(
            "SELECT state FROM source_links WHERE provider = ? AND drama_id = ? AND state IN ('linked', 'ambiguous')"
            " ORDER BY state DESC LIMIT 1", (provider, drama_id))

    async def record_try(self, provider: str, drama_id: int, outcome: str, now: str) -> None:
        """The bulk pass found no show for the drama ('none') or the provider failed ('error'). A link or an
        ambiguous show needs no row: the drama is then no longer untried."""
        await self.db.write(
            "INSERT INTO source_link_tries (provider, drama_id, outcome, tried_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (provider, drama_id) DO UPDATE SET outcome = excluded.outcome, tried_at = excluded.tried_at",
            (provider, drama_id, outcome, now))

    # ------------------------------------------------------------------ sync state
    async def stamps(self, provider: str) -> dict[str, int | None]:
        rows = await self.db.fetchall("SELECT show_id, updated_stamp FROM source_shows WHERE provider = ?", (provider,))
        return {r["show_id"]: r["updated_stamp"] for r in rows}

    async def linked_shows(self, provider: str) -> list[str]:
        rows = await self.db.fetchall(
            "SELECT DISTINCT show_id FROM source_links WHERE provider = ? AND state = 'linked'", (provider,))
        return [r[0] for r in rows]

    async def show_of_slug(self, provider: str, slug: str) -> str | None:
        return await self.db.scalar(
            "SELECT l.show_id FROM source_links l JOIN dramas d ON d.id = l.drama_id WHERE d.slug = ?"
            " AND l.provider = ? AND l.state = 'linked'", (slug, provider))

    async def followed_next(self, provider: str, now: int, horizon: int) -> list[tuple[str, int]]:
        """(show id, next air time) of linked dramas someone follows or is reminded of, airing within ``horizon``."""
        rows = await self.db.fetchall(
            "SELECT l.show_id, min(e.air_at) AS next_at FROM source_links l JOIN episodes e ON e.drama_id = l.drama_id"
            " WHERE l.provider = ? AND l.state = 'linked' AND e.air_at > ? AND e.air_at <= ? AND e.status != 'cancelled'"
            " AND (EXISTS (SELECT 1 FROM follows f WHERE f.drama_id = l.drama_id)"
            "      OR EXISTS (SELECT 1 FROM member_reminders m WHERE m.drama_id = l.drama_id))"
            " GROUP BY l.show_id ORDER BY next_at", (provider, now, now + horizon))
        return [(r["show_id"], r["next_at"]) for r in rows]

    async def record_run(self, provider: str, kind: str, now: str, *, calls: int = 0, error: str | None = None) -> None:
        if error is None:
            sql = ("INSERT INTO source_runs (provider, kind, last_ok, calls) VALUES (?, ?, ?, ?)"
                   " ON CONFLICT (provider, kind) DO UPDATE SET last_ok = excluded.last_ok,"
                   " calls = source_runs.calls + excluded.calls")
            params: tuple = (provider, kind, now, calls)
        else:
            sql = ("INSERT INTO source_runs (provider, kind, last_error, error_at, calls, errors) VALUES (?, ?, ?, ?, ?, 1)"
                   " ON CONFLICT (provider, kind) DO UPDATE SET last_error = excluded.last_error,"
                   " error_at = excluded.error_at, calls = source_runs.calls + excluded.calls,"
                   " errors = source_runs.errors + 1")
            params = (provider, kind, error[:300], now, calls)
        await self.db.write(sql, params)

    async def runs(self, provider: str) -> dict[str, sqlite3.Row]:
        rows = await self.db.fetchall("SELECT * FROM source_runs WHERE provider = ?", (provider,))
        return {r["kind"]: r for r in rows}

    async def show_error(self, provider: str, show_id: str, error: str, now: str) -> None:
        """A refresh failed: note why on the show (nothing else changes)."""
        await self.db.write(
            "INSERT INTO source_shows (provider, show_id, title, last_error) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (provider, show_id) DO UPDATE SET last_error = excluded.last_error",
            (provider, show_id, f"show {show_id}", f"{now} {error}"[:300]))

    async def counts(self, provider: str) -> dict[str, int]:
        row = await self.db.fetchone(
            "SELECT (SELECT count(DISTINCT drama_id) FROM source_links WHERE provider = ? AND state = 'linked') AS linked,"
            " (SELECT count(DISTINCT show_id) FROM source_links WHERE provider = ? AND state = 'ambiguous') AS ambiguous,"
            " (SELECT count(*) FROM dramas d WHERE NOT EXISTS (SELECT 1 FROM source_links l WHERE l.drama_id = d.id"
            "   AND l.provider = ? AND l.state = 'linked')) AS unlinked,"
            " (SELECT count(*) FROM source_shows WHERE provider = ? AND last_error IS NOT NULL) AS failing,"
            " (SELECT count(*) FROM schedule_holds) AS held", (provider, provider, provider, provider))
        return dict(row) if row else {}

    # ------------------------------------------------------------------ owner holds
    async def hold_in(self, conn: aiosqlite.Connection, drama_id: int, reason: str, now: str) -> None:
        """Inside an owner's schedule write: the sync leaves this drama's episodes alone from now on."""
        await conn.execute(
            "INSERT INTO schedule_holds (drama_id, held_at, reason) VALUES (?, ?, ?)"
            " ON CONFLICT (drama_id) DO UPDATE SET held_at = excluded.held_at, reason = excluded.reason",
            (drama_id, now, reason))

    async def release(self, drama_id: int) -> bool:
        """Hand the schedule back to the sync."""
        async with self.db.transaction() as conn:
            cur = await conn.execute("DELETE FROM schedule_holds WHERE drama_id = ?", (drama_id,))
            return cur.rowcount > 0

    async def held(self, drama_id: int) -> bool:
        return bool(await self.db.scalar("SELECT 1 FROM schedule_holds WHERE drama_id = ?", (drama_id,)))

    # ------------------------------------------------------------------ applying a show
    async def record_ambiguous(self, facts: ShowFacts, decision: Decision, now: str) -> None:
        scores = dict(decision.scores)
        async with self.db.transaction() as conn:
            await self._show_row(conn, facts, now)
            await conn.execute("DELETE FROM source_links WHERE provider = ? AND show_id = ? AND state = 'ambiguous'",
                               (facts.provider, facts.show_id))
            for drama_id in decision.others:
                await conn.execute(
                    "INSERT INTO source_links (provider, show_id, drama_id, state, confidence, method, created_at)"
                    " VALUES (?, ?, ?, 'ambiguous', ?, 'matched', ?) ON CONFLICT (provider, show_id, drama_id) DO NOTHING",
                    (facts.provider, facts.show_id, drama_id, scores.get(drama_id, 0.0), now))

    async def apply_show(self, facts: ShowFacts, decision: Decision, *, now: int, schedule) -> dict[str, Any]:
        """Apply one show's facts in ONE transaction: link (creating or merging dramas), drama facts, names,
        cast, episodes (through ``schedule.replace_episodes_in``), season 2 and status.

        ``decision`` comes from :func:`bot.sources.linking.decide` ('link', 'duplicate' or 'none': create).
        Returns counts and ``drama_id``, ``season2`` (True when season 2 became confirmed), ``merged`` ids.
        """
        stamp = dt.datetime.fromtimestamp(now, dt.UTC).isoformat(timespec="seconds")
        today = dt.datetime.fromtimestamp(now, dt.UTC).date()
        out: dict[str, Any] = {"created": 0, "linked": 0, "merged": 0, "season2": False}
        schedule._bump()
        async with self.db.transaction() as conn:
            drama_id = await _scalar(conn, "SELECT drama_id FROM source_links WHERE provider = ? AND show_id = ?"
                                           " AND state = 'linked' ORDER BY drama_id LIMIT 1",
                                     (facts.provider, facts.show_id))
            method = "matched"
            if drama_id is None:
                if decision.kind in ("link", "duplicate"):
                    drama_id = decision.drama_id
                    out["linked"] = 1
                else:
                    drama_id = await self._create_drama(conn, facts)
                    method = "discovered"
                    out["created"] = 1
                await conn.execute("DELETE FROM source_links WHERE provider = ? AND show_id = ? AND state = 'ambiguous'",
                                   (facts.provider, facts.show_id))
                await conn.execute(
                    "INSERT INTO source_links (provider, show_id, drama_id, state, confidence, method, created_at)"
                    " VALUES (?, ?, ?, 'linked', ?, ?, ?) ON CONFLICT (provider, show_id, drama_id) DO UPDATE"
                    " SET state = 'linked', confidence = excluded.confidence, method = excluded.method",
                    (facts.provider, facts.show_id, drama_id, 1.0 if method == "discovered" else decision.confidence,
                     method, stamp))
            if decision.kind == "duplicate":
                for other in decision.others:
                    if other != drama_id:
                        await self.merge_in(conn, drama_id, other, schedule=schedule, now=now)
                        out["merged"] += 1
            out["drama_id"] = drama_id
            link = await _one(conn, "SELECT method FROM source_links WHERE provider = ? AND show_id = ? AND drama_id = ?",
                              (facts.provider, facts.show_id, drama_id))
            renamed = await self._update_drama(conn, drama_id, facts,
                                               owned=link is not None and link["method"] == "discovered")
            await self._cast(conn, drama_id, facts)
            if out["created"] and not facts.complete and facts.provider_status == "Running" and facts.premiered:
                # a drama without an episode list (TMDB's): its status from the premiere and the provider's word
                await conn.execute("UPDATE dramas SET status = ? WHERE id = ? AND status IS NULL",
                                   ("upcoming" if facts.premiered > today.isoformat() else "airing", drama_id))
            if facts.complete:
                out.update(await self._episodes(conn, drama_id, facts, now=now, schedule=schedule))
            out["season2"] = await self._season2(conn, drama_id, facts, today)
            await self.refresh_statuses_in(conn, today, now, drama_id=drama_id)
            await self._show_row(conn, facts, stamp)
            if renamed or out["created"] or out["merged"]:  # the name index rebuilds only when names changed
                await bump_generation(conn, SYNC_GENERATION)
        schedule._bump()
        return out

    async def _show_row(self, conn: aiosqlite.Connection, facts: ShowFacts, stamp: str) -> None:
        await conn.execute(
            "INSERT INTO source_shows (provider, show_id, title, updated_stamp, synced_at, last_error)"
            " VALUES (?, ?, ?, ?, ?, NULL) ON CONFLICT (provider, show_id) DO UPDATE SET title = excluded.title,"
            " updated_stamp = excluded.updated_stamp, synced_at = excluded.synced_at, last_error = NULL",
            (facts.provider, facts.show_id, facts.title, facts.updated, stamp))

    async def _create_drama(self, conn: aiosqlite.Connection, facts: ShowFacts) -> int:
        base = slugify(facts.title) + (f"-{facts.year}" if facts.year else "")
        slug = base
        if await _scalar(conn, "SELECT 1 FROM dramas WHERE slug = ?", (slug,)):
            slug = f"{base}-{facts.provider}-{facts.show_id}"
        cur = await conn.execute(
            "INSERT INTO dramas (slug, title, year) VALUES (?, ?, ?) RETURNING id", (slug, facts.title, facts.year))
        rows = await cur.fetchall()  # every row read: SQLite cannot commit while RETURNING still steps
        await cur.close()
        return rows[0][0]

    async def _update_drama(self, conn: aiosqlite.Connection, drama_id: int, facts: ShowFacts, *, owned: bool) -> bool:
        """Schedule facts follow the provider; descriptive ones only fill blanks of a curated catalog drama
        (a drama the sync created takes them all). True when the drama gained a name."""
        d = await _one(conn, "SELECT * FROM dramas WHERE id = ?", (drama_id,))
        if d is None:
            return False

        def pick(column: str, value, *, schedule: bool = False):
            if value in (None, (), ""):
                return d[column]
            if owned or schedule or d[column] in (None, "", "[]"):
                return _dump(value) if isinstance(value, tuple) else value
            return d[column]

        aliases = _load(d["aliases"])
        known = {norm(a) for a in aliases} | {norm(d["title"])}
        for name in facts.aliases + ((facts.title,) if facts.title and not has_hangul(facts.title) else ()):
            if norm(name) and norm(name) not in known and len(aliases) < 40:
                aliases.append(name)
                known.add(norm(name))
        await conn.execute(
            "UPDATE dramas SET korean_title = ?, year = ?, network = ?, platforms = ?, episodes = ?, first_aired = ?,"
            " last_aired = ?, air_days = ?, air_time = ?, air_tz = ?, genres = ?, aliases = ? WHERE id = ?",
            (pick("korean_title", facts.korean_title), pick("year", facts.year), pick("network", facts.network),
             pick("platforms", facts.platforms), pick("episodes", facts.episode_count),
             pick("first_aired", facts.premiered, schedule=facts.dates_authoritative),
             pick("last_aired", facts.ended, schedule=facts.dates_authoritative),
             pick("air_days", facts.air_days, schedule=True), pick("air_time", facts.air_time, schedule=True),
             pick("air_tz", facts.air_tz, schedule=True), pick("genres", facts.genres), _dump(aliases), drama_id))
        names = [(facts.title, "title" if owned else "alias")]
        if facts.korean_title:
            names.append((facts.korean_title, "korean"))
        names += [(a, "korean" if has_hangul(a) else "alias") for a in facts.aliases]
        have = {r[0] for r in await _rows(conn, "SELECT norm FROM drama_names WHERE drama_id = ?", (drama_id,))}
        fresh = {}
        for name, kind in names:
            key = norm(name)
            if key and key not in have and key not in fresh:
                fresh[key] = (drama_id, name, key, kind)
        if fresh:  # (only then does the question engine's name index need a rebuild)
            await conn.executemany(
                "INSERT INTO drama_names (drama_id, name, norm, kind) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (drama_id, norm) DO NOTHING", list(fresh.values()))
        return bool(fresh)

    async def _cast(self, conn: aiosqlite.Connection, drama_id: int, facts: ShowFacts) -> None:
        """Cast and characters for a drama that has none yet (a curated cast is never rewritten)."""
        if not facts.cast or await _scalar(conn, "SELECT 1 FROM credits WHERE drama_id = ? LIMIT 1", (drama_id,)):
            return
        await self._add_cast(conn, drama_id, facts.provider, list(facts.cast))

    async def _add_cast(self, conn: aiosqlite.Connection, drama_id: int, provider: str, cast: list) -> int:
        """Credit these provider cast members (after the drama's existing billing); a person whose name one
        catalog person holds is that person, otherwise a new person. Returns how many names were added."""
        start = await _scalar(conn, "SELECT coalesce(max(billing), 0) FROM credits WHERE drama_id = ?"
                                    " AND billing < 999", (drama_id,)) or 0
        added = 0
        for billing, member in enumerate(cast, start=start + 1):
            key = norm(member.name)
            if not key:
                continue
            found = await _rows(conn, "SELECT DISTINCT person_id FROM person_names WHERE norm = ? LIMIT 2", (key,))
            if len(found) == 1:
                person_id = found[0][0]
            else:
                slug = f"{slugify(member.name)}-{provider}-{member.person_id}"
                cur = await conn.execute(
                    "INSERT INTO people (slug, name, korean_name) VALUES (?, ?, ?) ON CONFLICT (slug) DO UPDATE"
                    " SET name = excluded.name RETURNING id", (slug, member.name, member.korean_name))
                person_id = (await cur.fetchall())[0][0]
                await cur.close()
                names = [(member.name, key)]
                if member.korean_name and norm(member.korean_name):
                    names.append((member.korean_name, norm(member.korean_name)))
                for name, name_key in names:
                    cur = await conn.execute("INSERT INTO person_names (person_id, name, norm) VALUES (?, ?, ?)"
                                             " ON CONFLICT (person_id, norm) DO NOTHING", (person_id, name, name_key))
                    added += max(cur.rowcount, 0)
            await conn.execute(
                "INSERT INTO credits (drama_id, person_id, character, role, billing) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (drama_id, person_id, character) DO NOTHING",
                (drama_id, person_id, member.character or "", "main" if billing <= 4 else "support", billing))
        return added

    async def _episodes(self, conn: aiosqlite.Connection, drama_id: int, facts: ShowFacts, *, now: int,
                        schedule) -> dict[str, int]:
        from bot.store.schedule import episode_of

        season = min(facts.seasons, default=1)
        existing = [episode_of(r) for r in await _rows(conn, "SELECT * FROM episodes WHERE drama_id = ?", (drama_id,))]
        known = [SourceEpisode(r["episode_id"], r["number"], r["season"], r["airdate"], r["air_at"], bool(r["special"]),
                               r["missing"])
                 for r in await _rows(conn, "SELECT * FROM source_episodes WHERE provider = ? AND show_id = ?",
                                      (facts.provider, facts.show_id))]
        held = bool(await _scalar(conn, "SELECT 1 FROM schedule_holds WHERE drama_id = ?", (drama_id,)))
        plan = merge(existing, known, facts, season=season, now=now, held=held)
        if plan.changed:
            await schedule.replace_episodes_in(conn, drama_id, plan.episodes, now)
        await conn.executemany(
            "INSERT INTO source_episodes (provider, episode_id, show_id, drama_id, number, season, airdate, air_at,"
            " special, missing) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (provider, episode_id) DO UPDATE SET"
            " drama_id = excluded.drama_id, number = excluded.number, season = excluded.season,"
            " airdate = excluded.airdate, air_at = excluded.air_at, special = excluded.special,"
            " missing = excluded.missing",
            [(facts.provider, s.episode_id, facts.show_id, drama_id, s.number, s.season, s.airdate, s.air_at,
              int(s.special), s.missing) for s in plan.source])
        return plan.counts

    async def _season2(self, conn: aiosqlite.Connection, drama_id: int, facts: ShowFacts, today: dt.date) -> bool:
        """A second season listed for the linked show confirms season 2 (with its date and the source)."""
        seasons = sorted(facts.seasons)
        if len(seasons) < 2:
            return False
        d = await _one(conn, "SELECT season2_status FROM dramas WHERE id = ?", (drama_id,))
        if d is None or d["season2_status"] == "confirmed":
            return False
        second = [e.airdate for e in facts.season_episodes(seasons[1]) if e.airdate]
        when = f", from {min(second)}" if second else ""
        await conn.execute(
            "UPDATE dramas SET season2_status = 'confirmed', season2_note = ?, season2_as_of = ? WHERE id = ?",
            (f"Season {seasons[1]} listed by {facts.provider}{when}", today.isoformat(), drama_id))
        return True

    async def confirm_sequel(self, drama_id: int, note: str, today: str) -> bool:
        """A sequel show was found for a linked drama: season 2 is confirmed. True when that is news."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE dramas SET season2_status = 'confirmed', season2_note = ?, season2_as_of = ?"
                " WHERE id = ? AND season2_status != 'confirmed'", (note[:300], today, drama_id))
            return cur.rowcount > 0

    # ------------------------------------------------------------------ status from facts
    async def refresh_statuses(self, now: int, drama_id: int | None = None) -> int:
        today = dt.datetime.fromtimestamp(now, dt.UTC).date()
        async with self.db.transaction() as conn:
            return await self.refresh_statuses_in(conn, today, now, drama_id=drama_id)

    async def refresh_statuses_in(self, conn: aiosqlite.Connection, today: dt.date, now: int, *,
                                  drama_id: int | None = None) -> int:
        """Store each drama's status as derived from its dates and episodes today. Returns how many changed."""
        # Only dramas whose status can move: those with episodes, dates still ahead, or a word saying "not over"
        # (a finished drama with no episodes stays finished), so the hourly pass stays cheap.
        where = (" WHERE d.id = ?" if drama_id is not None else
                 " WHERE e.drama_id IS NOT NULL OR d.status IN ('airing', 'upcoming') OR d.last_aired IS NULL"
                 " OR d.last_aired >= ?")
        rows = await _rows(
            conn,
            "SELECT d.id, d.status, d.first_aired, d.last_aired, d.episodes, e.first_at, e.last_at, e.left_n, e.known"
            " FROM dramas d LEFT JOIN (SELECT drama_id, min(air_at) AS first_at, max(air_at) AS last_at,"
            "   sum(CASE WHEN air_at > ? THEN 1 ELSE 0 END) AS left_n, count(*) AS known FROM episodes"
            "   WHERE status != 'cancelled' AND special = 0" + (" AND drama_id = ?" if drama_id is not None else "")
            + " GROUP BY drama_id) e ON e.drama_id = d.id" + where,
            (now, drama_id, drama_id) if drama_id is not None else (now, (today - dt.timedelta(days=1)).isoformat()))
        changes = []
        for r in rows:
            first_ep = dt.datetime.fromtimestamp(r["first_at"], dt.UTC).date() if r["first_at"] else None
            last_ep = dt.datetime.fromtimestamp(r["last_at"], dt.UTC).date() if r["last_at"] else None
            if r["first_at"] is not None and r["first_at"] > now:
                new = "upcoming"  # episodes are listed and the first is still to come
            else:
                new = status_rules.derive(first_aired=r["first_aired"], last_aired=r["last_aired"],
                                          stored=r["status"],
                                          today=today, first_episode=first_ep, last_episode=last_ep,
                                          episodes_left=r["left_n"] or 0, episodes_total=r["episodes"],
                                          episodes_known=r["known"] or 0)
            if new != r["status"]:
                changes.append((new, r["id"]))
        if changes:
            await conn.executemany("UPDATE dramas SET status = ? WHERE id = ?", changes)
        return len(changes)

    # ------------------------------------------------------------------ airing lists
    async def airing(self, since: int, until: int, day_from: str, day_to: str, limit: int = 60) -> list[sqlite3.Row]:
        """Episodes in [since, until) of every drama, plus provider episodes dated in [day_from, day_to] with no
        time announced yet (``air_at`` NULL in the rows)."""
        return await self.db.fetchall(
            "SELECT * FROM (SELECT e.air_at, e.number, e.status, e.finale, e.special, d.id AS drama_id, d.title,"
            "  d.slug, d.network, NULL AS airdate FROM episodes e JOIN dramas d ON d.id = e.drama_id"
            "  WHERE e.air_at >= ? AND e.air_at < ?"
            " UNION ALL SELECT NULL, s.number, 'scheduled', 0, s.special, d.id, d.title, d.slug, d.network, s.airdate"
            "  FROM source_episodes s JOIN dramas d ON d.id = s.drama_id WHERE s.air_at IS NULL AND s.missing = 0"
            "  AND s.airdate >= ? AND s.airdate <= ?) x ORDER BY coalesce(x.air_at, 0), x.title LIMIT ?",
            (since, until, day_from, day_to, limit))

    async def untimed(self, drama_id: int) -> list[sqlite3.Row]:
        """The drama's provider episodes that have a date but no time yet."""
        return await self.db.fetchall(
            "SELECT number, airdate, special FROM source_episodes WHERE drama_id = ? AND air_at IS NULL AND missing = 0"
            " AND airdate IS NOT NULL ORDER BY airdate, number", (drama_id,))

    # ------------------------------------------------------------------ merging duplicates
    async def merge(self, keep_id: int, drop_id: int, *, schedule, now: int) -> None:
        """`dramabot catalog merge`: one transaction."""
        schedule._bump()
        async with self.db.transaction() as conn:
            await self.merge_in(conn, keep_id, drop_id, schedule=schedule, now=now)
            await bump_generation(conn, IMPORT_GENERATION)  # an owner's merge: seen at once
        schedule._bump()

    async def merge_in(self, conn: aiosqlite.Connection, keep_id: int, drop_id: int, *, schedule, now: int) -> None:
        """Move every follow, poll, reminder, credit, name, fact, theory and link of ``drop_id`` to ``keep_id``,
        then delete ``drop_id``. Where both have one (a server follows both), the kept drama's wins."""
        if keep_id == drop_id:
            raise ValueError("cannot merge a drama into itself")
        keep = await _one(conn, "SELECT * FROM dramas WHERE id = ?", (keep_id,))
        drop = await _one(conn, "SELECT * FROM dramas WHERE id = ?", (drop_id,))
        if keep is None or drop is None:
            raise ValueError("both dramas must exist")
        # episodes: the kept drama's schedule wins; if it has none, the dropped one's moves over
        keep_has = await _scalar(conn, "SELECT 1 FROM episodes WHERE drama_id = ? LIMIT 1", (keep_id,))
        if not keep_has:
            await conn.execute("UPDATE episodes SET drama_id = ? WHERE drama_id = ?", (keep_id, drop_id))
        # follows and reminders (their deliveries for the dropped drama's episodes go with those episodes)
        await conn.execute(
            "DELETE FROM deliveries WHERE state IN ('pending', 'held') AND follow_id IN (SELECT id FROM follows"
            " WHERE drama_id = ? AND guild_id IN (SELECT guild_id FROM follows WHERE drama_id = ?))", (drop_id, keep_id))
        await conn.execute(
            "DELETE FROM follows WHERE drama_id = ? AND guild_id IN (SELECT guild_id FROM follows WHERE drama_id = ?)",
            (drop_id, keep_id))
        await conn.execute("UPDATE follows SET drama_id = ? WHERE drama_id = ?", (keep_id, drop_id))
        await conn.execute(
            "DELETE FROM member_reminders WHERE drama_id = ? AND user_id IN"
            " (SELECT user_id FROM member_reminders WHERE drama_id = ?)", (drop_id, keep_id))
        await conn.execute("UPDATE member_reminders SET drama_id = ? WHERE drama_id = ?", (keep_id, drop_id))
        await conn.execute("UPDATE polls SET drama_id = ? WHERE drama_id = ?", (keep_id, drop_id))
        # credits, names, facts, theories, similar lists
        await conn.execute(
            "INSERT INTO credits (drama_id, person_id, character, character_aliases, role, billing)"
            " SELECT ?, person_id, character, character_aliases, role, billing FROM credits WHERE drama_id = ?"
            " ON CONFLICT (drama_id, person_id, character) DO NOTHING", (keep_id, drop_id))
        await conn.execute(
            "INSERT INTO drama_names (drama_id, name, norm, kind) SELECT ?, name, norm,"
            " CASE WHEN kind = 'korean' THEN 'korean' ELSE 'alias' END FROM drama_names WHERE drama_id = ?"
            " ON CONFLICT (drama_id, norm) DO NOTHING", (keep_id, drop_id))
        aliases = _load(keep["aliases"])
        seen = {norm(a) for a in aliases} | {norm(keep["title"])}
        for name in [drop["title"], *_load(drop["aliases"])]:
            if isinstance(name, str) and norm(name) and norm(name) not in seen:
                aliases.append(name)
                seen.add(norm(name))
        await conn.execute("UPDATE dramas SET aliases = ?, korean_title = coalesce(korean_title, ?) WHERE id = ?",
                           (_dump(aliases), drop["korean_title"], keep_id))
        await conn.execute("UPDATE facts SET drama_id = ? WHERE drama_id = ?", (keep_id, drop_id))
        await conn.execute(
            "INSERT INTO fan_theories (drama_id, text, source, guild_id, created_at)"
            " SELECT ?, text, source, guild_id, created_at FROM fan_theories WHERE drama_id = ?"
            " ON CONFLICT (drama_id, guild_id, text) DO NOTHING", (keep_id, drop_id))
        await conn.execute(  # poll options keep pointing at the moved theory
            "UPDATE poll_options SET theory_id = (SELECT k.id FROM fan_theories k JOIN fan_theories o"
            "  ON o.id = poll_options.theory_id AND k.text = o.text AND k.drama_id = ?"
            "  AND coalesce(k.guild_id, 0) = coalesce(o.guild_id, 0))"
            " WHERE theory_id IN (SELECT id FROM fan_theories WHERE drama_id = ?)", (keep_id, drop_id))
        await conn.execute(
            "INSERT INTO similar_dramas (drama_id, similar_id, reason) SELECT ?, similar_id, reason FROM similar_dramas"
            " WHERE drama_id = ? AND similar_id != ? ON CONFLICT (drama_id, similar_id) DO NOTHING",
            (keep_id, drop_id, keep_id))
        await conn.execute(
            "INSERT INTO similar_dramas (drama_id, similar_id, reason) SELECT drama_id, ?, reason FROM similar_dramas"
            " WHERE similar_id = ? AND drama_id != ? ON CONFLICT (drama_id, similar_id) DO NOTHING",
            (keep_id, drop_id, keep_id))
        await conn.execute(
            "INSERT INTO source_links (provider, show_id, drama_id, state, confidence, method, created_at)"
            " SELECT provider, show_id, ?, state, confidence, method, created_at FROM source_links WHERE drama_id = ?"
            " AND state != 'linked' ON CONFLICT (provider, show_id, drama_id) DO NOTHING", (keep_id, drop_id))
        await conn.execute("UPDATE source_episodes SET drama_id = ? WHERE drama_id = ?", (keep_id, drop_id))
        await conn.execute(
            "INSERT INTO schedule_holds (drama_id, held_at, reason) SELECT ?, held_at, reason FROM schedule_holds"
            " WHERE drama_id = ? ON CONFLICT (drama_id) DO NOTHING", (keep_id, drop_id))
        await conn.execute("DELETE FROM dramas WHERE id = ?", (drop_id,))
        # the moved follows and reminders are owed announcements for the kept drama's upcoming episodes
        await schedule._deliveries_for_episodes(conn, keep_id, now)


async def _scalar(conn: aiosqlite.Connection, sql: str, params: tuple = ()) -> Any:
    async with conn.execute(sql, params) as cur:
        row = await cur.fetchone()
    return None if row is None else row[0]
