"""The relationships view: directed actor -> actor edges per relation, with the claims behind them.

Each claim with an object contributes one edge row; a change to anything the edge depends on
closes the row (`valid_to`) and opens a new one, so the view can be read as of any past time.

Stance of a pair: every active claim weighs w = verdict weight x (0.5 if a dispute is open),
verdict weights true 1.0, mostly_true 0.8, unreviewed 0.6, mixed/unverifiable/opinion 0.5,
misleading 0.3, mostly_false 0.2, satire 0. Verbal cooperation (quad class 1) adds w to
`cooperation`, material cooperation (2) adds 2w; verbal conflict (3) adds w to `conflict`,
material conflict (4) 2w. `score` = (cooperation - conflict) / (cooperation + conflict), in
[-1, 1], 0 when there is nothing active. Retracted claims and claims reviewed `false` are not
active and weigh nothing. A negated claim ("no commitment to military involvement") asserts that
a relation does not hold and forms no edge.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from domain.claims import Claim
from domain.values import PartialDate
from domain.vocabulary import Verdict
from infra.projections.claims_view import occurred_sort
from infra.projections.projector import Change
from infra.projections.store import Cursor
from infra.projections.timeline_view import sortable_time
from infra.store.event_types import date_text, uuid_text

# Indexes only queries use (the view reads by its primary key): a rebuild creates them last.
QUERY_INDEXES = [
    "CREATE INDEX IF NOT EXISTS {!rm_edges_source} ON {rm_edges} (source, target, valid_from)",
    "CREATE INDEX IF NOT EXISTS {!rm_edges_target} ON {rm_edges} (target, source, valid_from)",
]
TABLES = [
    "CREATE TABLE IF NOT EXISTS {rm_edges} (claim_id TEXT NOT NULL, valid_from_pos BIGINT NOT NULL,"
    " source TEXT NOT NULL, target TEXT NOT NULL, slug TEXT NOT NULL, cameo TEXT NOT NULL,"
    " quad_class INTEGER NOT NULL, verdict TEXT, disputed INTEGER NOT NULL,"
    " active INTEGER NOT NULL, occurred_on TEXT, occurred_sort TEXT,"
    " claim_recorded_at TEXT NOT NULL,"
    " valid_from TEXT NOT NULL, valid_to TEXT, PRIMARY KEY (claim_id, valid_from_pos))",
    *QUERY_INDEXES,
]
WEIGHTS = {
    None: 0.6,
    "true": 1.0,
    "mostly_true": 0.8,
    "mixed": 0.5,
    "unverifiable": 0.5,
    "opinion": 0.5,
    "misleading": 0.3,
    "mostly_false": 0.2,
    "satire": 0.0,
    "false": 0.0,
}
EDGE = (
    "source",
    "target",
    "slug",
    "cameo",
    "quad_class",
    "verdict",
    "disputed",
    "active",
    "occurred_on",
)
STANCE_DOC = __doc__.split("\n\n", 2)[2] if __doc__ else ""


def _edge(claim: Claim) -> tuple[Any, ...] | None:
    """The claim's edge as values in `EDGE` order (a tuple: compared at every step)."""
    if claim.object is None or claim.negated:
        return None
    review = claim.verdict if claim.reviews else None  # no reviews: no verdict, no scan
    verdict = review.verdict._value_ if review else None
    relation, occurred = claim.relation, claim.occurred_on
    return (
        claim.subject.id,
        claim.object.id,
        relation.slug,
        relation.cameo,
        relation.quad_class,
        verdict,
        int(bool(claim.disputes and claim.open_disputes)),
        int(claim.retraction_reason is None and verdict != _FALSE),
        date_text(occurred)
        if type(occurred) is PartialDate
        else str(occurred)
        if occurred
        else None,
    )


_FALSE = Verdict.FALSE.value


