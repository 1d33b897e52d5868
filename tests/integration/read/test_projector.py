"""The projector applies every event exactly once, and the views always equal a clean rebuild."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from infra.ledger.application import Ledger
from infra.projections import claims_view
from infra.projections.projector import Projector, TrackingConflictError
from infra.projections.read_model import ReadModel, all_views
from infra.seeding import load_seed
from tests.integration.read.history import (
    SEED,
    digests,
    rebuilt_digests,
    write_every_kind_of_command,
)


def test_running_the_projector_again_after_catching_up_changes_nothing(
    ledger: Ledger, read_model: ReadModel
) -> None:
    load_seed(ledger, SEED)
    write_every_kind_of_command(ledger)
    read_model.projector.catch_up()
    before, positions = digests(read_model.store), read_model.projector.positions()

    assert read_model.projector.run_once() == 0
    assert Projector(ledger, all_views(), read_model.store).run_once() == 0
    assert read_model.projector.catch_up() == 0

    assert digests(read_model.store) == before
    assert read_model.projector.positions() == positions
    assert read_model.position() == read_model.head()


def test_a_second_projector_applying_a_stale_batch_fails_on_tracking_and_writes_nothing(
    ledger: Ledger, read_model: ReadModel
) -> None:
    load_seed(ledger, SEED)
    winner = Projector(ledger, all_views(), read_model.store, batch_size=10)
    loser = Projector(ledger, all_views(), read_model.store, batch_size=10)
    stale = loser.positions()
    winner.run_once()
    after_winner = digests(read_model.store), winner.positions()
    # The loser read the tracking rows before the winner committed: simulate exactly that.
    loser.positions = lambda: dict(stale)  # type: ignore[method-assign]

    with pytest.raises(TrackingConflictError):
        loser.run_once()

    assert (digests(read_model.store), winner.positions()) == after_winner


def test_the_projector_that_lost_a_race_carries_on_from_where_the_winner_left_off(
    ledger: Ledger, read_model: ReadModel
) -> None:
    load_seed(ledger, SEED)
    winner = Projector(ledger, all_views(), read_model.store, batch_size=10)
    loser = Projector(ledger, all_views(), read_model.store, batch_size=10)
    stale = loser.positions()
    winner.run_once()
    loser.positions = lambda: dict(stale)  # type: ignore[method-assign]
    with pytest.raises(TrackingConflictError):
        loser.run_once()
    del loser.positions

    loser.catch_up()

    assert digests(read_model.store) == rebuilt_digests(ledger)


def test_two_workers_racing_over_the_same_views_apply_every_event_exactly_once(
    ledger: Ledger, read_model: ReadModel, reopen: Callable[[], Ledger]
) -> None:
    load_seed(ledger, SEED)
    write_every_kind_of_command(ledger)
    conflicts: list[TrackingConflictError] = []
    failures: list[BaseException] = []

    def work(projector: Projector) -> None:
        try:
            for _ in range(10_000):  # a bound, far above the batches needed
                try:
                    if projector.run_once() == 0:
                        return
                except TrackingConflictError as conflict:
                    conflicts.append(conflict)
        except BaseException as exc:
            failures.append(exc)

    workers = [
        threading.Thread(
            target=work,
            args=(Projector(opened, all_views(), ReadModel(opened).store, batch_size=5),),
        )
        for opened in (ledger, reopen())
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    assert not any(worker.is_alive() for worker in workers)
    assert failures == []
    assert read_model.position() == read_model.head()
    assert digests(read_model.store) == rebuilt_digests(ledger)


def test_views_equal_a_clean_rebuild_after_every_kind_of_command(
    ledger: Ledger, read_model: ReadModel
) -> None:
    load_seed(ledger, SEED)
    write_every_kind_of_command(ledger)

    read_model.projector.catch_up()

    assert read_model.position() == read_model.head()
    assert digests(read_model.store) == rebuilt_digests(ledger)


def test_views_projected_while_commands_arrive_equal_a_rebuild_of_the_whole_log(
    ledger: Ledger, read_model: ReadModel
) -> None:
    load_seed(ledger, SEED)
    read_model.projector.catch_up()
    write_every_kind_of_command(ledger)
    read_model.projector.run_once()
    write_every_kind_of_command(ledger)

    read_model.projector.catch_up()

    assert digests(read_model.store) == rebuilt_digests(ledger)


def test_a_projector_stopped_midway_and_resumed_by_a_new_instance_ends_equal_to_a_rebuild(
    ledger: Ledger, read_model: ReadModel
) -> None:
    load_seed(ledger, SEED)
    write_every_kind_of_command(ledger)
    first = Projector(ledger, all_views(), read_model.store, batch_size=7)
    for _ in range(4):
        assert first.run_once() == 7
    assert 0 < read_model.position() < read_model.head()

    resumed = Projector(ledger, all_views(), read_model.store, batch_size=7)
    resumed.catch_up()

    assert read_model.position() == read_model.head()
    assert digests(read_model.store) == rebuilt_digests(ledger)


def test_a_view_added_later_catches_up_without_applying_anything_twice_to_the_others(
    ledger: Ledger, read_model: ReadModel
) -> None:
    load_seed(ledger, SEED)
    write_every_kind_of_command(ledger)
    Projector(ledger, [claims_view.ClaimsView()], read_model.store, batch_size=9).catch_up()
    head = read_model.head()
    assert read_model.projector.positions()["claims"] == head
    assert read_model.projector.positions()["timeline"] == 0

    read_model.projector.catch_up()

    assert set(read_model.projector.positions().values()) == {head}
    assert digests(read_model.store) == rebuilt_digests(ledger)


def test_a_rebuild_until_a_time_equals_the_views_as_they_were_at_that_time(
    ledger: Ledger, read_model: ReadModel
) -> None:
    load_seed(ledger, SEED)
    read_model.projector.catch_up()
    then = digests(read_model.store)
    moment = datetime.now(UTC)
    write_every_kind_of_command(ledger)
    read_model.projector.catch_up()

    assert rebuilt_digests(ledger, until=moment) == then
    assert rebuilt_digests(ledger) == digests(read_model.store) != then
