"""A page object over Selenium: what a fact-checker does, with explicit waits (no sleeps)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

try:
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.remote.webelement import WebElement
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:  # the `chromium` fixture skips the tests, or fails them in CI, saying why
    ActionChains = By = Keys = WebElement = Any

WAIT = 10
SCREENSHOTS = Path(__file__).parent / "screenshots"  # ignored by git: for a reviewer to look at


class Page:
    def __init__(self, driver: Any, base_url: str) -> None:
        self.driver, self.base_url = driver, base_url

    def reset(self) -> None:
        """A freshly loaded page without a token (a hash change alone would keep the page)."""
        self.driver.get(f"{self.base_url}/#/claims")
        self.driver.execute_script("sessionStorage.clear()")
        self.driver.refresh()
        self.find(".claim-row")
        self.driver.get_log("browser")  # drop what earlier tests left

    def open(self, fragment: str) -> None:
        self.driver.get(f"{self.base_url}/{fragment}")

    def wait(self, condition: Any, timeout: float = WAIT) -> Any:
        return WebDriverWait(
            self.driver,
            timeout,
            ignored_exceptions=(NoSuchElementException, StaleElementReferenceException),
        ).until(condition)

    def find(self, css: str) -> WebElement:
        return self.wait(ec.visibility_of_element_located((By.CSS_SELECTOR, css)))

    def all(self, css: str) -> list[WebElement]:
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def texts(self, css: str) -> list[str]:
        return [e.text for e in self.all(css)]

    def wait_for_text(self, css: str, text: str) -> WebElement:
        self.wait(ec.text_to_be_present_in_element((By.CSS_SELECTOR, css), text))
        return self.find(css)

    def fill(self, scope: WebElement | None, name: str, value: str) -> None:
        control = (scope or self.driver).find_element(By.NAME, name)
        control.clear()
        control.send_keys(value)

    def submit(self, form: WebElement) -> None:
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()

    def use_token(self, token: str) -> None:
        """Enter a token in the header's token box."""
        self.find("#token-box summary").click()
        self.fill(self.find("#token-form"), "token", token)
        self.submit(self.find("#token-form"))
        self.wait_for_text("#token-summary", "Token set")

    def open_action(self, name: str, scope: str = ".actions") -> WebElement:
        """Unfold an action of a claim (`evidence`, `dispute`, `review`, ...); its form."""
        form_css = f"{scope} form[data-action={name}]"
        details = self.wait(ec.presence_of_element_located((By.CSS_SELECTOR, form_css)))
        details = details.find_element(By.XPATH, "./ancestor::details[1]")
        if not details.get_attribute("open"):
            details.find_element(By.TAG_NAME, "summary").click()
        return self.find(form_css)

    def claim_rows(self) -> list[str]:
        return self.texts(".claim-row .statement")

    def script_errors(self) -> list[str]:
        """Severe console entries, except the failed requests a test provoked on purpose."""
        return [
            entry["message"]
            for entry in self.driver.get_log("browser")
            if entry["level"] == "SEVERE"
            and "the server responded with a status of 4" not in entry["message"]
        ]

    def screenshot(self, name: str, width: int = 1360) -> Path:
        """The whole page at `width` px, as tests/e2e/screenshots/<name>-<width>.png."""
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"{name}-{width}.png"
        height = self.driver.execute_script("return document.documentElement.scrollHeight")
        self.driver.set_window_size(width, max(800, min(int(height) + 140, 4000)))
        self.driver.execute_script("window.scrollTo(0, 0)")
        self.settle()
        assert self.driver.save_screenshot(str(path))
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        self.driver.set_window_size(1360, 1000)
        return path

    def settle(self) -> None:
        """Wait two animation frames: layout, resize observers and paint have run."""
        self.driver.execute_async_script(
            "const done = arguments[0];"
            " requestAnimationFrame(() => requestAnimationFrame(() => done()));"
        )
