"""End to end in a real headless Chromium: start the app, load the flagship, move a slider,
see the forecast change."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from accord.app import _logic as L
from accord.app import streamlit_script

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: Chromium (or Chrome) and its driver: $ACCORD_CHROMIUM / $ACCORD_CHROMEDRIVER, else on PATH.
#: Without them the test is skipped (run pytest with -rs to see the reason); Selenium Manager
#: is never asked to download a driver (no network at test time).
CHROMIUM = os.environ.get("ACCORD_CHROMIUM") or next(
    (
        found
        for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
        if (found := shutil.which(name))
    ),
    "/usr/bin/chromium",
)
DRIVER = (
    os.environ.get("ACCORD_CHROMEDRIVER") or shutil.which("chromedriver") or "/usr/bin/chromedriver"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    pytest.importorskip("streamlit")
    if L.FLAGSHIP not in L.bundled_scenarios():
        pytest.skip("the flagship scenario is not bundled")
    port = _free_port()
    log = (tmp_path / "streamlit.log").open("w")
    env = {**os.environ, "ACCORD_STORE": "off", "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(streamlit_script()),
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        cwd=tmp_path,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail("streamlit did not start: " + (tmp_path / "streamlit.log").read_text())
        time.sleep(0.3)
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture
def browser():
    if not (Path(CHROMIUM).exists() and Path(DRIVER).exists()):
        pytest.skip("chromium or chromedriver is not installed")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="accord-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--window-size=1500,1900",
    ):
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _table_text(driver) -> str:
    from selenium.webdriver.common.by import By

    tables = driver.find_elements(By.CSS_SELECTOR, '[data-testid="stTable"]')
    return tables[0].text if tables else ""


def test_app_browser_slider_moves_forecast(browser, server, tmp_path):
    # ``browser`` first: without chromium the test skips before starting the app
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(server)
    wait = WebDriverWait(
        browser, float(os.environ.get("ACCORD_BROWSER_WAIT", 300)), poll_frequency=0.5
    )
    try:
        wait.until(lambda d: "Territory" in _table_text(d))
    except Exception:
        browser.save_screenshot(str(tmp_path / "failed.png"))
        raise
    sc, _ = L.load_bundled(L.FLAGSHIP)
    assert sc.name in browser.find_element(By.TAG_NAME, "body").text
    wait.until(lambda d: _sliders(d))
    time.sleep(1.5)  # let the charts draw before the picture
    shot = tmp_path / "app.png"
    browser.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000
    if os.environ.get("ACCORD_SCREENSHOT"):
        shutil.copyfile(shot, os.environ["ACCORD_SCREENSHOT"])
    before = _table_text(browser)

    # the first slider: the first actor's position on the first issue (Russia, territory)
    slider = _sliders(browser)[0]
    start = _value(slider)
    browser.execute_script(
        "arguments[0].scrollIntoView({block: 'center'}); arguments[0].focus();", slider
    )
    ActionChains(browser).send_keys(Keys.HOME if start > 50 else Keys.END).perform()
    wait.until(lambda d: _table_text(d) and _table_text(d) != before)
    territory = [line for line in _table_text(browser).splitlines()]
    assert territory != before.splitlines()
    wait.until(lambda d: _value(_sliders(d)[0]) != start)


_SLIDER = '[data-testid="stSlider"] input[type="range"], [data-testid="stSlider"] [role="slider"]'


def _sliders(driver):
    from selenium.webdriver.common.by import By

    return driver.find_elements(By.CSS_SELECTOR, _SLIDER)


def _value(el) -> float:
    return float(el.get_attribute("aria-valuenow") or el.get_attribute("value"))
