"""service/collector.py: the collector tuned while an app serves, restored after the last.

Relative to the state before (another test's app may still be serving in this process, in which
case the collector stays tuned after these blocks: the last app out restores it)."""

from __future__ import annotations

import gc

from service import collector
from service.collector import YOUNG, tuned_for_serving


def test_serving_freezes_the_heap_and_spaces_young_collections() -> None:
    before, frozen = gc.get_threshold(), gc.get_freeze_count() > 0

    with tuned_for_serving():
        assert gc.get_threshold()[0] == YOUNG
        assert gc.get_freeze_count() > 0

    assert gc.get_threshold() == before
    assert (gc.get_freeze_count() > 0) == frozen == (collector._serving > 0)


def test_overlapping_apps_restore_the_collector_only_when_the_last_stops() -> None:
    before, frozen = gc.get_threshold(), gc.get_freeze_count() > 0
    first, second = tuned_for_serving(), tuned_for_serving()

    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert gc.get_threshold()[0] == YOUNG and gc.get_freeze_count() > 0
    second.__exit__(None, None, None)

    assert gc.get_threshold() == before
    assert (gc.get_freeze_count() > 0) == frozen == (collector._serving > 0)
