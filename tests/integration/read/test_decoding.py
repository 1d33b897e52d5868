"""The projector's decoder gives the same events as the application's mapper, and decodes only
the events some view consumes."""

from __future__ import annotations

from typing import Any

import pytest
from eventsourcing.persistence import Notification

from domain.actors import Actor
from domain.claims import Claim
from infra.ledger.application import Ledger
from infra.projections.decoding import Decoder, consumed_events
from infra.projections.read_model import all_views
from infra.store.log_reader import notifications_after
from tests.integration.read.history import write_every_kind_of_command


def whole_log(ledger: Ledger) -> list[Notification]:
    return list(notifications_after(ledger.recorder, 0, 100_000))


def same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and list(vars(a).items()) == list(vars(b).items())


def test_every_event_decodes_as_the_mapper_decodes_it(ledger: Ledger) -> None:
    write_every_kind_of_command(ledger)
    notes = whole_log(ledger)
    decoder = Decoder(ledger.mapper)

    decoded = [decoder(note) for note in notes]

    assert len(notes) > 20
    for note, event in zip(notes, decoded, strict=True):
        assert same(event, ledger.mapper.to_domain_event(note)), note.topic


def test_a_state_the_fast_path_refuses_goes_through_the_mapper(ledger: Ledger) -> None:
    write_every_kind_of_command(ledger)
    note = whole_log(ledger)[-1]
    nan = note.state.replace(b'"timestamp":', b'"extra":NaN,"timestamp":', 1)
    odd = Notification(
        id=note.id,
        originator_id=note.originator_id,
        originator_version=note.originator_version,
        topic=note.topic,
        state=nan,
    )

    event = Decoder(ledger.mapper)(odd)  # orjson refuses NaN; json reads it

    assert same(event, ledger.mapper.to_domain_event(odd))
    assert event.extra != event.extra  # NaN


def test_only_the_events_the_views_consume_are_decoded(ledger: Ledger) -> None:
    write_every_kind_of_command(ledger)
    notes = whole_log(ledger)
    views = all_views()
    only_actors = [v for v in views if v.name == "actors"]
    audit = [v for v in views if v.name == "audit"]

    everything = Decoder(ledger.mapper, consumed_events(views)).batch(notes, None)
    actors = Decoder(ledger.mapper, consumed_events(only_actors)).batch(notes, None)
    nothing = Decoder(ledger.mapper, consumed_events(audit)).batch(notes, None)

    assert [p for p, _ in actors] == [p for p, _ in everything] == [n.id for n in notes]
    assert {type(e).__qualname__.split(".")[0] for _, e in everything if e} >= {
        "Claim",
        "Source",
        "Actor",
    }
    assert all(e is None or isinstance(e, Actor.Event) for _, e in actors)
    assert any(isinstance(e, Actor.Event) for _, e in actors)
    assert all(e is None for _, e in nothing)
    assert not any(isinstance(e, Claim.Event) for _, e in actors)


def test_the_audit_checks_decode_every_state_as_the_transcoder_does(ledger: Ledger) -> None:
    """`claimtrail verify` and the audit view read the states through the fast decoder: the same
    values as the ledger's transcoder, and its errors where it has them."""
    from infra.integrity.structure import _decode, transcoder

    write_every_kind_of_command(ledger)
    for note in whole_log(ledger):
        assert _decode(note.state) == transcoder().decode(note.state), note.topic
    odd = whole_log(ledger)[-1].state.replace(b'"timestamp":', b'"extra":NaN,"timestamp":', 1)
    assert _decode(odd).keys() == transcoder().decode(odd).keys()  # through the transcoder
    unknown = b'{"when":{"_type_":"no_such_type","_data_":"x"}}'
    with pytest.raises(Exception, match="no_such_type"):
        _decode(unknown)
