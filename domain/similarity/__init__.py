"""Similar claims: features that survive paraphrase, a deterministic score, and the choice of
candidates from an index (stdlib only; the index itself is a read view in infra)."""

from domain.similarity.features import ClaimShape, features
from domain.similarity.names import NameMatcher
from domain.similarity.scoring import THRESHOLD, Similar, rank, score

__all__ = ["THRESHOLD", "ClaimShape", "NameMatcher", "Similar", "features", "rank", "score"]
