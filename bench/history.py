"""The history runs of `make bench`: a generated log of BENCH_SMALL_EVENTS (100,000) events, its
catch-ups, replay and read latencies; then the log grown to BENCH_EVENTS (1,000,000) while two
projection workers follow it, and the reads and replay again. Figures only: the tables are
bench/history_tables.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import read
from bench.bulk_writer import BulkWriter
from bench.common import ROOT, console, run_json, schema
from bench.generate import Generator, Report
from bench.server import api
from infra.ledger.application import open_ledger

SPLIT = ("claims,actors", "timeline,relationships")  # two workers following the writes


@dataclass
class Figures:
    """What one run of a size measured (the second size has no catch-up of fresh views)."""

    events: int  # in the log (as asked for the first size)
    generated: Report
    replay: dict[str, Any]
    latencies: dict[str, read.Latency]
    rss: int
    pair_sizes: dict[str, int]
    catch_up: dict[str, dict[str, Any]]  # all views, audit, replay, replay_alone
    followed: list[dict[str, Any]]  # the workers following the writes


def _follow(url: str, views: str, until: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bench.project", url, "--views", views, "--until-file", str(until)],
        cwd=ROOT,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _finish(process: subprocess.Popen[str]) -> dict[str, Any]:
    out, err = process.communicate(timeout=3600)
    if process.returncode != 0:
        raise RuntimeError(f"projection worker failed:\n{out}\n{err}")
    return dict(json.loads(out.strip().splitlines()[-1]))


def step(label: str, figures: dict[str, Any]) -> dict[str, Any]:
    shown = {k: (f"{v:,.0f}" if isinstance(v, float) else v) for k, v in figures.items()}
    console.print(f"[dim]{datetime.now(UTC):%H:%M:%S} {label}: {shown}[/dim]")
    return figures


def catch_ups(url: str) -> dict[str, dict[str, Any]]:
    """Fresh views from position 0: one worker with every view into the live tables (as
    `claimtrail project`; the reads and the workers that follow the writes go on from there),
    the same with a process per group of views (`claimtrail project --processes N`), the
    audit view alone (15 s at most), and `claimtrail replay` of every view (processes by group
    of views as on PostgreSQL, and all in one process as on SQLite)."""
    project = ["-m", "bench.project", url]
    return {
        "all": step("catch-up, all views", run_json(project)),  # the live tables, kept
        "processes": step(
            "catch-up, all views, group processes",
            run_json([*project, "--prefix", "cp_", "--processes", str(os.cpu_count() or 1)]),
        ),
        "audit": step(
            "catch-up, audit view",
            run_json([*project, "--views", "audit", "--prefix", "ca_", "--seconds", "15"]),
        ),
        "replay": step("claimtrail replay", run_json(["-m", "bench.rebuild", url])),
        "replay_alone": step(
            "claimtrail replay, one process", run_json(["-m", "bench.rebuild", url, "--alone"])
        ),
    }


def _reads(url: str, generator: Generator) -> tuple[dict[str, read.Latency], int, dict[str, int]]:
    paths = read.targets(
        url,
        generator.refs[0].id,
        generator.refs[1].id,
        generator.moment_at(generator.total // 2),
    )
    with api(url) as server:
        latencies = read.latencies(server, paths)
        rss = server.rss()
    return latencies, rss, paths["_pair_sizes"]


def run(
    small: int, big: int, after: Callable[[str], object] = lambda url: None
) -> tuple[Figures, Figures]:
    """The figures at `small` events, then at `big`; `after(url)` runs on the whole log before
    its schema is dropped."""
    with schema("r") as (_, url):
        ledger = open_ledger(url)
        writer = BulkWriter(ledger, url)
        generator = Generator(ledger, writer)
        gen_small = generator.run(small)
        console.print(
            f"generated {gen_small.events:,} events in {gen_small.seconds:.1f} s "
            f"({gen_small.rate:,.0f} events/s)"
        )
        caught = catch_ups(url)
        replay_small = step("replay", run_json(["-m", "bench.replay", url]))
        first = Figures(small, gen_small, replay_small, *_reads(url, generator), caught, [])

        # Up to `big` events, while two projection workers follow the log.
        with tempfile.TemporaryDirectory() as tmp:
            until = Path(tmp) / "until"
            workers = [_follow(url, views, until) for views in SPLIT]
            gen_big = generator.run(big - generator.total)
            head = ledger.recorder.max_notification_id() or 0
            until.write_text(str(head))
            followed = [step("projection worker", _finish(w)) for w in workers]
        writer.close()
        ledger.close()
        console.print(
            f"generated {gen_big.events:,} more events in {gen_big.seconds:.1f} s "
            f"({gen_big.rate:,.0f} events/s, with two projection workers following)"
        )
        latencies, rss, sizes = _reads(url, generator)
        replay_big = step("replay", run_json(["-m", "bench.replay", url], timeout=3600))
        second = Figures(generator.total, gen_big, replay_big, latencies, rss, sizes, {}, followed)
        after(url)
    return first, second
