"""Runs a :class:`~bot.knowledge.query.Query` against the store and renders its answer.

Each kind is one SQL trip or two (``bot/store/knowledge.py``: ``list_dramas``, ``shared_dramas``,
``costars``, ``term_neighbours`` ...) and one renderer in :mod:`bot.knowledge.answers`. Lists are paged:
``run(query, offset=...)`` gives any page of the same query (the /ask buttons call it).
"""

from __future__ import annotations

import math

from bot.knowledge.answers import compare, lists, recommend, together
from bot.knowledge.model import Answer
from bot.knowledge.query import Query
from bot.knowledge.vocab import Vocabulary

PAGE = 10


class Executor:
    def __init__(self, q, vocab: Vocabulary) -> None:
        self.q = q
        self.vocab = vocab

    async def run(self, query: Query, *, offset: int = 0) -> Answer:
        kind = query.kind
        if kind == "shared":
            return await together.shared(self.q, query)
        if kind == "costars":
            return await together.costars(self.q, query)
        if kind == "compare":
            return await compare.compare(self.q, query)
        if kind == "recommend":
            return await recommend.recommend(self.q, query, self.vocab)
        if kind == "plot":
            return await recommend.plot(self.q, query, self.vocab)
        limit = query.limit if query.limit < PAGE else PAGE
        total, rows = await self.q.list_dramas(query.filters, order=query.order, limit=limit, offset=offset)
        people = [await self.q.person(ids[0]) for ids in query.people]
        roles = {}
        if query.kind == "works" and rows:
            for r in await self.q.credits_in([r["id"] for r in rows], query.people[0]):
                roles.setdefault(r["drama_id"], r["character"])
        answer = lists.render(query, total, rows, offset=offset, people=people, roles=roles)
        answer.pages = math.ceil(total / PAGE) if query.limit >= PAGE and total > PAGE else 1
        return answer
