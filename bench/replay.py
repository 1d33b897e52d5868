"""A full library replay, run as a subprocess so its peak RSS is its own.

    python -m bench.replay URL

Reads the whole log in notification order through the application (`select_notifications` +
`mapper.to_domain_event`) and applies every event to its aggregate, keeping a bounded cache
of aggregates (as the projector does), so memory should not grow with the log. Then, in the same
process, the baseline: a raw SELECT + json.loads of the same rows. Prints one JSON line.
"""

from __future__ import annotations

import json
import sys
import time
from collections import OrderedDict
from typing import Any

from bench.common import proc_status
from bench.raw import select_decode
from infra.ledger.application import open_ledger

CACHE = 20_000


def replay(url: str, batch: int = 1000) -> tuple[int, float, str]:
    ledger = open_ledger(url)
    aggregates: OrderedDict[Any, Any] = OrderedDict()
    count, start = 0, 0
    began = time.perf_counter()
    while notes := ledger.recorder.select_notifications(
        start=start, limit=batch, inclusive_of_start=False
    ):
        for note in notes:
            event: Any = ledger.mapper.to_domain_event(note)
            state = aggregates.pop(event.originator_id, None)
            if state is None and event.originator_version > 1:
                state = ledger.repository.get(
                    event.originator_id, version=event.originator_version - 1
                )
            aggregates[event.originator_id] = event.mutate(state)
            if len(aggregates) > CACHE:
                aggregates.popitem(last=False)
        count += len(notes)
        start = notes[-1].id
    seconds = time.perf_counter() - began
    table: str = ledger.recorder.events_table_name  # type: ignore[attr-defined]
    ledger.close()
    return count, seconds, table


def main() -> None:
    url = sys.argv[1]
    count, seconds, table = replay(url)
    peak = proc_status().get("VmHWM", 0)
    raw_count, raw_seconds = select_decode(url, table)
    print(
        json.dumps(
            {
                "events": count,
                "seconds": seconds,
                "rate": count / seconds,
                "peak_rss": peak,
                "raw_events": raw_count,
                "raw_seconds": raw_seconds,
                "raw_rate": raw_count / raw_seconds,
            }
        )
    )


if __name__ == "__main__":
    main()
