"""Run every bench/bench_*.py in its own process and print one table.

Each benchmark prints rows `name<TAB>value<TAB>unit<TAB>note`; a ratio row
compares against a baseline measured in the same run.
"""

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run_one(script: Path) -> list[list[str]]:
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, str(script)], cwd=HERE.parent, capture_output=True, text=True, timeout=900
    )
    if result.returncode != 0:
        tail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        return [[script.stem, "FAILED", "", " | ".join(tail)]]
    rows = [line.split("\t") for line in result.stdout.splitlines() if line.count("\t") == 3]
    rows.append([f"{script.stem} (wall time)", f"{time.monotonic() - started:.1f}", "s", ""])
    return rows


def main() -> int:
    only = sys.argv[1:]
    scripts = sorted(p for p in HERE.glob("bench_*.py") if not only or p.stem in only)
    rows = [row for script in scripts for row in run_one(script)]
    widths = [
        max(len(r[i]) for r in rows + [["benchmark", "value", "unit", "note"]]) for i in range(4)
    ]
    for row in [["benchmark", "value", "unit", "note"], ["-" * w for w in widths], *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    return 1 if any(r[1] == "FAILED" for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
