"""Catalog timings: first-start load of the shipped file, an already-loaded restart, export, build.

python bench/bench_catalog.py [SOURCES_DIR]
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

from bot.catalog.build import build_catalog
from bot.catalog.loader import load_starter_catalog
from bot.settings import Settings
from bot.store import Store


async def main() -> None:
    path = Settings().catalog_path
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite3"
        t0 = time.perf_counter()
        store = Store(db)
        await store.open()
        t1 = time.perf_counter()
        await load_starter_catalog(store, path)
        t2 = time.perf_counter()
        counts = await store.catalog.counts()
        await store.close()
        t3 = time.perf_counter()
        store = Store(db)
        await store.open()
        await load_starter_catalog(store, path)
        t4 = time.perf_counter()
        await store.catalog.export_catalog()
        t5 = time.perf_counter()
        await store.close()
    print(f"catalog {path.name}: {path.stat().st_size / 1e6:.2f} MB, {counts}")
    print(f"open+migrate fresh db     {1000 * (t1 - t0):8.1f} ms")
    print(f"first-start load          {1000 * (t2 - t1):8.1f} ms")
    print(f"restart (already loaded)  {1000 * (t4 - t3):8.1f} ms")
    print(f"export                    {1000 * (t5 - t4):8.1f} ms")
    if len(sys.argv) > 1:
        t6 = time.perf_counter()
        build_catalog(sys.argv[1])
        print(f"build from CSVs           {1000 * (time.perf_counter() - t6):8.1f} ms")


if __name__ == "__main__":
    asyncio.run(main())
