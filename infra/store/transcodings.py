"""Transcodings for every value object stored in events or snapshots.

The transcoding `name` is persisted with each value: never rename one.
"""

from __future__ import annotations

import json
from dataclasses import fields
from enum import Enum
from typing import Any

from eventsourcing.persistence import JSONTranscoder, Transcoding

from domain.base import SeenKey
from domain.claim_parts import Dispute, Evidence, Link, Review
from domain.principals import ApiKey
from domain.values import (
    ActorKind,
    ActorRef,
    Appearance,
    ClaimKind,
    ClaimStatus,
    DisputeOutcome,
    LinkRelation,
    Meta,
    PartialDate,
    Quantity,
    Rating,
    Relation,
    Role,
    SourceKind,
    Stance,
)
from domain.vocabulary import Verdict


class DataclassAsDict(Transcoding):
    """A frozen dataclass as a dict of its fields (not `asdict`, which flattens nested values)."""

    def __init__(self, cls: type, name: str) -> None:
        self.type, self.name = cls, name

    def encode(self, obj: Any) -> dict[str, Any]:
        return {f.name: getattr(obj, f.name) for f in fields(obj)}

    def decode(self, data: dict[str, Any]) -> Any:
        return self.type(**data)


class EnumAsValue(Transcoding):
    def __init__(self, cls: type[Enum], name: str) -> None:
        self.type, self.name = cls, name

    def encode(self, obj: Enum) -> Any:
        return obj.value

    def decode(self, data: Any) -> Enum:
        return self.type(data)


class PartialDateAsStr(Transcoding):
    type, name = PartialDate, "partial_date"

    def encode(self, obj: PartialDate) -> str:
        return str(obj)

    def decode(self, data: str) -> PartialDate:
        return PartialDate.parse(data)


DATACLASSES: dict[type, str] = {
    Quantity: "quantity",
    ActorRef: "actor_ref",
    Relation: "relation",
    Appearance: "appearance",
    Rating: "rating",
    Meta: "meta",
    Evidence: "evidence",
    Dispute: "dispute",
    Review: "review",
    Link: "link",
    ApiKey: "api_key",
    SeenKey: "seen_key",
}
ENUMS: dict[type[Enum], str] = {
    ClaimKind: "claim_kind",
    ClaimStatus: "claim_status",
    SourceKind: "source_kind",
    ActorKind: "actor_kind",
    Stance: "stance",
    DisputeOutcome: "dispute_outcome",
    LinkRelation: "link_relation",
    Role: "role",
    Verdict: "verdict",
}


def register_transcodings(transcoder: JSONTranscoder) -> None:
    # Keys sorted: a stored state is then its own canonical encoding (the audit leaf's payload,
    # infra/integrity/leaves.py), and `verify` can hash the stored bytes as they are.
    transcoder.encoder = json.JSONEncoder(
        default=transcoder._encode_obj,  # the library's own value-object hook
        separators=(",", ":"),
        ensure_ascii=False,
        sort_keys=True,
    )
    transcoder.register(PartialDateAsStr())
    for cls, name in DATACLASSES.items():
        transcoder.register(DataclassAsDict(cls, name))
    for enum, name in ENUMS.items():
        transcoder.register(EnumAsValue(enum, name))
