"""``accord bench``: the JSON shape and the target check."""

import json

from accord.bench import check_targets


def _eum(n, per_second, draws=1000):
    return {"name": f"eum synthetic {n} actors", "per_second": per_second, "actors": n,
            "draws": draws}


def test_targets_met_and_missed():
    results = [
        _eum(10, 49_999.0),
        _eum(80, 500.0),
        {"name": "flagship 1M draws all models", "per_second": 1.0, "seconds": 59.0,
         "peak_rss_mb": 2100.0, "draws": 1_000_000},
    ]
    got = {(t["case"], t["key"]): t["met"] for t in check_targets(results)}
    assert got == {
        ("eum synthetic 10 actors", "per_second"): False,
        ("eum synthetic 80 actors", "per_second"): True,  # at the threshold counts
        ("flagship 1M draws all models", "seconds"): True,
        ("flagship 1M draws all models", "peak_rss_mb"): False,
    }


def test_quick_sizes_and_missing_cases_are_not_judged():
    assert check_targets([_eum(10, 1e9, draws=200)]) == []
    assert check_targets([]) == []


def test_bench_quick_json_shape(run_cli):
    code, out, _ = run_cli("bench", "--quick", "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["results"] and doc["targets"] == []  # quick sizes are not judged
    for r in doc["results"]:
        assert {"name", "per_second", "actors", "draws"} <= r.keys() and r["per_second"] > 0
    eum10 = next(r for r in doc["results"] if r["name"] == "eum synthetic 10 actors")
    assert eum10["median_per_second"] <= eum10["per_second"]  # best of the calls vs median
    assert doc["machine"]["cpus"] >= 1 and doc["machine"]["numba_threads"] >= 1


def test_bench_cases_find_the_shipped_examples():
    """Bench cases read the examples through accord.resources (checkout or wheel): a case
    that cannot find its scenario would silently drop out of `accord bench`."""
    from accord.advise._bench import FLAGSHIP as ADVISE_FLAGSHIP
    from accord.uncertainty.bench import FLAGSHIP

    assert FLAGSHIP is not None and FLAGSHIP.is_file()
    assert ADVISE_FLAGSHIP is not None and ADVISE_FLAGSHIP.is_file()
