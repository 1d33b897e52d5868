"""The views' figures of issue 11, on their own: projection catch-up and `claimtrail replay`,
each beside raw SELECT + json.loads of the same log measured in the same minutes.

    python -m bench.views [--events N] [--runs R]      (make bench-views)

Generates a realistic log of N events (BENCH_VIEWS_EVENTS, default 100,000; bench/generate.py)
in a fresh schema, then R times (default 3): the raw baseline, a catch-up of every view by one
worker from position 0 (`bench.project`: what `claimtrail project` does, with its batch size),
the same with a process per group of views (`claimtrail project --processes N`, N = cores),
`claimtrail replay` as on PostgreSQL (groups of views in processes, `bench.rebuild`) and every
view in one process (as on SQLite). Targets: catch-up >= 5,000 events/s, replay >= 10,000/s.
Writes bench/results-views.md.
"""

from __future__ import annotations

import argparse
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.bulk_writer import BulkWriter
from bench.common import console, run_json, schema
from bench.generate import Generator
from bench.raw import select_decode
from bench.tables import Results, rate, ratio
from infra.ledger.application import open_ledger

TARGETS = {
    "catch-up": 5_000,
    "catch-up, processes": 5_000,
    "replay": 10_000,
    "replay, one process": 10_000,
}


def generate(url: str, events: int) -> str:
    """Write `events` events of generated history; the events table's name."""
    ledger = open_ledger(url)
    writer = BulkWriter(ledger, url)
    report = Generator(ledger, writer).run(events)
    table: str = ledger.recorder.events_table_name  # type: ignore[attr-defined]
    writer.close()
    ledger.close()
    console.print(
        f"generated {report.events:,} events ({report.claims:,} claims, {report.sources:,}"
        f" sources, {report.actors:,} actors) in {report.seconds:.1f} s"
    )
    return table


def one_run(url: str, table: str) -> dict[str, dict[str, Any]]:
    count, seconds = select_decode(url, table)
    figures: dict[str, dict[str, Any]] = {
        "raw": {"events": count, "rate": count / seconds, "cpu": None},
        "catch-up": run_json(["-m", "bench.project", url, "--prefix", "cu_"]),
        "catch-up, processes": run_json(
            ["-m", "bench.project", url, "--prefix", "cp_", "--processes", str(os.cpu_count())]
        ),
        "replay": run_json(["-m", "bench.rebuild", url]),
        "replay, one process": run_json(["-m", "bench.rebuild", url, "--alone"]),
    }
    for name, found in figures.items():
        console.print(f"[dim]{datetime.now(UTC):%H:%M:%S} {name}: {found['rate']:,.0f}/s[/dim]")
    return figures


def rows(runs: list[dict[str, dict[str, Any]]]) -> list[list[str]]:
    out = []
    for number, figures in enumerate(runs, 1):
        raw = figures["raw"]["rate"]
        for name, target in TARGETS.items():
            found = figures[name]
            cpu = found.get("cpu")
            out.append(
                [
                    str(number),
                    name,
                    f"{found['events']:,}",
                    rate(found["rate"]),
                    f"{cpu / found['events'] * 1e6:,.0f} us" if cpu else "-",
                    rate(raw),
                    ratio(found["rate"], raw),
                    f">= {target:,}/s: " + ("met" if found["rate"] >= target else "**missed**"),
                ]
            )
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--events", type=int, default=int(os.environ.get("BENCH_VIEWS_EVENTS", "100000"))
    )
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    results = Results()
    when = f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    console.rule(f"claimtrail views bench ({when}, {os.cpu_count()} CPUs)")
    with schema("v") as (_, url):
        table = generate(url, args.events)
        runs = []
        for _ in range(args.runs):
            runs.append(one_run(url, table))
    load = os.getloadavg()
    results.table(
        "Views: catch-up and replay vs raw SELECT + json.loads of the same log (same minutes)",
        ["run", "figure", "events", "value", "CPU/event", "baseline", "ratio", "target"],
        rows(runs),
        note=f"load average at the end {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}; CPU/event"
        " is the CPU of the processes that projected (the catch-up's group processes summed;"
        " the replay's group processes are not counted).",
    )
    header = (
        f"# claimtrail views bench\n\n`make bench-views` run of {when}"
        f" on {os.cpu_count()} CPUs.\n\n"
    )
    (Path(__file__).parent / "results-views.md").write_text(header + results.markdown())


if __name__ == "__main__":
    main()
