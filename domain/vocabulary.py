"""The controlled vocabularies: relations (mapped to CAMEO event codes) and verdicts.

CAMEO codes are strings ("057", never 57). The quad class follows from the root code exactly as in
GDELT 2.0: roots 01-05 verbal cooperation (1), 06-09 material cooperation (2), 10-14 verbal
conflict (3), 15-20 material conflict (4).
"""

from __future__ import annotations

from enum import Enum

from domain.errors import UnknownRelationError
from domain.values import Relation


class Verdict(Enum):
    TRUE = "true"
    MOSTLY_TRUE = "mostly_true"
    MIXED = "mixed"
    MOSTLY_FALSE = "mostly_false"
    FALSE = "false"
    MISLEADING = "misleading"
    UNVERIFIABLE = "unverifiable"
    SATIRE = "satire"
    OPINION = "opinion"


# slug -> (CAMEO code, official CAMEO label)
RELATIONS: dict[str, tuple[str, str]] = {
    "makes_statement": ("010", "Make statement"),
    "seeks_support": ("022", "Appeal for diplomatic cooperation, such as policy support"),
    "seeks_cooperation": ("021", "Appeal for material cooperation"),
    "intends_to_cooperate": ("030", "Express intent to cooperate"),
    "meets": ("040", "Consult"),
    "visits": ("042", "Make a visit"),
    "hosts": ("043", "Host a visit"),
    "negotiates": ("046", "Engage in negotiation"),
    "cooperates_diplomatically": ("050", "Engage in diplomatic cooperation"),
    "supports": ("051", "Praise or endorse"),
    "defends_verbally": ("052", "Defend verbally"),
    "signs_agreement": ("057", "Sign formal agreement"),
    "cooperates_economically": ("061", "Cooperate economically"),
    "cooperates_militarily": ("062", "Cooperate militarily"),
    "provides_aid": ("070", "Provide aid"),
    "demands": ("100", "Demand"),
    "opposes": ("110", "Disapprove"),
    "criticizes": ("111", "Criticize or denounce"),
    "accuses": ("112", "Accuse"),
    "rejects": ("120", "Reject"),
    "threatens": ("130", "Threaten"),
    "protests": ("140", "Engage in political dissent"),
    "exhibits_force": ("150", "Demonstrate military or police power"),
    "reduces_relations": ("160", "Reduce relations"),
    "boycotts": ("163", "Impose embargo, boycott, or sanctions"),
    "sanctions": ("163", "Impose embargo, boycott, or sanctions"),
    "coerces": ("170", "Coerce"),
    "assaults": ("180", "Use unconventional violence"),
    "fights": ("190", "Use conventional military force"),
}

# A CAMEO code given instead of a slug resolves to the first slug declared for it.
_BY_CODE: dict[str, str] = {}
for _slug, (_code, _label) in RELATIONS.items():
    _BY_CODE.setdefault(_code, _slug)


def quad_class(cameo: str) -> int:
    """The GDELT quad class of a CAMEO code, from its two-digit root."""
    root = int(cameo[:2])
    if 1 <= root <= 5:
        return 1
    if 6 <= root <= 9:
        return 2
    if 10 <= root <= 14:
        return 3
    if 15 <= root <= 20:
        return 4
    raise UnknownRelationError(f"'{cameo}' is not a CAMEO event code")


def resolve_relation(slug_or_code: str) -> Relation:
    """A relation from its vocabulary slug or its CAMEO code."""
    slug = _BY_CODE.get(slug_or_code, slug_or_code)
    if slug not in RELATIONS:
        raise UnknownRelationError(
            f"'{slug_or_code}' is neither a relation slug nor a CAMEO code in the vocabulary",
            allowed=sorted(RELATIONS),
        )
    code = RELATIONS[slug][0]
    return Relation(slug=slug, cameo=code, quad_class=quad_class(code))


def relations_matching(slug_or_code: str) -> tuple[str, ...]:
    """The slugs a relation filter matches: a slug itself, a CAMEO code every slug mapped to it
    ("163" matches both `boycotts` and `sanctions`)."""
    slug = resolve_relation(slug_or_code).slug
    if slug_or_code in _BY_CODE:
        return tuple(s for s, (code, _) in RELATIONS.items() if code == slug_or_code)
    return (slug,)
