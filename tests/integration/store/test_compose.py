"""docker-compose.yml cannot run here (no Docker engine); its shape is checked instead."""

from pathlib import Path

import yaml

from infra.store.database import environment

COMPOSE = yaml.safe_load((Path(__file__).parents[3] / "docker-compose.yml").read_text())


def test_compose_runs_postgres_the_api_and_a_projection_worker() -> None:
    assert set(COMPOSE["services"]) >= {"postgres", "api", "projector"}
    assert COMPOSE["services"]["projector"]["command"] == ["claimtrail", "project"]
    # one process per core, each keeping a group of views (claimtrail project --processes 0)
    assert COMPOSE["services"]["projector"]["environment"]["CLAIMTRAIL_PROJECTION_PROCESSES"] == "0"
    assert COMPOSE["services"]["api"]["environment"]["CLAIMTRAIL_PROJECTIONS"] == "off"
    assert COMPOSE["services"]["postgres"]["image"].startswith("postgres:")


def test_every_service_has_a_healthcheck() -> None:
    for name, service in COMPOSE["services"].items():
        assert service["healthcheck"]["test"], name


def test_the_api_waits_for_a_healthy_database() -> None:
    assert COMPOSE["services"]["api"]["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_the_api_database_url_names_the_compose_database() -> None:
    api = COMPOSE["services"]["api"]["environment"]
    db = COMPOSE["services"]["postgres"]["environment"]
    env = environment(api["CLAIMTRAIL_DATABASE_URL"])
    assert env["POSTGRES_HOST"] == "postgres"
    assert env["POSTGRES_USER"] == db["POSTGRES_USER"]
    assert env["POSTGRES_PASSWORD"] == db["POSTGRES_PASSWORD"]
    assert env["POSTGRES_DBNAME"] == db["POSTGRES_DB"]


def test_the_api_is_built_from_the_projects_dockerfile() -> None:
    assert COMPOSE["services"]["api"]["build"] == "."
    assert (Path(__file__).parents[3] / "Dockerfile").exists()
