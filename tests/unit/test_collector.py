"""service/collector.py: the collector tuned while an app serves, restored after the last."""

from __future__ import annotations

import gc

from service.collector import YOUNG, tuned_for_serving


def test_serving_freezes_the_heap_and_spaces_young_collections() -> None:
    before = gc.get_threshold()

    with tuned_for_serving():
        assert gc.get_threshold() == (YOUNG, before[1], before[2])
        assert gc.get_freeze_count() > 0

    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_overlapping_apps_restore_the_collector_only_when_the_last_stops() -> None:
    before = gc.get_threshold()
    first, second = tuned_for_serving(), tuned_for_serving()

    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert gc.get_threshold()[0] == YOUNG and gc.get_freeze_count() > 0
    second.__exit__(None, None, None)

    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
