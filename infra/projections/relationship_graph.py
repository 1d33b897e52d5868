"""Reads over the relationships view for the web UI: every pair at once (the graph) and one
pair's stance over time (by recorded time, each moment the ledger's knowledge changed, and by
the date the claims are about)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from infra.projections.relationships_view import WEIGHTS, stance
from infra.projections.store import Cursor
from infra.projections.timeline_view import sortable_time


def _when(as_of: datetime | None) -> tuple[str, list[str]]:
    if as_of is None:
        return "valid_to IS NULL", []
    moment = sortable_time(as_of)
    return "valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)", [moment, moment]


GRAPH_KEY = "source, target, slug, cameo, quad_class"
GRAPH_COLUMNS = f"{GRAPH_KEY}, COUNT(*) AS claims, SUM(active) AS active_claims"


def graph_edges(cursor: Cursor, as_of: datetime | None) -> list[dict[str, Any]]:
    """One row per (source, target, relation) over every pair, counted by the database."""
    when, params = _when(as_of)
    rows = cursor.execute(
        f"SELECT {GRAPH_COLUMNS} FROM {{rm_edges}} WHERE {when} GROUP BY {GRAPH_KEY}"  # noqa: S608
        f" ORDER BY {GRAPH_KEY}",
        params,
    ).fetchall()
    return [
        {
            "source": r["source"],
            "target": r["target"],
            "relation": {"slug": r["slug"], "cameo": r["cameo"], "quad_class": r["quad_class"]},
            "claims": int(r["claims"]),
            "active_claims": int(r["active_claims"] or 0),
        }
        for r in rows
    ]


def top_actors(edges: list[dict[str, Any]], limit: int) -> list[tuple[str, int]]:
    """The `limit` actors with the most active claims on their edges (ties by id)."""
    weight: dict[str, int] = defaultdict(int)
    for edge in edges:
        for end in (edge["source"], edge["target"]):
            weight[end] += edge["active_claims"]
    ranked = sorted(weight.items(), key=lambda item: (-item[1], item[0]))
    return ranked[:limit]


def pair_rows(cursor: Cursor, a: str, b: str) -> list[Any]:
    """Every edge row of the pair, both directions, whatever its validity."""
    return cursor.execute(
        "SELECT * FROM {rm_edges} WHERE (source = ? AND target = ?) OR (source = ? AND target = ?)"
        " ORDER BY valid_from, claim_id",
        (a, b, b, a),
    ).fetchall()


def _valid(row: Any, moment: str | None) -> bool:
    if moment is None:
        return row["valid_to"] is None
    return bool(
        row["valid_from"] <= moment and (row["valid_to"] is None or row["valid_to"] > moment)
    )


def _weight(row: Any) -> tuple[float, float]:
    """(cooperation, conflict) this row adds to the stance (see relationships_view)."""
    if not row["active"]:
        return 0.0, 0.0
    weight = WEIGHTS.get(row["verdict"], 0.5) * (0.5 if row["disputed"] else 1.0)
    quad = int(row["quad_class"])
    return (weight * quad, 0.0) if quad in (1, 2) else (0.0, weight * (quad - 2))


def _score(cooperation: float, conflict: float, claims: int) -> dict[str, Any]:
    total = cooperation + conflict
    return {
        "score": round((cooperation - conflict) / total, 4) if total > 1e-12 else 0.0,
        "cooperation": round(cooperation, 4),
        "conflict": round(conflict, 4),
        "claims": claims,
    }


def by_recorded(rows: list[Any], as_of: datetime | None) -> list[dict[str, Any]]:
    """The stance after each moment a row opened or closed, up to `as_of`: a sweep that adds
    and removes each row's weight (linear in the rows)."""
    until = sortable_time(as_of) if as_of is not None else None
    changes: dict[str, list[tuple[int, Any]]] = defaultdict(list)
    for row in rows:
        changes[row["valid_from"]].append((1, row))
        if row["valid_to"] is not None:
            changes[row["valid_to"]].append((-1, row))
    cooperation = conflict = 0.0
    claims = 0
    points = []
    for moment in sorted(changes):
        if until is not None and moment > until:
            break
        for sign, row in changes[moment]:
            more, less = _weight(row)
            cooperation += sign * more
            conflict += sign * less
            claims += sign * int(row["active"])
        points.append({"at": moment, **_score(max(cooperation, 0), max(conflict, 0), claims)})
    return points


def by_occurred(rows: list[Any], as_of: datetime | None) -> list[dict[str, Any]]:
    """The rows valid at `as_of` (or now) grouped by the date their claims are about, oldest
    first, undated last: each period's own stance and the running stance up to it."""
    moment = sortable_time(as_of) if as_of is not None else None
    periods: dict[str | None, list[Any]] = defaultdict(list)
    for row in rows:
        if _valid(row, moment):
            periods[row["occurred_on"]].append(row)
    order = sorted(periods, key=lambda p: (p is None, periods[p][0]["occurred_sort"] or ""))
    running: list[Any] = []
    points = []
    for period in order:
        group = periods[period]
        running += group
        points.append(
            {
                "on": period,
                "period": {**stance(group), "claims": sum(int(r["active"]) for r in group)},
                "running": {**stance(running), "claims": sum(int(r["active"]) for r in running)},
                "claim_ids": sorted(r["claim_id"] for r in group),
            }
        )
    return points
