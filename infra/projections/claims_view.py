"""The claims view: every claim's current JSON, filterable, in keyset order of recording."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from domain.claims import Claim
from domain.values import PartialDate
from infra.languages import primary
from infra.projections.claim_json import claim_body
from infra.projections.projector import Change
from infra.projections.store import Cursor
from infra.store.event_types import uuid_text

TABLES = [
    "CREATE TABLE IF NOT EXISTS {rm_claims} (id TEXT PRIMARY KEY, seq BIGINT NOT NULL UNIQUE,"
    " version INTEGER NOT NULL, status TEXT NOT NULL, verdict TEXT, kind TEXT NOT NULL,"
    " subject TEXT NOT NULL, object TEXT, claimant TEXT, relation TEXT NOT NULL,"
    " statement_folded TEXT NOT NULL, occurred_sort TEXT, recorded_at TEXT NOT NULL,"
    " updated_at TEXT NOT NULL, body TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS {rm_claim_keys} (claim_id TEXT NOT NULL, seq BIGINT NOT NULL,"
    " facet TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (facet, value, seq))",
    "CREATE INDEX IF NOT EXISTS {!rm_claim_keys_claim} ON {rm_claim_keys} (claim_id)",
]
# Columns filtered by equality, straight from the request.
COLUMNS = ("subject", "object", "claimant", "relation", "status", "verdict", "kind")
COLUMNS_ALL = (
    "id",
    "seq",
    "version",
    "status",
    "verdict",
    "kind",
    "subject",
    "object",
    "claimant",
    "relation",
    "statement_folded",
    "occurred_sort",
    "recorded_at",
    "updated_at",
    "body",
)
# Filters answered through rm_claim_keys: any-role actor, tag, source, language, and the
# editorial workflow (assignee, workflow state): keys, not columns, so the table keeps its shape.
FACETS = ("actor", "tag", "source_id", "lang", "assignee", "workflow")


def occurred_sort(value: object) -> str | None:
    """A partial date as a sortable string: '2014-05' -> '2014-05-00'."""
    if value is None:
        return None
    if type(value) is PartialDate:
        return f"{value.year:04d}-{value.month or 0:02d}-{value.day or 0:02d}"
    year, _, rest = str(value).partition("-")
    month, _, day = rest.partition("-")
    return f"{year}-{month or '00'}-{day or '00'}"


class ClaimsView:
    name = "claims"
    tables = TABLES
    consumes = (Claim.Event,)  # the events it reads; the projector decodes no other

    def apply(self, cursor: Cursor, change: Change) -> None:
        """Remember the claim; its row and keys are written once per batch, from its last state
        (`flush`)."""
        claim = change.state
        if not isinstance(claim, Claim):
            return
        batch = cursor.deferred(self.name, dict, self.flush)
        seen = batch.pop(claim.id, None)
        seq = change.position if claim.version == 1 else seen[1] if seen else None
        batch[claim.id] = (claim, seq)

    def flush(self, cursor: Cursor, batch: dict[Any, tuple[Claim, int | None]]) -> None:
        known = [uuid_text(claim.id) for claim, seq in batch.values() if seq is None]
        found = cursor.select_in("SELECT id, seq FROM {rm_claims} WHERE id IN (?...)", known)
        seqs = {r["id"]: int(r["seq"]) for r in found}
        held: dict[str, set[tuple[str, str]]] = {}  # the keys of claims recorded before
        for r in cursor.select_in(
            "SELECT claim_id, facet, value FROM {rm_claim_keys} WHERE claim_id IN (?...)", known
        ):
            held.setdefault(r["claim_id"], set()).add((r["facet"], r["value"]))
        rows: list[tuple[Any, ...]] = []
        fresh: list[tuple[Any, ...]] = []
        keys: list[tuple[str, int | None, str, str]] = []
        gone: list[tuple[str, str, int | None]] = []
        for claim, given in batch.values():
            claim_id = uuid_text(claim.id)
            seq = given if given is not None else seqs.get(claim_id)
            body = claim_body(claim, raw=True)  # (value objects left for orjson)
            (fresh if given is not None else rows).append(
                (
                    claim_id,
                    seq,
                    claim.version,
                    body["status"],
                    body["verdict"],
                    body["kind"],
                    claim.subject.id,
                    claim.object.id if claim.object else None,
                    claim.claimant.id if claim.claimant else None,
                    claim.relation.slug,
                    claim.statement.casefold(),
                    occurred_sort(claim.occurred_on),
                    body["recorded_at"],
                    body["updated_at"],
                    orjson.dumps(body).decode(),
                )
            )
            facets, before = _facets(claim, body), held.get(claim_id)
            if before is not None:  # none for a claim recorded in this batch
                gone += [(facet, value, seq) for facet, value in before - facets]
                facets -= before
            keys += [(claim_id, seq, facet, value) for facet, value in facets]
        # Claims recorded in this batch have no row yet: plain inserts. The others replace
        # their row: on PostgreSQL one DELETE and the same COPY (far cheaper than an upsert
        # per row), on SQLite an upsert.
        if cursor.store.postgres and rows:
            cursor.execute("DELETE FROM {rm_claims} WHERE id = ANY(?[])", ([r[0] for r in rows],))
            fresh, rows = fresh + rows, []
        cursor.insert("rm_claims", COLUMNS_ALL, fresh)
        cursor.executemany(
            "INSERT INTO {rm_claims} (id, seq, version, status, verdict, kind, subject, object,"
            " claimant, relation, statement_folded, occurred_sort, recorded_at, updated_at, body)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
            " version = excluded.version, status = excluded.status, verdict = excluded.verdict,"
            " object = excluded.object, relation = excluded.relation,"
            " statement_folded = excluded.statement_folded,"
            " occurred_sort = excluded.occurred_sort, updated_at = excluded.updated_at,"
            " body = excluded.body",
            rows,
        )
        _delete_keys(cursor, gone)
        # Only keys not held yet (a claim's facets are a set and its seq is its own).
        cursor.insert("rm_claim_keys", ("claim_id", "seq", "facet", "value"), keys)


def _delete_keys(cursor: Cursor, gone: list[tuple[str, str, int | None]]) -> None:
    """Delete keys (facet, value, seq) by the whole primary key: (facet, value) alone matches
    every claim of a common value (workflow 'unassigned'), which made each delete a scan that
    grew with the view. On PostgreSQL one statement for the batch (8,741 statements on the
    bench's 100k log, most claims' workflow changing once), on SQLite one per key."""
    if not gone:
        return
    if cursor.store.postgres:
        facets, values, seqs = zip(*gone, strict=True)
        cursor.execute(
            "DELETE FROM {rm_claim_keys} k"
            " USING unnest(?[]::text[], ?[]::text[], ?[]::bigint[]) AS g(facet, value, seq)"
            " WHERE k.facet = g.facet AND k.value = g.value AND k.seq = g.seq",
            (list(facets), list(values), list(seqs)),
        )
        return
    cursor.executemany(
        "DELETE FROM {rm_claim_keys} WHERE facet = ? AND value = ? AND seq = ?", gone
    )


def _facets(claim: Claim, body: dict[str, Any]) -> set[tuple[str, str]]:
    """The claim's keys; the workflow state and assignee as its body gives them."""
    facets = [("actor", claim.subject.id), ("workflow", body["workflow"])]
    for actor in (claim.object, claim.claimant, *claim.about):
        if actor is not None:
            facets.append(("actor", actor.id))
    for tag in claim.tags:
        facets.append(("tag", tag))
    for appearance in claim.appearances:
        facets.append(("source_id", uuid_text(appearance.source_id)))
    if claim.language:  # 'zh-Hans' is found by lang=zh-Hans and by lang=zh
        facets += [("lang", claim.language), ("lang", primary(claim.language))]
    if body["assignee"] is not None:
        facets.append(("assignee", body["assignee"]))
    return set(facets)


