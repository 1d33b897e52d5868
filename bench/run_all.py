"""`make bench`: every benchmark in order, each figure beside a baseline measured in the same run.

Environment: BENCH_EVENTS (default 1,000,000) and BENCH_SMALL_EVENTS (100,000) size the history,
BENCH_WRITE_SECONDS (8) the length of each write-path level;
BENCH_DATABASE (postgresql://postgres@127.0.0.1:5432/postgres) is the server. Every schema is
fresh (bench_<random>) and dropped at the end. The tables are also written to bench/results.md.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import read, write, write_path
from bench.common import ROOT, Results, api, console, mb, ms, rate, ratio, run_json, schema
from bench.generate import BulkWriter, Generator
from infra.ledger.application import open_ledger

READ_VIEWS = "claims,actors,timeline,relationships"
SPLIT = ("claims,actors", "timeline,relationships")  # two workers following the writes


def _follow(url: str, views: str, until: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bench.project", url, "--views", views, "--until-file", str(until)],
        cwd=ROOT,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _finish(process: subprocess.Popen[str]) -> dict[str, Any]:
    import json

    out, err = process.communicate(timeout=3600)
    if process.returncode != 0:
        raise RuntimeError(f"projection worker failed:\n{out}\n{err}")
    return dict(json.loads(out.strip().splitlines()[-1]))


def step(label: str, figures: dict[str, Any]) -> dict[str, Any]:
    shown = {k: (f"{v:,.0f}" if isinstance(v, float) else v) for k, v in figures.items()}
    console.print(f"[dim]{datetime.now(UTC):%H:%M:%S} {label}: {shown}[/dim]")
    return figures


def main() -> None:
    big = int(os.environ.get("BENCH_EVENTS", "1000000"))
    small = int(os.environ.get("BENCH_SMALL_EVENTS", "100000"))
    began = time.perf_counter()
    results = Results()
    console.rule(
        f"claimtrail bench ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs)"
    )

    seconds = float(os.environ.get("BENCH_WRITE_SECONDS", "8"))
    http = write.http_writes(results, seconds=seconds)
    lib = write.library_commands(results, seconds=seconds / 2)
    # The write targets of issue 11: three runs at 32 clients (wrk), 1 client, record vs raw.
    step("write path (issue 11)", {"runs": len(write_path.main(results)["runs"])})

    with schema("r") as (_, url):
        ledger = open_ledger(url)
        writer = BulkWriter(ledger, url)
        generator = Generator(ledger, writer)
        gen_small = generator.run(small)
        console.print(
            f"generated {gen_small.events:,} events in {gen_small.seconds:.1f} s "
            f"({gen_small.rate:,.0f} events/s)"
        )

        # Catch-up of fresh views, one worker with every read view (as `claimtrail project`).
        catch_small = step(
            "catch-up, read views", run_json(["-m", "bench.project", url, "--views", READ_VIEWS])
        )
        audit = step(
            "catch-up, audit view",
            run_json(
                [
                    "-m",
                    "bench.project",
                    url,
                    "--views",
                    "audit",
                    "--prefix",
                    "ca_",
                    "--seconds",
                    "15",
                ]
            ),
        )
        everything = step(
            "catch-up, all views",
            run_json(["-m", "bench.project", url, "--prefix", "cb_", "--seconds", "15"]),
        )
        replay_small = step("replay", run_json(["-m", "bench.replay", url]))

        paths = read.targets(
            url,
            generator.refs[0].id,
            generator.refs[1].id,
            generator.moment_at(generator.total // 2),
        )
        with api(url) as server:
            lat_small = read.latencies(server, paths)
            rss_small = server.rss()
        sizes_small = paths["_pair_sizes"]

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

        paths = read.targets(
            url,
            generator.refs[0].id,
            generator.refs[1].id,
            generator.moment_at(generator.total // 2),
        )
        with api(url) as server:
            lat_big = read.latencies(server, paths)
            rss_big = server.rss()
        sizes_big = paths["_pair_sizes"]
        replay_big = step("replay", run_json(["-m", "bench.replay", url], timeout=3600))
        total = generator.total

    # -- tables --------------------------------------------------------------------------------
    results.table(
        "Generator: realistic history through the domain's own events (bulk COPY writer)",
        ["figure", "value"],
        [
            ["events written (first run)", f"{gen_small.events:,}"],
            ["events/s (first run, alone)", rate(gen_small.rate)],
            [
                "claims / sources / actors (first run)",
                f"{gen_small.claims:,} / {gen_small.sources:,} / {gen_small.actors:,}",
            ],
            [
                "events/s (to the full history, two projection workers following)",
                rate(gen_big.rate),
            ],
            ["claims / sources (second run)", f"{gen_big.claims:,} / {gen_big.sources:,}"],
        ],
    )

    raw_small = replay_small["raw_rate"]
    results.table(
        "Replay and catch-up vs raw SELECT + json.loads of the event table (same events)",
        ["figure", "events", "value", "baseline (raw select+decode)", "ratio"],
        [
            [
                "library replay (decode + apply to every aggregate)",
                f"{replay_small['events']:,}",
                rate(replay_small["rate"]),
                rate(raw_small),
                ratio(replay_small["rate"], raw_small),
            ],
            [
                "library replay",
                f"{replay_big['events']:,}",
                rate(replay_big["rate"]),
                rate(replay_big["raw_rate"]),
                ratio(replay_big["rate"], replay_big["raw_rate"]),
            ],
            [
                "catch-up, fresh read views (claims, actors, timeline, relationships), one worker",
                f"{catch_small['events']:,}",
                rate(catch_small["rate"]),
                rate(raw_small),
                ratio(catch_small["rate"], raw_small),
            ],
            [
                "catch-up, audit view alone (15 s from position 0)",
                f"{audit['events']:,}",
                rate(audit["rate"]),
                rate(raw_small),
                ratio(audit["rate"], raw_small),
            ],
            [
                "catch-up, all views incl. audit (15 s from position 0)",
                f"{everything['events']:,}",
                rate(everything["rate"]),
                rate(raw_small),
                ratio(everything["rate"], raw_small),
            ],
            *[
                [
                    f"catch-up while writing: worker {'+'.join(f['views'])}",
                    f"{f['events']:,}",
                    rate(f["events"] / max(f["seconds"] - f["idle"], 1e-9)),
                    rate(raw_small),
                    ratio(f["events"] / max(f["seconds"] - f["idle"], 1e-9), raw_small),
                ]
                for f in followed
            ],
        ],
        "Targets: replay >= 0.5x raw; catch-up >= 5,000 events/s (issue 3). The catch-up "
        "workers that follow the writes share two cores with the generator and PostgreSQL.",
    )

    rows = []
    for key, label in read.LABELS.items():
        a, b = lat_small[key], lat_big[key]
        base_a, base_b = lat_small["healthz"], lat_big["healthz"]
        rows.append(
            [
                label,
                ms(a.p50),
                ms(a.p99),
                ratio(a.p99, base_a.p99),
                ms(b.p50),
                ms(b.p99),
                ratio(b.p99, base_b.p99),
                ratio(b.p99, a.p99),
                f"{b.status}, {b.bytes:,} B",
            ]
        )
    results.table(
        f"Read latency over HTTP ({read.REQUESTS} sequential requests after {read.WARMUP} of "
        f"warm-up, one keep-alive connection): {small:,} vs {total:,} events",
        [
            "request",
            "p50",
            "p99",
            "p99/healthz",
            "p50",
            "p99",
            "p99/healthz",
            "p99 growth",
            "status, size",
        ],
        rows,
        f"Columns 2-4 at {small:,} events, 5-7 at {total:,}. Typical pair: the pair whose "
        f"current edge count is nearest 10 ({sizes_small['typical']} then "
        f"{sizes_big['typical']} claims); busiest pair: the two most named actors "
        f"({sizes_small['busiest']} then {sizes_big['busiest']} claims). as_of: the time "
        "half the history had been written. Targets (issue 3): timeline page and pair p99 "
        "<= 20 ms and growth < 1.5x; as_of pair <= 3x the current one.",
    )

    results.table(
        "Memory (RSS from /proc)",
        ["figure", "value", "baseline", "ratio"],
        [
            [
                f"API RSS after the reads at {total:,} events",
                mb(rss_big),
                f"{mb(rss_small)} at {small:,}",
                ratio(rss_big, rss_small),
            ],
            [
                f"peak RSS of a full library replay of {replay_big['events']:,} events",
                mb(replay_big["peak_rss"]),
                f"{mb(replay_small['peak_rss'])} for {replay_small['events']:,}",
                ratio(replay_big["peak_rss"], replay_small["peak_rss"]),
            ],
            *[
                [
                    f"peak RSS of projection worker {'+'.join(f['views'])}"
                    f" ({f['events']:,} events)",
                    mb(f["peak_rss"]),
                    f"{mb(catch_small['peak_rss'])} (all read views, "
                    f"{catch_small['events']:,} events)",
                    ratio(f["peak_rss"], catch_small["peak_rss"]),
                ]
                for f in followed
            ],
        ],
        "Targets: API RSS <= 200 MB at 1M events (API with projections off, 1 worker); "
        "replay memory flat in the number of events.",
    )

    minutes = (time.perf_counter() - began) / 60
    console.print(f"[bold]bench finished in {minutes:.1f} min[/bold]")
    header = (
        f"# claimtrail bench results\n\n`make bench` run of "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} CPUs, "
        f"{minutes:.1f} min. Every figure beside a baseline from the same run.\n\n"
    )
    (Path(__file__).parent / "results.md").write_text(header + results.markdown())
    del http, lib


if __name__ == "__main__":
    main()
