"""TVmaze (https://www.tvmaze.com/api): the default provider. Free, no key, data under CC BY-SA.

Only facts are taken (names, dates, times, networks, episode numbers, cast and characters); the show and
episode summaries are prose and are never read. Every field is checked for its type: a malformed answer
raises :class:`ProviderError` and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.catalog.normalize import has_hangul
from bot.sources.http import NotFoundAtProvider, PoliteClient, ProviderError
from bot.sources.model import CastFacts, EpisodeFacts, ShowFacts, clean, iso_date

log = logging.getLogger(__name__)

NAME = "tvmaze"
DEFAULT_URL = "https://api.tvmaze.com"
ATTRIBUTION = "Schedules and cast from TVmaze (https://www.tvmaze.com), CC BY-SA"
ATTRIBUTION_URL = "https://www.tvmaze.com"
DRAMA_TYPES = frozenset({"Scripted"})
LEFT_OUT_GENRES = frozenset({"Talk Show", "News", "Variety", "Reality", "Game Show", "Sports"})
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _obj(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _epoch(value: Any) -> int | None:
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return int(moment.timestamp())


def _hhmm(value: Any) -> str | None:
    if not isinstance(value, str) or len(value) != 5:
        return None
    try:
        dt.time.fromisoformat(value)
    except ValueError:
        return None
    return value


def _zone(value: Any) -> str | None:
    name = clean(value, 64)
    if not name:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


def is_korean_drama(show: dict) -> bool:
    """A Korean scripted drama (talk shows, news, variety and reality are left out)."""
    show = _obj(show)
    if show.get("type") not in DRAMA_TYPES:
        return False
    genres = {g for g in show.get("genres") or [] if isinstance(g, str)}
    if genres & LEFT_OUT_GENRES:
        return False
    country = _obj(_obj(_obj(show.get("network")).get("country"))).get("code") or \
        _obj(_obj(_obj(show.get("webChannel")).get("country"))).get("code")
    return show.get("language") == "Korean" or (country == "KR" and show.get("language") in (None, "Korean"))


def episode_facts(raw: dict) -> EpisodeFacts | None:
    raw = _obj(raw)
    episode_id = _int(raw.get("id"))
    season = _int(raw.get("season"))
    if episode_id is None or season is None:
        return None
    kind = raw.get("type") if isinstance(raw.get("type"), str) else "regular"
    number = _int(raw.get("number"))
    special = kind != "regular" or number is None
    timed = _hhmm(raw.get("airtime")) is not None
    return EpisodeFacts(
        episode_id=str(episode_id), season=season, number=None if special else number,
        airdate=iso_date(raw.get("airdate")), air_at=_epoch(raw.get("airstamp")) if timed else None,
        special=special, title=clean(raw.get("name"), 100))


def show_facts(show: dict, akas: list | None = None) -> ShowFacts:
    """Map a ``/shows/:id?embed[]=episodes&embed[]=cast`` answer (and its ``/akas``) to facts."""
    if not isinstance(show, dict) or _int(show.get("id")) is None or not clean(show.get("name")):
        raise ProviderError("show answer without an id or a name")
    network = _obj(show.get("network"))
    web = _obj(show.get("webChannel"))
    country = _obj(network.get("country")) or _obj(web.get("country"))
    schedule = _obj(show.get("schedule"))
    embedded = _obj(show.get("_embedded"))
    raw_episodes = embedded.get("episodes")
    episodes = tuple(e for e in (episode_facts(r) for r in raw_episodes or []) if e is not None) \
        if isinstance(raw_episodes, list) else ()
    cast: list[CastFacts] = []
    for entry in embedded.get("cast") or []:
        person = _obj(_obj(entry).get("person"))
        character = _obj(_obj(entry).get("character"))
        pid, name = _int(person.get("id")), clean(person.get("name"), 80)
        if pid is None or not name:
            continue
        cast.append(CastFacts(str(pid), name, clean(character.get("name"), 80)))
    title = clean(show.get("name"))
    korean, aliases = None, []
    for aka in akas or []:
        name = clean(_obj(aka).get("name"))
        if not name or name == title:
            continue
        if has_hangul(name) and korean is None:
            korean = name
        elif name not in aliases:
            aliases.append(name)
    if title and has_hangul(title) and korean is None:
        korean = title
    days = tuple(d for d in schedule.get("days") or [] if d in DAYS)
    return ShowFacts(
        provider=NAME, show_id=str(show["id"]), title=title, kind=clean(show.get("type"), 40),
        language=clean(show.get("language"), 40), country=clean(_obj(country).get("code"), 4),
        korean_title=korean, aliases=tuple(aliases[:20]), premiered=iso_date(show.get("premiered")),
        ended=iso_date(show.get("ended")), network=clean(network.get("name"), 60),
        platforms=tuple(p for p in (clean(web.get("name"), 60),) if p),
        genres=tuple(g for g in (clean(x, 40) for x in show.get("genres") or []) if g)[:10],
        air_days=days, air_time=_hhmm(schedule.get("time")), air_tz=_zone(_obj(country).get("timezone")),
        provider_status=clean(show.get("status"), 40), updated=_int(show.get("updated")),
        imdb=clean(_obj(show.get("externals")).get("imdb"), 20), url=clean(show.get("url"), 300),
        episodes=episodes, cast=tuple(cast[:60]), complete=isinstance(raw_episodes, list))


class TVmaze:
    """The TVmaze calls the sync needs (each one rate-limited and retried by :class:`PoliteClient`)."""

    name = NAME
    attribution = ATTRIBUTION

    def __init__(self, client: PoliteClient) -> None:
        self.client = client

    async def schedule(self, day: dt.date) -> dict[str, dict]:
        """Korean drama shows with an episode on ``day``: the KR broadcast and web schedules and the global
        web schedule (Korean-language shows only). Returns show id -> show object."""
        shows: dict[str, dict] = {}
        for path, params in (("/schedule", {"country": "KR", "date": day.isoformat()}),
                             ("/schedule/web", {"date": day.isoformat(), "country": "KR"}),
                             ("/schedule/web", {"date": day.isoformat(), "country": ""})):
            items = await self.client.get_json(path, params)
            if not isinstance(items, list):
                raise ProviderError(f"{path}: expected a list")
            for item in items:
                item = _obj(item)
                show = item.get("show") if "show" in item else _obj(item.get("_embedded")).get("show")
                show = _obj(show)
                if _int(show.get("id")) is not None and is_korean_drama(show):
                    shows[str(show["id"])] = show
        return shows

    async def show(self, show_id: str) -> ShowFacts:
        raw = await self.client.get_json(f"/shows/{int(show_id)}", {"embed[]": ["episodes", "cast"]})
        akas = await self.client.get_json(f"/shows/{int(show_id)}/akas")
        if not isinstance(akas, list):
            raise ProviderError(f"/shows/{show_id}/akas: expected a list")
        return show_facts(raw, akas)

    async def updates(self, since: str = "day") -> dict[str, int]:
        """Show id -> update stamp for every show changed in the last day (or week)."""
        raw = await self.client.get_json("/updates/shows", {"since": since})
        if not isinstance(raw, dict):
            raise ProviderError("/updates/shows: expected an object")
        return {str(k): v for k, v in raw.items() if isinstance(v, int) and str(k).isdigit()}

    async def search(self, query: str) -> list[dict]:
        raw = await self.client.get_json("/search/shows", {"q": query[:100]})
        if not isinstance(raw, list):
            raise ProviderError("/search/shows: expected a list")
        return [_obj(_obj(r).get("show")) for r in raw if _obj(_obj(r).get("show")).get("id") is not None]

    async def lookup(self, *, imdb: str | None = None, thetvdb: str | None = None) -> str | None:
        """The TVmaze show id of an IMDb or TheTVDB id (TVmaze redirects to the show), or None when unknown."""
        for key, value in (("imdb", imdb), ("thetvdb", thetvdb)):
            if not value:
                continue
            try:
                raw = await self.client.get_json("/lookup/shows", {key: value})
            except NotFoundAtProvider:
                continue
            show_id = _int(_obj(raw).get("id"))
            if show_id is None:
                raise ProviderError("/lookup/shows: answer without a show id")
            return str(show_id)
        return None
