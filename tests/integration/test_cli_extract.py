"""claimtrail extract: the seed article's candidates, by source url, id and file; bad input."""

import json
from pathlib import Path

from typer.testing import CliRunner

from service.cli import app

runner = CliRunner()
SEED_TEXT = Path(__file__).parents[2] / "seeds/xi-putin-summit-2022.txt"
BLOG = "https://blog.example.org/2022/02/xi-putin-summit"


def _run(database_url: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, [*args, "--database-url", database_url])
    return result.exit_code, result.output


def test_extract_reads_a_registered_source_against_the_registry(sqlite_url: str) -> None:
    assert _run(sqlite_url, "seed")[0] == 0
    code, out = _run(sqlite_url, "extract", BLOG, "--json")
    assert code == 0, out
    items = json.loads(out)["items"]
    text = SEED_TEXT.read_text(encoding="utf-8")
    assert len(items) == 11
    assert all(text[i["start"] : i["end"]] == i["exact"] for i in items)
    claimants = {i["claimant"] for i in items}
    assert {"yuri-ushakov", "david-shullman", "vladimir-putin", "genevieve-weiss"} == claimants
    code, table = _run(sqlite_url, "extract", BLOG)
    assert code == 0 and "11 candidate claims" in table


def test_extract_reads_a_file_with_the_writer_given(sqlite_url: str) -> None:
    code, out = _run(sqlite_url, "extract", str(SEED_TEXT), "--author", "Genevieve Weiss", "--json")
    assert code == 0, out
    assert json.loads(out)["items"][0]["claimant"] == "Genevieve Weiss"  # not in this registry


def test_extract_refuses_what_is_neither_a_source_nor_a_file(sqlite_url: str) -> None:
    code, out = _run(sqlite_url, "extract", "https://nowhere.example.org/x")
    assert code == 1 and "neither a source id" in out
    code, out = _run(sqlite_url, "extract", "00000000-0000-0000-0000-000000000000")
    assert code == 1 and "no source" in out
