"""How many events a rebuild puts in one transaction (infra/projections/rebuild.py): many on
PostgreSQL, where a claim changed in several batches is written again in each; fewer on SQLite,
where a batch's transaction holds the one write lock the API's commands wait for."""

from __future__ import annotations

from typing import Any

import pytest

from infra.ledger.application import Ledger
from infra.projections import rebuild as rebuild_module
from infra.projections.projector import Projector
from infra.projections.read_model import all_views
from infra.projections.rebuild import BATCH_POSTGRES, BATCH_SQLITE, drop, rebuild
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
