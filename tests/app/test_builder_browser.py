"""In a real headless Chromium: build a 3-actor, 2-issue scenario from nothing in the
"Build / edit" view, forecast it, and download its YAML, which `accord validate` accepts."""

from __future__ import annotations

import os
import time

import pytest

from accord.scenario import load_scenario
from tests.app.test_app_browser import _table_text, browser, server  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ACTORS = {"north": 20.0, "south": 80.0, "broker": 45.0}
ISSUES = {"water": "Share of the water", "border": "Where the border runs"}


def test_build_a_scenario_from_nothing_in_chromium(browser, server, tmp_path, run_cli):  # noqa: F811
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    browser.execute_cdp_cmd("Page.setDownloadBehavior",
                            {"behavior": "allow", "downloadPath": str(tmp_path)})
    # every rerun may redraw an element between finding and using it: look again
    wait = WebDriverWait(browser, float(os.environ.get("ACCORD_BROWSER_WAIT", 300)),
                         poll_frequency=0.3, ignored_exceptions=(StaleElementReferenceException,))
    t0 = time.monotonic()
    browser.get(server)

    def body() -> str:
        return browser.find_element(By.TAG_NAME, "body").text

    def button(label: str):
        xpath = f"//button[normalize-space(.)='{label}']"
        wait.until(lambda d: d.find_elements(By.XPATH, xpath))
        el = browser.find_element(By.XPATH, xpath)
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", el)
        return el

    def field(label: str):
        css = f'input[aria-label="{label}"], textarea[aria-label="{label}"]'
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, css))
        el = browser.find_element(By.CSS_SELECTOR, css)
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", el)
        return el

    def type_into(label: str, text: str) -> None:
        def attempt(d) -> bool:
            el = field(label)
            el.send_keys(Keys.CONTROL, "a")
            el.send_keys(Keys.DELETE)
            el.send_keys(text)
            return True

        wait.until(attempt)

    def click(label: str) -> None:
        wait.until(lambda d: button(label).click() or True)

    try:
        wait.until(lambda d: "Territory" in _table_text(d))  # the app is up
        t_ready = time.monotonic()
        browser.find_element(By.XPATH, "//label[normalize-space(.)='Build / edit']").click()
        click("Start from a blank scenario")
        wait.until(lambda d: "the scenario has no issues" in body())
        for iid, label in ISSUES.items():
            type_into("New issue id", iid)
            type_into("New issue label", label)
            click("Add issue")
            wait.until(lambda d, iid=iid: f"Save issue {iid}" in body())
        for aid in ACTORS:
            type_into("New actor id", aid)
            type_into("New actor name", aid.title())
            click("Add actor")
            wait.until(lambda d, aid=aid: f"Save actor {aid}" in body())
        for aid, pos in ACTORS.items():
            for iid in ISSUES:
                type_into(f"{aid} position on {iid}", f"{pos:g}")
                type_into(f"{aid} salience on {iid}", "60")
            click(f"Save actor {aid}")
            wait.until(lambda d, aid=aid: field(f"{aid} position on water")
                       .get_attribute("value") == f"{ACTORS[aid]:g}")
        wait.until(lambda d: "Valid: 3 actors, 2 issues" in body())
        t_built = time.monotonic()
        click("Download YAML")
        target = tmp_path / "new-scenario.yaml"
        wait.until(lambda d: target.exists() and target.stat().st_size > 0)
        click("Forecast this scenario")
        wait.until(lambda d: "Share of the water" in _table_text(d))
        t_forecast = time.monotonic()
    except Exception:
        browser.save_screenshot(str(tmp_path / "failed.png"))
        raise
    sc = load_scenario(target)
    assert sc.actor_ids == tuple(ACTORS) and sc.issue_ids == tuple(ISSUES)
    assert sc.actors[1].positions == {"water": 80.0, "border": 80.0}
    code, out, err = run_cli("validate", target)
    assert code == 0, err
    table = _table_text(browser)
    assert "Where the border runs" in table and "48.33" in table  # compromise: mean 145/3
    print(f"app ready {t_ready - t0:.1f} s, built {t_built - t_ready:.1f} s, "
          f"forecast {t_forecast - t_built:.1f} s")
