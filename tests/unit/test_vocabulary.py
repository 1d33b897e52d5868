import pytest

from domain.errors import InvalidValueError, UnknownRelationError
from domain.values import Relation
from domain.vocabulary import RELATIONS, quad_class, resolve_relation


def test_a_relation_resolves_from_its_slug():
    assert resolve_relation("supports") == Relation("supports", "051", 1)
    assert resolve_relation("sanctions") == Relation("sanctions", "163", 4)


@pytest.mark.parametrize(
    ("code", "slug", "quad"),
    [
        ("057", "signs_agreement", 1),
        ("163", "boycotts", 4),
        ("061", "cooperates_economically", 2),
        ("110", "opposes", 3),
        ("010", "makes_statement", 1),
    ],
)
def test_a_relation_resolves_from_its_cameo_code(code, slug, quad):
    relation = resolve_relation(code)
    assert (relation.slug, relation.cameo, relation.quad_class) == (slug, code, quad)


def test_a_code_shared_by_two_slugs_resolves_to_the_first_declared():
    assert resolve_relation("163").slug == "boycotts"
    assert resolve_relation("sanctions").cameo == resolve_relation("boycotts").cameo


@pytest.mark.parametrize("unknown", ["endorses", "Supports", "999", "57", "", "051 "])
def test_an_unknown_slug_or_code_names_the_allowed_slugs(unknown):
    with pytest.raises(UnknownRelationError) as raised:
        resolve_relation(unknown)
    assert raised.value.extra["allowed"] == sorted(RELATIONS)
    assert isinstance(raised.value, InvalidValueError)


def test_cameo_codes_are_three_digit_strings_keeping_their_leading_zeros():
    for slug, (code, _label) in RELATIONS.items():
        assert isinstance(code, str), slug
        assert len(code) == 3 and code.isdigit(), slug
    assert resolve_relation("signs_agreement").cameo == "057"


def test_every_relation_in_the_vocabulary_resolves_to_a_quad_class():
    for slug in RELATIONS:
        relation = resolve_relation(slug)
        assert relation.slug == slug
        assert relation.quad_class in {1, 2, 3, 4}
        assert resolve_relation(relation.cameo).cameo == relation.cameo


@pytest.mark.parametrize(
    ("code", "quad"),
    [
        ("010", 1),
        ("057", 1),
        ("059", 1),
        ("060", 2),
        ("090", 2),
        ("099", 2),
        ("100", 3),
        ("140", 3),
        ("149", 3),
        ("150", 4),
        ("200", 4),
        ("204", 4),
    ],
)
def test_the_quad_class_follows_the_two_digit_root(code, quad):
    assert quad_class(code) == quad


@pytest.mark.parametrize("code", ["000", "210", "990"])
def test_a_root_outside_cameo_has_no_quad_class(code):
    with pytest.raises(UnknownRelationError):
        quad_class(code)
