"""A projection worker for the benchmarks, run as a subprocess so its memory is its own.

    python -m bench.project URL [--views claims,...] [--until-file PATH] [--prefix P --seconds S]
    python -m bench.project URL --processes N [--prefix P]

Projects the log into the live views (`rm_` tables) from wherever they are. Without
`--until-file` it stops once caught up; with it, it keeps following the log (as a worker does
while writes go on) until PATH holds a position the views have reached. It prints one JSON
line: events projected, seconds, events/s, CPU seconds of this process and peak RSS (VmHWM).
With `--processes N` it catches up as `claimtrail project --processes N` does (one process per
group of views, infra/projections/workers.py) and reports the group processes' CPU and their
largest peak RSS; the seconds include starting them.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import Any

from bench.common import proc_status
from infra.ledger.application import open_ledger
from infra.projections.projector import Projector
from infra.projections.read_model import all_views
from infra.projections.rebuild import drop, split_views
from infra.projections.store import ViewStore
from infra.projections.workers import GroupProcesses


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--views", default="")
    parser.add_argument("--until-file", default="")
    parser.add_argument(
        "--batch",
        type=int,
        default=0,
        help="events per batch (0: the projector's, as `claimtrail project`)",
    )
    parser.add_argument("--prefix", default="rm_", help="tables prefix (another: dropped after)")
    parser.add_argument("--seconds", type=float, default=0.0, help="stop after this long")
    parser.add_argument("--processes", type=int, default=0, help="catch up in group processes")
    args = parser.parse_args()
    if args.processes:
        print(json.dumps(in_processes(args.url, args.processes, args.prefix, args.batch)))
        return
    ledger = open_ledger(args.url)
    wanted = [v for v in args.views.split(",") if v]
    views = [v for v in all_views() if not wanted or v.name in wanted]
    store = ViewStore(ledger.recorder, args.prefix)
    if args.prefix != "rm_":
        drop(store, views)
    projector = (
        Projector(ledger, views, store, batch_size=args.batch)
        if args.batch
        else Projector(ledger, views, store)
    )
    projector.setup()
    done, began, idle, cpu = 0, time.perf_counter(), 0.0, time.process_time()
    until = Path(args.until_file) if args.until_file else None
    while True:
        count = projector.run_once()
        done += count
        if args.seconds and time.perf_counter() - began > args.seconds:
            break
        if count:
            continue
        if until is None:
            break
        target = until.read_text().strip() if until.exists() else ""
        if target and min(projector.positions().values()) >= int(target):
            break
        time.sleep(0.05)
        idle += 0.05
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    if args.prefix != "rm_":
        drop(store, views)
    ledger.close()
    print(
        json.dumps(
            {
                "views": [v.name for v in views],
                "events": done,
                "seconds": seconds,
                "idle": idle,
                "rate": done / seconds if seconds else 0.0,
                "cpu": cpu,
                "peak_rss": proc_status().get("VmHWM", 0),
            }
        )
    )


def in_processes(url: str, processes: int, prefix: str, batch: int) -> dict[str, Any]:
    """Catch up from position 0 with a group process per group of views, until every view
    reaches the log's head."""
    ledger = open_ledger(url)
    views = all_views()
    store = ViewStore(ledger.recorder, prefix)
    drop(store, views)
    projector = Projector(ledger, views, store)
    projector.setup()
    head = ledger.recorder.max_notification_id() or 0
    began = time.perf_counter()
    workers = GroupProcesses(url, split_views(views, processes), batch or None, prefix=prefix)
    try:
        while min(projector.positions().values()) < head:
            if workers.exited():
                raise SystemExit(f"a group process exited: {workers.exited()}")
            time.sleep(0.05)
        seconds = time.perf_counter() - began
        pids = [process.pid for process in workers.processes]
        cpu = sum(_cpu_seconds(pid) for pid in pids if pid)
        peak = max(proc_status(pid).get("VmHWM", 0) for pid in pids if pid)
    finally:
        workers.stop()
    drop(store, views)
    ledger.close()
    return {
        "views": [v.name for v in views],
        "groups": workers.groups,
        "events": head,
        "seconds": seconds,
        "rate": head / seconds,
        "cpu": cpu,
        "peak_rss": peak,
    }


def _cpu_seconds(pid: int) -> float:
    """User and system CPU of a running process, from /proc/PID/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


if __name__ == "__main__":
    main()
