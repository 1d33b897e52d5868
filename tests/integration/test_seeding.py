"""The seed article loads completely, idempotently, and refuses a quote that is not in its text."""

from pathlib import Path

import pytest
import yaml

from infra.ledger.application import Ledger
from infra.seeding import SeedError, load_seed, read_seed

SEED = Path(__file__).parents[2] / "seeds" / "xi-putin-summit-2022.yaml"


def _broken_copy(tmp_path: Path, claim_index: int, exact: str) -> tuple[Path, str]:
    data = yaml.safe_load(SEED.read_text())
    data["claims"][claim_index]["appearance"]["exact"] = exact
    (tmp_path / "xi-putin-summit-2022.txt").write_text(
        (SEED.parent / "xi-putin-summit-2022.txt").read_text()
    )
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data))
    return path, data["claims"][claim_index]["key"]


def test_the_seed_file_records_every_claim_with_its_quote_anchored(ledger: Ledger) -> None:
    report = load_seed(ledger, SEED)
    seed, texts = read_seed(SEED)
    assert report.created == {"sources": 2, "actors": len(seed.actors), "claims": len(seed.claims)}
    blog = ledger.sources.find("https://blog.example.org/2022/02/xi-putin-summit")
    assert blog is not None and blog.text == texts["blog"]
    guardian = ledger.sources.find(
        "https://www.theguardian.com/world/2022/feb/03/"
        "xi-putin-summit-russia-inches-closer-china-new-cold-war-looms"
    )
    assert guardian is not None and guardian.text is None
    assert blog.cites == [guardian.id]
    assert blog.authors == ["Genevieve Weiss"]


def test_seeding_twice_writes_nothing_the_second_time(ledger: Ledger) -> None:
    load_seed(ledger, SEED)
    head = ledger.recorder.max_notification_id()
    report = load_seed(ledger, SEED)
    assert sum(report.created.values()) == 0
    assert ledger.recorder.max_notification_id() == head


def test_the_seed_knows_china_by_every_spelling_in_the_text(ledger: Ledger) -> None:
    load_seed(ledger, SEED)
    for name in ("China", "Beijing", "Bejing", "bejing", "BEIJING"):
        assert ledger.actors.resolve(name).id == "china"
    assert ledger.actors.resolve("Nato").id == "nato"


def test_the_seeded_gas_deal_carries_its_quantities_and_date(ledger: Ledger) -> None:
    report = load_seed(ledger, SEED)
    seed, _ = read_seed(SEED)
    gas = [c.key for c in seed.claims if any(q.unit == "USD" for q in c.quantities)]
    assert gas, "the $400 billion gas deal must be seeded"
    for claim in (ledger.claims.get(report.claim_ids[key]) for key in gas):
        assert str(claim.occurred_on) == "2014-05"
        values = {(q.unit, int(q.value)) for q in claim.quantities}
        assert ("USD", 400_000_000_000) in values and ("years", 30) in values


def test_a_seed_file_with_a_quote_not_in_the_text_is_refused_naming_the_claim(
    ledger: Ledger, tmp_path: Path
) -> None:
    path, key = _broken_copy(tmp_path, 3, "words the article never says")
    head = ledger.recorder.max_notification_id()
    with pytest.raises(SeedError, match=key):
        load_seed(ledger, path)
    assert ledger.recorder.max_notification_id() == head
