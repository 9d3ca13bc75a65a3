"""The "Why?" and "Advise one side" views of the web app (widgets only; the logic is
:mod:`accord.explain` and :mod:`accord.advise`, the figures those of the report).

Both work on variant A of the loaded scenario, so an edit there is explained and advised on.
Every widget key starts with ``xp_``; every piece of user text passes through :func:`plain`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from accord.app._plain import plain
from accord.errors import InputError
from accord.scenario import Scenario, scenario_from_text

EXPLAIN = "Why? (explain)"
ADVISE = "Advise one side"
VIEWS = (EXPLAIN, ADVISE)


@st.cache_data(max_entries=16, show_spinner=False)
def _explain(scenario_json: str, models: tuple[str, ...], issue: str) -> dict[str, Any]:
    from accord.explain import explain

    return explain(scenario_from_text(scenario_json, "scenario.json"), list(models),
                   issues=[issue])


@st.cache_data(max_entries=16, show_spinner=False)
def _advise(scenario_json: str, actor: str, model: str, draws: int, seed: int) -> dict[str, Any]:
    from accord.advise import advise

    return advise(scenario_from_text(scenario_json, "scenario.json"), actor, model=model,
                  n_draws=draws, seed=seed)


def render(view: str, scenario: Scenario, models: list[str], draws: int, seed: int) -> None:
    """Draw the chosen view for ``scenario`` with the sidebar's models, draws and seed."""
    st.caption("Computed on variant A (edit it in its view).")
    try:
        if view == EXPLAIN:
            _render_explain(scenario, models)
        else:
            _render_advise(scenario, models, draws, seed)
    except InputError as err:
        st.error(plain(str(err)))


def _render_explain(scenario: Scenario, models: list[str]) -> None:
    from accord.report import explain_figure

    labels = {i.id: f"{i.label or i.id} ({i.id})" for i in scenario.issues}
    issue = st.selectbox("Issue", list(labels), format_func=labels.get, key="xp_issue")
    with st.spinner("Explaining…"):
        doc = _explain(scenario.model_dump_json(), tuple(models), issue)
    entries = [e for e in doc["explanations"] if e["issue"] == issue]
    for e in entries:
        st.markdown(f"**{plain(e['model'])} → {e['forecast']:.2f}**: {plain(e['summary'])}")
    st.plotly_chart(explain_figure(scenario, entries), width="stretch", key="xp_fig")
    names = doc.get("actors", {})
    rows = [
        {"model": e["model"], "actor": names.get(p["actor"], p["actor"]), **{
            k: p[k] for k in ("influence", "position_up", "position_down", "salience_up",
                              "salience_down", "silenced")}}
        for e in entries for p in e.get("pivotal", [])
    ]
    st.markdown("**Pivotal actors** (change of the forecast under each change of one input)")
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.caption(plain(f"Pivotal actors: {doc.get('pivotal_method')}."))


def _render_advise(scenario: Scenario, models: list[str], draws: int, seed: int) -> None:
    from accord.advise import DEFAULT_MODEL
    from accord.models import available_models
    from accord.report import advice_figure

    names = {a.id: a.name or a.id for a in scenario.actors}
    c1, c2, c3 = st.columns(3)
    actor = c1.selectbox("Actor to advise", list(names), format_func=names.get, key="xp_actor")
    choices = list(dict.fromkeys([DEFAULT_MODEL, *models, *available_models()]))
    model = c2.selectbox("Model", choices, key="xp_model")
    n = int(c3.number_input("Monte Carlo draws", 0, 5000, max(draws, 200), step=100,
                            key="xp_draws"))
    with st.spinner("Searching for the best moves…"):
        doc = _advise(scenario.model_dump_json(), actor, model, n, seed)
    u = doc["utility"]
    st.markdown(
        f"**{plain(names[actor])}**: expected utility **{u['expected']:.2f}** "
        f"\\[{u['interval'][0]:.2f}, {u['interval'][1]:.2f}\\] (0 = every forecast at its "
        "ideal; minus the salience-weighted mean distance, points of a 0–100 scale)"
    )
    st.plotly_chart(advice_figure(doc), width="stretch", key="xp_advice_fig")
    table = pd.DataFrame(
        [{"#": m["rank"], "move": m["description"], "kind": m["kind"].replace("_", " "),
          "gain": m["gain"], "low": m["interval"][0], "high": m["interval"][1],
          "helps in": f"{m['share_helping']:.0%}"} for m in doc["moves"]]
    )
    st.dataframe(table, hide_index=True, width="stretch")
    if doc.get("note"):
        st.caption(plain(doc["note"]))
