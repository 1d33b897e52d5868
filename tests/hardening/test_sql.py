"""Only parameterized SQL: request values travel as bound parameters, never inside SQL text.

Three checks: ruff's S608 (SQL built by string formatting) finds nothing in infra/ and service/;
every expression that IS formatted into SQL text there is on a reviewed list of names that come
from code (table names, fixed fragments, placeholder lists); and SQL-looking input to every
text filter is only ever data.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.conftest import Api, World
from tests.api.helpers import record_claim

ROOT = Path(__file__).parents[2]
CALLS = {"execute", "executemany", "scalar", "copy"}

# Every expression formatted into SQL text, and why it cannot carry request data. A new one
# fails test_sql_text_is_formatted_only_with_reviewed_expressions until it is reviewed here.
REVIEWED = {
    # table and index names: `{rm_x}` templates, a view's own table list, the recorder's table
    "name": "a view's table name, from the views' code",
    "rebuilt.table(name)": "a rebuilt view's table, prefix and name from code",
    "live.name(name)": "a live view's table name, from code",
    "_qualified(live, rebuilt.name(index[1]))": "an index name, from the views' DDL",
    "recorder.events_table_name": "eventsourcing's fixed events table name",
    "table": "a view's table name, from the views' code; or the ledger's events table (verify)",
    "position": "the events table's position column: 'notification_id' or 'rowid', from code",
    "column": "a column the checkpoints table gained, from the constant ADDED",
    "channel": "the NOTIFY channel, derived from the configured schema (not from a request)",
    # column lists and placeholder lists
    "_COLUMNS": "a constant column list",
    "_COLUMNS[table]": "a constant column list per audit table (verify)",
    "names": "the column names a view inserts, from code",
    "marks": "'?, ?, ...': one placeholder per bound value",
    "', '.join('?' * len(chunk))": "one placeholder per bound value",
    "pairs": "'(?, ?), ...' or fixed '(source = ? ...)' fragments with placeholders only",
    # WHERE/ORDER fragments assembled from literals with `?` placeholders
    "where": "literal clauses with ? placeholders (timeline filters; similar: strpos/instr)",
    "SHAPED": "a constant SELECT of the similar view's stored shapes",
    "when": "literal clauses with ? placeholders (as_of)",
    "order": "a literal ORDER BY chosen from two directions or a view's key columns",
    "columns": "a table's key column names, from code",
    "GRAPH_KEY": "a constant column list (the relationship graph)",
    "GRAPH_COLUMNS": "a constant column list (the relationship graph)",
    "' AND '.join(clauses)": "literal clauses with ? placeholders (claim filters)",
}


def _sql_arguments() -> Iterator[tuple[Path, int, ast.expr]]:
    """The SQL argument of every execute-like call in infra/ and service/."""
    for folder in ("infra", "service"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in CALLS
                    and node.args
                ):
                    yield path.relative_to(ROOT), node.lineno, node.args[0]


def _formatted(argument: ast.expr) -> Iterator[str]:
    """What is formatted into the SQL text: f-string values, `+` operands, `%` and .format."""
    for node in ast.walk(argument):
        if isinstance(node, ast.FormattedValue):
            yield ast.unparse(node.value)
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            for side in (node.left, node.right):
                if not isinstance(side, ast.Constant | ast.BinOp | ast.JoinedStr):
                    yield ast.unparse(side)
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
            yield f"% formatting: {ast.unparse(node)}"
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "format"
            and not _psycopg_composed(node.func.value)
        ):
            yield f"str.format: {ast.unparse(node)}"


def _psycopg_composed(receiver: ast.expr) -> bool:
    """`sql.SQL(...).format(...)`: psycopg quotes what it composes (sql.Identifier)."""
    return (
        isinstance(receiver, ast.Call)
        and isinstance(receiver.func, ast.Attribute)
        and receiver.func.attr == "SQL"
    )


def test_sql_text_is_formatted_only_with_reviewed_expressions() -> None:
    unreviewed = [
        f"{path}:{line}: {expression}"
        for path, line, argument in _sql_arguments()
        for expression in _formatted(argument)
        if expression not in REVIEWED
    ]

    assert unreviewed == [], "SQL text formatted with unreviewed expressions:\n" + "\n".join(
        unreviewed
    )


def test_the_scan_sees_the_formatting_it_is_meant_to_catch() -> None:
    source = (
        'cursor.execute(f"SELECT * FROM t WHERE a = {value}")\n'
        'cursor.execute("SELECT * FROM t WHERE a = %s" % value)\n'
        'cursor.execute("SELECT * FROM t WHERE a = {}".format(value))\n'
        'cursor.execute("SELECT * FROM t WHERE a = " + value)\n'
        'cursor.execute(sql.SQL("SELECT * FROM {}").format(sql.Identifier(t)))\n'
    )
    calls = [
        n
        for n in ast.walk(ast.parse(source))
        if isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and n.func.attr == "execute"
    ]

    found = [list(_formatted(call.args[0])) for call in calls]

    assert found == [
        ["value"],
        ["% formatting: 'SELECT * FROM t WHERE a = %s' % value"],
        ["str.format: 'SELECT * FROM t WHERE a = {}'.format(value)"],
        ["value"],
        [],
    ]


def test_ruff_finds_no_sql_built_by_string_formatting() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--no-cache",
            "--select",
            "S608",
            "infra",
            "service",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr


INJECTIONS = [
    "' OR '1'='1",
    "x' OR 1=1 --",
    "'; DROP TABLE rm_claims; --",
    '" OR ""="',
    "%",
    "_",
    "\\",
    "%' --",
    "1) OR (1=1",
    "china' UNION SELECT * FROM stored_events --",
]


@pytest.mark.parametrize("text", INJECTIONS)
def test_sql_in_a_filter_is_only_ever_data(served: tuple[Api, World], text: str) -> None:
    api, world = served
    fresh = record_claim(api, world)["position"]
    answers = {
        "q": api.get("/claims", q=text, min_position=fresh),
        "relation": api.get("/claims", relation=text, min_position=fresh),
        "tag": api.get("/claims", tag=text, min_position=fresh),
        "sources": api.get("/sources", url=f"https://example.org/{text}"),
        # names are folded before the search: punctuation alone folds to "", which finds all
        "actors": api.get("/actors", q=text + "zz", min_position=fresh),
    }

    for name, response in answers.items():
        assert response.status_code in (200, 404, 422), (name, response.text)
        if response.status_code == 200:
            assert response.json()["items"] == [], (name, response.json())
    assert api.get("/claims", min_position=fresh).json()["items"], "the claims are still there"
