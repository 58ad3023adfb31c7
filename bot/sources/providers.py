"""Building the configured provider from settings (``SOURCES``, ``TVMAZE_URL``, ``SOURCES_RATE``)."""

from __future__ import annotations

from urllib.parse import urlparse

from bot.sources.http import PoliteClient
from bot.sources.tvmaze import TVmaze

TVMAZE_HOSTS = ("api.tvmaze.com",)
TVMAZE_MAX_RATE = 2.0


def provider_for(settings) -> TVmaze | None:
    """The provider to sync from, or None when ``SOURCES=none`` (no call is ever made)."""
    if settings.sources == "none":
        return None
    rate = settings.sources_rate
    if (urlparse(settings.tvmaze_url).hostname or "") in TVMAZE_HOSTS:
        rate = min(rate, TVMAZE_MAX_RATE)  # TVmaze's own host: its documented limit, with room to spare
    return TVmaze(PoliteClient(settings.tvmaze_url, rate=rate))
