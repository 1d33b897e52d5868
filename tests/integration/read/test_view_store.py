"""The view store's PostgreSQL specifics: a NUL in text becomes U+FFFD in a bulk insert (the rest
of the batch as given), and rows up to a page are stored uncompressed."""

from __future__ import annotations

import pytest

from infra.ledger.application import Ledger
from infra.projections.store import SEARCHED_FIRST, ViewStore

TABLE = "CREATE TABLE IF NOT EXISTS {rm_probe} (id INTEGER PRIMARY KEY, note TEXT, body TEXT)"


def _store(ledger: Ledger) -> ViewStore:
    store = ViewStore(ledger.recorder)
    store.create([TABLE])
    return store


def _rows(store: ViewStore) -> list[tuple[int, str | None, str]]:
    with store.transaction(commit=False) as cursor:
        found = cursor.execute("SELECT id, note, body FROM {rm_probe} ORDER BY id").fetchall()
    return [(int(r["id"]), r["note"], r["body"]) for r in found]


def test_a_nul_in_a_bulk_insert_becomes_a_replacement_character(ledger: Ledger) -> None:
    store = _store(ledger)
    clean = (1, None, '{"a":"b\\u0000c"}')  # an escaped NUL in JSON text is no NUL
    with store.transaction(commit=True) as cursor:
        cursor.insert("rm_probe", ("id", "note", "body"), [clean])
        cursor.insert("rm_probe", ("id", "note", "body"), [(2, "a\x00b", "x"), (3, "c", "d")])
        cursor.insert("rm_probe", ("id", "note", "body"), [(4, Text("e\x00f"), "y")])

    nul = "\ufffd" if store.postgres else "\x00"
    assert _rows(store) == [clean, (2, f"a{nul}b", "x"), (3, "c", "d"), (4, f"e{nul}f", "y")]


def test_a_nul_late_in_a_large_bulk_insert_becomes_a_replacement_character(ledger: Ledger) -> None:
    store = _store(ledger)
    # Enough rows, of ~100 bytes, that part of them has left before the NUL is met.
    many = [(i, "n", "b" * 100) for i in range(10, 10 + SEARCHED_FIRST)] + [(5, "g\x00h", "z")]
    with store.transaction(commit=True) as cursor:
        cursor.insert("rm_probe", ("id", "note", "body"), [(1, "before", "a")])
        cursor.insert("rm_probe", ("id", "note", "body"), many)
        cursor.insert("rm_probe", ("id", "note", "body"), [(2, "after", "c")])

    nul = "\ufffd" if store.postgres else "\x00"
    rows = _rows(store)
    assert rows[:3] == [(1, "before", "a"), (2, "after", "c"), (5, f"g{nul}h", "z")]
    assert rows[3:] == sorted(many[:-1])


def test_select_in_finds_text_of_any_characters(ledger: Ledger) -> None:
    store = _store(ledger)
    notes = ['a"b', "c\\d", "e,f", "{g}", "NULL", "", " h ", "i'j", "k\tl\nm", "é😀"]
    with store.transaction(commit=True) as cursor:
        cursor.insert(
            "rm_probe", ("id", "note", "body"), [(i, n, "x") for i, n in enumerate(notes)]
        )
        cursor.insert("rm_probe", ("id", "note", "body"), [(99, "other", "x")])
        statement = "SELECT id, note FROM {rm_probe} WHERE note IN (?...)"
        found = {r["note"] for r in cursor.select_in(statement, notes)}
        none = cursor.select_in(statement, [])

    assert found == set(notes)
    assert none == []


class Text(str):
    """A str subclass (as an enum's value is) is text too."""


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_view_tables_keep_rows_up_to_a_page_uncompressed(ledger: Ledger) -> None:
    store = _store(ledger)
    body = '{"text":"' + "a claim body that compresses well " * 100 + '"}'  # ~3.4 kB
    with store.transaction(commit=True) as cursor:
        cursor.insert("rm_probe", ("id", "note", "body"), [(1, None, body)])
        stored = cursor.scalar("SELECT pg_column_size(body) FROM {rm_probe}")

    assert stored >= len(body)  # pglz would have made it a fraction of that
    assert _rows(store) == [(1, None, body)]
