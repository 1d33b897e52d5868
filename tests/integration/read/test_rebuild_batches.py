"""How many events a rebuild puts in one transaction (infra/projections/rebuild.py): many on
PostgreSQL, where a claim changed in several batches is written again in each; fewer on SQLite,
where a batch's transaction holds the one write lock the API's commands wait for."""

from __future__ import annotations

from typing import Any

import pytest

from infra.ledger.application import Ledger, open_ledger
from infra.projections import rebuild as rebuild_module
from infra.projections.projector import Projector, query_only
from infra.projections.read_model import all_views
from infra.projections.rebuild import (
    _INDEX,
    BATCH_POSTGRES,
    BATCH_SQLITE,
    digest,
    drop,
    rebuild,
)
from infra.projections.store import ViewStore
from tests import factories


def test_a_rebuild_in_this_process_batches_by_the_database(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    factories.claim(ledger, factories.context())
    sizes: list[int] = []

    class Spied(Projector):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            sizes.append(self.batch_size)

    monkeypatch.setattr(rebuild_module, "Projector", Spied)
    views = all_views()
    store = rebuild(ledger, views, prefix="rbt_")
    drop(store, views)

    assert sizes == [BATCH_POSTGRES if ViewStore(ledger.recorder).postgres else BATCH_SQLITE]


@pytest.mark.postgres
def test_a_rebuild_in_processes_builds_every_query_index_and_equals_one_in_this_process(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each group process builds its views' query indexes once it has caught up."""
    monkeypatch.setattr(rebuild_module.os, "cpu_count", lambda: 2)  # two groups, whatever here
    ledger = open_ledger(postgres_url)
    views = all_views()
    try:
        for _ in range(3):
            factories.claim(ledger, factories.context())
        apart = rebuild(ledger, views, prefix="rbp_", database_url=postgres_url)
        together = rebuild(ledger, views, prefix="rbo_")
        try:
            wanted = {
                apart.name(m[1])
                for view in views
                for statement in query_only(view)
                if (m := _INDEX.search(statement))
            }
            assert wanted  # the views do have query indexes
            with apart.read() as cursor:
                built = {
                    row["indexname"]
                    for row in cursor.execute(
                        "SELECT indexname FROM pg_indexes WHERE schemaname = ?", (apart.schema,)
                    ).fetchall()
                }
            assert wanted <= built
            assert [digest(apart, v) for v in views] == [digest(together, v) for v in views]
        finally:
            drop(apart, views)
            drop(together, views)
    finally:
        ledger.close()
