"""Browser tests: a real headless Chromium drives the web UI of a seeded server.

Chromium and chromedriver come from Debian (`apt-get install chromium chromium-driver`); Selenium
is pointed at /usr/bin/chromedriver so Selenium Manager downloads nothing. Without them the tests
skip -- unless CLAIMTRAIL_REQUIRE_BROWSER=1 (CI), where that is a failure.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from infra.ledger.application import open_ledger
from infra.seeding import load_seed
from tests.api.conftest import Api, serve
from tests.e2e.pages import Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SEED = Path(__file__).resolve().parents[2] / "seeds" / "xi-putin-summit-2022.yaml"
ARGUMENTS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1360,1000",
)


def _missing_browser() -> str | None:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("the selenium package")
    return f"the browser tests need chromium: missing {', '.join(missing)}" if missing else None


@pytest.fixture(scope="session")
def chromium() -> None:
    reason = _missing_browser()
    if reason is None:
        return
    if os.environ.get("CLAIMTRAIL_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (CLAIMTRAIL_REQUIRE_BROWSER=1)")
    pytest.skip(f"{reason} (apt-get install chromium chromium-driver)")


@pytest.fixture(scope="session")
def site(chromium: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """The app on a SQLite file holding the Xi-Putin seed, with a token for every role."""
    url = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'claimtrail.sqlite3'}"
    ledger = open_ledger(url)
    load_seed(ledger, SEED)
    ledger.close()
    for api in serve(url):
        head = api.get("/readyz").json()["position"]
        # Every view has caught up with the seed before a page is opened.
        assert api.get("/claims", min_position=head, limit=1).status_code == 200
        yield api


@pytest.fixture(scope="session")
def driver(chromium: None) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="claimtrail-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (*ARGUMENTS, f"--user-data-dir={profile}"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    browser.set_page_load_timeout(20)
    try:
        yield browser
    finally:
        browser.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(driver: Any, site: Api) -> Iterator[Page]:
    """A fresh tab state (no token), and afterwards no script error or CSP violation."""
    page = Page(driver, str(site.client.base_url).rstrip("/"))
    page.reset()
    yield page
    assert page.script_errors() == []
