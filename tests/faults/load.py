"""A write load for the fault tests: threads that add evidence to claims and record claims over
HTTP until stopped, remembering every answer (what was acknowledged, what was refused, how long
each request took)."""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.faults.conftest import PROBLEM, TLS, Team, assert_contiguous, claim_body, history

BOUND = 15.0  # no request may take longer than this, whatever the fault (a bound, not a benchmark)


@dataclass(frozen=True)
class Sent:
    kind: str  # "evidence" or "claim"
    note: str  # unique: the evidence note, or the claim's statement
    began: float
    seconds: float
    status: int | None
    body: Any = None
    error: str = ""
    content_type: str = ""
    retry_after: str = ""


@dataclass
class Load:
    """`evidence` threads add evidence to `claim_id`, `claims` threads record claims, spread
    over `base_urls`."""

    base_urls: list[str]
    team: Team
    claim_id: str
    evidence: int = 6
    claims: int = 2
    sent: list[Sent] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    threads: list[threading.Thread] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> Load:
        kinds = ["evidence"] * self.evidence + ["claim"] * self.claims
        for n, kind in enumerate(kinds):
            thread = threading.Thread(target=self._write, args=(kind, n), daemon=True)
            self.threads.append(thread)
            thread.start()
        return self

    def finish(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)
        assert not any(t.is_alive() for t in self.threads), "a load thread did not finish"

    def _write(self, kind: str, n: int) -> None:
        base_url = self.base_urls[n % len(self.base_urls)]
        client = httpx.Client(base_url=base_url, timeout=60, verify=TLS)
        i = 0
        while not self.stop.is_set():
            note = f"{kind} {n}-{i}"
            if kind == "evidence":
                path, body = (
                    f"/claims/{self.claim_id}/evidence",
                    {"stance": "supports", "note": note},
                )
            else:
                path, body = "/claims", claim_body(self.team, note)
            began = time.monotonic()
            try:
                response = client.post(path, json=body, headers=self.team.headers("contributor"))
            except httpx.HTTPError as exc:
                sent = Sent(kind, note, began, time.monotonic() - began, None, error=repr(exc))
                client.close()  # a fresh connection for the next request
                client = httpx.Client(base_url=base_url, timeout=60, verify=TLS)
                time.sleep(0.05)
            else:
                data = response.json() if response.content else None
                sent = Sent(
                    kind,
                    note,
                    began,
                    time.monotonic() - began,
                    response.status_code,
                    data,
                    content_type=response.headers.get("content-type", ""),
                    retry_after=response.headers.get("retry-after", ""),
                )
                if response.status_code >= 500:
                    time.sleep(0.05)
            with self.lock:
                self.sent.append(sent)
            i += 1
        client.close()

    # -- what happened ---------------------------------------------------------------------------

    def snapshot(self) -> list[Sent]:
        with self.lock:
            return list(self.sent)

    def acked(self, since: float = 0.0) -> list[Sent]:
        return [s for s in self.snapshot() if s.status in (200, 201) and s.began >= since]

    def count(self, status: int | None, since: float = 0.0) -> int:
        return sum(1 for s in self.snapshot() if s.status == status and s.began >= since)

    def statuses(self) -> Counter[int | str | None]:
        return Counter(
            s.status if s.status is not None else "transport error" for s in self.snapshot()
        )

    def check_written(self, client: httpx.Client) -> dict[str, int]:
        """Every acknowledged write is in the ledger exactly once; the figures."""
        acked = self.acked()
        items = history(client, self.claim_id)
        assert_contiguous(items)
        notes = Counter(
            item["data"]["note"] for item in items if item["type"] == "claim.evidence_added"
        )
        evidence = [s for s in acked if s.kind == "evidence"]
        for sent in evidence:
            assert notes[sent.note] == 1, (sent, notes[sent.note])
            [item] = [i for i in items if i["position"] == sent.body["position"]]
            assert item["data"]["evidence_id"] == sent.body["evidence_id"]
        claims = [s for s in acked if s.kind == "claim"]
        for sent in claims:
            response = client.get(f"/claims/{sent.body['id']}")
            assert response.status_code == 200, (sent, response.text)
            assert response.json()["statement"] == sent.note
        acked_notes = {s.note for s in evidence}
        return {
            "acknowledged": len(acked),
            "found": len(evidence) + len(claims),
            "evidence acknowledged": len(evidence),
            "claims acknowledged": len(claims),
            "evidence written without an acknowledgement": sum(
                1 for note in notes if note not in acked_notes
            ),
        }

    def check_bounded(self, allowed: set[int | None]) -> None:
        """Every request returned within BOUND seconds, with one of `allowed`."""
        for sent in self.snapshot():
            assert sent.seconds <= BOUND, sent
            assert sent.status in allowed, sent
            if sent.status == 503:  # a clean problem that says when to retry
                assert sent.content_type == PROBLEM and sent.retry_after, sent
                assert sent.body["status"] == 503 and sent.body["detail"], sent
