"""The audit log: events with their Merkle leaves, signed checkpoints, RFC 9162 proofs."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from infra.integrity.audit import AuditLog
from infra.integrity.keys import load_signer
from infra.integrity.signing import (
    b64_raw,
    log_origin,
    note_text,
    note_verifier_key,
    public_pem,
)
from infra.projections.read_model import ReadModel
from service.deps import LedgerDep, Reader, SettingsDep, fresh
from service.responses import JSON

router = APIRouter(prefix="/audit", tags=["audit"], dependencies=[Reader])
AuditView = Annotated[ReadModel, fresh("audit")]  # the leaves, nodes and checkpoints

Position = Annotated[int, Query(ge=1, le=2**62, description="a position in the log")]
Size = Annotated[
    int | None,
    Query(
        ge=1,
        le=2**62,
        description="a tree size (number of leaves); default: the latest checkpoint's",
    ),
]


async def audit_log(ledger: LedgerDep, views: AuditView) -> AuditLog:
    return AuditLog(ledger, views.store)


Audit = Annotated[AuditLog, Depends(audit_log)]
NOT_YET: dict[int | str, dict[str, Any]] = {
    404: {
        "description": "No checkpoint has been signed yet, or the position is not in the log yet."
    }
}


@router.get("/log")
def read_log(
    audit: Audit,
    after: Annotated[int, Query(ge=0, le=2**62, description="start after this position")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> JSON:
    """Every stored event in log order: `{items: [{position, aggregate_id, aggregate_type, version,
    type, topic, recorded_at, recorded_by, data, payload, leaf_hash}], next_after}`. `leaf_hash`
    is null until the audit view has processed the event; `next_after` is null at the end."""
    items, next_after = audit.items(after, limit)
    return JSON({"items": items, "next_after": next_after})


NOTE = "text/plain; charset=utf-8"
PEM = "application/x-pem-file"


def prefers(request: Request, media_type: str) -> bool:
    """Whether the Accept header asks for `media_type` before (or without) JSON."""
    accept = [part.split(";")[0].strip() for part in request.headers.get("accept", "").split(",")]
    if media_type not in accept:
        return False
    return "application/json" not in accept or (
        accept.index(media_type) < accept.index("application/json")
    )


@router.get(
    "/checkpoint",
    responses={
        **NOT_YET,
        200: {
            "description": "The latest checkpoint; a C2SP signed note with Accept: text/plain",
            "content": {"text/plain": {"schema": {"type": "string"}}},
        },
    },
)
def read_checkpoint(audit: Audit, request: Request) -> Response:
    """The latest signed tree head `{tree_size, root_hash, timestamp, key_id, signature,
    origin}`; with `Accept: text/plain`, the same tree head as a C2SP tlog-checkpoint signed
    note (origin, tree size, base64 root hash, blank line, `— <origin> <signature>`)."""
    checkpoint = audit.checkpoint()
    if prefers(request, "text/plain"):
        return Response(note_text(checkpoint), media_type=NOTE)
    return JSON(checkpoint.as_dict())


@router.get("/checkpoints")
def read_checkpoints(
    audit: Audit,
    after: Annotated[int, Query(ge=0, le=2**62, description="start after this tree size")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> JSON:
    """Every signed checkpoint, smallest tree first: `{items: [{tree_size, root_hash,
    timestamp, key_id, signature, origin}], next_after}`; `next_after` (a tree size) is null
    once a page is not full. Any two are consistent: GET /audit/proofs/consistency proves it."""
    items, next_after = audit.checkpoints(after, limit)
    return JSON({"items": [c.as_dict() for c in items], "next_after": next_after})


@router.get(
    "/public-key",
    responses={
        200: {
            "description": "The current signing key; PEM with Accept: application/x-pem-file",
            "content": {PEM: {"schema": {"type": "string"}}},
        }
    },
)
def read_public_key(settings: SettingsDep, request: Request) -> Response:
    """The Ed25519 key that signs checkpoints now: raw (base64), PEM, and as the verifier key of
    its signed notes (`<origin>+<key hash hex>+<base64(0x01 || key)>`, golang.org/x/mod/sumdb/note
    reads it); with
    `Accept: application/x-pem-file`, the PEM alone. `claimtrail verify --public-key` takes
    either document, or the raw key in base64."""
    signer = load_signer(settings.signing_key_file)
    if prefers(request, PEM):
        return Response(public_pem(signer.public_key), media_type=PEM)
    return JSON(
        {
            "key_id": signer.key_id,
            "algorithm": "Ed25519",
            "public_key": b64_raw(signer.public_key),
            "pem": public_pem(signer.public_key),
            "note_verifier_key": note_verifier_key(log_origin(), signer.public_key),
        }
    )


@router.get("/proofs/inclusion", responses=NOT_YET)
def prove_inclusion(audit: Audit, position: Position, tree_size: Size = None) -> JSON:
    """`{leaf_index, tree_size, leaf_hash, path}`: the audit path (RFC 9162 §2.1.3, hex, from
    the leaf up) of the event at `position` in the tree of `tree_size` leaves."""
    return JSON(audit.inclusion(position, tree_size))


@router.get("/proofs/consistency", responses=NOT_YET)
def prove_consistency(
    audit: Audit, first: Annotated[int, Query(ge=1, le=2**62)], second: Size = None
) -> JSON:
    """`{first, second, path}`: the tree of `first` leaves is a prefix of the tree of `second`
    leaves (RFC 9162 §2.1.4, hex)."""
    return JSON(audit.consistency(first, second))
