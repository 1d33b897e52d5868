"""The claimtrail Application: every use case, composed from one module per aggregate."""

from __future__ import annotations

from infra.claimreview_import import ImportCommands
from infra.database import DEFAULT_URL, environment
from infra.integrity import guard
from infra.principals import PrincipalCommands


class Ledger(ImportCommands, PrincipalCommands):
    """Commands (load -> act -> save) and queries over the event store."""

    # eventsourcing names every Application subclass after its class unless the class itself
    # sets a name: this one names the tables (PostgreSQL `claimtrail_events`) and the log.
    name = "claimtrail"


def open_ledger(database_url: str = DEFAULT_URL) -> Ledger:
    """A ledger on the database the url names (tables are created if missing)."""
    ledger = Ledger(env=environment(database_url))
    guard.prepare(ledger.recorder)  # append-only events on PostgreSQL; the checkpoints table
    return ledger
