"""Debian's Chromium, headless, driven by Selenium through Debian's chromedriver: the one way
the browser tests (gallery page, slide decks) start a browser."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--mute-audio",
)  # fmt: skip


def _loopback_service(chromedriver: str):
    """chromedriver reached at 127.0.0.1 instead of "localhost": a machine without /etc/hosts
    (a brand-new Debian root file system) cannot resolve the name, and Selenium then reports
    "Can not connect to the Service" although chromedriver is running."""
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common import utils

    class LoopbackService(Service):
        @property
        def service_url(self) -> str:
            return f"http://127.0.0.1:{self.port}"

        def is_connectable(self) -> bool:
            return utils.is_connectable(self.port, host="127.0.0.1")

    return LoopbackService(chromedriver)


def chromium(profile: Path, *extra: str):
    """A started driver (the caller quits it); fails with the fix when the browser is missing."""
    from selenium import webdriver

    binary, chromedriver = shutil.which("chromium"), shutil.which("chromedriver")
    if binary is None or chromedriver is None:
        pytest.fail("chromium or chromedriver is missing: `make test` installs them (scripts/system-packages test)")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in (*CHROMIUM_FLAGS, *extra):
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=_loopback_service(chromedriver))
    driver.set_script_timeout(60)
    return driver
