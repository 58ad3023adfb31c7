"""Building the configured providers from settings (``SOURCES``, ``TVMAZE_URL``, ``SOURCES_RATE``, ``TMDB_*``)."""

from __future__ import annotations

from urllib.parse import urlparse

from bot.sources import tmdb
from bot.sources.enrich import Enricher
from bot.sources.http import PoliteClient
from bot.sources.tvmaze import TVmaze

TVMAZE_HOSTS = ("api.tvmaze.com",)
TVMAZE_MAX_RATE = 2.0
TMDB_HOSTS = ("api.themoviedb.org",)
TMDB_MAX_RATE = 4.0


def provider_for(settings) -> TVmaze | None:
    """The provider to sync from, or None when ``SOURCES=none`` (no call is ever made)."""
    if settings.sources == "none":
        return None
    rate = settings.sources_rate
    if (urlparse(settings.tvmaze_url).hostname or "") in TVMAZE_HOSTS:
        rate = min(rate, TVMAZE_MAX_RATE)  # TVmaze's own host: its documented limit, with room to spare
    return TVmaze(PoliteClient(settings.tvmaze_url, rate=rate))


def enricher_for(settings, store) -> Enricher | None:
    """TMDB enrichment, only when live data is on and ``TMDB_API_KEY`` is set (otherwise no TMDB call is made)."""
    if settings.sources == "none" or not settings.tmdb_api_key:
        return None
    rate = settings.sources_rate
    if (urlparse(settings.tmdb_url).hostname or "") in TMDB_HOSTS:
        rate = min(rate, TMDB_MAX_RATE)  # TMDB's own host: well under its documented ~40 requests a second
    return Enricher(store, tmdb.TMDB(tmdb.client_for(settings.tmdb_url, settings.tmdb_api_key, rate)))
