import hashlib
from uuid import uuid4

import pytest

from domain.errors import ConflictError, KeyNotFoundError
from domain.principals import Principal, hash_token
from domain.values import Role
from tests.unit.helpers import meta, replay

TOKEN = "ct_live_7f3a9c1e5b2d4f60a8e1c3b5d7f9a2c4"


def principal(role: Role = Role.REVIEWER) -> Principal:
    return Principal.register(uuid4(), name="Ada Fact", role=role, meta=meta())


def test_a_principal_is_registered_with_a_role_and_no_keys():
    ada = principal(Role.CONTRIBUTOR)
    assert (ada.name, ada.role, ada.keys) == ("Ada Fact", Role.CONTRIBUTOR, [])


def test_a_key_is_stored_only_as_its_sha256():
    ada = principal()
    key_id = uuid4()
    ada.issue_key(key_id, TOKEN, meta=meta())
    (key,) = ada.keys
    assert key.key_hash == hash_token(TOKEN) == hashlib.sha256(TOKEN.encode()).hexdigest()
    events = ada.collect_events()
    assert TOKEN not in repr(vars(ada))
    assert all(TOKEN not in repr(event) for event in events)
    assert all(TOKEN not in str(value) for event in events for value in vars(event).values())


def test_the_live_key_is_accepted():
    ada = principal()
    key_id = uuid4()
    ada.issue_key(key_id, TOKEN, meta=meta())
    assert ada.accepts(key_id, TOKEN)


def test_a_wrong_token_is_refused():
    ada = principal()
    key_id = uuid4()
    ada.issue_key(key_id, TOKEN, meta=meta())
    assert not ada.accepts(key_id, TOKEN + "x")
    assert not ada.accepts(key_id, "")


def test_a_token_is_refused_under_another_keys_id():
    ada = principal()
    first, second = uuid4(), uuid4()
    ada.issue_key(first, TOKEN, meta=meta())
    ada.issue_key(second, "another-token", meta=meta())
    assert not ada.accepts(second, TOKEN)
    assert not ada.accepts(uuid4(), TOKEN)
    assert ada.accepts(second, "another-token")


def test_a_revoked_key_is_refused_and_the_others_still_work():
    ada = principal()
    first, second = uuid4(), uuid4()
    ada.issue_key(first, TOKEN, meta=meta())
    ada.issue_key(second, "another-token", meta=meta())
    ada.revoke_key(first, meta=meta())
    assert not ada.accepts(first, TOKEN)
    assert ada.find_key(first).revoked_at is not None
    assert ada.accepts(second, "another-token")


def test_a_key_is_revoked_only_once():
    ada = principal()
    key_id = uuid4()
    ada.issue_key(key_id, TOKEN, meta=meta())
    ada.revoke_key(key_id, meta=meta())
    with pytest.raises(ConflictError):
        ada.revoke_key(key_id, meta=meta())


def test_an_unknown_key_is_not_found():
    ada = principal()
    ada.issue_key(uuid4(), TOKEN, meta=meta())
    with pytest.raises(KeyNotFoundError):
        ada.revoke_key(uuid4(), meta=meta())
    with pytest.raises(KeyNotFoundError):
        ada.find_key(uuid4())


def test_replaying_a_principals_events_keeps_revoked_keys_revoked():
    ada = principal()
    key_id = uuid4()
    ada.issue_key(key_id, TOKEN, meta=meta())
    ada.revoke_key(key_id, meta=meta())
    rebuilt = replay(ada)
    assert vars(rebuilt) == vars(ada)
    assert not rebuilt.accepts(key_id, TOKEN)


def test_the_display_name_is_the_name_unless_one_is_given():
    assert principal().display_name == "Ada Fact"
    named = Principal.register(
        uuid4(), name="ada", role=Role.READER, meta=meta(), display_name="Ada Lovelace"
    )
    assert (named.name, named.display_name) == ("ada", "Ada Lovelace")


def test_a_registration_stored_before_display_names_replays_with_the_name():
    ada = principal()
    [registered] = ada.collect_events()
    stored = {k: v for k, v in vars(registered).items() if k != "display_name"}
    old = object.__new__(type(registered))
    old.__dict__.update(stored)
    assert old.mutate(None).display_name == "Ada Fact"


def test_a_display_name_changes_by_an_event_and_replays():
    ada = principal()
    ada.set_display_name("Ada L.", meta=meta())
    assert ada.display_name == "Ada L."
    assert replay(ada).display_name == "Ada L."


def test_setting_the_display_name_it_already_has_is_a_conflict():
    ada = principal()
    with pytest.raises(ConflictError):
        ada.set_display_name("Ada Fact", meta=meta())
