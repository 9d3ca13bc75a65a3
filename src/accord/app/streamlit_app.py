"""accord web app (Streamlit). Run with ``accord app``; all logic is in ``_logic.py``.

Two variants of the loaded scenario (A and B) are edited independently; forecasts and plots
update on every edit, and the Compare tab sets them side by side. The "Strategies: what if?"
view (``_strategy_page.py``) runs the strategy simulator on the loaded scenario instead.
"""

from __future__ import annotations

import hashlib
from typing import Any

import streamlit as st

from accord.app import _logic as L
from accord.app._builder_page import render as render_builder
from accord.app._explain_page import VIEWS as EXPLAIN_VIEWS
from accord.app._explain_page import render as render_explain
from accord.app._headline import render as render_headline
from accord.app._plain import plain, plain_table
from accord.app._strategy_page import render as render_strategies
from accord.errors import InputError
from accord.explain import settling_notes
from accord.models import available_models
from accord.report import _figures as F
from accord.scenario import Scenario, scenario_from_text
from accord.track_record import summary_line

VARIANTS = ("A", "B")
S = st.session_state

st.set_page_config(page_title="accord", page_icon="⚖️", layout="wide")


@st.cache_data(max_entries=128, show_spinner=False)
def cached_forecast(
    scenario_json: str, models: tuple[str, ...], draws: int, seed: int
) -> tuple[dict[str, Any], list[str]]:
    """Forecast JSON of a scenario given as JSON text (hashable, so results are cached)."""
    scenario = scenario_from_text(scenario_json, "variant.json")
    return L.forecast_doc(scenario, list(models), draws=draws, seed=seed)


def _load(scenario: Scenario, text: str, origin: str) -> None:
    S["origin"] = S["picked"] = origin
    S["text"] = text
    S["base"] = scenario
    for v in VARIANTS:
        S[f"sc_{v}"] = scenario
        S[f"rev_{v}"] = 0
        S.pop(f"report_{v}", None)
        S.pop(f"err_{v}", None)


def _bump(v: str, new: Scenario) -> None:
    S[f"sc_{v}"] = new
    S[f"rev_{v}"] += 1
    S.pop(f"err_{v}", None)


def _on_editor(v: str, issue: str, key: str) -> None:
    state = S.get(key) or {}
    table = L.issue_table(S[f"sc_{v}"], issue)
    for idx, changes in (state.get("edited_rows") or {}).items():
        for col, val in changes.items():
            if col in L.TABLE_COLUMNS and col not in ("actor", "name"):
                table.loc[int(idx), col] = val
    try:
        _bump(v, L.apply_issue_table(S[f"sc_{v}"], issue, table))
    except InputError as err:
        _refuse(v, err)


def _refuse(v: str, err: InputError) -> None:
    """Keep the scenario, show why, and rebuild the widgets so they show its values again
    (not the refused one)."""
    S[f"err_{v}"] = str(err)
    S[f"rev_{v}"] += 1


def _on_slider(v: str, what: str, actor: str, issue: str, key: str) -> None:
    setter = L.set_position if what == "position" else L.set_salience
    try:
        _bump(v, setter(S[f"sc_{v}"], actor, issue, S[key]))
    except InputError as err:
        _refuse(v, err)


def _on_capability(v: str, actor: str, key: str) -> None:
    try:
        _bump(v, L.set_capability(S[f"sc_{v}"], actor, S[key]))
    except InputError as err:
        _refuse(v, err)


# ---- sidebar: choose a scenario and the models ----------------------------------------------
with st.sidebar:
    st.header("Scenario")
    bundled = L.bundled_scenarios()
    choices = ["Bundled example", "Upload a file"] if bundled else ["Upload a file"]
    source = st.radio("Source", choices, key="source", horizontal=True)
    if source == "Bundled example":
        name = st.selectbox("Bundled scenario", list(bundled), key="bundled")
        origin = f"bundled:{name}"
        if S.get("picked") != origin:
            try:
                _load(*L.load_bundled(name), origin)
            except InputError as err:
                st.error(plain(str(err)))
    else:
        up = st.file_uploader(
            f"Scenario file (YAML, JSON, .xlsx or CSV; at most "
            f"{L.MAX_UPLOAD_BYTES // 1024 // 1024} MB)",
            type=["yaml", "yml", "json", "csv", "xlsx"],
            key="upload",
        )
        if up is not None:
            data = up.getvalue()
            origin = f"upload:{up.name}:{hashlib.sha256(data).hexdigest()}"
            if S.get("picked") != origin:
                try:
                    _load(*L.load_upload(up.name, data), origin)
                except InputError as err:
                    st.error(f"Upload refused: {plain(err)}")
    st.header("Models")
    all_models = available_models()
    models = st.multiselect("Models", all_models, default=all_models, key="models")
    draws = int(st.number_input("Monte Carlo draws (0: none)", 0, 5000, 0, step=100, key="draws"))
    seed = int(st.number_input("Seed", 0, 2**31 - 1, 0, key="seed"))

