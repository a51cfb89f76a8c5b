"""End to end in headless Chromium: the web app's upload, report, filter and download, and
the HTML report opened from a file, as a person would use them."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
BROKEN = ROOT / "tests/acceptance/examples/broken.yaml"
GOOD = ROOT / "fixtures/examples/raunheim-network-2015.yaml"


def _by(kind: str) -> Any:
    from selenium.webdriver.common.by import By

    return getattr(By, kind)


def _visible_codes(driver: Any) -> list[str]:
    return [a.get_attribute("data-code") for a in driver.find_elements(_by("CSS_SELECTOR"), "article.finding")
            if a.is_displayed()]


def _submit(driver: Any, button: str) -> None:
    """Press a button that loads a new page, and wait for it: the old page's elements would
    otherwise still be found while the new one is on its way."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.expected_conditions import staleness_of
    from selenium.webdriver.support.ui import WebDriverWait

    page = driver.find_element(_by("TAG_NAME"), "html")
    driver.find_element(_by("ID"), button).click()
    # While the page is being replaced, Chromium may answer about the old element with an
    # error of its own ("does not belong to the document") instead of calling it stale.
    WebDriverWait(driver, 30, ignored_exceptions=(WebDriverException,)).until(staleness_of(page))


def _upload(driver: Any, server: str, *paths: Path, button: str = "validate", **fields: str) -> None:
    from selenium.webdriver.support.ui import Select

    driver.get(server + "/?lang=en")
    driver.find_element(_by("ID"), "files").send_keys("\n".join(str(p) for p in paths))
    for name, value in fields.items():
        Select(driver.find_element(_by("ID"), name)).select_by_value(value)
    if button == "convert":  # a download: the page stays
        driver.find_element(_by("ID"), button).click()
    else:
        _submit(driver, button)


def test_a_good_file_is_valid(browser: Any, server: str) -> None:
    _upload(browser, server, GOOD)
    assert browser.find_element(_by("CSS_SELECTOR"), "p.verdict").text.startswith("valid — Errors: 0")


def test_a_bad_file_shows_its_findings_and_the_filter_works(browser: Any, server: str,
                                                            keep_screenshot: Callable[[Any, str], None]) -> None:
    _upload(browser, server, BROKEN)
    assert _visible_codes(browser) == ["unknown-field", "invalid-code", "wrong-type", "unknown-reference"]
    riga = browser.find_elements(_by("CSS_SELECTOR"), "article.finding")[3]
    assert "there is no town with id 'riga' in this dataset" in riga.text
    assert "members: [bremen, riga]" in riga.find_element(_by("CSS_SELECTOR"), ".hit").text
    shown = browser.find_element(_by("ID"), "shown")
    assert shown.text == "4 of 4 findings shown"
    keep_screenshot(browser, "report.png")

    from selenium.webdriver.support.ui import Select

    Select(browser.find_element(_by("NAME"), "code")).select_by_value("wrong-type")
    assert _visible_codes(browser) == ["wrong-type"] and shown.text == "1 of 4 findings shown"
    browser.find_element(_by("CSS_SELECTOR"), "input[name=severity][value=error]").click()
    assert _visible_codes(browser) == [] and shown.text == "0 of 4 findings shown"
    assert not any(s.is_displayed() for s in browser.find_elements(_by("CSS_SELECTOR"), "section.group"))
    browser.find_element(_by("CSS_SELECTOR"), "input[name=severity][value=error]").click()
    Select(browser.find_element(_by("NAME"), "code")).select_by_value("")
    assert len(_visible_codes(browser)) == 4


def test_the_form_in_german_and_a_report_in_german(browser: Any, server: str,
                                                    keep_screenshot: Callable[[Any, str], None]) -> None:
    browser.get(server + "/?lang=de")
    assert browser.find_element(_by("ID"), "validate").text == "Prüfen"
    keep_screenshot(browser, "web-app.png")
    browser.find_element(_by("ID"), "files").send_keys(str(BROKEN))
    _submit(browser, "validate")
    assert browser.find_element(_by("TAG_NAME"), "h1").text == "Prüfbericht"
    assert browser.find_element(_by("ID"), "shown").text == "4 von 4 Befunden angezeigt"


def test_convert_downloads_the_file(browser: Any, server: str) -> None:
    target = browser.downloads / "broken.json"
    _upload(browser, server, BROKEN, button="convert", to="json")
    deadline = time.monotonic() + 20
    while not target.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert target.exists(), f"no download; the folder holds {list(browser.downloads.iterdir())}"
    assert '"id": "gdansk"' in target.read_text(encoding="utf-8")


def test_too_large_an_upload_shows_the_error_page(browser: Any, server: str, tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_bytes(b" " * 1_200_000)
    _upload(browser, server, big)
    assert "The files are too large" in browser.find_element(_by("ID"), "problem").text


def test_the_report_file_works_offline_and_hostile_values_stay_inert(browser: Any, tmp_path: Path) -> None:
    source = tmp_path / "hostile.yaml"
    source.write_text('standard: "1.0"\ntowns:\n  - id: x\n    name: "<script>document.title=\'pwned\'</script>'
                      '<img src=x onerror=\\"document.title=\'pwned\'\\">"\n    country: ZZ\n', encoding="utf-8")
    page = tmp_path / "report.html"
    subprocess.run([sys.executable, "-m", "citynet_exchange", "validate", str(source), "--report", f"html:{page}"],
                   check=False, capture_output=True)
    browser.get(page.as_uri())
    assert browser.title == "Validation report"
    assert set(_visible_codes(browser)) == {"unknown-country", "orphan-town"}
    assert "<script>document.title='pwned'</script>" in browser.find_element(_by("TAG_NAME"), "body").text
    orphan = browser.find_element(_by("CSS_SELECTOR"), "article[data-code=orphan-town]").get_attribute("data-severity")
    browser.find_element(_by("CSS_SELECTOR"), f"input[name=severity][value={orphan}]").click()
    assert _visible_codes(browser) == ["unknown-country"]
    assert browser.title == "Validation report"


@pytest.mark.parametrize("lang", ["en"])
def test_without_script_the_report_shows_everything(browser: Any, tmp_path: Path, lang: str) -> None:
    page = tmp_path / "report.html"
    subprocess.run([sys.executable, "-m", "citynet_exchange", "validate", str(BROKEN), "--lang", lang,
                    "--report", f"html:{page}"], check=False, capture_output=True)
    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        browser.get(page.as_uri())
        assert len(_visible_codes(browser)) == 4
        assert not browser.find_element(_by("ID"), "filters").is_displayed()
    finally:
        browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})
