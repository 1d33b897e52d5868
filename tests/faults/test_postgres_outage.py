"""PostgreSQL stopped and started again under write load, on a private instance: while it is
down the API answers 503 problem+json within a bound, it recovers by itself within RECOVERY
seconds of the restart however long the outage (the pool's reconnection backoff is capped), and
every write it acknowledged is there afterwards."""

from __future__ import annotations

import time

import pytest

from tests.faults.conftest import (
    Call,
    PrivatePostgres,
    Processes,
    assert_unavailable,
    assert_views_match_rebuild,
    bootstrap,
    claim_body,
    concurrently,
    make_team,
    make_world,
    record_claim,
    serve,
    view_positions,
    wait_until,
)
from tests.faults.load import BOUND, Load

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

# Long enough for the pool's uncapped backoff (1, 2, 4, ... s) to leave it idle for ~30 s
# after the restart (attempts at ~31 s and ~63 s); with the cap the first write is back in ~2 s.
OUTAGE = 35.0
RECOVERY = 5.0


def test_postgres_restart_under_write_load(
    processes: Processes, private_postgres: PrivatePostgres
) -> None:
    pg = private_postgres
    admin = bootstrap(pg.url)
    api = serve(processes, pg.url)  # group commit and the in-process projector, as deployed
    with api.client() as client:
        team = make_world(client, make_team(client, admin))
        claim_id = record_claim(client, team)
    load = Load([api.base_url], team, claim_id).start()
    try:
        wait_until(lambda: len(load.acked()) >= 30, 30, "writes before the outage")

        stopped = time.monotonic()
        pg.stop("fast")
        # Requests sent while it is down, writes and reads, are refused: 503, within the bound.
        probes = concurrently(
            [
                Call(
                    api.base_url,
                    "POST",
                    f"/claims/{claim_id}/evidence",
                    {"stance": "context", "note": "during the outage"},
                    team.headers("contributor"),
                ),
                Call(
                    api.base_url,
                    "POST",
                    "/claims",
                    claim_body(team, "During the outage"),
                    team.headers("contributor"),
                ),
                Call(api.base_url, "GET", f"/claims/{claim_id}"),
                Call(api.base_url, "GET", "/claims"),
                Call(api.base_url, "GET", "/readyz"),
            ]
        )
        for probe in probes:
            assert probe.response is not None, probe.error
            assert_unavailable(probe.response)
            assert probe.seconds <= BOUND, probe
        with api.client() as client:
            assert client.get("/healthz").status_code == 200  # alive, just not ready
        time.sleep(max(0.0, OUTAGE - (time.monotonic() - stopped)))
        down_for = time.monotonic() - stopped

        started = time.monotonic()
        pg.start()
        wait_until(
            lambda: len(load.acked(since=started)) >= 30,
            60,
            "writes to succeed again after the restart",
            pause=0.2,
        )
        recovered = min(s.began + s.seconds for s in load.acked(since=started)) - started
    finally:
        load.finish()

    assert recovered <= RECOVERY, f"first write {recovered:.1f} s after a {down_for:.0f} s outage"
    load.check_bounded({200, 201, 503})
    with api.client() as client:
        figures = load.check_written(client)
        assert client.get("/readyz").status_code == 200
    assert figures["found"] == figures["acknowledged"]

    # The in-process projector lived through it too: caught up, its views equal a rebuild.
    def caught_up() -> bool:
        head, positions = view_positions(pg.url)
        return set(positions.values()) == {head}

    wait_until(caught_up, 30, "the in-process projector to catch up", pause=0.2)
    api.proc.stop()
    assert_views_match_rebuild(pg.url)
    statuses = load.statuses()
    print(
        f"\nFIGURES postgres outage: down {down_for:.1f} s, first write after restart "
        f"{recovered:.1f} s, load answers {dict(statuses)}, "
        f"probes while down {[p.status for p in probes]} in <= "
        f"{max(p.seconds for p in probes):.1f} s, "
        f"slowest {max(s.seconds for s in load.snapshot()):.1f} s, {figures}"
    )
