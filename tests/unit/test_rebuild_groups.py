"""How `claimtrail replay` splits the views between processes (infra/projections/rebuild.py)."""

from __future__ import annotations

from infra.projections.read_model import all_views
from infra.projections.rebuild import split_views


def test_two_cores_get_two_balanced_groups_and_the_audit_view_joins_one():
    groups = split_views(all_views(), 2)
    assert groups == [
        ["claims", "similar", "actors", "people"],
        ["timeline", "relationships", "audit"],  # the timeline decodes what the audit checks
    ]


def test_one_core_rebuilds_every_view_in_one_group():
    assert split_views(all_views(), 1) == [[view.name for view in all_views()]]


def test_every_view_is_in_exactly_one_group_whatever_the_cores():
    names = sorted(view.name for view in all_views())
    for cores in range(1, 9):
        groups = split_views(all_views(), cores)
        assert sorted(n for g in groups for n in g) == names
        assert all(groups)
        assert len(groups) <= cores
