"""The typed query a question is parsed into, and what running it returns.

One small shape for every question that combines things (see docs/knowledge.md): the entities it names
(dramas, people, a character), the relation asked (``kind``), filters over the catalog, an ordering or a
comparison, and the attribute asked about. :mod:`bot.knowledge.planner` builds it from a question,
:mod:`bot.knowledge.executor` runs it against the store (SQL in ``bot/store/knowledge.py``) and
:mod:`bot.knowledge.answers` renders each kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# What a query asks for.
KINDS = (
    "fact",       # an attribute of one drama (director, episodes, ...): the single-fact answers
    "shared",     # the dramas two or more people share
    "costars",    # the people one actor worked with most
    "works",      # one person's dramas, filtered (a year, latest, lead roles): a list with a person filter
    "list",       # dramas matching filters, counted and ordered; "count" only says how many
    "compare",    # two or more dramas (or people) compared on one attribute
    "recommend",  # dramas like one drama, ranked, without it
    "plot",       # a drama remembered by its story
)
# Lists count their matches up to this many ("more than 100"): counting every romance drama of a huge
# catalog would cost more than the answer is worth.
COUNT_CAP = 100
# Orders a list can take: column, direction.
ORDERS = {
    "newest": ("first_aired", "desc"), "oldest": ("first_aired", "asc"),
    "longest": ("episodes", "desc"), "shortest": ("episodes", "asc"),
    "best": ("rating", "desc"), "worst": ("rating", "asc"),
}


@dataclass
class Filters:
    """Conditions on dramas; empty means "any". Groups are OR inside, AND between groups."""

    channels: tuple[str, ...] = ()                            # network or platform terms (lower case)
    genres: list[tuple[str, ...]] = field(default_factory=list)
    tags: list[tuple[str, ...]] = field(default_factory=list)
    year_from: int | None = None
    year_to: int | None = None
    episodes_min: int | None = None
    episodes_max: int | None = None
    people: list[list[int]] = field(default_factory=list)     # each: one person (spelling variants' ids)
    crew: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # ("director", names)
    lead: bool = False                                         # the people in main roles only
    status: str | None = None
    exclude: list[int] = field(default_factory=list)
    broad: set[str] = field(default_factory=set)  # terms on many dramas (a probe per drama beats their list)

    def any(self) -> bool:
        return bool(self.channels or self.genres or self.tags or self.year_from or self.year_to
                    or self.episodes_min or self.episodes_max or self.people or self.crew or self.status)

    def catalog_filters(self) -> bool:
        """Filters on the drama itself (not only on who is in it)."""
        return bool(self.channels or self.genres or self.tags or self.year_from or self.year_to
                    or self.episodes_min or self.episodes_max or self.crew or self.status)


@dataclass
class Query:
    kind: str
    dramas: list[int] = field(default_factory=list)
    people: list[list[int]] = field(default_factory=list)
    character: str | None = None
    attribute: str | None = None        # the field asked ("director", "episodes", "premiere", ...)
    filters: Filters = field(default_factory=Filters)
    order: str | None = None            # a key of ORDERS
    limit: int = 10
    count_only: bool = False
    words: list[str] = field(default_factory=list)  # plot words (terms already matched go to filters)
    described: str = ""                 # how the filters read in the answer ("tvN dramas from 2019")


@dataclass
class Page:
    """One page of a list answer: the rows shown and how many matched in all."""

    total: int
    rows: list = field(default_factory=list)
    offset: int = 0
