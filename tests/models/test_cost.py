"""Model cost estimates and the refusal of sizes a model cannot finish (issue 18 item 1)."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from accord.bench import large_scenario
from accord.errors import InputError
from accord.forecast import forecast
from accord.models import COSTS, available_models, check_cost, estimate_seconds
from accord.models._eum import eum_solve


def test_every_model_has_a_cost_law() -> None:
    assert set(available_models()) <= set(COSTS)


def test_estimates_grow_with_size() -> None:
    for name in available_models():
        small = estimate_seconds(name, 10, 3)
        big = estimate_seconds(name, 400, 30)
        assert big > small >= 0.0, name


def test_smp_refused_on_two_thousand_actors_naming_model_size_and_skip() -> None:
    names = available_models()
    with pytest.raises(InputError) as err:
        check_cost([(m, {}) for m in names], 2000, 1, all_names=names)
    msg = str(err.value)
    assert "smp" in msg and "2,000 actors x 1 issues" in msg
    assert "--model eum" in msg and "--model smp" not in msg
    assert "ACCORD_MAX_MODEL_SECONDS" in msg


def test_budget_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCORD_MAX_MODEL_SECONDS", "1e9")
    assert check_cost([("smp", {})], 2000, 1, all_names=["smp"])["smp"] > 10
    monkeypatch.setenv("ACCORD_MAX_MODEL_SECONDS", "soon")
    with pytest.raises(InputError, match="ACCORD_MAX_MODEL_SECONDS"):
        check_cost([("smp", {})], 10, 1, all_names=["smp"])


def test_small_scenarios_pass() -> None:
    names = available_models()
    est = check_cost([(m, {}) for m in names], 12, 9, all_names=names)
    assert set(est) == set(names) and sum(est.values()) < 1.0


def test_forecast_refuses_before_running(monkeypatch: pytest.MonkeyPatch) -> None:
    ran: list[str] = []
    import accord.models._smp as smp

    monkeypatch.setattr(smp, "run_smp", lambda *a, **k: ran.append("smp"))
    with pytest.raises(InputError, match="too large for smp"):
        forecast(large_scenario(400, 2), ["eum", "smp"])
    assert ran == []


def test_progress_lines_for_long_work(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("accord.forecast.PROGRESS_SECONDS", 0.0)
    lines: list[str] = []
    forecast(large_scenario(20, 3), ["median", "exchange"], progress=lines.append)
    assert lines[0].startswith("forecast: model 1/2 median on 20 actors x 3 issues")
    assert lines[-1].startswith("forecast: exchange done in")


def test_no_progress_lines_for_quick_work() -> None:
    lines: list[str] = []
    forecast(large_scenario(5, 2), ["median"], progress=lines.append)
    assert lines == []


def test_cli_refuses_with_exit_2(run_cli, tmp_path) -> None:
    path = tmp_path / "big.yaml"
    sc = large_scenario(2000, 1)
    path.write_text(yaml.safe_dump(sc.model_dump(mode="json", exclude_none=True)))
    code, out, err = run_cli("forecast", path, "--no-store")
    assert code == 2
    assert "too large for smp" in err and "2,000 actors" in err and "Traceback" not in err


def test_large_scenario_is_deterministic() -> None:
    a, b = large_scenario(30, 4, seed=3), large_scenario(30, 4, seed=3)
    assert a == b and a != large_scenario(30, 4, seed=4)


@pytest.mark.parametrize("seed", range(8))
def test_eum_serial_wrapper_matches_parallel_bit_for_bit(seed: int) -> None:
    """A batch of 1 goes through the serial wrapper, a batch of 256 through the parallel one:
    each draw must come out the same either way."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 30))
    x = rng.uniform(0, 100, (256, n)).round(int(seed % 2))
    c = rng.uniform(0.1, 1.0, (256, n))
    s = rng.uniform(0.1, 1.0, (256, n))
    kw = {"q": 0.5 if seed % 3 == 0 else 1.0, "rounds": 6}
    batch = eum_solve(x, c, s, 0.0, 100.0, **kw)
    for d in (0, 17, 255):
        one = eum_solve(x[d : d + 1], c[d : d + 1], s[d : d + 1], 0.0, 100.0, **kw)
        assert np.array_equal(one.positions[0], batch.positions[d])
        assert np.array_equal(one.median[0], batch.median[d])
        assert np.array_equal(one.risk[0], batch.risk[d])


def test_long_traces_keep_only_rounds_that_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    sc = large_scenario(12, 4, seed=5)
    full = forecast(sc, ["exchange"]).to_json()
    assert all("trace_rounds" not in r for r in full["results"])
    monkeypatch.setattr("accord.forecast.TRACE_LIMIT", 0)
    thin = forecast(sc, ["exchange"]).to_json()
    for a, b in zip(full["results"], thin["results"], strict=True):
        assert b["trace_rounds"] == "changed" and a["forecast"] == b["forecast"]
        kept = {rec["round"]: rec for rec in b["trace"]}
        assert 0 in kept and a["trace"][-1]["round"] in kept
        last = None
        for rec in a["trace"]:  # every dropped round repeats the round before it
            if rec["round"] in kept:
                assert kept[rec["round"]] == rec
            else:
                assert rec["positions"] == last["positions"]
            last = rec
    assert sum(len(r["trace"]) for r in thin["results"]) < sum(
        len(r["trace"]) for r in full["results"])


@pytest.mark.parametrize("seed", range(10))
def test_smp_choice_loop_in_python_matches_the_kernel(seed: int) -> None:
    from accord.models._smp import _choose_nb, _choose_py

    rng = np.random.default_rng(seed)
    n, nb = int(rng.integers(2, 12)), int(rng.integers(1, 10))
    u_sq = rng.random(n)
    u_bar = rng.random((n, nb))
    init_a = rng.integers(0, n, nb)
    rcvr_a = np.where(rng.random(nb) < 0.2, init_a, rng.integers(0, n, nb))
    w = rng.uniform(0.1, 2.0, n)
    for rule, vpm, pcem in ((0, 0, 0), (int(seed % 6), int(seed % 5), int(seed % 3))):
        a = _choose_nb(u_sq, u_bar, init_a, rcvr_a, w, rule, vpm, pcem)
        b = _choose_py(u_sq, u_bar, init_a, rcvr_a, w, rule, vpm, pcem)
        for x, y in zip(a, b, strict=True):
            assert np.array_equal(x, y)


def test_smp_single_draw_equals_the_same_draw_in_a_batch() -> None:
    from accord.models import get_model
    from accord.scenario import to_arrays

    draws = to_arrays(large_scenario(9, 3, seed=2), 3)
    one = get_model("smp").run(draws.take(slice(0, 1)))
    batch = get_model("smp").run(draws)
    assert np.array_equal(one.forecast[0], batch.forecast[0])
    assert one.extra["turns_per_draw"][0] == batch.extra["turns_per_draw"][0]
