"""The timeline view: one entry per claim, source and actor event, on both time axes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import orjson

from domain.actors import Actor
from domain.claims import Claim
from domain.sources import Source
from infra.projections.claims_view import occurred_sort
from infra.projections.projector import Change
from infra.projections.store import Cursor
from infra.store.event_types import (
    date_text,
    event_type,
    plain,
    time_text,
    time_text_uncached,
    uuid_text,
)

# Indexes only queries use (the view never reads by them): a rebuild creates them at the end.
QUERY_INDEXES = [
    "CREATE INDEX IF NOT EXISTS {!rm_timeline_occurred} ON {rm_timeline} (occurred_sort, position)",
    "CREATE INDEX IF NOT EXISTS {!rm_timeline_claim} ON {rm_timeline} (claim_id, position)",
    "CREATE INDEX IF NOT EXISTS {!rm_timeline_source} ON {rm_timeline} (source_id, position)",
    "CREATE INDEX IF NOT EXISTS {!rm_timeline_recorded} ON {rm_timeline} (recorded_at)",
]
TABLES = [
    "CREATE TABLE IF NOT EXISTS {rm_timeline} (position BIGINT PRIMARY KEY,"
    " recorded_at TEXT NOT NULL, occurred_sort TEXT, type TEXT NOT NULL, claim_id TEXT,"
    " source_id TEXT, entry TEXT NOT NULL)",
    *QUERY_INDEXES,
    "CREATE TABLE IF NOT EXISTS {rm_timeline_actors} (actor TEXT NOT NULL,"
    " position BIGINT NOT NULL, PRIMARY KEY (actor, position))",
]
MAX_SUMMARY = 300


def sortable_time(moment: datetime) -> str:
    """A fixed-width UTC time that sorts as text."""
    if moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    if moment.year < 1000:  # strftime does not pad the year; isoformat (3x faster) does
        return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if moment.microsecond:  # the text of plain() (most times have microseconds), not remembered:
        return time_text_uncached(moment)  # the views rarely write the same event time twice
    return moment.isoformat(timespec="microseconds")[:26] + "Z"


_DETAILS: dict[str, Callable[[Any, Claim], str]] = {
    "Recorded": lambda event, claim: f'"{claim.statement}"',
    "AppearanceAdded": lambda event, claim: "appears in another source",
    "EvidenceAdded": lambda event, claim: (
        f"evidence ({plain(getattr(event, 'stance', ''))}): {getattr(event, 'note', '')}"
    ),
    "Disputed": lambda event, claim: f"disputed: {getattr(event, 'reason', '')}",
    "DisputeResolved": lambda event, claim: f"dispute {plain(getattr(event, 'outcome', ''))}",
    "Reviewed": lambda event, claim: (
        f"reviewed: {plain(getattr(event, 'verdict', ''))}"
        if getattr(event, "state", "published") == "published"
        else "review drafted"  # a draft's verdict counts nowhere, the timeline included
    ),
    "ReviewPublished": lambda event, claim: f"review published: {_review_verdict(event, claim)}",
    "ReviewUnpublished": lambda event, claim: f"review unpublished: {getattr(event, 'reason', '')}",
    "Assigned": lambda event, claim: "assigned to a reviewer",
    "Unassigned": lambda event, claim: "unassigned",
    "MarkedInProgress": lambda event, claim: "review in progress",
    "Corrected": lambda event, claim: f"corrected: {getattr(event, 'reason', '')}",
    "Retracted": lambda event, claim: f"retracted: {getattr(event, 'reason', '')}",
    "Linked": lambda event, claim: f"{plain(getattr(event, 'relation', ''))} another claim",
}


def _review_verdict(event: Any, claim: Claim) -> str:
    review_id = getattr(event, "review_id", None)
    found = [r.verdict.value for r in claim.reviews if r.review_id == review_id]
    return found[0] if found else ""


def _summary(event: Any, state: Any) -> str:
    name = type(event).__name__
    if isinstance(state, Claim):
        negation = "not " if state.negated else ""
        what = f"{state.subject.name} {negation}{state.relation.slug.replace('_', ' ')}"
        what += f" {state.object.name}" if state.object else ""
        describe = _DETAILS.get(name)
        detail = describe(event, state) if describe else name
        text = f"{what}: {detail}"
    elif isinstance(state, Source):
        text = f'source registered: "{state.title}"'
    elif isinstance(state, Actor):
        text = (
            f"actor registered: {state.name}"
            if name == "Registered"
            else f'{state.name} also known as "{getattr(event, "alias", "")}"'
        )
    else:
        text = name
    return text if len(text) <= MAX_SUMMARY else text[: MAX_SUMMARY - 1] + "…"


def _claim_source(event: Any, claim: Claim) -> str | None:
    # The event's fields by name: no claim event class has these as class attributes, and a
    # getattr that misses costs an exception (most events have none of the three).
    fields = vars(event)
    own = fields.get("appearance") or fields.get("quote")
    source = (None if own is None else getattr(own, "source_id", None)) or fields.get("source_id")
    source = source or claim.appearances[0].source_id
    return uuid_text(source) if type(source) is UUID else str(source)


def _occurred(date: Any) -> tuple[str | None, str | None]:
    """A claim's date as text and as `occurred_sort` writes it, the second made from the first
    ('2014-05' -> '2014-05-00'), so the date is formatted once."""
    text = None if date is None else date_text(date)
    return text, occurred_sort(text)


def _new_batch() -> tuple[list[Any], list[Any]]:
    return [], []


class TimelineView:
    name = "timeline"
    tables = TABLES
    query_indexes = QUERY_INDEXES  # a rebuild creates them once the table is filled
    consumes = (
        Claim.Event,
        Source.Event,
        Actor.Event,
    )  # the events it reads; the projector decodes no other

    def apply(self, cursor: Cursor, change: Change) -> None:
        state, event = change.state, change.event
        if state is None:
            return
        claim_id = source_id = occurred_on = occurred_key = None
        actors: list[str] = []
        if isinstance(state, Claim):
            claim_id, source_id = uuid_text(state.id), _claim_source(event, state)
            occurred_on, occurred_key = _occurred(state.occurred_on)
            actors = [state.subject.id]  # each actor once, in order of first mention
            for ref in (state.object, state.claimant, *state.about):
                if ref is not None and ref.id not in actors:
                    actors.append(ref.id)
        elif isinstance(state, Source):
            source_id = uuid_text(state.id)
        elif isinstance(state, Actor):
            actors = [state.slug]
        recorded = event.timestamp  # change.recorded_at, without the property's call
        sortable = sortable_time(recorded)
        entry = {
            "position": change.position,
            # The same text as plain() gives a UTC time with microseconds.
            "recorded_at": sortable
            if recorded.microsecond and recorded.tzinfo is UTC
            else time_text(recorded),
            "occurred_on": occurred_on,
            "type": event_type(event),
            "claim_id": claim_id,
            "source_id": source_id,
            "actors": actors,
            "summary": _summary(event, state),
            "by": uuid_text(event.meta.principal_id),
        }
        entries, actor_rows = cursor.deferred(self.name, _new_batch, self.flush)
        entries.append(
            (
                change.position,
                sortable,
                occurred_key,
                entry["type"],
                claim_id,
                source_id,
                orjson.dumps(entry).decode(),
            )
        )
        for actor in actors:
            actor_rows.append((actor, change.position))

    def flush(self, cursor: Cursor, rows: tuple[list[Any], list[Any]]) -> None:
        """The batch's entries, in two multi-row statements (COPY on PostgreSQL)."""
        entries, actors = rows
        cursor.insert(
            "rm_timeline",
            ("position", "recorded_at", "occurred_sort", "type", "claim_id", "source_id", "entry"),
            entries,
        )
        cursor.insert("rm_timeline_actors", ("actor", "position"), actors)


