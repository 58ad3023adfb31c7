"""A recorded provider feed served on 127.0.0.1: tests and the offline demo use it instead of the internet.

The feed is a directory of JSON answers in the provider's own shape, read at each request (so a test can
publish a change by writing a file)::

    schedule/KR/2026-01-05.json       GET /schedule?country=KR&date=2026-01-05
    schedule/web-KR/2026-01-05.json   GET /schedule/web?date=2026-01-05&country=KR
    schedule/web/2026-01-05.json      GET /schedule/web?date=2026-01-05&country=
    shows/9001.json                   GET /shows/9001?embed[]=episodes&embed[]=cast
    shows/9001-akas.json              GET /shows/9001/akas
    updates.json                      GET /updates/shows?since=day
    search/goblin.json                GET /search/shows?q=Goblin (none: an empty list)
    lookup.json                       GET /lookup/shows?imdb=tt..|thetvdb=.. ({"imdb": {id: show id}}: a 301
                                      to /shows/<id>, as TVmaze answers; an unknown id: 404)
    tmdb/search/moonlit-harbor.json   GET /search/tv?query=Moonlit+Harbor&first_air_date_year=2026 (TMDB)
    tmdb/discover/page-1.json         GET /discover/tv?...&page=1 (TMDB; the filters are the recorded answer's)
    tmdb/tv/77001.json                GET /tv/77001?append_to_response=... (TMDB)
    tmdb/person/1880002.json          GET /person/1880002 (TMDB)

TMDB paths may carry its ``/3`` version prefix. A TMDB search without a file finds nothing.

A schedule day without a file is an empty list, a show without one is a 404. ``faults`` queues answers to
give instead (a 429 with Retry-After, a 500, malformed JSON) for the fault tests.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

from bot.catalog.normalize import slugify

RECORDED = Path(__file__).resolve().parent / "recorded"  # the feed the demo plays (a week in January 2026)


@dataclass
class Fault:
    status: int = 500
    body: str = ""
    headers: dict[str, str] | None = None


class FeedServer:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.faults: dict[str, list[Fault]] = {}
        self.requests: list[str] = []
        self.user_agents: set[str] = set()
        self._runner: web.AppRunner | None = None
        self.url = ""

    def fail(self, path: str, *faults: Fault) -> None:
        """Answer the next requests to ``path`` (e.g. "/shows/9001") with these faults, in order."""
        self.faults.setdefault(path, []).extend(faults)

    async def start(self) -> str:
        app = web.Application()
        app.router.add_get("/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FeedServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def _file(self, request: web.Request) -> tuple[Path | None, object]:
        """The file answering the request, and the answer when there is none."""
        path = request.path.rstrip("/")
        q = request.query
        tmdb = self.root / "tmdb"
        if path.startswith("/3/"):
            path = path[2:]
        if path == "/discover/tv":
            return tmdb / "discover" / f"page-{q.get('page', '1')}.json", {
                "page": 1, "results": [], "total_pages": 0, "total_results": 0}
        if path == "/search/tv":
            return tmdb / "search" / f"{slugify(q.get('query', '')) or 'none'}.json", {
                "page": 1, "results": [], "total_pages": 0, "total_results": 0}
        if path.startswith(("/tv/", "/person/")) and path.count("/") == 2 and path.rsplit("/", 1)[1].isdigit():
            return tmdb / path.strip("/").split("/")[0] / f"{path.rsplit('/', 1)[1]}.json", None
        parts = path.strip("/").split("/")
        if path == "/schedule":
            return self.root / "schedule" / (q.get("country") or "US") / f"{q.get('date')}.json", []
        if path == "/schedule/web":
            folder = f"web-{q['country']}" if q.get("country") else "web"
            return self.root / "schedule" / folder / f"{q.get('date')}.json", []
        if len(parts) == 2 and parts[0] == "shows" and parts[1].isdigit():
            return self.root / "shows" / f"{parts[1]}.json", None
        if len(parts) == 3 and parts[0] == "shows" and parts[2] == "akas":
            return self.root / "shows" / f"{parts[1]}-akas.json", []
        if path == "/updates/shows":
            return self.root / "updates.json", {}
        if path == "/search/shows":
            return self.root / "search" / f"{slugify(q.get('q', '')) or 'none'}.json", []
        return None, None

    async def _handle(self, request: web.Request) -> web.Response:
        self.requests.append(request.path_qs)
        self.user_agents.add(request.headers.get("User-Agent", ""))
        queued = self.faults.get(request.path)
        if queued:
            fault = queued.pop(0)
            return web.Response(status=fault.status, text=fault.body, headers=fault.headers,
                                content_type="application/json")
        if request.path == "/lookup/shows":
            return self._lookup(request)
        file, default = self._file(request)
        if file is not None and file.is_file():
            return web.Response(body=file.read_bytes(), content_type="application/json")
        if default is None:
            return web.json_response({"name": "Not Found", "message": "", "code": 0, "status": 404}, status=404)
        return web.json_response(default)

    def _lookup(self, request: web.Request) -> web.Response:
        """TVmaze answers a known IMDb / TheTVDB id with a redirect to the show, an unknown one with a 404."""
        table = self.root / "lookup.json"
        known = json.loads(table.read_text(encoding="utf-8")) if table.is_file() else {}
        for key in ("imdb", "thetvdb"):
            show_id = known.get(key, {}).get(request.query.get(key, ""))
            if show_id is not None:
                raise web.HTTPMovedPermanently(f"/shows/{int(show_id)}")
        return web.json_response({"name": "Not Found", "message": "", "code": 0, "status": 404}, status=404)


def write_json(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
