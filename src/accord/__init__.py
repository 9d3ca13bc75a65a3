"""accord: model multi-party negotiations — forecast outcomes, test strategies, judge durability.

The short API (imports are lazy, so ``import accord`` stays cheap)::

    import accord
    sc = accord.load_scenario(accord.example_path("ukraine-ceasefire-2025"))
    run = accord.run_forecast(sc, "all", draws=200, seed=0)
    df = run.to_frame()                  # pandas: model, issue, forecast, low, high, ...
    accord.save_scenario(sc, "copy.yaml")  # or accord.scenario_to_yaml(sc)
    accord.available_models()            # ['compromise', 'median', 'nash', 'eum', ...]

Bad input raises :class:`accord.InputError` naming the file, field and fix. The command line
(``accord --help``) and the docs (``accord examples copy DIR --docs``) cover the rest.
"""

from importlib.metadata import PackageNotFoundError, version

from accord._lazy import attach

try:
    __version__ = version("accord")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0"

__getattr__, __dir__, _names = attach(
    __name__,
    {
        "InputError": ".errors",
        "Scenario": ".scenario",
        "ForecastRun": ".forecast",
        "load_scenario": ".scenario",
        "scenario_to_yaml": ".scenario",
        "run_forecast": ".api",
        "save_scenario": ".api",
        "available_models": ".models",
        "example_path": ".resources",
    },
)
__all__ = ["__version__", *_names]
