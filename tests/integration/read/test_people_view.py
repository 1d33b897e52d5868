"""The people view: display names (and organizations) of principals, and nothing secret."""

from __future__ import annotations

from domain.values import Role
from infra.ledger.application import Ledger
from infra.projections.people_view import PeopleView
from infra.projections.read_model import ReadModel
from infra.projections.rebuild import digest, rebuild
from tests import factories


def test_the_view_gives_each_principal_its_latest_display_name_and_nothing_else(
    ledger: Ledger, read_model: ReadModel
) -> None:
    admin = factories.context(Role.ADMIN)
    ana = ledger.principals.create(admin, name="ana", role=Role.REVIEWER, display_name="Ана")
    bo = ledger.principals.create(admin, name="bo", role=Role.READER)
    ledger.principals.set_display_name(admin, ana.outcome.aggregate.id, "安娜")
    read_model.projector.catch_up()

    ids = [str(ana.outcome.aggregate.id), str(bo.outcome.aggregate.id)]
    found = read_model.people_by_id(ids)

    assert found == {
        ids[0]: {"id": ids[0], "display_name": "安娜", "organization": None},
        ids[1]: {"id": ids[1], "display_name": "bo", "organization": None},
    }
    items, next_key = read_model.people(0, 500)
    assert next_key is None and [p for p in items if p["id"] in ids] == [found[i] for i in ids]
    with read_model.store.transaction(commit=False) as cursor:
        rows = cursor.execute("SELECT * FROM {rm_people}").fetchall()
    text = repr([dict(r) for r in rows])
    assert ana.token is not None and bo.token is not None
    for key in ana.outcome.aggregate.keys + bo.outcome.aggregate.keys:
        assert key.key_hash not in text
    assert ana.token not in text and "reviewer" not in text


def test_pages_of_people_follow_the_order_of_creation(
    ledger: Ledger, read_model: ReadModel
) -> None:
    admin = factories.context(Role.ADMIN)
    made = [
        str(ledger.principals.create(admin, name=f"p{i}", role=Role.READER).outcome.aggregate.id)
        for i in range(5)
    ]
    read_model.projector.catch_up()

    first, key = read_model.people(0, 3)
    assert key is not None
    rest, end = read_model.people(key, 3)

    assert [p["id"] for p in first + rest] == made and end is None


def test_a_rebuild_of_the_people_view_equals_the_live_one(
    ledger: Ledger, read_model: ReadModel
) -> None:
    admin = factories.context(Role.ADMIN)
    ana = ledger.principals.create(admin, name="ana", role=Role.REVIEWER)
    read_model.projector.catch_up()
    ledger.principals.set_display_name(admin, ana.outcome.aggregate.id, "Ana P.")
    read_model.projector.catch_up()

    view = PeopleView()
    assert digest(rebuild(ledger, [view]), view) == digest(read_model.store, view)


def test_people_show_the_first_organization_they_are_still_in_and_a_rebuild_agrees(
    ledger: Ledger, read_model: ReadModel
) -> None:
    admin = factories.context(Role.ADMIN)
    ana = ledger.principals.create(admin, name="ana", role=Role.READER).outcome.aggregate
    first = ledger.organizations.create(admin, name="Desk One").aggregate
    second = ledger.organizations.create(admin, name="Desk Two").aggregate
    ledger.organizations.add_member(admin, first.id, ana.id, Role.REVIEWER)
    ledger.organizations.add_member(admin, second.id, ana.id, Role.ADMIN)
    read_model.projector.catch_up()
    person = read_model.people_by_id([str(ana.id)])[str(ana.id)]
    assert person["organization"] == {"id": str(first.id), "name": "Desk One"}

    ledger.organizations.change_role(admin, second.id, ana.id, Role.CONTRIBUTOR)
    ledger.organizations.remove_member(admin, first.id, ana.id)
    read_model.projector.catch_up()

    person = read_model.people_by_id([str(ana.id)])[str(ana.id)]
    assert person == {
        "id": str(ana.id),
        "display_name": "ana",
        "organization": {"id": str(second.id), "name": "Desk Two"},
    }
    view = PeopleView()
    assert digest(rebuild(ledger, [view]), view) == digest(read_model.store, view)
    with read_model.store.transaction(commit=False) as cursor:
        rows = cursor.execute("SELECT * FROM {rm_people}").fetchall()
    assert "contributor" not in repr([dict(r) for r in rows])
