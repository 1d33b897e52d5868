"""Organization use cases: create organizations, add, re-role and remove members, and the rule
of acting for an organization (`check_may_act_as`), which reviews (and publishing) obey.

A membership is written twice in one transaction: the organization keeps the member and its
role (the authority), the principal keeps the organization's id (so a request knows which
organizations its principal acts for without searching them all).
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import suppress
from uuid import UUID

from eventsourcing.utils import get_topic

from domain.base import LedgerAggregate
from domain.errors import DuplicateError, NotPermittedError
from domain.organizations import Organization, choose_organization
from domain.principals import Principal
from domain.reservations import Reservation, reservation_id
from domain.values import Role
from infra.ledger.context import Context, Outcome
from infra.ledger.core import LedgerCore
from infra.ledger.errors import AggregateMissingError, ReferenceNotFoundError
from infra.ledger.principals import Principals
from infra.store.log_reader import originators_of

NAME = "organization-name"


def fold_name(name: str) -> str:
    """Names that differ only in case or spacing are the same organization's."""
    return " ".join(name.split()).casefold()


class Organizations:
    def __init__(self, core: LedgerCore, principals: Principals) -> None:
        self.core, self.principals = core, principals
        self._names: dict[UUID, str] = {}  # an organization's name never changes

    def create(self, ctx: Context, *, name: str) -> Outcome[Organization]:
        """A new organization; a name another organization has (in any case) is a 409."""
        organization_id = ctx.keyed_id("organization")
        folded = fold_name(name)

        def build() -> list[LedgerAggregate]:
            held = self.core.find(Reservation, reservation_id(NAME, folded))
            if held is not None:
                raise DuplicateError(
                    f"an organization named '{name}' exists", existing_id=str(held.holder_id)
                )
            organization = Organization.create(organization_id, name=name, meta=ctx.meta)
            reserved = Reservation.make(
                kind=NAME, value=folded, holder_id=organization_id, meta=ctx.meta
            )
            return [organization, reserved]

        return self.core.create(Organization, organization_id, ctx, build)

    def get(self, organization_id: UUID) -> Organization:
        organization = self.core.load(Organization, organization_id)
        self._names[organization_id] = organization.name  # (a review's answer names it)
        return organization

    def names(self, organization_ids: Iterable[UUID]) -> dict[UUID, str]:
        """The name of each organization that exists among these ids (remembered once read:
        no event renames an organization)."""
        names = {}
        for organization_id in set(organization_ids):
            name = self._names.get(organization_id)
            if name is None:
                with suppress(AggregateMissingError):
                    name = self.get(organization_id).name
            if name is not None:
                names[organization_id] = name
        return names

    def list(self) -> list[Organization]:
        topic = get_topic(Organization.Created)
        return [self.get(i) for i in originators_of(self.core.recorder, topic)]

    def add_member(
        self, ctx: Context, organization_id: UUID, principal_id: UUID, role: Role
    ) -> Outcome[Organization]:
        """Add a principal with its role here (admins: the ledger's or the organization's)."""

        def act(organization: Organization) -> list[LedgerAggregate]:
            organization.check_may_manage(ctx.principal_id, ctx.role)
            principal = self._principal(principal_id)
            organization.add_member(principal_id, role, meta=ctx.meta)
            principal.join_organization(organization_id, meta=ctx.meta)
            return [principal]

        return self._changed(principal_id, self.core.amend(Organization, organization_id, ctx, act))

    def change_role(
        self, ctx: Context, organization_id: UUID, principal_id: UUID, role: Role
    ) -> Outcome[Organization]:
        def act(organization: Organization) -> None:
            organization.check_may_manage(ctx.principal_id, ctx.role)
            organization.change_role(principal_id, role, meta=ctx.meta)

        return self.core.amend(Organization, organization_id, ctx, act)

    def remove_member(
        self, ctx: Context, organization_id: UUID, principal_id: UUID
    ) -> Outcome[Organization]:
        """End a membership (an event: the member stays in the organization's history)."""

        def act(organization: Organization) -> list[LedgerAggregate]:
            organization.check_may_manage(ctx.principal_id, ctx.role)
            organization.remove_member(principal_id, meta=ctx.meta)
            principal = self.principals.get(principal_id)
            principal.leave_organization(organization_id, meta=ctx.meta)
            return [principal]

        return self._changed(principal_id, self.core.amend(Organization, organization_id, ctx, act))

    def get_managed(self, organization_id: UUID, principal_id: UUID, role: Role) -> Organization:
        """The organization, if this principal (with this global role) manages its members:
        a 403 for anyone else, so members and their roles are not read by the public."""
        organization = self.get(organization_id)
        organization.check_may_manage(principal_id, role)
        return organization

    # -- the rule of acting for an organization ---------------------------------------------

    def check_may_act_as(
        self, ctx: Context, organization_id: UUID | None, role: Role = Role.REVIEWER
    ) -> None:
        """May the acting principal act with `role` for `organization_id`? For an organization:
        only as its member with a role there that includes `role` (its global role does not
        count); for none (None): by its global role, as before organizations existed.
        Raises NotPermittedError (a 403), or ReferenceNotFoundError (a 422) for an unknown
        organization."""
        if organization_id is None:
            if not ctx.role.includes(role):
                raise NotPermittedError(f"this needs the '{role.value}' role")
            return
        organization = self.core.find(Organization, organization_id)
        if organization is None:
            raise ReferenceNotFoundError(
                f"organization {organization_id} not found", field="organization_id"
            )
        organization.check_may_act_as(ctx.principal_id, role)

    def acting_for(
        self, ctx: Context, requested: UUID | None, role: Role = Role.REVIEWER
    ) -> UUID | None:
        """The organization the acting principal acts for (the one requested, else its only
        one, else none), once `check_may_act_as` admits it. For none, the command's own role
        gate has decided, as before organizations existed."""
        organization_id = choose_organization(ctx.organizations, requested)
        if organization_id is not None:
            self.check_may_act_as(ctx, organization_id, role)
        return organization_id

    def role_for(self, ctx: Context, organization_id: UUID | None) -> Role:
        """The acting principal's role for work authored by `organization_id`: its role there
        as a member (a non-member has none: 403), or its global role for work of no
        organization. Publishing and unpublishing a review are judged by this role."""
        if organization_id is None:
            return ctx.role
        organization = self.core.find(Organization, organization_id)
        if organization is None:
            raise ReferenceNotFoundError(
                f"organization {organization_id} not found", field="organization_id"
            )
        member = organization.members.get(ctx.principal_id)
        if member is None:
            raise NotPermittedError(
                f"you are not a member of the organization '{organization.name}'"
            )
        return member.role

    # -- helpers ----------------------------------------------------------------------------

    def _principal(self, principal_id: UUID) -> Principal:
        try:
            return self.principals.get(principal_id)
        except AggregateMissingError:
            raise ReferenceNotFoundError(
                f"principal {principal_id} not found", field="principal_id"
            ) from None

    def _changed(self, principal_id: UUID, outcome: Outcome[Organization]) -> Outcome[Organization]:
        """Forget the kept principal: this process sees its organizations at once (others
        within one poll of the log)."""
        if self.principals.cache is not None:
            self.principals.cache.forget(principal_id)
        return outcome
