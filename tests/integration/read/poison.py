"""Planting an event behind the application's back: a stored event inserted straight into the
events table, which no command would have accepted (what a bug, an old version or someone
editing the log could leave there)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.postgres import PostgresApplicationRecorder

from domain.values import Meta, Role
from domain.vocabulary import Verdict
from infra.ledger.application import Ledger


def nested(levels: int) -> Any:
    value: Any = []
    for _ in range(levels - 1):
        value = [value]
    return value


def plant_review(ledger: Ledger, claim_id: UUID, original: Any) -> int:
    """Append a Reviewed event carrying `original` to the claim; its log position."""
    claim = ledger.claims.get(claim_id)
    claim.review(
        uuid4(),
        verdict=Verdict.FALSE,
        label="False",
        explanation="planted behind the application's back",
        url=None,
        rating=None,
        role=Role.REVIEWER,
        meta=Meta(uuid4(), "planted"),
        original=original,
    )
    [event] = claim.collect_events()
    return insert_stored(ledger, ledger.mapper.to_stored_event(event))


def plant_alias(ledger: Ledger, actor_id: UUID) -> int:
    """Append an AliasAdded event whose alias is a lone surrogate (JSON reads it, no view can
    write it) to the actor; its log position."""
    actor = ledger.repository.get(actor_id)
    actor.add_alias("PLANTED-ALIAS", meta=Meta(uuid4(), "planted"))
    [event] = actor.collect_events()
    stored = ledger.mapper.to_stored_event(event)
    state = stored.state.replace(b"PLANTED-ALIAS", b"\\ud800")
    return insert_stored(ledger, replace(stored, state=state))


def insert_stored(ledger: Ledger, stored: Any) -> int:
    """Insert a stored event straight into the events table; its log position."""
    recorder: Any = ledger.recorder
    table = recorder.events_table_name
    with recorder.datastore.transaction(commit=True) as cursor:
        if isinstance(recorder, PostgresApplicationRecorder):
            cursor.execute(
                f'INSERT INTO "{recorder.datastore.schema}"."{table}"'
                " (originator_id, originator_version, topic, state) VALUES (%s, %s, %s, %s)",
                (stored.originator_id, stored.originator_version, stored.topic, stored.state),
            )
        else:
            cursor.execute(
                f"INSERT INTO {table} VALUES (?, ?, ?, ?)",
                (stored.originator_id.hex, stored.originator_version, stored.topic, stored.state),
            )
    position: int = recorder.max_notification_id()
    return position


def replace_state(ledger: Ledger, position: int, original: Any) -> None:
    """Edit the planted event in place (the only repair of such a log): a shallow original."""
    recorder: Any = ledger.recorder
    [note] = recorder.select_notifications(position, 1)
    event = ledger.mapper.to_domain_event(note)
    object.__setattr__(event, "original", original)
    state = ledger.mapper.to_stored_event(event).state
    table = recorder.events_table_name
    with recorder.datastore.transaction(commit=True) as cursor:
        if isinstance(recorder, PostgresApplicationRecorder):
            # As a superuser, past the triggers that keep the log append-only.
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute(
                f'UPDATE "{recorder.datastore.schema}"."{table}" SET state = %s'
                " WHERE notification_id = %s",
                (state, position),
            )
        else:
            cursor.execute(f"UPDATE {table} SET state = ? WHERE rowid = ?", (state, position))
