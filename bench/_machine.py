"""The machine description every benchmark writes next to its figures (one format for BENCHMARKS.md)."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def machine() -> str:
    """``2 CPUs (nproc 2), <model>, 7.8 GiB RAM, Python 3.11.7, Linux``; unknown parts say so."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        kb = int(next(x for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal")).split()[1])
        ram = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration, ValueError, IndexError):
        pass
    try:
        nproc = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        nproc = os.cpu_count()
    return (f"{os.cpu_count()} CPUs (nproc {nproc}), {cpu}, {ram} RAM, Python {platform.python_version()}, "
            f"{platform.system()}")
