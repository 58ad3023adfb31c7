"""The polite HTTP client every provider uses: one aiohttp session, a rate limit, retries, JSON only.

At most ``rate`` calls a second (TVmaze documents 20 per 10 s per IP; we use 2/s). A 429 waits for its
``Retry-After``; 5xx answers, timeouts and connection errors back off exponentially. After the retries a
:class:`ProviderError` says what went wrong; a 404 is :class:`NotFoundAtProvider` (a vanished show). The
clock used for waiting is asyncio's (``asyncio.sleep``), so SimCord's virtual time never blocks it.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Mapping
from typing import Any

import aiohttp

from bot import __version__

log = logging.getLogger(__name__)

USER_AGENT = f"dramabot/{__version__} (+https://github.com/dramabot/dramabot)"
MAX_BODY = 8 * 1024 * 1024
MAX_RETRY_AFTER = 120.0


class ProviderError(Exception):
    """A call failed after its retries (or its answer was not the JSON expected)."""


class NotFoundAtProvider(ProviderError):
    """404: the provider has no such thing (any more)."""


class PoliteClient:
    def __init__(self, base_url: str, *, rate: float = 2.0, retries: int = 3, timeout: float = 20.0,
                 backoff: float = 1.0, headers: Mapping[str, str] | None = None,
                 params: Mapping[str, str] | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.retries = retries
        self.backoff = backoff
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self.headers = {"User-Agent": USER_AGENT, "Accept": "application/json", **(headers or {})}
        self.params = dict(params or {})
        self._session: aiohttp.ClientSession | None = None
        self._gate = asyncio.Lock()
        self._next_at = 0.0
        self.calls = 0
        self.errors = 0

    async def __aenter__(self) -> PoliteClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            # No keep-alive: at 2 calls a second a fresh connection costs little, and an idle pooled one keeps
            # a cleanup timer running between syncs (hours apart).
            self._session = aiohttp.ClientSession(headers=self.headers, timeout=self.timeout,
                                                  connector=aiohttp.TCPConnector(force_close=True))
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _wait_turn(self) -> None:
        async with self._gate:
            loop = asyncio.get_running_loop()
            wait = self._next_at - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            self._next_at = loop.time() + self.interval

    async def get_json(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        """GET ``base_url + path`` and decode the JSON, with the rate limit and retries."""
        url = self.base_url + path
        query: list[tuple[str, str]] = []
        for key, value in {**self.params, **(params or {})}.items():  # a list value repeats the key (embed[])
            query.extend((key, str(v)) for v in (value if isinstance(value, list | tuple) else [value]))
        last = "no answer"
        for attempt in range(self.retries + 1):
            await self._wait_turn()
            self.calls += 1
            delay = self.backoff * (2 ** attempt)
            try:
                async with self.session().get(url, params=query) as resp:
                    if resp.status == 404:
                        raise NotFoundAtProvider(f"{path}: not found (404)")
                    if resp.status == 429:
                        last = f"{path}: rate limited (429)"
                        delay = _retry_after(resp.headers.get("Retry-After"), delay)
                    elif resp.status >= 500:
                        last = f"{path}: server error {resp.status}"
                    elif resp.status >= 400:
                        self.errors += 1
                        raise ProviderError(f"{path}: refused ({resp.status})")
                    else:
                        body = await resp.content.read(MAX_BODY + 1)
                        if len(body) > MAX_BODY:
                            self.errors += 1
                            raise ProviderError(f"{path}: answer too large")
                        try:
                            return json.loads(body)
                        except ValueError:
                            self.errors += 1
                            raise ProviderError(f"{path}: malformed JSON") from None
            except (TimeoutError, aiohttp.ClientError) as exc:
                last = f"{path}: {type(exc).__name__} {exc}".strip()
            self.errors += 1
            if attempt < self.retries:
                log.info("%s; retrying in %.1f s", last, delay)
                await asyncio.sleep(delay)
        raise ProviderError(last)


def _retry_after(value: str | None, default: float) -> float:
    try:
        return max(0.0, min(float(value), MAX_RETRY_AFTER)) if value else default
    except ValueError:
        return default
