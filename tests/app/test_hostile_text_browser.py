"""User text is text, in a real headless Chromium: upload a scenario whose name, description,
labels, actor names and file name hold Markdown images and links and HTML pointing at a loopback
canary server; the page shows them literally and the browser never asks the canary for anything.
"""

from __future__ import annotations

import os
import time

import pytest

from tests.app.hostile import canary
from tests.app.test_app_browser import browser, server  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _body(driver) -> str:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.TAG_NAME, "body").text.replace("\u200b", "")


def _click_text(driver, text: str) -> None:
    from selenium.webdriver.common.by import By

    for el in driver.find_elements(By.XPATH, f"//label[.//*[normalize-space()='{text}']]"):
        if el.is_displayed():
            driver.execute_script("arguments[0].click();", el)
            return
    raise AssertionError(f"no visible option {text!r}")


def test_browser_shows_hostile_text_and_fetches_nothing(browser, server, tmp_path):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, float(os.environ.get("ACCORD_BROWSER_WAIT", 300)),
                         poll_frequency=0.5)
    with canary() as c:
        f = tmp_path / c.file_name()
        f.write_text(c.yaml())
        t = c.texts()
        browser.get(server)
        try:
            wait.until(lambda d: "Upload a file" in _body(d))
            _click_text(browser, "Upload a file")
            wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, 'input[type="file"]'))
            browser.find_element(By.CSS_SELECTOR, 'input[type="file"]').send_keys(str(f))
            wait.until(lambda d: t["name"] in _body(d))  # the subheader, literally
            wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="stTable"]'))
            body = _body(browser)
            assert t["label"] in body  # the forecast table's row
            assert t["actor"] in body  # slider labels
            assert c.file_name() in body  # the caption naming the source
            _click_text(browser, "About this scenario")
            wait.until(lambda d: t["actor"] in _body(d) and "Upload a file" in _body(d))
            time.sleep(3.0)  # give any image or frame time to be requested
        except Exception:
            browser.save_screenshot(str(tmp_path / "failed.png"))
            raise
        for sel in (f'img[src^="{c.url}"]', f'a[href^="{c.url}"]', f'iframe[src^="{c.url}"]',
                    "main img", "main iframe"):
            assert not browser.find_elements(By.CSS_SELECTOR, sel), sel
        assert not c.hits, c.hits  # the browser fetched nothing from the canary
