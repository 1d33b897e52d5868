"""The Principal aggregate: a fact-checker or service account, its role and its API keys.

Only a key's SHA-256 is stored; issuing and revoking keys are events like any other.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain.base import LedgerAggregate
from domain.errors import ConflictError, KeyNotFoundError
from domain.values import Meta, Role


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ApiKey:
    key_id: UUID
    key_hash: str
    issued_at: datetime
    revoked_at: datetime | None = None


class Principal(LedgerAggregate):
    """Someone (or some service) that acts on the ledger."""

    class Registered(LedgerAggregate.Created):
        name: str
        role: Role
        display_name: str | None = None  # shown to readers; the name when not given

        def apply(self, principal: Any) -> None:
            principal.name, principal.role, principal.keys = self.name, self.role, []
            principal.display_name = self.display_name or self.name
            principal.organizations = []

    class DisplayNameChanged(LedgerAggregate.Event):
        display_name: str

        def apply(self, principal: Any) -> None:
            principal.display_name = self.display_name

    class KeyIssued(LedgerAggregate.Event):
        key_id: UUID
        key_hash: str

        def apply(self, principal: Any) -> None:
            principal.keys.append(ApiKey(self.key_id, self.key_hash, self.timestamp))

    class KeyRevoked(LedgerAggregate.Event):
        key_id: UUID

        def apply(self, principal: Any) -> None:
            principal.keys = [
                replace(k, revoked_at=self.timestamp) if k.key_id == self.key_id else k
                for k in principal.keys
            ]

    class JoinedOrganization(LedgerAggregate.Event):
        """The principal's side of a membership (its role is the organization's to keep), so a
        principal says which organizations it acts for without a search of them all."""

        organization_id: UUID

        def apply(self, principal: Any) -> None:
            principal.organizations = [*principal.organizations, self.organization_id]

    class LeftOrganization(LedgerAggregate.Event):
        organization_id: UUID

        def apply(self, principal: Any) -> None:
            principal.organizations = [
                o for o in principal.organizations if o != self.organization_id
            ]

    if TYPE_CHECKING:
        name: str
        role: Role
        display_name: str
        keys: list[ApiKey]
        organizations: list[UUID]  # in the order joined

    @classmethod
    def register(
        cls,
        principal_id: UUID,
        *,
        name: str,
        role: Role,
        meta: Meta,
        display_name: str | None = None,
    ) -> Principal:
        given = {"display_name": display_name} if display_name else {}
        return cls._create(
            cls.Registered, id=principal_id, name=name, role=role, meta=meta, **given
        )

    def set_display_name(self, display_name: str, *, meta: Meta) -> None:
        if display_name == self.display_name:
            raise ConflictError("the principal already has this display name")
        self.trigger_event(self.DisplayNameChanged, display_name=display_name, meta=meta)

    def join_organization(self, organization_id: UUID, *, meta: Meta) -> None:
        if organization_id in self.organizations:
            raise ConflictError("the principal is already a member of this organization")
        self.trigger_event(self.JoinedOrganization, organization_id=organization_id, meta=meta)

    def leave_organization(self, organization_id: UUID, *, meta: Meta) -> None:
        if organization_id not in self.organizations:
            raise ConflictError("the principal is not a member of this organization")
        self.trigger_event(self.LeftOrganization, organization_id=organization_id, meta=meta)

    def issue_key(self, key_id: UUID, token: str, *, meta: Meta) -> None:
        self.trigger_event(self.KeyIssued, key_id=key_id, key_hash=hash_token(token), meta=meta)

    def find_key(self, key_id: UUID) -> ApiKey:
        for key in self.keys:
            if key.key_id == key_id:
                return key
        raise KeyNotFoundError(f"principal has no key {key_id}")

    def revoke_key(self, key_id: UUID, *, meta: Meta) -> None:
        if self.find_key(key_id).revoked_at is not None:
            raise ConflictError("the key is already revoked")
        self.trigger_event(self.KeyRevoked, key_id=key_id, meta=meta)

    def accepts(self, key_id: UUID, token: str) -> bool:
        """Whether `token` is this principal's live key `key_id` (constant-time comparison)."""
        digest = hash_token(token)
        match = False
        for key in self.keys:
            same = hmac.compare_digest(key.key_hash, digest)
            match |= same and key.key_id == key_id and key.revoked_at is None
        return match
