"""The "Build / edit" view: make a scenario from nothing or from the loaded one, check it as it
is edited (the CLI's messages), save it as YAML or a spreadsheet, and forecast it.

All logic is in ``_builder_logic.py``; user text reaches Markdown only through ``plain()``
(widget labels render Markdown too).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import streamlit as st

from accord.app import _builder_logic as B
from accord.app._plain import plain
from accord.errors import InputError
from accord.scenario import Scenario, scenario_to_yaml, slug

S = st.session_state


def _bump() -> None:
    S["b_rev"] = S.get("b_rev", 0) + 1


def _start(draft: B.Draft, origin: str) -> None:
    S["b_draft"] = draft
    S["b_origin"] = origin
    S.pop("b_err", None)
    _bump()


def _edit(fn: Callable[..., B.Draft], *args: Any, structural: bool = False) -> None:
    """Apply one edit; a refused edit leaves the draft as it was and says why."""
    try:
        S["b_draft"] = fn(S["b_draft"], *args)
        S.pop("b_err", None)
    except InputError as err:
        S["b_err"] = str(err)
        structural = True  # show the draft's values again, not the refused ones
    if structural:
        _bump()


def _key(*parts: Any) -> str:
    return "b_" + "_".join(str(p) for p in (*parts, S.get("b_rev", 0)))


def _add_issue() -> None:
    _edit(B.add_issue, S["b_new_issue_id"], S["b_new_issue_label"],
          S["b_new_issue_min"], S["b_new_issue_max"], structural=True)


def _add_actor() -> None:
    _edit(B.add_actor, S["b_new_actor_id"], S["b_new_actor_name"], S["b_new_actor_cap"],
          structural=True)


def _save_issue(issue_id: str) -> None:
    draft = S["b_draft"]
    try:
        for field in ("label", "description", "scale_min", "scale_max", "status_quo",
                      "anchors"):
            draft = B.set_issue(draft, issue_id, field, S[_key("iss", issue_id, field)])
        new_id = S[_key("iss", issue_id, "id")]
        draft = B.rename_issue(draft, issue_id, new_id)
        S["b_draft"] = draft
        S.pop("b_err", None)
    except InputError as err:
        S["b_err"] = str(err)
    _bump()


def _save_actor(actor_id: str, issue_ids: list[str]) -> None:
    draft = S["b_draft"]
    try:
        for field in ("name", "capability", "capability_low", "capability_high", "sources"):
            draft = B.set_actor(draft, actor_id, field, S[_key("act", actor_id, field)])
        for issue_id in issue_ids:
            for field in B.STANCE_FIELDS:
                draft = B.set_stance(draft, actor_id, issue_id, field,
                                     S[_key("st", actor_id, issue_id, field)])
        draft = B.rename_actor(draft, actor_id, S[_key("act", actor_id, "id")])
        S["b_draft"] = draft
        S.pop("b_err", None)
    except InputError as err:
        S["b_err"] = str(err)
    _bump()


def _num(label: str, value: Any, key: str, **kw: Any) -> None:
    st.number_input(label, value=None if value is None else float(value), key=key,
                    format="%g", **kw)


def _issue_form(issue: dict[str, Any]) -> None:
    iid = issue["id"]
    lo, hi = (issue.get("scale") or [0.0, 100.0])
    with st.form(_key("form_iss", iid)):
        c1, c2 = st.columns(2)
        c1.text_input("Issue id", iid, key=_key("iss", iid, "id"))
        c2.text_input("Label", issue.get("label") or "", key=_key("iss", iid, "label"))
        c1, c2, c3 = st.columns(3)
        with c1:
            _num(f"{plain(iid)}: scale min", lo, _key("iss", iid, "scale_min"))
        with c2:
            _num(f"{plain(iid)}: scale max", hi, _key("iss", iid, "scale_max"))
        with c3:
            _num(f"{plain(iid)}: status quo", issue.get("status_quo"),
                 _key("iss", iid, "status_quo"))
        st.text_area("Anchors (one 'POINT: text' per line)", B.issue_anchors_text(issue),
                     key=_key("iss", iid, "anchors"))
        st.text_area("Description", issue.get("description") or "",
                     key=_key("iss", iid, "description"))
        st.form_submit_button(f"Save issue {plain(iid)}", on_click=_save_issue, args=(iid,))
    st.button(f"Remove issue {plain(iid)}", key=_key("rm_iss", iid), on_click=_edit,
              args=(B.remove_issue, iid), kwargs={"structural": True})


def _actor_form(actor: dict[str, Any], issues: list[dict[str, Any]]) -> None:
    aid = actor["id"]
    lo, hi = actor.get("capability_range") or (None, None)
    with st.form(_key("form_act", aid)):
        c1, c2, c3, c4, c5 = st.columns(5)
        c1.text_input("Actor id", aid, key=_key("act", aid, "id"))
        c2.text_input("Name", actor.get("name") or "", key=_key("act", aid, "name"))
        with c3:
            _num(f"{plain(aid)}: capability", actor.get("capability"),
                 _key("act", aid, "capability"))
        with c4:
            _num(f"{plain(aid)}: capability low", lo, _key("act", aid, "capability_low"))
        with c5:
            _num(f"{plain(aid)}: capability high", hi, _key("act", aid, "capability_high"))
        ids = [i["id"] for i in issues]
        for iid in ids:
            s = B.stance(S["b_draft"], aid, iid)
            cols = st.columns(6)
            for col, field in zip(cols, B.STANCE_FIELDS, strict=True):
                with col:
                    _num(f"{plain(aid)} {field} on {plain(iid)}", s[field],
                         _key("st", aid, iid, field))
        st.text_area("Sources (one per line)", "\n".join(actor.get("sources") or []),
                     key=_key("act", aid, "sources"))
        st.form_submit_button(f"Save actor {plain(aid)}", on_click=_save_actor, args=(aid, ids))
    st.button(f"Remove actor {plain(aid)}", key=_key("rm_act", aid), on_click=_edit,
              args=(B.remove_actor, aid), kwargs={"structural": True})


def render(loaded: Scenario | None, use: Callable[[Scenario, str], None]) -> None:
    """The builder. ``use(scenario, yaml_text)`` makes a valid draft the app's scenario."""
    st.markdown("**Build or edit a scenario.** Leave a position and salience empty where an "
                "actor takes no part in an issue. Every save is checked as `accord validate` "
                "checks a file.")
    c1, c2, c3 = st.columns(3)
    c1.button("Start from a blank scenario", key="b_blank",
              on_click=_start, args=(B.blank_draft(), "blank"))
    if loaded is not None:
        c2.button("Start from the loaded scenario", key="b_from_loaded",
                  on_click=_start, args=(B.draft_from_scenario(loaded), "loaded"))
    up = c3.file_uploader("Start from a file (YAML, JSON, .xlsx or .csv)",
                          type=B.UPLOAD_TYPES, key="b_upload")
    if up is not None:
        data = up.getvalue()
        origin = f"upload:{up.name}:{hashlib.sha256(data).hexdigest()}"
        if S.get("b_origin") != origin:
            try:
                _start(B.draft_from_upload(up.name, data), origin)
            except InputError as err:
                st.error(f"Upload refused: {plain(err)}")
    if "b_draft" not in S:
        _start(B.blank_draft() if loaded is None else B.draft_from_scenario(loaded),
               "blank" if loaded is None else "loaded")
    draft: B.Draft = S["b_draft"]
    st.text_input("Scenario name", draft.get("name", ""), key=_key("name"),
                  on_change=lambda: _edit(lambda d: {**d, "name": S[_key("name")]}))
    if S.get("b_err"):
        st.error(f"Edit refused: {plain(S['b_err'])}")

    st.subheader("Issues")
    for issue in draft["issues"]:
        title = f"Issue {plain(issue['id'])}: {plain(issue.get('label') or '')}"
        with st.expander(title, expanded=True):
            _issue_form(issue)
    with st.form("b_add_issue", clear_on_submit=True):
        c1, c2, c3, c4 = st.columns([2, 4, 1, 1])
        c1.text_input("New issue id", key="b_new_issue_id")
        c2.text_input("New issue label", key="b_new_issue_label")
        c3.number_input("Scale min", value=0.0, key="b_new_issue_min")
        c4.number_input("Scale max", value=100.0, key="b_new_issue_max")
        st.form_submit_button("Add issue", on_click=_add_issue)

    st.subheader("Actors")
    for actor in draft["actors"]:
        title = f"Actor {plain(actor['id'])}: {plain(actor.get('name') or '')}"
        with st.expander(title, expanded=True):
            _actor_form(actor, draft["issues"])
    with st.form("b_add_actor", clear_on_submit=True):
        c1, c2, c3 = st.columns([2, 4, 2])
        c1.text_input("New actor id", key="b_new_actor_id")
        c2.text_input("New actor name", key="b_new_actor_name")
        c3.number_input("Capability", value=1.0, min_value=0.0, key="b_new_actor_cap")
        st.form_submit_button("Add actor", on_click=_add_actor)

    st.subheader("Check and save")
    scenario, problem = B.check(draft)
    if scenario is None:
        st.warning(f"Not valid yet: {plain(problem)}")
        return
    st.success(f"Valid: {len(scenario.actors)} actors, {len(scenario.issues)} issues "
               f"({plain(scenario.name)}).")
    stem = slug(scenario.name)
    cols = st.columns(4)
    for col, (label, (data, fname, mime)) in zip(cols, B.exports(scenario, stem).items(),
                                                  strict=False):
        col.download_button(f"Download {label}", data, file_name=fname, mime=mime,
                            key=f"b_dl_{label}")
    cols[3].button("Forecast this scenario", key="b_use", type="primary",
                   on_click=use, args=(scenario, scenario_to_yaml(scenario)))
