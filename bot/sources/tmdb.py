"""TMDB (https://www.themoviedb.org), used only when ``TMDB_API_KEY`` is set: Hangul names, not schedules.

What is taken: the Korean title and Hangul other titles of a show (``alternative_titles``, ``translations``),
the cast with their characters (``aggregate_credits``) and a person's Hangul name (``also_known_as``). TMDB air
dates carry no time of day, so no date is ever read from it; overviews are prose and are never read either.
Every field is checked for its type: a malformed answer raises :class:`ProviderError` and changes nothing.
TMDB's terms ask for the attribution below wherever its data is used.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from bot.catalog.names import norm
from bot.catalog.normalize import has_hangul
from bot.sources.http import PoliteClient, ProviderError
from bot.sources.model import CastFacts, ShowFacts, clean, iso_date

log = logging.getLogger(__name__)

NAME = "tmdb"
DEFAULT_URL = "https://api.themoviedb.org/3"
ATTRIBUTION_URL = "https://www.themoviedb.org"
NOTICE = "This product uses the TMDB API but is not endorsed or certified by TMDB."  # TMDB's required wording
ATTRIBUTION = f"{NOTICE} {ATTRIBUTION_URL}"
MAX_ALIASES = 10
MAX_CAST = 40


# TMDB TV genre ids left out of discovery: News, Reality, Talk, Documentary, Kids (variety shows are filed
# under Reality or Talk there); TMDB show types that are dramas.
LEFT_OUT_GENRES = frozenset({10763, 10764, 10767, 99, 10762})
DRAMA_TYPES = frozenset({"Scripted", "Miniseries"})
MAX_DISCOVER_PAGES = 5


@dataclass(frozen=True)
class TmdbShow:
    show_id: str
    title: str
    korean_title: str | None
    aliases: tuple[str, ...]          # Hangul other titles
    cast: tuple[CastFacts, ...]
    # Facts for a drama only TMDB knows (discovery); dates are days, never times.
    premiered: str | None = None
    ended: str | None = None
    network: str | None = None
    genres: tuple[str, ...] = ()
    genre_ids: frozenset[int] = frozenset()
    kind: str | None = None           # TMDB's type: "Scripted", "Reality", "Talk Show", ...
    status: str | None = None         # "Returning Series", "Ended", "Canceled", "In Production", "Planned"
    korean: bool = False              # Korean original language or origin
    episodes: int | None = None
    imdb: str | None = None
    tvdb: str | None = None

    @property
    def is_drama(self) -> bool:
        return self.korean and (self.kind is None or self.kind in DRAMA_TYPES) and not self.genre_ids & LEFT_OUT_GENRES


def _obj(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _id(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _year(value: Any) -> int | None:
    """The year of a ``first_air_date`` (only used to pick a search result, never stored)."""
    return int(value[:4]) if isinstance(value, str) and value[:4].isdigit() else None


def is_korean(result: dict) -> bool:
    return result.get("original_language") == "ko" or "KR" in _list(result.get("origin_country"))


def pick_result(results: list, titles: list[str], year: int | None) -> int | None:
    """The one Korean search result named like the drama (title or Korean title) and of its year; None when
    there is none or more than one (only a clear winner is linked)."""
    keys = {norm(t) for t in titles if t and norm(t)}
    found = set()
    for raw in results:
        r = _obj(raw)
        show_id = _id(r.get("id"))
        if show_id is None or not is_korean(r):
            continue
        names = {norm(n) for n in (r.get("name"), r.get("original_name")) if isinstance(n, str)}
        if not (names & keys):
            continue
        if year is not None and _year(r.get("first_air_date")) not in (year, None):
            continue
        found.add(show_id)
    return found.pop() if len(found) == 1 else None


def discover_results(raw: Any) -> tuple[list[dict], int]:
    """The Korean drama results of a ``/discover/tv`` page (talk, news, reality and the like left out, even if
    the server did not filter them) and the number of pages."""
    if not isinstance(raw, dict) or not isinstance(raw.get("results"), list):
        raise ProviderError("/discover/tv: expected an object with results")
    pages = raw.get("total_pages") if isinstance(raw.get("total_pages"), int) else 1
    kept = []
    for r in raw["results"]:
        r = _obj(r)
        genres = {g for g in _list(r.get("genre_ids")) if isinstance(g, int)}
        if _id(r.get("id")) is not None and is_korean(r) and not genres & LEFT_OUT_GENRES:
            kept.append(r)
    return kept, pages


def show_facts(raw: Any) -> TmdbShow:
    """Map a ``/tv/{id}?append_to_response=alternative_titles,translations,aggregate_credits,external_ids``
    answer (the overview, prose, is never read)."""
    if not isinstance(raw, dict) or _id(raw.get("id")) is None or not clean(raw.get("name")):
        raise ProviderError("TMDB show answer without an id or a name")
    for part in ("alternative_titles", "translations", "aggregate_credits", "external_ids"):
        if part in raw and not isinstance(raw[part], dict):
            raise ProviderError(f"TMDB show answer: {part} is not an object")
    title = clean(raw.get("name"))
    hangul: list[str] = []
    original = clean(raw.get("original_name"))
    if original and has_hangul(original):
        hangul.append(original)
    for t in _list(_obj(raw.get("translations")).get("translations")):
        t = _obj(t)
        if t.get("iso_639_1") == "ko":
            name = clean(_obj(t.get("data")).get("name"))
            if name and has_hangul(name):
                hangul.append(name)
    for t in _list(_obj(raw.get("alternative_titles")).get("results")):
        name = clean(_obj(t).get("title"))
        if name and has_hangul(name):
            hangul.append(name)
    unique: list[str] = []
    for name in hangul:
        if norm(name) and norm(name) not in {norm(u) for u in unique}:
            unique.append(name)
    cast: list[CastFacts] = []
    for entry in _list(_obj(raw.get("aggregate_credits")).get("cast"))[:MAX_CAST]:
        entry = _obj(entry)
        pid, name = _id(entry.get("id")), clean(entry.get("name"), 80)
        if pid is None or not name:
            continue
        roles = sorted((_obj(r) for r in _list(entry.get("roles"))),
                       key=lambda r: -(r.get("episode_count") if isinstance(r.get("episode_count"), int) else 0))
        character = next((c for c in (clean(r.get("character"), 80) for r in roles) if c), None)
        original_name = clean(entry.get("original_name"), 80)
        korean = original_name if original_name and has_hangul(original_name) else None
        cast.append(CastFacts(str(pid), name, character, korean))
    genres = [_obj(g) for g in _list(raw.get("genres"))]
    externals = _obj(raw.get("external_ids"))
    tvdb = externals.get("tvdb_id")
    imdb = clean(externals.get("imdb_id"), 20)
    return TmdbShow(
        str(raw["id"]), title, unique[0] if unique else None, tuple(unique[1:MAX_ALIASES + 1]), tuple(cast),
        premiered=iso_date(raw.get("first_air_date")),
        ended=iso_date(raw.get("last_air_date")) if raw.get("status") in ("Ended", "Canceled") else None,
        network=next((n for n in (clean(_obj(x).get("name"), 60) for x in _list(raw.get("networks"))) if n), None),
        genres=tuple(g for g in (clean(x.get("name"), 40) for x in genres) if g)[:10],
        genre_ids=frozenset(x["id"] for x in genres if _id(x.get("id")) is not None),
        kind=clean(raw.get("type"), 40), status=clean(raw.get("status"), 40), korean=is_korean(raw),
        episodes=raw.get("number_of_episodes") if _id(raw.get("number_of_episodes")) is not None else None,
        imdb=imdb if imdb and imdb.startswith("tt") else None, tvdb=str(tvdb) if _id(tvdb) is not None else None)


def as_show_facts(show: TmdbShow) -> ShowFacts:
    """A drama only TMDB knows, as the sync's facts: names, year, network, genres, premiere, episode count and
    cast with characters; no episode list (``complete`` False), so no air time is ever taken from TMDB."""
    return ShowFacts(
        provider=NAME, show_id=show.show_id, title=show.title, kind=show.kind, korean_title=show.korean_title,
        aliases=show.aliases, premiered=show.premiered, ended=show.ended, network=show.network, genres=show.genres,
        cast=show.cast, complete=False, episodes_total=show.episodes, dates_authoritative=False, imdb=show.imdb,
        provider_status={"Returning Series": "Running", "Ended": "Ended", "Canceled": "Ended"}.get(show.status or ""),
        url=f"{ATTRIBUTION_URL}/tv/{show.show_id}")


def korean_name(raw: Any) -> str | None:
    """A person's Hangul name from a ``/person/{id}`` answer (``name`` or the first Hangul ``also_known_as``)."""
    if not isinstance(raw, dict) or _id(raw.get("id")) is None:
        raise ProviderError("TMDB person answer without an id")
    for value in [raw.get("name"), *_list(raw.get("also_known_as"))]:
        name = clean(value, 80)
        if name and has_hangul(name):
            return name
    return None


