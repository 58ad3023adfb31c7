"""The sources status text shared by `dramabot sources status` and the owner's /catalog sources."""

from __future__ import annotations

from bot.sources import tmdb, tvmaze

KINDS = (("discovery", "discovery"), ("updates", "update checks"), ("show", "refreshes before episodes"),
         ("linking", "linking the catalog (sources link --all)"))


async def status_lines(store, settings) -> list[str]:
    provider = tvmaze.NAME
    if settings.sources == "none":
        lines = ["Live data is off (SOURCES=none): no provider is called."]
    else:
        lines = [f"Live data from TVmaze ({settings.tvmaze_url}); TMDB "
                 + ("on." if settings.tmdb_api_key else "off (no TMDB_API_KEY).")]
    runs = await store.sources.runs(provider)
    for kind, label in KINDS:
        r = runs.get(kind)
        if r is None:
            lines.append(f"- {label}: never run")
            continue
        text = f"- {label}: last success {r['last_ok'] or 'never'}; {r['calls']} calls, {r['errors']} errors"
        if r["last_error"]:
            text += f" (last error {r['error_at']}: {r['last_error'][:120]})"
        lines.append(text)
    c = await store.sources.counts(provider)
    lines.append(f"- dramas linked: {c.get('linked', 0)}, unlinked: {c.get('unlinked', 0)}, ambiguous shows waiting "
                 f"for review: {c.get('ambiguous', 0)}, shows failing: {c.get('failing', 0)}, schedules held by "
                 f"hand: {c.get('held', 0)}")
    return lines


def provenance_text(link) -> str:
    """Where a drama's data came from and when it was refreshed (/drama info), with the provider's credit."""
    when = f"; refreshed {link['synced_at'][:16].replace('T', ' ')} UTC" if link["synced_at"] else ""
    how = {"discovered": "found by the live sync", "owner": "linked by the bot owner"}.get(link["method"],
                                                                                          "linked by the live sync")
    if link["provider"] == tmdb.NAME:  # TMDB gives no time of day: nothing is scheduled from it
        return (f"Facts and cast from TMDB ({tmdb.ATTRIBUTION_URL}/tv/{link['show_id']}){when} ({how}); "
                "episode times are not known yet.")
    if link["provider"] == tvmaze.NAME:
        who = f"TVmaze ({tvmaze.ATTRIBUTION_URL}/shows/{link['show_id']}), CC BY-SA"
    else:
        who = link["provider"]
    return f"Episodes and schedule from {who}{when} ({how})."
