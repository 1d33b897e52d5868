"""The claimtrail Application: the event store core and one object of use cases per aggregate.

A route finds its use case by the aggregate it acts on: `ledger.claims.dispute(...)`,
`ledger.sources.register(...)`, `ledger.actors.resolve(...)`, `ledger.principals.revoke_key(...)`,
`ledger.organizations.add_member(...)`.
"""

from __future__ import annotations

from domain.claims import Claim
from infra.integrity import guard
from infra.ledger.actors import Actors
from infra.ledger.claims import Claims, planned
from infra.ledger.context import Outcome, Planned
from infra.ledger.core import LedgerCore
from infra.ledger.organizations import Organizations
from infra.ledger.principals import Principals
from infra.ledger.sources import Sources
from infra.store.database import DEFAULT_URL, cap_reconnect_backoff, environment, setup_lock
from infra.webhooks.endpoints import Webhooks


class Ledger(LedgerCore):
    """Commands (load -> act -> save) and queries over the event store."""

    # eventsourcing names every Application subclass after its class unless the class itself
    # sets a name: this one names the tables (PostgreSQL `claimtrail_events`) and the log.
    name = "claimtrail"

    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self.sources = Sources(self)
        self.actors = Actors(self)
        self.principals = Principals(self)
        self.webhooks = Webhooks(self)
        self.organizations = Organizations(self, self.principals)
        self.claims: Claims[Outcome[Claim]] = Claims(
            self, self.actors, self.sources, self.run, self.organizations
        )
        # The same commands, handed back unrun, for async endpoints (`await run_async(...)`).
        self.claim_plans: Claims[Planned[Claim]] = Claims(
            self, self.actors, self.sources, planned, self.organizations
        )

    def close(self) -> None:
        """Stop following the log for revocations (a thread), then close the store."""
        self.principals.forget_principals()
        super().close()


def open_ledger(database_url: str = DEFAULT_URL) -> Ledger:
    """A ledger on the database the url names (tables are created if missing)."""
    with setup_lock(database_url):
        ledger = Ledger(env=environment(database_url))
        cap_reconnect_backoff(ledger.recorder)
        guard.prepare(ledger.recorder)  # append-only events on PostgreSQL; the checkpoints table
    return ledger