class TMDB:
    """The TMDB v3 calls the enrichment needs (each one rate-limited and retried by :class:`PoliteClient`)."""

    name = NAME
    attribution = ATTRIBUTION

    def __init__(self, client: PoliteClient) -> None:
        self.client = client

    async def search(self, title: str, year: int | None) -> list:
        params: dict[str, Any] = {"query": title[:100]}
        if year:
            params["first_air_date_year"] = year
        raw = await self.client.get_json("/search/tv", params)
        if not isinstance(raw, dict) or not isinstance(raw.get("results"), list):
            raise ProviderError("/search/tv: expected an object with results")
        return raw["results"]

    async def show(self, show_id: str) -> TmdbShow:
        raw = await self.client.get_json(
            f"/tv/{int(show_id)}",
            {"append_to_response": "alternative_titles,translations,aggregate_credits,external_ids"})
        return show_facts(raw)

    async def discover(self, start: dt.date, end: dt.date, page: int = 1) -> tuple[list[dict], int]:
        """One page of Korean scripted shows with an episode airing between ``start`` and ``end``."""
        raw = await self.client.get_json("/discover/tv", {
            "with_origin_country": "KR", "with_original_language": "ko", "air_date.gte": start.isoformat(),
            "air_date.lte": end.isoformat(), "without_genres": "|".join(str(g) for g in sorted(LEFT_OUT_GENRES)),
            "include_adult": "false", "sort_by": "popularity.desc", "page": page})
        return discover_results(raw)

    async def person_korean_name(self, person_id: str) -> str | None:
        return korean_name(await self.client.get_json(f"/person/{int(person_id)}"))


def client_for(url: str, key: str, rate: float) -> PoliteClient:
    """A v4 read-access token (a JWT) goes in the Authorization header, a v3 key in the ``api_key`` parameter."""
    if key.startswith("eyJ"):
        return PoliteClient(url, rate=rate, headers={"Authorization": f"Bearer {key}"})
    return PoliteClient(url, rate=rate, params={"api_key": key})
