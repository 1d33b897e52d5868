"""The claimtrail command: seed, keys create|list|revoke, with bad inputs."""

from pathlib import Path

import yaml
from typer.testing import CliRunner

from infra.ledger.application import open_ledger
from service.cli import app

runner = CliRunner()
SEEDS = Path(__file__).parents[3] / "seeds"


def _run(database_url: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, [*args, "--database-url", database_url])
    return result.exit_code, result.output


def test_seed_loads_the_article_and_a_second_run_creates_nothing(database_url: str) -> None:
    code, out = _run(database_url, "seed")
    assert code == 0, out
    assert "'claims': 31" in out
    code, out = _run(database_url, "seed")
    assert code == 0 and "created {'sources': 0, 'actors': 0, 'claims': 0}" in out


def test_seed_refuses_a_quote_that_is_not_in_the_text(sqlite_url: str, tmp_path: Path) -> None:
    data = yaml.safe_load((SEEDS / "xi-putin-summit-2022.yaml").read_text())
    data["claims"][0]["appearance"]["exact"] = "never said"
    (tmp_path / "xi-putin-summit-2022.txt").write_text(
        (SEEDS / "xi-putin-summit-2022.txt").read_text()
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(data))
    code, out = _run(sqlite_url, "seed", str(bad))
    assert code == 1
    assert data["claims"][0]["key"] in out


def test_keys_create_prints_a_token_that_authenticates(sqlite_url: str) -> None:
    code, out = _run(sqlite_url, "keys", "create", "--name", "alice", "--role", "reviewer")
    assert code == 0, out
    token = out.strip().splitlines()[-1]
    ledger = open_ledger(sqlite_url)
    try:
        principal = ledger.principals.authenticate(token)
        assert principal.name == "alice" and principal.role.value == "reviewer"
    finally:
        ledger.close()


def test_keys_create_refuses_an_unknown_role(sqlite_url: str) -> None:
    code, out = _run(sqlite_url, "keys", "create", "--name", "x", "--role", "emperor")
    assert code == 2
    assert "emperor" in out


def test_keys_list_shows_principals_but_never_tokens(sqlite_url: str) -> None:
    _, created = _run(sqlite_url, "keys", "create", "--name", "bob", "--role", "reader")
    token = created.strip().splitlines()[-1]
    code, out = _run(sqlite_url, "keys", "list")
    assert code == 0 and "bob" in out
    assert token not in out and token[-20:] not in out


def test_keys_revoke_stops_the_token_and_a_second_revoke_fails(sqlite_url: str) -> None:
    ledger = open_ledger(sqlite_url)
    try:
        issued = ledger.principals.create(
            ledger.principals.system_context(),
            name="carol",
            role=ledger.principals.system_context().role,
        )
        principal_id, key_id = issued.outcome.aggregate.id, issued.key_id
    finally:
        ledger.close()
    args = ("keys", "revoke", "--principal", str(principal_id), "--key", str(key_id))
    assert _run(sqlite_url, *args)[0] == 0
    code, out = _run(sqlite_url, *args)
    assert code == 1 and "already revoked" in out


def test_keys_revoke_of_an_unknown_key_fails_cleanly(sqlite_url: str) -> None:
    code, out = _run(
        sqlite_url,
        "keys",
        "revoke",
        "--principal",
        "00000000-0000-0000-0000-000000000000",
        "--key",
        "00000000-0000-0000-0000-000000000001",
    )
    assert code == 1 and "not found" in out


def _corrupt_a_view_row(database_url: str) -> None:
    from infra.projections.store import ViewStore

    ledger = open_ledger(database_url)
    try:
        store = ViewStore(ledger.recorder)
        with store.transaction(commit=True) as cursor:
            cursor.execute(
                "UPDATE {rm_claims} SET status = 'retracted' WHERE seq = "
                "(SELECT MIN(seq) FROM {rm_claims})"
            )
    finally:
        ledger.close()


def test_replay_finds_the_views_equal_to_a_rebuild(database_url: str) -> None:
    assert _run(database_url, "seed")[0] == 0
    code, out = _run(database_url, "replay")
    assert code == 0, out
    assert out.count("yes") >= 4 and "NO" not in out


def test_replay_names_a_corrupted_view_and_swap_repairs_it(database_url: str) -> None:
    assert _run(database_url, "seed")[0] == 0
    assert _run(database_url, "replay")[0] == 0  # the live views exist and are caught up
    _corrupt_a_view_row(database_url)
    code, out = _run(database_url, "replay")
    assert code == 1
    assert "claims" in out and "NO" in out
    code, out = _run(database_url, "replay", "--swap")
    assert code == 0 and "now live" in out
    code, out = _run(database_url, "replay")
    assert code == 0 and "NO" not in out


def test_replay_as_of_a_time_before_anything_builds_empty_views(sqlite_url: str) -> None:
    assert _run(sqlite_url, "seed")[0] == 0
    code, out = _run(sqlite_url, "replay", "--as-of", "2020-01-01T00:00:00+00:00")
    assert code == 0 and "as of 2020-01-01" in out


def test_replay_refuses_swap_with_as_of(sqlite_url: str) -> None:
    code, out = _run(sqlite_url, "replay", "--swap", "--as-of", "2020-01-01T00:00:00+00:00")
    assert code == 1 and "cannot be combined" in out


def test_import_claimreview_twice_then_export_as_claimreview(
    sqlite_url: str, tmp_path: Path
) -> None:
    fixtures = str(Path(__file__).parents[2] / "fixtures" / "claimreview")
    code, out = _run(sqlite_url, "import", "claimreview", fixtures)
    assert code == 1 and "imported 7" in out and "errors 3" in out  # invalid-items.json
    code, out = _run(sqlite_url, "import", "claimreview", fixtures)
    assert "imported 0, unchanged 7" in out
    target = tmp_path / "reviews.json"
    code, out = _run(sqlite_url, "export", "--format", "claimreview", "--output", str(target))
    assert code == 0, out
    import json

    reviews = json.loads(target.read_text())
    assert len(reviews) == 6 and {r["@type"] for r in reviews} == {"ClaimReview"}
