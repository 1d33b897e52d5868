from decimal import Decimal

import pytest

from domain.errors import InvalidValueError
from domain.values import PartialDate, Rating, Role


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2014", PartialDate(2014)),
        ("2022-02", PartialDate(2022, 2)),
        ("2022-02-04", PartialDate(2022, 2, 4)),
        ("0001", PartialDate(1)),
        ("9999-12-31", PartialDate(9999, 12, 31)),
    ],
)
def test_a_partial_date_parses_a_year_a_month_or_a_day(text, expected):
    assert PartialDate.parse(text) == expected


@pytest.mark.parametrize("text", ["2014", "2022-02", "2022-02-04", "0987-01-09"])
def test_a_partial_date_prints_as_it_was_parsed(text):
    assert str(PartialDate.parse(text)) == text


def test_a_partial_date_keeps_only_the_precision_it_was_given():
    assert PartialDate.parse("2022-02") == PartialDate(2022, 2, None)
    assert PartialDate.parse("2022").month is None


@pytest.mark.parametrize(
    "text",
    [
        "2022-13",
        "2022-00",
        "2022-02-30",
        "2022-04-31",
        "2022-01-00",
        "22",
        "022",
        "20220",
        "2022-2-4",
        "2022-02-4",
        "2022/02/04",
        "04-02-2022",
        "",
        "0000",
        " 2022",
        "2022 ",
        "2022\n",
        "2022-02-04T10:00",
        "\u0662\u0660\u0662\u0662",  # Arabic-Indic digits
        "\uff12\uff10\uff12\uff12",  # full-width digits
    ],
)
def test_a_partial_date_rejects_what_is_not_yyyy_yyyy_mm_or_yyyy_mm_dd(text):
    with pytest.raises(InvalidValueError):
        PartialDate.parse(text)


def test_a_leap_day_exists_only_in_leap_years():
    assert PartialDate.parse("2024-02-29") == PartialDate(2024, 2, 29)
    assert PartialDate.parse("2000-02-29").day == 29
    with pytest.raises(InvalidValueError):
        PartialDate.parse("2023-02-29")
    with pytest.raises(InvalidValueError):
        PartialDate.parse("1900-02-29")


def test_a_partial_date_built_directly_is_checked_too():
    with pytest.raises(InvalidValueError):
        PartialDate(0)
    with pytest.raises(InvalidValueError):
        PartialDate(10000)
    with pytest.raises(InvalidValueError):
        PartialDate(2022, None, 4)


def test_a_date_error_is_also_a_value_error():
    with pytest.raises(ValueError, match="not YYYY"):
        PartialDate.parse("yesterday")


def test_a_rating_lies_between_worst_and_best():
    rating = Rating(Decimal("2"), best=Decimal("5"), worst=Decimal("1"))
    assert rating.value == 2
    assert Rating(Decimal("5"), best=Decimal("5"), worst=Decimal("1")).value == 5
    assert Rating(Decimal("1"), best=Decimal("5"), worst=Decimal("1")).value == 1


@pytest.mark.parametrize("value", ["0", "0.99", "5.01", "-3"])
def test_a_rating_outside_its_scale_is_rejected(value):
    with pytest.raises(InvalidValueError):
        Rating(Decimal(value), best=Decimal("5"), worst=Decimal("1"))


def test_a_rating_scale_needs_best_and_worst_to_differ():
    with pytest.raises(InvalidValueError):
        Rating(Decimal("3"), best=Decimal("3"), worst=Decimal("3"))


def test_a_rating_scale_may_run_backwards():
    # Some fact-checkers rate 1 as best and 5 as worst ("Pinocchios").
    assert Rating(Decimal("4"), best=Decimal("1"), worst=Decimal("5")).value == 4
    with pytest.raises(InvalidValueError):
        Rating(Decimal("6"), best=Decimal("1"), worst=Decimal("5"))
    with pytest.raises(InvalidValueError):
        Rating(Decimal("0"), best=Decimal("1"), worst=Decimal("5"))


def test_each_role_includes_itself_and_the_roles_before_it():
    order = [Role.READER, Role.CONTRIBUTOR, Role.REVIEWER, Role.ADMIN]
    for i, role in enumerate(order):
        for j, other in enumerate(order):
            assert role.includes(other) is (i >= j), (role, other)


def test_an_admin_includes_every_role_and_a_reader_only_itself():
    assert all(Role.ADMIN.includes(role) for role in Role)
    assert [role for role in Role if Role.READER.includes(role)] == [Role.READER]
    assert not Role.CONTRIBUTOR.includes(Role.REVIEWER)


def test_partial_dates_of_different_precision_sort_by_period() -> None:
    dates = [PartialDate.parse(d) for d in ("2022-02-04", "2014", "2022-02", "2022")]
    assert [str(d) for d in sorted(dates)] == ["2014", "2022", "2022-02", "2022-02-04"]
    assert min(dates) == PartialDate(2014)
