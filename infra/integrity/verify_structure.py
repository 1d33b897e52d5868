"""The checks of `claimtrail verify` that no hash can make (infra/integrity/structure.py), on the
whole stored log: every aggregate's versions run 1, 2, 3... in log order, every topic is a known
event class, and every event the audit view has not logged yet decodes to its class (events it
logged were decoded when it logged them, and a leaf that still matches proves they are the same
bytes). Also the chain of signing keys the checkpoints are checked against.
"""

from __future__ import annotations

import bisect
from array import array
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from infra.integrity.report import Report
from infra.integrity.rotation import KeyChain, stored_rotations
from infra.integrity.structure import decoded, known_events, next_version_problem
from infra.projections.store import ViewStore

LIMIT = 100  # findings of each kind reported (the first is what to investigate)


def check_structure(ledger: Any, store: ViewStore, report: Report, logged: int) -> None:
    """Findings for versions out of sequence, unknown topics, and the events after position
    `logged` (the last the audit view has logged) that do not decode."""
    table, position = store.events_table, store.events_position
    with store.transaction(commit=False) as cursor:
        rows = cursor.execute(
            f"SELECT position, aggregate_id, version, previous FROM (SELECT {position} AS position,"  # noqa: S608
            " originator_id AS aggregate_id, originator_version AS version,"
            " LAG(originator_version) OVER (PARTITION BY originator_id"
            f" ORDER BY {position}) AS previous FROM {table}) AS sequence"
            " WHERE version <> COALESCE(previous, 0) + 1 ORDER BY position LIMIT ?",
            (LIMIT,),
        ).fetchall()
        topics = cursor.execute(
            f"SELECT topic, MIN({position}) AS position FROM {table} GROUP BY topic"  # noqa: S608
        ).fetchall()
    for row in rows:
        previous = 0 if row["previous"] is None else int(row["previous"])
        problem = next_version_problem(int(row["version"]), previous)
        report.add(
            int(row["position"]),
            f"the event at position {row['position']} ({row['aggregate_id']}) {problem}",
        )
    for row in topics:
        if row["topic"] not in known_events():
            report.add(
                int(row["position"]),
                f"the event at position {row['position']} is of an unknown event type"
                f" {row['topic']!r}",
            )
    _check_unlogged(ledger, report, logged)


def _check_unlogged(ledger: Any, report: Report, logged: int) -> None:
    start = logged
    while batch := ledger.recorder.select_notifications(
        start=start, limit=500, inclusive_of_start=False
    ):
        for record in batch:
            if record.topic not in known_events():
                continue  # named above, once per topic
            try:
                decoded(record.topic, record.state)
            except ValueError as exc:
                report.add(record.id, f"the event at position {record.id} {exc}")
        start = batch[-1].id


def key_chain(
    ledger: Any, held: Ed25519PublicKey, positions: array[int], report: Report
) -> KeyChain:
    """The log's chain of keys from `held`, each rotation at its leaf index; its problems
    reported."""
    rotations = []
    for rotation in stored_rotations(ledger):
        index = bisect.bisect_left(positions, rotation.position)
        if index < len(positions) and positions[index] == rotation.position:
            rotations.append((index, rotation))
    chain = KeyChain.follow(held, rotations)
    for position, reason in chain.problems:
        report.add(position, reason)
    return chain
