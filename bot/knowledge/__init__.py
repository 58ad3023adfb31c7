"""The question engine (Discord-free): entity linking over the catalog and plain-sentence answers.

``engine_for(store).answer(question, today=...)`` is what /ask, mentions and ``dramabot ask`` call;
``match_dramas`` / ``match_people`` power autocomplete and ``resolve_drama``.
"""

from bot.knowledge.engine import Answer, KnowledgeEngine, Match, engine_for

__all__ = ["Answer", "KnowledgeEngine", "Match", "engine_for"]
