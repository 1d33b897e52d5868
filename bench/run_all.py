"""`make bench`: every benchmark in order, each figure beside a baseline measured in the same run.

Environment: BENCH_EVENTS (default 1,000,000) and BENCH_SMALL_EVENTS (100,000) size the history,
BENCH_WRITE_SECONDS (8) the length of each write-path level;
BENCH_DATABASE (postgresql://postgres@127.0.0.1:5432/postgres) is the server. Every schema is
fresh (bench_<random>) and dropped at the end. The tables are also written to bench/results.md;
bench.audit runs on the same log (bench/results-audit.md).
A new benchmark is a module with a function taking `results` (bench/tables.py), called below.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import history, history_tables, write, write_path
from bench.common import ROOT, console
from bench.tables import Results


def audit(url: str) -> None:
    """bench.audit over the history's log (its own results-audit.md), instead of a log of its
    own: a million events fewer to generate."""
    done = subprocess.run([sys.executable, "-m", "bench.audit", url], cwd=ROOT, check=False)
    if done.returncode != 0:
        raise RuntimeError("bench.audit failed")


def main() -> None:
    big = int(os.environ.get("BENCH_EVENTS", "1000000"))
    small = int(os.environ.get("BENCH_SMALL_EVENTS", "100000"))
    seconds = float(os.environ.get("BENCH_WRITE_SECONDS", "8"))
    began = time.perf_counter()
    results = Results()
    console.rule(
        f"claimtrail bench ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs)"
    )

    write.http_writes(results, seconds=seconds)
    write.library_commands(results, seconds=seconds / 2)
    write_path.main(results)  # issue 11's write figures: 32 clients x3, 1 client, record vs raw
    first, second = history.run(small, big, after=audit)
    history_tables.tables(results, first, second)

    minutes = (time.perf_counter() - began) / 60
    console.print(f"[bold]bench finished in {minutes:.1f} min[/bold]")
    header = (
        f"# claimtrail bench results\n\n`make bench` run of "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} CPUs, "
        f"{minutes:.1f} min. Every figure beside a baseline from the same run.\n\n"
    )
    (Path(__file__).parent / "results.md").write_text(header + results.markdown())
    subprocess.run([sys.executable, "-m", "bench.similar"], cwd=ROOT, check=True)  # similar claims
    subprocess.run([sys.executable, "-m", "bench.views"], cwd=ROOT, check=True)  # issue 11's views


if __name__ == "__main__":
    main()
