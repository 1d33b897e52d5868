"""claimtrail extract: the seed article's candidates, by source url, id and file; bad input."""

import json
from pathlib import Path

from typer.testing import CliRunner

from service.cli import app

runner = CliRunner()
SEED_TEXT = Path(__file__).parents[3] / "seeds/xi-putin-summit-2022.txt"
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


FIXTURES = Path(__file__).parents[3] / "tests/fixtures/capture"


def test_capture_reads_a_saved_page_and_extract_reads_what_it_captured(
    sqlite_url: str, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("CLAIMTRAIL_SNAPSHOT_DIR", str(tmp_path / "snapshots"))
    page = str(FIXTURES / "jsonld.html")
    url = "https://harbour.example.org/port-strike"
    code, out = _run(sqlite_url, "capture", page, "--url", url)
    assert code == 0, out
    assert "captured" in out and "Port strike halts traffic" in out
    assert len(list((tmp_path / "snapshots").rglob("*"))) == 2  # a folder and the snapshot
    code, out = _run(sqlite_url, "capture", page, "--url", url)
    assert code == 0 and "already captured" in out
    code, out = _run(sqlite_url, "extract", url, "--json")
    assert code == 0 and len(json.loads(out)["items"]) == 8


def test_capture_refuses_a_file_without_its_url_or_of_another_type(
    sqlite_url: str, tmp_path: Path
) -> None:
    code, out = _run(sqlite_url, "capture", str(FIXTURES / "jsonld.html"))
    assert code == 1 and "needs --url" in out
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    code, out = _run(sqlite_url, "capture", str(pdf), "--url", "https://example.org/a")
    assert code == 1 and "not HTML or plain text" in out