class RelationshipsView:
    name = "relationships"
    tables = TABLES
    query_indexes = QUERY_INDEXES
    consumes = (Claim.Event,)  # the events it reads; the projector decodes no other

    def apply(self, cursor: Cursor, change: Change) -> None:
        """Remember the claim's edge after this event; rows are written once per batch. Times
        and sort keys are made in `flush`, only for the steps that close or open a row (most
        events leave the edge as it is)."""
        claim = change.state
        if not isinstance(claim, Claim):
            return
        batch = cursor.deferred(self.name, dict, self.flush)
        found = batch.get(claim.id)
        if found is None:
            found = batch[claim.id] = (claim.version == 1, claim, [])
        found[2].append((change.position, _edge(claim), change.event.timestamp, claim.occurred_on))

    def flush(self, cursor: Cursor, batch: dict[Any, tuple[bool, Claim, list[Any]]]) -> None:
        """Close and open edge rows: the open row of each claim recorded before the batch is
        read in one query; a row opened and closed within the batch is written closed."""
        known = [uuid_text(claim_id) for claim_id, (new, _, _) in batch.items() if not new]
        rows = cursor.select_in(
            "SELECT * FROM {rm_edges} WHERE valid_to IS NULL AND claim_id IN (?...)", known
        )
        current = {r["claim_id"]: tuple(r[k] for k in EDGE) for r in rows}
        closes: list[tuple[str, str]] = []
        opens: list[list[Any]] = []
        for key, (_, claim, steps) in batch.items():
            claim_id = uuid_text(key)
            open_edge = current.get(claim_id)
            opened: int | None = None  # the index in `opens` of a row opened in this batch
            for position, edge, recorded_at, occurred in steps:
                if open_edge == edge:  # unchanged (or no edge before and after)
                    continue
                now = sortable_time(recorded_at)
                if open_edge is not None:
                    if opened is None:
                        closes.append((now, claim_id))
                    else:
                        opens[opened][-1] = now
                    open_edge, opened = None, None
                if edge is not None:
                    recorded = sortable_time(claim.created_on)  # the same in every step
                    opens.append(
                        [claim_id, position, *edge, occurred_sort(occurred), recorded, now, None]
                    )
                    open_edge, opened = edge, len(opens) - 1
        _close(cursor, closes)
        cursor.insert(
            "rm_edges",
            (
                "claim_id",
                "valid_from_pos",
                *EDGE,
                "occurred_sort",
                "claim_recorded_at",
                "valid_from",
                "valid_to",
            ),
            opens,
        )


def _close(cursor: Cursor, closes: list[tuple[str, str]]) -> None:
    """Close the open rows of these claims (each claim once) at these times: one statement on
    PostgreSQL (an UPDATE per row, even pipelined, cost Python work per row)."""
    if not closes or not cursor.store.postgres:
        cursor.executemany(
            "UPDATE {rm_edges} SET valid_to = ? WHERE claim_id = ? AND valid_to IS NULL", closes
        )
        return
    cursor.execute(
        "UPDATE {rm_edges} e SET valid_to = c.valid_to"
        " FROM unnest(?[]::text[], ?[]::text[]) AS c(valid_to, claim_id)"
        " WHERE e.claim_id = c.claim_id AND e.valid_to IS NULL",
        ([now for now, _ in closes], [claim_id for _, claim_id in closes]),
    )


def edge_rows(cursor: Cursor, actor: str, other: str | None, as_of: datetime | None) -> list[Any]:
    """Edge rows touching `actor` (and `other`, both directions), current or as of a time."""
    if as_of is None:
        when, params = "valid_to IS NULL", []
    else:
        moment = sortable_time(as_of)
        when, params = "valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)", [moment, moment]
    if other is None:
        pairs = "(source = ? OR target = ?)"
        keys = [actor, actor]
    else:
        pairs = "((source = ? AND target = ?) OR (source = ? AND target = ?))"
        keys = [actor, other, other, actor]
    return cursor.execute(
        f"SELECT * FROM {{rm_edges}} WHERE {pairs} AND {when}",  # noqa: S608 - fixed fragments
        (*keys, *params),
    ).fetchall()


def edges(rows: list[Any]) -> list[dict[str, Any]]:
    """Rows grouped into directed edges per relation."""
    grouped: dict[tuple[str, str, str], list[Any]] = defaultdict(list)
    for row in rows:
        grouped[(row["source"], row["target"], row["slug"])].append(row)
    out = []
    for (source, target, slug), group in sorted(grouped.items()):
        verdicts: dict[str, int] = defaultdict(int)
        for row in group:
            verdicts[row["verdict"] or "unreviewed"] += 1
        occurred = sorted(r["occurred_on"] for r in group if r["occurred_on"])
        recorded = sorted(r["claim_recorded_at"] for r in group)
        out.append(
            {
                "source": source,
                "target": target,
                "relation": {
                    "slug": slug,
                    "cameo": group[0]["cameo"],
                    "quad_class": group[0]["quad_class"],
                },
                "claims": len(group),
                "active_claims": sum(r["active"] for r in group),
                "verdicts": dict(sorted(verdicts.items())),
                "first_occurred_on": occurred[0] if occurred else None,
                "last_occurred_on": occurred[-1] if occurred else None,
                "first_recorded_at": recorded[0],
                "last_recorded_at": recorded[-1],
                "claim_ids": sorted(r["claim_id"] for r in group),
            }
        )
    return out


def stance(rows: list[Any]) -> dict[str, float]:
    cooperation = conflict = 0.0
    for row in rows:
        if not row["active"]:
            continue
        weight = WEIGHTS.get(row["verdict"], 0.5) * (0.5 if row["disputed"] else 1.0)
        quad = int(row["quad_class"])
        if quad in (1, 2):
            cooperation += weight * quad
        else:
            conflict += weight * (quad - 2)
    total = cooperation + conflict
    score = (cooperation - conflict) / total if total else 0.0
    return {
        "score": round(score, 4),
        "cooperation": round(cooperation, 4),
        "conflict": round(conflict, 4),
    }
