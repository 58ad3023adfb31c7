"""Plain-sentence answers, one module per question family.

``FIELD_ANSWERS`` maps a field intent (``"director"``, ``"premiere"``, ...) to the function that answers
it about one drama row: ``await FIELD_ANSWERS[intent](q, drama, label, today)``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

from bot.knowledge.answers import about, airing, dates, production
from bot.knowledge.model import Answer

FieldAnswer = Callable[[Any, Any, str, "dt.date | None"], Awaitable[Answer]]

FIELD_ANSWERS: dict[str, FieldAnswer] = {
    "season2": about.answer_season2,
    "korean_title": production.answer_korean_title,
    "source": production.answer_source,
    "director": production.answer_director,
    "writer": production.answer_writer,
    "premiere": dates.answer_premiere,
    "finale": airing.answer_finale,  # from the episodes when there are some, else the catalog dates
    "dates": dates.answer_dates,
    "schedule": airing.answer_next,
    "episodes": dates.answer_episodes,
    "air_time": dates.answer_air_time,
    "air_days": dates.answer_air_days,
    "platforms": production.answer_platforms,
    "network": production.answer_network,
    "year": dates.answer_year,
    "rating": production.answer_rating,
    "genre": production.answer_genre,
    "status": airing.answer_status,
}
