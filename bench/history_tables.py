"""The tables of the history runs (bench/history.py): the generator, replay and catch-up beside
raw SELECT + decode, read latency at both sizes, memory."""

from __future__ import annotations

from typing import Any

from bench import read
from bench.history import Figures
from bench.tables import Results, mb, ms, rate, ratio


def tables(results: Results, first: Figures, second: Figures) -> None:
    generator(results, first, second)
    replay_and_catch_up(results, first, second)
    latency(results, first, second)
    memory(results, first, second)


def generator(results: Results, first: Figures, second: Figures) -> None:
    gen_small, gen_big = first.generated, second.generated
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


def _row(label: str, figures: dict[str, Any], value: float, baseline: float) -> list[str]:
    cpu = figures.get("cpu")
    per_event = f"{cpu / figures['events'] * 1e6:,.0f} us" if cpu and figures["events"] else "-"
    return [
        label,
        f"{figures['events']:,}",
        rate(value),
        per_event,
        rate(baseline),
        ratio(value, baseline),
    ]


def replay_and_catch_up(results: Results, first: Figures, second: Figures) -> None:
    small, big = first.replay, second.replay
    raw = small["raw_rate"]
    caught = first.catch_up

    def busy(f: dict[str, Any]) -> float:
        return float(f["events"] / max(f["seconds"] - f["idle"], 1e-9))

    results.table(
        "Replay and catch-up vs raw SELECT + json.loads of the event table (same events)",
        ["figure", "events", "value", "CPU/event", "baseline (raw select+decode)", "ratio"],
        [
            _row(
                "catch-up, every view (claims, actors, timeline, relationships, people,"
                " similar, audit), one worker",
                caught["all"],
                caught["all"]["rate"],
                raw,
            ),
            _row(
                "catch-up, every view, `claimtrail project --processes` (a process per group"
                f" of views: {'; '.join(map(', '.join, caught['processes']['groups']))})",
                caught["processes"],
                caught["processes"]["rate"],
                raw,
            ),
            _row(
                "`claimtrail replay`, every view (processes by group of views, as on PostgreSQL)",
                caught["replay"],
                caught["replay"]["rate"],
                raw,
            ),
            _row(
                "`claimtrail replay`, every view in one process (as on SQLite)",
                caught["replay_alone"],
                caught["replay_alone"]["rate"],
                raw,
            ),
            _row(
                "catch-up, audit view alone (15 s from position 0)",
                caught["audit"],
                caught["audit"]["rate"],
                raw,
            ),
            *[
                _row(f"catch-up while writing: worker {'+'.join(f['views'])}", f, busy(f), raw)
                for f in second.followed
            ],
            _row("library replay (decode + apply to every aggregate)", small, small["rate"], raw),
            _row("library replay", big, big["rate"], big["raw_rate"]),
        ],
        "Targets (issue 11): catch-up of all views >= 5,000 events/s (aim 10,000), "
        "`claimtrail replay` >= 10,000 events/s. CPU/event: CPU time of the worker process "
        "per event (not measured for the replay's group processes), which a shared machine's "
        "load changes less than the rate; PostgreSQL's own time is not in it. The workers that "
        "follow the writes share two cores with the generator and PostgreSQL.",
    )


def latency(results: Results, first: Figures, second: Figures) -> None:
    rows = []
    for key, label in read.LABELS.items():
        a, b = first.latencies[key], second.latencies[key]
        base_a, base_b = first.latencies["healthz"], second.latencies["healthz"]
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
    small, total = first.events, second.events
    sizes_small, sizes_big = first.pair_sizes, second.pair_sizes
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


def memory(results: Results, first: Figures, second: Figures) -> None:
    small, big, caught = first.replay, second.replay, first.catch_up["all"]
    results.table(
        "Memory (RSS from /proc)",
        ["figure", "value", "baseline", "ratio"],
        [
            [
                f"API RSS after the reads at {second.events:,} events",
                mb(second.rss),
                f"{mb(first.rss)} at {first.events:,}",
                ratio(second.rss, first.rss),
            ],
            [
                f"peak RSS of a full library replay of {big['events']:,} events",
                mb(big["peak_rss"]),
                f"{mb(small['peak_rss'])} for {small['events']:,}",
                ratio(big["peak_rss"], small["peak_rss"]),
            ],
            *[
                [
                    f"peak RSS of projection worker {'+'.join(f['views'])}"
                    f" ({f['events']:,} events)",
                    mb(f["peak_rss"]),
                    f"{mb(caught['peak_rss'])} (all views, {caught['events']:,} events)",
                    ratio(f["peak_rss"], caught["peak_rss"]),
                ]
                for f in second.followed
            ],
        ],
        "Targets: API RSS <= 200 MB at 1M events (API with projections off, 1 worker); "
        "replay memory flat in the number of events.",
    )