BUILD = "Build / edit"


def _use_built(scenario: Scenario, text: str) -> None:
    """The builder's scenario becomes the app's (the sidebar's pick stays as it was)."""
    picked = S.get("picked")
    _load(scenario, text, "built in the app")
    S["picked"] = picked
    S["view"] = "Variant A"


st.title("accord: negotiation forecasts")
if "base" not in S:
    st.info("Choose a bundled scenario or upload one in the sidebar, or build one below.")
    render_builder(None, _use_built)
    st.stop()

base: Scenario = S["base"]
st.subheader(plain(base.name))
st.caption(f"{len(base.actors)} actors, {len(base.issues)} issues · source: "
           f"{plain(S['origin'])}")
STRATEGIES = "Strategies: what if?"
VIEWS = ("Variant A", "Variant B", "Compare A vs B", *EXPLAIN_VIEWS, "About this scenario",
         STRATEGIES, BUILD)
view = st.radio("View", VIEWS, key="view", horizontal=True, label_visibility="collapsed")
if view == BUILD:
    render_builder(base, _use_built)
    st.stop()
if view == STRATEGIES:  # the strategy simulator: needs no forecasting model
    render_strategies(base, S["origin"])
    st.stop()
if not models:
    st.warning("Choose at least one model in the sidebar.")
    st.stop()
if view in EXPLAIN_VIEWS:  # why the forecasts land where they do / advice for one side
    render_explain(view, S["sc_A"], models, draws, seed)
    st.stop()


def forecast_of(v: str) -> tuple[tuple[dict[str, Any], list[str]], Scenario]:
    sc = S[f"sc_{v}"]
    try:
        return cached_forecast(sc.model_dump_json(), tuple(models), draws, seed), sc
    except InputError as err:
        st.error(plain(str(err)))
        st.stop()


