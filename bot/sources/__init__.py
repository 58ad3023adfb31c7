"""Live drama data (Discord-free): providers (TVmaze, TMDB), linking, episode merging and the sync.

``model`` holds provider-neutral facts; ``tvmaze`` / ``tmdb`` turn their JSON into them; ``linking`` picks the
catalog drama a show is; ``episodes`` merges a provider's episode list into ours; ``status`` derives
upcoming/airing/finished; ``sync`` drives it all through ``store.sources`` (docs/sources.md).
"""
