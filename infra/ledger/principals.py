"""Principal use cases: create principals, issue and revoke API keys, authenticate tokens.

A token is `ct_<principal id>_<key id>_<secret>`; only its SHA-256 is stored. The ids in it let
authentication load exactly one principal; the secret is compared in constant time. A server
keeps the principals it authenticated (`keep_principals`), following the log's revocations.
"""

from __future__ import annotations

import re
import secrets
from contextlib import suppress
from dataclasses import dataclass
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic

from domain.base import LedgerAggregate
from domain.principals import Principal
from domain.values import Role
from infra.ledger.context import Context, Outcome
from infra.ledger.core import LedgerCore
from infra.ledger.errors import AggregateMissingError, AuthenticationError
from infra.ledger.principal_cache import PrincipalCache
from infra.store.log_reader import originators_of

TOKEN = re.compile(r"^ct_([0-9a-f]{32})_([0-9a-f]{32})_[A-Za-z0-9_-]{43}$")
BOOTSTRAP_ADMIN = uuid5(NAMESPACE_URL, "claimtrail:principal:bootstrap-admin")
SYSTEM = uuid5(NAMESPACE_URL, "claimtrail:principal:system")


def new_token(principal_id: UUID, key_id: UUID) -> str:
    return f"ct_{principal_id.hex}_{key_id.hex}_{secrets.token_urlsafe(32)}"


@dataclass(frozen=True)
class IssuedKey:
    outcome: Outcome[Principal]
    key_id: UUID
    token: str | None  # None when an idempotent retry replays the first response


class Principals:
    def __init__(self, core: LedgerCore) -> None:
        self.core = core
        self.cache: PrincipalCache | None = None

    def keep_principals(self, interval: float) -> None:
        """From now on authenticate from kept principals; a revocation written by any process
        is seen within `interval` seconds."""
        self.forget_principals()
        self.cache = PrincipalCache(self.core.recorder, interval)

    def forget_principals(self) -> None:
        """Stop keeping principals (and stop following the log for revocations)."""
        if self.cache is not None:
            self.cache.stop()
            self.cache = None

    def create(
        self, ctx: Context, *, name: str, role: Role, display_name: str | None = None
    ) -> IssuedKey:
        principal_id = ctx.keyed_id("principal")
        key_id = uuid4()
        token = new_token(principal_id, key_id)

        def build() -> list[LedgerAggregate]:
            principal = Principal.register(
                principal_id, name=name, role=role, meta=ctx.meta, display_name=display_name
            )
            principal.issue_key(key_id, token, meta=ctx.meta)
            return [principal]

        outcome = self.core.create(Principal, principal_id, ctx, build)
        if outcome.replayed:
            first = outcome.aggregate.keys[0] if outcome.aggregate.keys else None
            return IssuedKey(outcome, first.key_id if first else key_id, None)
        return IssuedKey(outcome, key_id, token)

    def issue_key(self, ctx: Context, principal_id: UUID) -> IssuedKey:
        key_id = uuid4()
        token = new_token(principal_id, key_id)
        outcome = self.core.amend(
            Principal, principal_id, ctx, lambda p: p.issue_key(key_id, token, meta=ctx.meta)
        )
        if outcome.replayed:
            return IssuedKey(outcome, outcome.event.key_id, None)  # type: ignore[attr-defined]
        return IssuedKey(outcome, key_id, token)

    def revoke_key(self, ctx: Context, principal_id: UUID, key_id: UUID) -> Outcome[Principal]:
        outcome = self.core.amend(
            Principal, principal_id, ctx, lambda p: p.revoke_key(key_id, meta=ctx.meta)
        )
        if self.cache is not None:  # refused here at once, elsewhere within one poll
            self.cache.forget(principal_id)
        return outcome

    def set_display_name(
        self, ctx: Context, principal_id: UUID, display_name: str
    ) -> Outcome[Principal]:
        return self.core.amend(
            Principal, principal_id, ctx, lambda p: p.set_display_name(display_name, meta=ctx.meta)
        )

    def get(self, principal_id: UUID) -> Principal:
        return self.core.load(Principal, principal_id)

    def display_names(self, principal_ids: set[UUID]) -> dict[UUID, str]:
        """The display name of each principal that exists among these ids."""
        names = {}
        for principal_id in principal_ids:
            with suppress(AggregateMissingError):
                names[principal_id] = self.get(principal_id).display_name
        return names

    def list(self) -> list[Principal]:
        topic = get_topic(Principal.Registered)
        return [self.get(i) for i in originators_of(self.core.recorder, topic)]

    def authenticate(self, token: str) -> Principal:
        """The principal whose live key this token is."""
        match = TOKEN.match(token)
        if match is None:
            raise AuthenticationError("the token is malformed")
        principal_id, key_id = UUID(match[1]), UUID(match[2])
        cache = self.cache
        try:
            if cache is None:
                principal = self.get(principal_id)
                accepted = principal.accepts(key_id, token)
            else:
                principal = cache.get(principal_id, lambda: self.get(principal_id))
                accepted = principal.accepts(key_id, token)
                if not accepted and all(k.key_id != key_id for k in principal.keys):
                    # A key issued since the principal was kept: read it again.
                    principal = cache.reload(principal_id, lambda: self.get(principal_id))
                    accepted = principal.accepts(key_id, token)
        except AggregateMissingError:
            raise AuthenticationError("the token is not valid") from None
        if not accepted:
            raise AuthenticationError("the token is not valid or has been revoked")
        return principal

    def bootstrap_admin(self) -> str | None:
        """On an empty ledger, create the first admin and return its token (once, ever)."""
        if self.core.exists(BOOTSTRAP_ADMIN):
            return None
        key_id = uuid4()
        token = new_token(BOOTSTRAP_ADMIN, key_id)
        meta = self.system_context().meta
        admin = Principal.register(BOOTSTRAP_ADMIN, name="admin", role=Role.ADMIN, meta=meta)
        admin.issue_key(key_id, token, meta=meta)
        try:
            self.core.save(admin)
        except IntegrityError:  # another process bootstrapped at the same moment
            return None
        return token

    def system_context(self, request_id: str = "cli") -> Context:
        """The context of the ledger's own system principal (CLI, seeding); no keys, ever."""
        if not self.core.exists(SYSTEM):
            meta_ctx = Context(SYSTEM, Role.ADMIN, request_id)
            with suppress(IntegrityError):  # another process made it at the same moment
                self.core.save(
                    Principal.register(SYSTEM, name="system", role=Role.ADMIN, meta=meta_ctx.meta)
                )
        return Context(SYSTEM, Role.ADMIN, request_id)
