"""What every benchmark shares: the PostgreSQL server, fresh schemas, percentiles, memory
readings from /proc, and subprocesses that answer in JSON. (The API as a subprocess:
bench/server.py; HTTP clients and load: bench/http_load.py; tables: bench/tables.py.)"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from rich.console import Console

SERVER = os.environ.get("BENCH_DATABASE", "postgresql://postgres@127.0.0.1:5432/postgres")
ROOT = Path(__file__).resolve().parent.parent
console = Console(width=120)


# -- databases -----------------------------------------------------------------------------------


def new_schema(tag: str = "") -> tuple[str, str]:
    """(schema name, database url) of a fresh schema (infra/store/database.py creates it)."""
    name = f"bench_{tag}{secrets.token_hex(4)}"
    return name, f"{SERVER}?schema={name}"


def drop_schema(name: str) -> None:
    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))


@contextmanager
def schema(tag: str = "") -> Iterator[tuple[str, str]]:
    name, url = new_schema(tag)
    try:
        yield name, url
    finally:
        drop_schema(name)


def connect() -> psycopg.Connection[Any]:
    return psycopg.connect(SERVER)


# -- measuring -------------------------------------------------------------------------------


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (nearest rank) of `values`."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def proc_status(pid: int | str = "self") -> dict[str, int]:
    """VmRSS and VmHWM (peak RSS) of a process, in bytes."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0]) * 1024
    return found


def run_json(
    args: list[str], env: dict[str, str] | None = None, timeout: float = 1800
) -> dict[str, Any]:
    """Run `python -m ...` and parse the JSON object its last line prints."""
    done = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])
