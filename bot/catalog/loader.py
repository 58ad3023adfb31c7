"""Loading the shipped starter catalog into an empty store on first start (fast: one transaction).

``load_starter_catalog(store, path, now=...)`` is idempotent: it records ``catalog_loaded`` in
``meta`` in the same transaction, and on later starts returns at once without reading the file.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from bot.catalog.io import CatalogInvalid, load_and_validate

if TYPE_CHECKING:
    from bot.store import Store

log = logging.getLogger(__name__)

META_KEY = "catalog_loaded"


async def load_starter_catalog(store: Store, path: Path | str, *, now: str | None = None) -> bool:
    """Load ``path`` once into a store that has never had a catalog. True when it loaded something."""
    if await store.meta.get(META_KEY) is not None:
        return False
    path = Path(path)
    counts = await store.catalog.counts()
    if counts["dramas"]:
        # An owner imported a catalog before this marker existed: never overwrite their data.
        await store.meta.set(META_KEY, json.dumps({"file": None, "skipped": "store already had dramas"}))
        return False
    if not path.is_file():
        log.warning("starter catalog %s not found; the catalog stays empty (see docs/catalog.md)", path)
        return False
    try:
        catalog = load_and_validate(path)
    except CatalogInvalid as exc:
        log.error("starter catalog %s is invalid, not loaded: %s", path, exc)
        return False
    marker = json.dumps({"file": path.name, "dramas": len(catalog["dramas"]), "at": now}, sort_keys=True)
    await store.catalog.apply_catalog(catalog, now=now, meta=(META_KEY, marker))
    log.info("loaded the starter catalog: %d dramas, %d people", len(catalog["dramas"]), len(catalog["people"]))
    return True
