"""The dependency rule, checked on the source: domain <- infra <- service, and nothing else."""

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imports_in(source: str, package: str) -> Iterator[str]:
    """Every module named by an import in `source`, relative imports made absolute.

    `from a import b` yields `a.b`, so `from eventsourcing import utils` is seen for what it is.
    """
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(filter(None, [package, base])) if node.level == 1 else ".."
            yield from (f"{base}.{alias.name}" for alias in node.names)


def imports_of(package: str) -> Iterator[tuple[str, str]]:
    for path in sorted((ROOT / package).rglob("*.py")):
        for name in imports_in(path.read_text(encoding="utf-8"), package):
            yield str(path.relative_to(ROOT)), name


def allowed_in_domain(name: str) -> bool:
    top = name.split(".")[0]
    return (
        top in sys.stdlib_module_names
        or top == "domain"
        or name == "eventsourcing.domain"
        or name.startswith("eventsourcing.domain.")
    )


def layer(name: str) -> str:
    return name.split(".")[0]


def test_the_domain_imports_only_the_stdlib_eventsourcing_domain_and_itself():
    found = list(imports_of("domain"))
    assert found, "no imports found: is ROOT right?"
    assert [(path, name) for path, name in found if not allowed_in_domain(name)] == []


def test_the_domain_uses_eventsourcing_through_its_domain_module():
    assert any(name.startswith("eventsourcing.domain.") for _, name in imports_of("domain"))


def test_the_domain_never_imports_infra_or_service():
    assert [(p, n) for p, n in imports_of("domain") if layer(n) in {"infra", "service"}] == []


def test_infra_never_imports_the_service():
    found = list(imports_of("infra"))
    assert found
    assert [(path, name) for path, name in found if layer(name) == "service"] == []


def test_the_import_rule_catches_what_it_should():
    # The checker must see through every spelling, including under `if TYPE_CHECKING:`.
    forbidden = """
from eventsourcing.utils import get_topic
from eventsourcing import application
import yaml
from .. import infra
if TYPE_CHECKING:
    from service.app import create_app
def later():
    import psycopg
"""
    names = list(imports_in(forbidden, "domain"))
    assert len(names) == 6
    assert not any(allowed_in_domain(name) for name in names)


def test_the_import_rule_lets_the_stdlib_and_the_domain_through():
    allowed = """
from __future__ import annotations
import unicodedata
from urllib.parse import urlsplit
from eventsourcing.domain import Aggregate
from eventsourcing import domain
from domain.values import Meta
from .errors import DomainError
"""
    assert all(allowed_in_domain(name) for name in imports_in(allowed, "domain"))