@dataclass(frozen=True)
class TimelineQuery:
    actor: str | None = None
    with_actor: str | None = None
    claim_id: str | None = None
    source_id: str | None = None
    type: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    axis: str = "recorded"
    descending: bool = False


def read_timeline(
    cursor: Cursor, query: TimelineQuery, after: tuple[str, int] | None, limit: int
) -> tuple[list[Any], tuple[str, int] | None]:
    """Entries after the keyset `after` ((occurred_sort, position); '' on the recorded axis)."""
    clauses: list[str] = []
    params: list[Any] = []
    for actor in (query.actor, query.with_actor):
        if actor is not None:
            clauses.append(
                "t.position IN (SELECT position FROM {rm_timeline_actors} WHERE actor = ?)"
            )
            params.append(actor)
    for column, value in (
        ("claim_id", query.claim_id),
        ("source_id", query.source_id),
        ("type", query.type),
    ):
        if value is not None:
            clauses.append(f"t.{column} = ?")
            params.append(value)
    if query.since is not None:
        clauses.append("t.recorded_at >= ?")
        params.append(sortable_time(query.since))
    if query.until is not None:
        clauses.append("t.recorded_at <= ?")
        params.append(sortable_time(query.until))
    op, direction = ("<", "DESC") if query.descending else (">", "ASC")
    if query.axis == "occurred":
        clauses.append("t.occurred_sort IS NOT NULL")
        if after is not None:
            clauses.append(f"(t.occurred_sort, t.position) {op} (?, ?)")
            params += list(after)
        order = f"t.occurred_sort {direction}, t.position {direction}"
    else:
        if after is not None:
            clauses.append(f"t.position {op} ?")
            params.append(after[1])
        order = f"t.position {direction}"
    where = " AND ".join(clauses) or "1 = 1"
    rows = cursor.execute(
        f"SELECT t.position, t.occurred_sort, t.entry FROM {{rm_timeline}} t WHERE {where}"  # noqa: S608 - fixed fragments
        f" ORDER BY {order} LIMIT ?",
        (*params, limit + 1),
    ).fetchall()
    entries = [orjson.loads(r["entry"]) for r in rows[:limit]]
    if len(rows) <= limit:
        return entries, None
    last = rows[limit - 1]
    return entries, (last["occurred_sort"] or "", int(last["position"]))
