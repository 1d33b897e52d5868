"""What an opening ledger sets up for the audit log.

On PostgreSQL, triggers refuse UPDATE, DELETE and TRUNCATE on the events table: defence in depth
for an append-only log (a superuser can still disable them, which is what the Merkle tree and
`claimtrail verify` are for). On both databases, the table of signed checkpoints.
"""

from __future__ import annotations

from typing import Any

from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg import sql

from infra.integrity import checkpoints
from infra.projections.store import ViewStore

FUNCTION = "claimtrail_refuse_rewrite"
TRIGGERS = {  # name -> (timing, granularity)
    "claimtrail_no_update_or_delete": ("BEFORE UPDATE OR DELETE", "ROW"),
    "claimtrail_no_truncate": ("BEFORE TRUNCATE", "STATEMENT"),
}
_BODY = """
BEGIN
  RAISE EXCEPTION 'claimtrail: % on % refused: the event log is append-only', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END
"""


def prepare(recorder: Any) -> None:
    if isinstance(recorder, PostgresApplicationRecorder):
        forbid_rewrites(recorder)
    checkpoints.create_table(ViewStore(recorder))


def forbid_rewrites(recorder: PostgresApplicationRecorder) -> None:
    """Create the function (or replace it) and any missing trigger, once per database at a time."""
    schema = sql.Identifier(recorder.datastore.schema)
    table = sql.SQL("{}.{}").format(schema, sql.Identifier(recorder.events_table_name))
    function = sql.SQL("{}.{}").format(schema, sql.Identifier(FUNCTION))
    with recorder.datastore.transaction(commit=True) as cursor:
        # Concurrent openers would otherwise race on the catalog ("tuple concurrently updated").
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('claimtrail-guard'))")
        cursor.execute(
            sql.SQL(
                "CREATE OR REPLACE FUNCTION {}() RETURNS trigger LANGUAGE plpgsql AS {}"
            ).format(function, sql.Literal(_BODY))
        )
        cursor.execute(
            sql.SQL("SELECT tgname FROM pg_trigger WHERE tgrelid = {}::regclass").format(
                sql.Literal(table.as_string(cursor))
            )
        )
        present = {row["tgname"] for row in cursor.fetchall()}
        for name, (timing, granularity) in TRIGGERS.items():
            if name not in present:
                create = "CREATE TRIGGER {} {} ON {} FOR EACH {} EXECUTE FUNCTION {}()"
                cursor.execute(
                    sql.SQL(create).format(
                        sql.Identifier(name), sql.SQL(timing), table, sql.SQL(granularity), function
                    )
                )
