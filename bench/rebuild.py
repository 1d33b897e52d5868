"""`claimtrail replay`'s rebuild of every view into fresh tables, run as a subprocess so its
figures are its own.

    python -m bench.rebuild URL [--alone]

As the CLI does on PostgreSQL: the views in groups, one process per core (`--alone`: every view
in this process, as on SQLite). Prints one JSON line: events, seconds, events/s, and with
`--alone` the CPU seconds of this process (the group processes are the forkserver's children,
whose CPU time this process cannot see).
"""

from __future__ import annotations

import argparse
import json
import os
import time

from infra.ledger.application import open_ledger
from infra.projections.read_model import all_views
from infra.projections.rebuild import drop, rebuild


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--alone", action="store_true", help="every view in this process")
    args = parser.parse_args()
    ledger = open_ledger(args.url)
    views = all_views()
    head = ledger.recorder.max_notification_id() or 0
    began, cpu = time.perf_counter(), time.process_time()
    store = rebuild(
        ledger, views, prefix="bench_rb_", database_url=None if args.alone else args.url
    )
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    drop(store, views)
    ledger.close()
    print(
        json.dumps(
            {
                "events": head,
                "seconds": seconds,
                "rate": head / seconds,
                "cpu": cpu if args.alone else None,
                "load": os.getloadavg()[0],
            }
        )
    )


if __name__ == "__main__":
    main()
