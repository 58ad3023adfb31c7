"""Rebuild BENCHMARKS.md's details from bench/results/*.md (the summary table above them is kept).

Run after any benchmark: ``python bench/assemble.py``.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORDER = ("knowledge", "polls", "schedule", "catalog", "sources", "cluster")
MARKER = "## Details\n"


def section(text: str) -> str:
    """Demote a results file one heading level so it nests under Details."""
    lines = []
    for line in text.strip().splitlines():
        lines.append("#" + line if line.startswith("#") else line)
    return "\n".join(lines)


def main() -> None:
    target = ROOT / "BENCHMARKS.md"
    head = target.read_text(encoding="utf-8").split(MARKER)[0]
    parts = [section((ROOT / "bench" / "results" / f"{name}.md").read_text(encoding="utf-8")) for name in ORDER]
    target.write_text(head + MARKER + "\n" + "\n\n".join(parts) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
