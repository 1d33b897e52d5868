"""Request bodies of the claim commands and the claim's JSON representation."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from domain.values import (
    ClaimKind,
    DisputeOutcome,
    LinkRelation,
    PartialDate,
    Quantity,
    Rating,
    Stance,
    WorkflowState,
)
from domain.vocabulary import Verdict
from infra.languages import language_tag
from infra.ledger.claim_inputs import EvidenceInput, Quote


def _partial_date(value: str) -> str:
    PartialDate.parse(value)
    return value


Text = Annotated[str, Field(min_length=1, max_length=5000)]
Statement = Annotated[str, Field(min_length=1, max_length=2000)]
ActorName = Annotated[str, Field(min_length=1, max_length=200, examples=["china", "Beijing"])]
Tag = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,62}$")]
DateText = Annotated[str, AfterValidator(_partial_date), Field(examples=["2022-02-04"])]
Url = Annotated[str, Field(min_length=1, max_length=2048, pattern=r"^https?://")]
# 15 significant digits: every such value survives a JSON number (a double) exactly.
Number = Annotated[Decimal, Field(allow_inf_nan=False, max_digits=15)]
Context = Annotated[str, Field(max_length=500)]
Language = Annotated[
    str, Field(max_length=64, examples=["ru", "zh-Hans"]), AfterValidator(language_tag)
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class QuoteIn(Strict):
    source_id: UUID
    exact: Text
    prefix: Context = ""
    suffix: Context = ""

    def quote(self) -> Quote:
        return Quote(self.source_id, self.exact, self.prefix, self.suffix)


class QuantityIn(Strict):
    value: Number
    unit: Annotated[str, Field(min_length=1, max_length=50, examples=["USD", "years"])]
    about: Annotated[str, Field(max_length=200)] | None = None

    def quantity(self) -> Quantity:
        return Quantity(self.value, self.unit, self.about)


class ClaimIn(Strict):
    statement: Statement
    kind: ClaimKind
    subject: ActorName
    relation: Annotated[str, Field(min_length=1, max_length=64, examples=["supports", "057"])]
    object: ActorName | None = None
    about: Annotated[list[ActorName], Field(max_length=50)] = []
    claimant: ActorName | None = None
    occurred_on: DateText | None = None
    quantities: Annotated[list[QuantityIn], Field(max_length=50)] = []
    tags: Annotated[list[Tag], Field(max_length=50)] = []
    negated: Annotated[
        bool,
        Field(
            description="the claim asserts the relation does NOT hold "
            "(it then forms no relationship edge)"
        ),
    ] = False
    language: Annotated[
        Language | None,
        Field(description="BCP-47 (`ru`, `zh-Hans`); the source's language when left out"),
    ] = None
    appearance: QuoteIn


class EvidenceIn(Strict):
    stance: Stance
    note: Text
    source_id: UUID | None = None
    exact: Text | None = None
    prefix: Context = ""
    suffix: Context = ""
    url: Url | None = None

    @model_validator(mode="after")
    def _quote_needs_source(self) -> EvidenceIn:
        if self.exact is not None and self.source_id is None:
            raise ValueError("'exact' needs 'source_id'")
        return self

    def evidence(self) -> EvidenceInput:
        return EvidenceInput(
            self.stance, self.note, self.source_id, self.exact, self.prefix, self.suffix, self.url
        )


class DisputeIn(Strict):
    reason: Text
    evidence: EvidenceIn | None = None


class ResolutionIn(Strict):
    outcome: DisputeOutcome
    note: Text


class RatingIn(Strict):
    value: Number
    best: Number
    worst: Number

    def rating(self) -> Rating:
        return Rating(self.value, self.best, self.worst)

    @model_validator(mode="after")
    def _check(self) -> RatingIn:
        self.rating()  # raises InvalidValueError (a ValueError) when out of range
        return self


class ReviewIn(Strict):
    verdict: Verdict
    label: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    explanation: Text
    url: Url | None = None
    rating: RatingIn | None = None
    state: Annotated[
        Literal["published", "draft"],
        Field(
            description="`draft`: written but not counted (no verdict, stance or ClaimReview) "
            "until published with POST .../reviews/{review_id}/publication"
        ),
    ] = "published"
    organization_id: UUID | None = Field(
        None,
        description="the organization the review is made for (needed only by a member of "
        "several); a member's role there must include 'reviewer'",
    )


class AssignmentIn(Strict):
    assignee: Annotated[
        UUID, Field(description="a principal whose role includes reviewer (its id)")
    ]


class UnpublicationIn(Strict):
    reason: Text


class CorrectionIn(Strict):
    reason: Text
    statement: Statement | None = None
    occurred_on: DateText | None = None
    relation: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    object: ActorName | None = None
    quantities: Annotated[list[QuantityIn], Field(max_length=50)] | None = None


class RetractionIn(Strict):
    reason: Text


class LinkIn(Strict):
    target_id: UUID
    relation: LinkRelation


class ActorRefOut(BaseModel):
    id: str
    name: str


class OrganizationRefOut(BaseModel):
    id: UUID
    name: str


class ReviewOut(BaseModel):
    """A review. `state`: `published` (it counts), `draft` or `unpublished`. `organization`:
    the organization it was made for (`{id, name}`, null for a review by a principal of no
    organization); `organization_id` is its id, as before."""

    id: UUID
    verdict: Verdict
    label: str | None
    explanation: str
    url: str | None
    rating: dict[str, Any] | None
    reviewed_by: UUID
    reviewed_at: str
    original: dict[str, Any] | None
    state: str
    published_at: str | None
    published_by: UUID | None
    unpublished_reason: str | None
    unpublished_at: str | None
    unpublished_by: UUID | None
    organization_id: UUID | None
    organization: OrganizationRefOut | None


class RelationOut(BaseModel):
    slug: str
    cameo: str
    quad_class: int


class SimilarRefOut(BaseModel):
    id: UUID
    score: float


class ClaimOut(BaseModel):
    """A claim's current state. `verdict` is the verdict of the review published last (drafts
    and unpublished reviews do not count; `reviews` lists them all, each with its `state`).
    `workflow`: `unassigned`, `assigned`, `in_progress` or `reviewed` (a review is published)."""

    id: UUID
    version: int
    status: str
    verdict: Verdict | None
    statement: str
    kind: ClaimKind
    negated: bool
    language: str | None
    subject: ActorRefOut
    relation: RelationOut
    object: ActorRefOut | None
    about: list[ActorRefOut]
    claimant: ActorRefOut | None
    occurred_on: str | None
    quantities: list[dict[str, Any]]
    tags: list[str]
    appearances: list[dict[str, Any]]
    evidence: list[dict[str, Any]]
    disputes: list[dict[str, Any]]
    reviews: list[ReviewOut]
    links: list[dict[str, Any]]
    retraction_reason: str | None
    assignee: UUID | None
    workflow: WorkflowState
    recorded_at: str
    recorded_by: UUID
    updated_at: str
    position: int | None = None
    evidence_id: UUID | None = None
    dispute_id: UUID | None = None
    review_id: UUID | None = None
    similar: list[SimilarRefOut] | None = None
