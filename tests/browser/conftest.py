"""Headless Chromium (Debian's chromium and chromedriver, through selenium) and the web app
served on a free loopback port. Without Chromium the browser tests are skipped, saying why."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
SCREENSHOTS = os.environ.get("CITYNET_SCREENSHOTS")  # a folder: the tests keep screenshots there (docs/)


def _requirements() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if CHROMIUM is None or CHROMEDRIVER is None:
        return "no headless Chromium: apt-get install chromium chromium-driver (.ci/run does so in CI)"
    try:
        import selenium  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:
        return f"{exc.name} is not installed: pip install -e '.[test]'"
    return None


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    reason = _requirements()
    if reason:
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path_factory.mktemp("downloads")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM  # type: ignore[assignment]
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1200,1400", "--lang=en-US", "--no-first-run"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False,
                                              "intl.accept_languages": "en-US,en"})
    os.environ.setdefault("SE_OFFLINE", "true")  # selenium must not look for drivers on the network
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.downloads = downloads  # type: ignore[attr-defined]
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    """The web app on 127.0.0.1 and a free port, in a thread; its base URL."""
    reason = _requirements()
    if reason:
        pytest.skip(reason)
    import uvicorn

    from citynet_exchange.web_app import Limits, create_app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app_server = uvicorn.Server(uvicorn.Config(create_app(Limits(max_bytes=1_000_000, max_files=5)),
                                               host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=app_server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not app_server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the web app did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        app_server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def keep_screenshot() -> Callable[[object, str], None]:
    """Keeps a screenshot of the whole page in $CITYNET_SCREENSHOTS, when it names a folder
    (`CITYNET_SCREENSHOTS=docs python -m pytest tests/browser` renews the README's)."""
    return _screenshot


def _screenshot(driver: object, name: str) -> None:
    if SCREENSHOTS:
        height = driver.execute_script("return document.documentElement.scrollHeight")  # type: ignore[attr-defined]
        driver.set_window_size(1200, min(max(height, 800), 2400))  # type: ignore[attr-defined]
        driver.save_screenshot(str(Path(SCREENSHOTS) / name))  # type: ignore[attr-defined]
        driver.set_window_size(1200, 1400)  # type: ignore[attr-defined]
