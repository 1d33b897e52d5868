"""The Organization aggregate: a newsroom whose members act on its behalf, each with a role in it.

A member's role in an organization is its authority when it acts for that organization (a
reviewer of one newsroom is nobody in another). Memberships end by an event; nothing is deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain.base import LedgerAggregate
from domain.errors import (
    ConflictError,
    DomainError,
    DuplicateError,
    NotFoundError,
    NotPermittedError,
)
from domain.values import Meta, Role


class MemberNotFoundError(NotFoundError):
    """Raised when a principal is not a current member of the organization."""

    code = "member-not-found"


class OrganizationChoiceError(DomainError):
    """Raised when a principal of several organizations does not say which one it acts for."""

    code = "organization-required"


@dataclass(frozen=True)
class Membership:
    principal_id: UUID
    role: Role
    added_by: UUID
    added_at: datetime


class Organization(LedgerAggregate):
    """A newsroom: a name and its members (current ones; former ones stay in its events)."""

    class Created(LedgerAggregate.Created):
        name: str

        def apply(self, organization: Any) -> None:
            organization.name, organization.members = self.name, {}

    class MemberAdded(LedgerAggregate.Event):
        principal_id: UUID
        role: Role

        def apply(self, organization: Any) -> None:
            organization.members[self.principal_id] = Membership(
                self.principal_id, self.role, self.meta.principal_id, self.timestamp
            )

    class MemberRoleChanged(LedgerAggregate.Event):
        principal_id: UUID
        role: Role

        def apply(self, organization: Any) -> None:
            member = organization.members[self.principal_id]
            organization.members[self.principal_id] = replace(member, role=self.role)

    class MemberRemoved(LedgerAggregate.Event):
        principal_id: UUID

        def apply(self, organization: Any) -> None:
            organization.members.pop(self.principal_id, None)

    if TYPE_CHECKING:
        name: str
        members: dict[UUID, Membership]

    @classmethod
    def create(cls, organization_id: UUID, *, name: str, meta: Meta) -> Organization:
        return cls._create(cls.Created, id=organization_id, name=name, meta=meta)

    def member(self, principal_id: UUID) -> Membership:
        found = self.members.get(principal_id)
        if found is None:
            raise MemberNotFoundError(f"principal {principal_id} is not a member of {self.name}")
        return found

    def add_member(self, principal_id: UUID, role: Role, *, meta: Meta) -> None:
        if principal_id in self.members:
            raise DuplicateError(
                f"principal {principal_id} is already a member of {self.name}",
                role=self.members[principal_id].role.value,
            )
        self.trigger_event(self.MemberAdded, principal_id=principal_id, role=role, meta=meta)

    def change_role(self, principal_id: UUID, role: Role, *, meta: Meta) -> None:
        if self.member(principal_id).role is role:
            raise ConflictError(f"the member already has the '{role.value}' role")
        self.trigger_event(self.MemberRoleChanged, principal_id=principal_id, role=role, meta=meta)

    def remove_member(self, principal_id: UUID, *, meta: Meta) -> None:
        self.member(principal_id)
        self.trigger_event(self.MemberRemoved, principal_id=principal_id, meta=meta)

    def check_may_act_as(self, principal_id: UUID, role: Role) -> None:
        """The rule of acting for an organization: its member, with a role there that includes
        `role`. A principal's global role does not count here."""
        member = self.members.get(principal_id)
        if member is None:
            raise NotPermittedError(f"you are not a member of the organization '{self.name}'")
        if not member.role.includes(role):
            raise NotPermittedError(
                f"this needs the '{role.value}' role in '{self.name}'; "
                f"yours there is '{member.role.value}'"
            )

    def check_may_manage(self, principal_id: UUID, global_role: Role) -> None:
        """Members are managed by admins: the ledger's, or the organization's own."""
        if global_role.includes(Role.ADMIN):
            return
        self.check_may_act_as(principal_id, Role.ADMIN)


def choose_organization(memberships: tuple[UUID, ...], requested: UUID | None) -> UUID | None:
    """The organization a principal acts for: the one it asks for, else its only one, else none
    (a principal of no organization acts for itself, as before organizations existed)."""
    if requested is not None:
        return requested
    if len(memberships) > 1:
        raise OrganizationChoiceError(
            "you belong to several organizations: say which one with 'organization_id'",
            organizations=[str(o) for o in memberships],
        )
    return memberships[0] if memberships else None
