"""The API process SIGKILLed under write load, twice (SQLite and PostgreSQL): after each restart
every acknowledged write is there, and the in-process projector's views equal a rebuild."""

from __future__ import annotations

import time

import pytest

from tests.faults.conftest import (
    Processes,
    assert_views_match_rebuild,
    bootstrap,
    make_team,
    make_world,
    record_claim,
    restart,
    serve,
    view_positions,
    wait_until,
)
from tests.faults.load import Load

pytestmark = pytest.mark.slow


def test_api_sigkill_under_write_load(database_url: str, processes: Processes) -> None:
    admin = bootstrap(database_url)
    api = serve(processes, database_url)
    with api.client() as client:
        team = make_world(client, make_team(client, admin))
        claim_id = record_claim(client, team)
    load = Load([api.base_url], team, claim_id).start()
    kills = []
    try:
        for _ in range(2):
            before = time.monotonic()
            wait_until(
                lambda before=before: len(load.acked(since=before)) >= 40,
                30,
                "writes before the kill",
            )
            api.proc.kill()  # SIGKILL: no shutdown, no flush, mid-request
            kills.append(len(load.acked()))
            api = restart(processes, api)
        after = time.monotonic()
        wait_until(lambda: len(load.acked(since=after)) >= 20, 30, "writes after the restart")
    finally:
        load.finish()

    load.check_bounded({200, 201, None})  # None: the connection died with the process
    with api.client() as client:
        figures = load.check_written(client)
    assert figures["found"] == figures["acknowledged"]

    def caught_up() -> bool:
        head, positions = view_positions(database_url)
        return set(positions.values()) == {head}

    wait_until(caught_up, 30, "the in-process projector to catch up", pause=0.2)
    api.proc.stop()  # no projector writing while the views are compared
    digests = assert_views_match_rebuild(database_url)
    statuses = load.statuses()
    print(
        f"\nFIGURES api sigkill [{database_url.split(':')[0]}]: acknowledged before each kill "
        f"{kills}, answers {dict(statuses)}, {figures}, views equal a rebuild: "
        f"{sorted(digests)}"
    )