def render_variant(v: str) -> None:
    sc: Scenario = S[f"sc_{v}"]
    rev = S[f"rev_{v}"]
    labels = {i.id: f"{i.label or i.id} ({i.id})" for i in sc.issues}
    issue_id = st.selectbox("Issue to edit", list(labels), format_func=labels.get, key=f"issue_{v}")
    issue = next(i for i in sc.issues if i.id == issue_id)
    lo, hi = issue.scale
    if S.get(f"err_{v}"):
        st.error(f"Edit refused: {plain(S[f'err_{v}'])}")
    (doc, notes), _ = forecast_of(v)
    render_headline(doc, issue_id)  # accord's forecast first (when calibrated is chosen)
    left, right = st.columns([5, 6], gap="large")
    with left:
        st.markdown("**Actors on this issue** (edit the numbers)")
        key = f"editor_{v}_{issue_id}_{rev}"
        st.data_editor(
            L.issue_table(sc, issue_id),
            key=key,
            hide_index=True,
            num_rows="fixed",
            disabled=["actor", "name"],
            width="stretch",
            on_change=_on_editor,
            args=(v, issue_id, key),
            column_config={
                "capability": st.column_config.NumberColumn(min_value=1e-9, format="%.3g"),
                "position": st.column_config.NumberColumn(min_value=lo, max_value=hi),
                "salience": st.column_config.NumberColumn(min_value=0.0, max_value=100.0),
            },
        )
        with st.expander("Sliders", expanded=True):
            step = (hi - lo) / 100
            for a in sc.actors:
                if issue_id not in a.positions:
                    continue
                c1, c2 = st.columns(2)
                k1 = f"pos_{v}_{issue_id}_{a.id}_{rev}"
                c1.slider(
                    plain(f"{a.name or a.id}: position"),
                    float(lo),
                    float(hi),
                    float(a.positions[issue_id]),
                    step=step,
                    key=k1,
                    on_change=_on_slider,
                    args=(v, "position", a.id, issue_id, k1),
                )
                k2 = f"sal_{v}_{issue_id}_{a.id}_{rev}"
                c2.slider(
                    plain(f"{a.name or a.id}: salience"),
                    0.0,
                    100.0,
                    float(a.salience[issue_id]),
                    step=1.0,
                    key=k2,
                    on_change=_on_slider,
                    args=(v, "salience", a.id, issue_id, k2),
                )
        with st.expander("Capabilities"):
            cap_max = float(max(a.capability for a in sc.actors) * 2)
            cap_step = cap_max / 200
            # capability must stay > 0: the slider starts at one step (or the smallest one)
            cap_min = min(cap_step, float(min(a.capability for a in sc.actors)))
            for a in sc.actors:
                k = f"cap_{v}_{a.id}_{rev}"
                st.slider(
                    plain(f"{a.name or a.id}: capability"),
                    cap_min,
                    cap_max,
                    float(a.capability),
                    step=cap_step,
                    key=k,
                    on_change=_on_capability,
                    args=(v, a.id, k),
                )
        if st.button("Reset this variant to the loaded scenario", key=f"reset_{v}"):
            _bump(v, base)
            st.rerun()
    yaml_text = L.scenario_to_yaml(sc)
    with right:
        st.markdown(f"**Forecasts, variant {v}**")
        st.table(plain_table(L.forecast_table(doc, sc)))
        for n in notes:
            st.caption(plain(n))
        for n in settling_notes(doc["results"], {i.id: i.label or i.id for i in sc.issues}):
            st.caption(plain(n))  # dynamic models that did not settle
        record = summary_line(doc.get("track_record") or {})
        if record:
            st.caption(record)
        st.plotly_chart(F.issue_map_figure(sc, [issue_id]), width="stretch", key=f"map_{v}")
    st.plotly_chart(F.forecast_figure(sc, doc), width="stretch", key=f"fc_{v}")
    traj = F.trajectory_figure(
        sc, {"results": [r for r in doc["results"] if r["issue"] == issue_id]}
    )
    if traj is not None:
        st.plotly_chart(traj, width="stretch", key=f"traj_{v}")
    d1, d2, d3 = st.columns(3)
    slug = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in base.name.lower())[:40]
    d1.download_button(
        "Download scenario (YAML)",
        yaml_text,
        file_name=f"{slug}-{v}.yaml",
        mime="application/x-yaml",
        key=f"dl_yaml_{v}",
    )
    digest = hashlib.sha256(yaml_text.encode()).hexdigest()
    if d2.button("Build the HTML report", key=f"build_{v}"):
        with st.spinner("Building the report…"):
            text = S["text"] if sc == base else None
            S[f"report_{v}"] = (digest, L.report_html(sc, text, draws=draws, seed=seed))
    rep = S.get(f"report_{v}")
    if rep is not None and rep[0] == digest:
        d3.download_button(
            "Download the report (HTML)",
            rep[1],
            file_name=f"{slug}-{v}.html",
            mime="text/html",
            key=f"dl_html_{v}",
        )


if view == "Variant A":
    render_variant("A")
elif view == "Variant B":
    render_variant("B")
elif view == "Compare A vs B":
    (doc_a, _), _ = forecast_of("A")
    (doc_b, _), _ = forecast_of("B")
    st.markdown("Edit the variants in their views; here they are side by side.")
    table = L.compare_table(doc_a, doc_b, base)
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            c: st.column_config.NumberColumn(format="%.2f") for c in ("A", "B", "B − A")
        },
    )
    model = st.selectbox("Model to plot", models, key="cmp_model")
    st.plotly_chart(F.compare_figure(base, doc_a, doc_b, model), width="stretch", key="cmp_fig")
else:
    if base.description:
        st.text(base.description)
    for a in base.actors:
        with st.expander(plain(a.name or a.id)):
            if a.sources:
                st.text("Sources:\n" + "\n".join(a.sources))
            if a.meta:
                st.json(a.meta, expanded=False)
    if base.meta:
        st.json(base.meta, expanded=False)
