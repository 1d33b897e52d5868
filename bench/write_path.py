"""The write path's targets (issue 11), each beside a baseline measured in the same run:

- POST /claims with 32 clients (wrk -t2 -c32 against the API with 2 uvicorn workers, projections
  off), three consecutive runs, each followed by raw psycopg one-row INSERT+COMMIT with 32
  threads; target >= 0.7x with p99 <= 50 ms in each run. wrk's own CPU share is reported.
- POST /claims with 1 client: p50 (target <= 3 ms) beside one raw INSERT+COMMIT's time.
- `ledger.claims.record` from one thread vs raw INSERT+COMMIT from one connection (>= 0.5x).
- The writer's save alone (bench/save_batches.py): the library's insert against the ledger's
  one-round-trip insert, alternating in one process.

wrk is the load generator (`apt-get install wrk`); without it the Python client of
bench/common.py stands in (and costs the server more CPU). `python -m bench.write_path`.
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import raw, save_batches
from bench.common import schema
from bench.http_load import load, post
from bench.server import api
from bench.tables import Results, ms, rate, ratio
from bench.write import claim_bodies, record_for, seeded

CLIENTS = 32
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


@dataclass
class Run:
    rate: float  # 2xx/s
    p50: float  # ms
    p99: float  # ms
    errors: int
    cpu_share: float  # of the machine's CPU used by the load generator
    raw: float = 0.0  # rows/s of the baseline measured right after


def _lua(bodies: list[dict[str, Any]], token: str) -> str:
    quoted = ",\n".join("[==[" + json.dumps(b) + "]==]" for b in bodies)
    return (
        f"bodies = {{\n{quoted}\n}}\n"
        'wrk.method = "POST"\n'
        f'wrk.headers["Authorization"] = "Bearer {token}"\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
        "counter = 0\n"
        "request = function()\n"
        "  counter = counter + 1\n"
        '  return wrk.format(nil, "/claims", nil, bodies[(counter % #bodies) + 1])\n'
        "end\n"
    )


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(number) * UNITS[unit]


def wrk(port: int, clients: int, seconds: float, script: Path | None, path: str = "/") -> Run:
    """wrk against the API: the requests of `script` (a Lua file), or GET `path` without one."""
    scripted = ["-s", str(script)] if script else []
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    out = subprocess.run(
        [
            *("wrk", f"-t{min(2, clients)}", f"-c{clients}", f"-d{seconds:.0f}s", "--latency"),
            *scripted,
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    elapsed = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+(?:us|ms|s))\s*$", out, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    failed = int(errors[1]) if errors else 0
    total = int(re.search(r"(\d+) requests in", out)[1])  # type: ignore[index]
    return Run(
        (total - failed) / seconds,
        _ms(latency["50"]),
        _ms(latency["99"]),
        failed,
        cpu / elapsed / (os.cpu_count() or 1),
    )


def python_load(port: int, clients: int, seconds: float, requests: list[bytes]) -> Run:
    measured = load(port, clients, seconds, requests)
    errors = sum(n for s, n in measured.statuses.items() if not 200 <= s < 300)
    share = measured.client_cpu / measured.seconds / (os.cpu_count() or 1)
    return Run(measured.rate, measured.p(50), measured.p(99), errors, share)


def http_runs(results: Results, runs: int = 3, seconds: float = 8.0) -> dict[str, Any]:
    """Three runs at 32 clients, then the 1-client p50, each against its raw baseline."""
    tool = "wrk" if shutil.which("wrk") else "python"
    with schema("wp") as (name, url), tempfile.TemporaryDirectory() as tmp:
        generator, ledger = seeded(url)
        token = ledger.principals.bootstrap_admin()
        assert token is not None
        ledger.close()
        bodies = claim_bodies(generator, 4000)
        script = Path(tmp) / "post.lua"
        script.write_text(_lua(bodies, token))
        requests = [post("/claims", json.dumps(b).encode(), token) for b in bodies]

        def measure(port: int, clients: int, length: float) -> Run:
            if tool == "wrk":
                return wrk(port, clients, length, script)
            return python_load(port, clients, length, requests)

        def ceiling(port: int) -> Run:
            """GET /healthz (no auth, no database): what the HTTP stack alone allows."""
            if tool == "wrk":
                return wrk(port, CLIENTS, seconds / 2, None, "/healthz")
            healthz = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
            return python_load(port, CLIENTS, seconds / 2, [healthz])

        loaded: list[Run] = []
        with api(url, workers=2) as server:
            measure(server.port, CLIENTS, 2)  # warm-up: every worker's memo and pools
            for _ in range(runs):
                run = measure(server.port, CLIENTS, seconds)
                run.raw = raw.insert_rate(name, CLIENTS, 3.0)  # the API idles meanwhile
                loaded.append(run)
            bound = ceiling(server.port)
            bound.raw = sorted(r.raw for r in loaded)[len(loaded) // 2]
            single = measure(server.port, 1, 5)
        single.raw = raw.insert_rate(name, 1, 3.0)
    _tables(results, loaded, single, tool, seconds)
    _ceiling_table(results, bound, loaded)
    return {"runs": [vars(r) for r in loaded], "single": vars(single), "ceiling": vars(bound)}


def _ceiling_table(results: Results, bound: Run, loaded: list[Run]) -> None:
    posts = sorted(r.rate for r in loaded)[len(loaded) // 2]
    results.table(
        f"What the HTTP stack alone allows: GET /healthz, {CLIENTS} clients, same server "
        "(2 uvicorn workers), vs the median raw INSERT+COMMIT rate of the runs above",
        ["figure", "req/s", "p99", "raw rows/s", "ratio", "POST /claims req/s / this"],
        [
            [
                "GET /healthz",
                rate(bound.rate),
                ms(bound.p99),
                rate(bound.raw),
                ratio(bound.rate, bound.raw),
                ratio(posts, bound.rate),
            ]
        ],
        "No endpoint of this server answers faster than one that does nothing: when this "
        "ratio is below the 0.7x target, the target is out of reach for any POST /claims.",
    )


def _tables(results: Results, loaded: list[Run], single: Run, tool: str, seconds: float) -> None:
    rows = [
        [
            str(i + 1),
            rate(r.rate),
            ms(r.p50),
            ms(r.p99),
            rate(r.raw),
            ratio(r.rate, r.raw),
            f"{r.cpu_share:.0%}",
            str(r.errors),
        ]
        for i, r in enumerate(loaded)
    ]
    results.table(
        f"POST /claims, {CLIENTS} clients ({tool}, 2 uvicorn workers, group commit), three "
        f"consecutive runs, each vs raw INSERT+COMMIT with {CLIENTS} threads right after",
        ["run", "HTTP req/s", "p50", "p99", "raw rows/s", "ratio", "load-gen CPU", "non-2xx"],
        rows,
        f"Target: >= 0.7x (aim 1.0x) with p99 <= 50 ms in each run. Each run {seconds:.0f} s "
        "after a 2 s warm-up; load-gen CPU is the generator's share of all the machine's cores.",
    )
    commit = 1000 / single.raw if single.raw else float("nan")
    results.table(
        "POST /claims, 1 client, vs one raw INSERT+COMMIT from one connection",
        ["figure", "p50", "p99", "req/s", "raw INSERT+COMMIT", "raw rows/s"],
        [
            [
                "POST /claims",
                ms(single.p50),
                ms(single.p99),
                rate(single.rate),
                ms(commit),
                rate(single.raw),
            ]
        ],
        "Target: p50 <= 3 ms. The raw commit's time (1 / its rate) is the floor of any "
        "durable write here: a request cannot answer before its COMMIT's fsync.",
    )


def record_claim_rate(results: Results, seconds: float = 4.0) -> dict[str, float]:
    """`ledger.claims.record` per call (one command, one transaction) vs raw one row/commit."""
    with schema("wl") as (name, url):
        done, elapsed = record_for(url, seconds)
        figure = done / elapsed
        baseline = raw.insert_rate(name, 1, 3.0)
    results.table(
        "ledger.claims.record from one thread (resolve actors, anchor the quote, one "
        "transaction) vs raw INSERT+COMMIT from one connection",
        ["figure", "value", "raw rows/s", "ratio"],
        [["record_claim commands/s", rate(figure), rate(baseline), ratio(figure, baseline)]],
        f"Target: >= 0.5x. {done:,} commands in {seconds:.0f} s.",
    )
    return {"rate": figure, "raw": baseline}


def main(results: Results | None = None) -> dict[str, Any]:
    results = results or Results()
    seconds = float(os.environ.get("BENCH_WRITE_SECONDS", "8"))
    http = http_runs(results, seconds=seconds)
    record = record_claim_rate(results, seconds=seconds / 2)
    return {**http, "record_claim": record, "save_batches": save_batches.main(results)}


if __name__ == "__main__":
    print(json.dumps(main()))
