"""Hostile text from every door a user has reaches every HTML the library writes as text.

One session per task (binary, multiclass, regression) is built from Wage with hostile strings
everywhere the user supplies text: a column name, category values, class labels, the index,
an identifier column, the session's name, the target's unit (regression), a pinned test
case's note and the model card's author sections. Every HTML output is then parsed the way a
browser would read it (see ``tests/inert_html.py``): each view's live panes and its saved
picture, presenter mode, the audit with test cases, every Display, the offline export, the
model card (HTML, its notebook picture, its Markdown rendered) and the card's preview widget.
"""

from __future__ import annotations

import warnings

import ipywidgets
import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression, LogisticRegression

import rai_widgets as rw
from rai_widgets import display
from tests.conftest import raw_column_pipeline
from tests.inert_html import problems

HOSTILE = {
    "column": "<img src=x onerror=alert(1)>",
    "value": "</script><script>alert(2)</script>",
    "attribute": "\"' onmouseover='alert(3)' x=\"",
    "unit": "<script>alert(4)</script>",
    "name": "<u class=rai-evil>n</u>",
    "label": "high & <u class=rai-evil>",
    "row": "<img src=y onerror=alert(5)>",
    "identifier": "<iframe src=javascript:alert(6)>",
}
N_ROWS = 1_200


def _session(wage, task: str) -> rw.ModelSession:
    X = wage.data[["age", "year", "education", "race"]].iloc[:N_ROWS].copy()
    codes = X["race"].astype("category").cat.codes.to_numpy()
    X[HOSTILE["column"]] = np.where(codes % 2 == 0, HOSTILE["value"], HOSTILE["attribute"])
    X = X.drop(columns=["race"])
    X.index = [f"{HOSTILE['row']}{i}" for i in range(len(X))]
    wage_values = wage.target.iloc[:N_ROWS].set_axis(X.index)
    ids = pd.Series([f"{HOSTILE['identifier']}{i}" for i in range(len(X))], index=X.index).rename(
        HOSTILE["identifier"]
    )
    with_ids = pd.concat([X, ids], axis=1)
    options = dict(
        sensitive_features=[HOSTILE["column"], "education"],
        name=HOSTILE["name"],
        random_state=0,
        identifier_columns=[HOSTILE["identifier"]],
    )
    if task == "regression":
        model = raw_column_pipeline(LinearRegression()).fit(X, wage_values)
        return rw.ModelSession(model, with_ids, wage_values, target_unit=HOSTILE["unit"], **options)
    high = wage_values > wage_values.median()
    if task == "binary":
        y = np.where(high, HOSTILE["label"], "low")
        options["pos_label"] = HOSTILE["label"]
    else:
        middle = wage_values > wage_values.quantile(0.25)
        y = np.where(high, HOSTILE["label"], np.where(middle, HOSTILE["value"], "low"))
    model = raw_column_pipeline(LogisticRegression(max_iter=500)).fit(X, y)
    return rw.ModelSession(model, with_ids, y, **options)


@pytest.fixture(scope="module", params=["binary", "multiclass", "regression"])
def hostile(request, wage):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield _session(wage, request.param)


def _panes(widget, found: list[str]) -> list[str]:
    """The HTML of every HTML widget inside ``widget`` (what the browser is sent)."""
    if isinstance(widget, ipywidgets.HTML | ipywidgets.HTMLMath):
        found.append(widget.value)
    for child in getattr(widget, "children", ()) or ():
        _panes(child, found)
    return found


def _assert_inert(outputs: list[str], *, scripts: int = 0) -> None:
    seen = [f"output {i}: {p}" for i, h in enumerate(outputs) for p in problems(h, scripts=scripts)]
    assert not seen, "\n".join(seen[:10])
    assert any(outputs), "nothing was drawn"


def _view_outputs(view) -> list[str]:
    if hasattr(view, "wait"):
        view.wait(600)
    return [view.static_html(), *_panes(view, [])]


VIEWS = [
    "Dashboard",
    "FairnessView",
    "UncertaintyView",
    "ExampleBrowser",
    "ExplanationView",
    "EffectsView",
]


def test_the_checker_sees_what_it_must():
    assert problems('<div title="a">x &lt;img&gt;</div>') == []
    assert problems("<img src=x onerror=alert(1)>")
    assert problems('<a href="javascript:alert(1)">x</a>')
    assert problems("<u class=rai-evil>x</u>")
    assert problems('<script type="application/json">{"a": "</script><script>x</script>"}')
    assert problems("<svg onload=alert(1)></svg>")
    assert not problems('<script type="application/json">{"a": "<\\/script>"}</script>', scripts=1)
    # what a view wrote before the fix: the unit raw in the blind-spot table's header
    assert problems(f"<div>(mean absolute error, in {HOSTILE['unit']})</div>")


@pytest.mark.parametrize("view", VIEWS)
def test_every_view_keeps_hostile_text_as_text(hostile, view):
    _assert_inert(_view_outputs(getattr(rw, view)(hostile)))


def test_presenter_mode_and_the_audit_with_test_cases(hostile):
    _assert_inert(_view_outputs(rw.Dashboard(hostile, presenter=True)))
    cases = rw.TestCases(HOSTILE["name"]).pin(
        hostile, hostile.core.frame.index[3], note=HOSTILE["value"]
    )
    audit = hostile.audit(test_cases=cases)
    _assert_inert(_view_outputs(rw.AuditView(hostile, audit=audit)))
    _assert_inert(_view_outputs(rw.ComparisonView(hostile, hostile)))


def test_every_display_keeps_hostile_text_as_text(hostile):
    row = hostile.core.frame.index[0]
    column = HOSTILE["column"]
    metric = hostile.metric_names()[0]
    made = [
        display.WaterfallDisplay.from_session(hostile, row),
        display.AgreementDisplay.from_session(hostile, row, random_state=0),
        display.ImportanceDisplay.from_session(hostile, column),
        display.DependenceDisplay.from_session(hostile, "age", color_by=column),
        display.EffectsDisplay.from_session(hostile, column, by=column),
        display.EffectsDisplay.from_session(hostile, "age", by=column),
        display.DisparityDisplay.from_session(hostile, column, metric=metric),
        display.CoverageDisplay.from_session(hostile, column),
    ]
    if hostile.task_ != "regression":
        made.append(display.ReliabilityDisplay.from_session(hostile, column))
    if hostile.task_ == "binary":
        made.append(display.ThresholdDisplay.from_session(hostile, column))
    _assert_inert([d._repr_html_() for d in made])


def test_the_export_keeps_hostile_text_as_text(hostile, tmp_path):
    path = tmp_path / "export.html"
    result = hostile.to_html(path)
    # the page's own two scripts: its data (JSON, escaped) and its code
    _assert_inert([path.read_text(encoding="utf-8")], scripts=2)
    _assert_inert([result._repr_html_()])


def test_the_model_card_keeps_hostile_text_as_text(hostile, tmp_path):
    markdown_it = pytest.importorskip("markdown_it")
    card = rw.ModelCard.from_session(
        hostile,
        intended_use=HOSTILE["value"],
        owners=HOSTILE["attribute"],
        caveats=HOSTILE["unit"],
        out_of_scope_uses=HOSTILE["row"],
    )
    path = card.to_html(tmp_path / "card.html")
    rendered = markdown_it.MarkdownIt("commonmark").render(card.to_markdown())
    page = tmp_path.joinpath("card.html").read_text(encoding="utf-8")
    _assert_inert([page, card._repr_html_(), rendered])
    _assert_inert(_view_outputs(rw.ModelCardView(card)))
    assert path is not None