@dataclass(frozen=True)
class ClaimFilter:
    """Filters of GET /claims; None means 'any'."""

    values: dict[str, str]
    q: str | None = None
    occurred_from: str | None = None
    occurred_to: str | None = None
    relations: tuple[str, ...] = ()  # any of these relation slugs (those of a CAMEO code)


def list_claims(
    cursor: Cursor, where: ClaimFilter, after: int, limit: int
) -> tuple[list[Any], int | None]:
    """Claims after keyset position `after`, in recording order: (bodies, next keyset or None)."""
    clauses: list[str] = ["c.seq > ?"]
    params: list[Any] = [after]
    for column in COLUMNS:
        if column in where.values:
            clauses.append(f"c.{column} = ?")
            params.append(where.values[column])
    for facet in FACETS:
        if facet in where.values:
            clauses.append(
                "c.seq IN (SELECT seq FROM {rm_claim_keys} WHERE facet = ? AND value = ?)"
            )
            params += [facet, where.values[facet]]
    if where.relations:
        clauses.append(f"c.relation IN ({', '.join('?' for _ in where.relations)})")
        params += where.relations
    if where.q:
        clauses.append("c.statement_folded LIKE ? ESCAPE '\\'")
        params.append("%" + _escape_like(where.q.casefold()) + "%")
    if where.occurred_from:
        clauses.append("c.occurred_sort >= ?")
        params.append(occurred_sort(where.occurred_from))
    if where.occurred_to:
        clauses.append("c.occurred_sort <= ?")
        params.append(_upper(where.occurred_to))
    rows = cursor.execute(
        "SELECT c.seq, c.body FROM {rm_claims} c WHERE "  # noqa: S608 - fixed fragments, ? params
        + " AND ".join(clauses)
        + " ORDER BY c.seq LIMIT ?",
        (*params, limit + 1),
    ).fetchall()
    bodies = [orjson.loads(r["body"]) for r in rows[:limit]]
    more = len(rows) > limit
    return bodies, int(rows[limit - 1]["seq"]) if more else None


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _upper(value: str) -> str:
    """The last sortable day a partial date covers: '2022' -> '2022-99-99'."""
    year, _, rest = value.partition("-")
    month, _, day = rest.partition("-")
    return f"{year}-{month or '99'}-{day or '99'}"
