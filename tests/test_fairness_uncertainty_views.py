"""FairnessView and UncertaintyView logic through their traitlets, on real data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression

import rai_widgets as rw
from tests.conftest import raw_column_pipeline


@pytest.fixture(scope="module")
def session(adult):
    X, y = adult.data.iloc[:6_000], adult.target.iloc[:6_000]
    model = raw_column_pipeline(
        RandomForestClassifier(n_estimators=40, max_depth=8, random_state=0)
    ).fit(X, y)
    return rw.ModelSession(model, X, y, sensitive_features=["sex", "race"], random_state=0)


def test_fairness_view_follows_its_traits(session):
    view = rw.FairnessView(session)
    assert view.by == "sex" and view.metric == "accuracy"
    table = session.slice_metrics(by="sex", metrics=["accuracy"])
    for label, row in table.iterrows():
        assert f"{row['accuracy']:.2f}" in view._table.value and label in view._table.value
    assert "difference from Male" in view._chart.value
    view.by = "race"
    assert "Amer-Indian-Eskimo" in view._table.value
    view.metric = "tpr"
    assert "tpr: difference from White" in view._chart.value
    view.intersections = True
    assert "White &amp; Male" in view._table.value  # escaped, like every label
    view._slice_picker.value = view._slice_picker.options[1][1]
    assert view.selected_slice == view._slice_picker.options[1][1]
    assert "Blind spots" in view._weak.value
    assert "text/html" in view._repr_mimebundle_()


def test_low_support_rows_are_marked_not_hidden(session):
    view = rw.FairnessView(session, by="race")
    table = session.slice_metrics(by="race", metrics=["accuracy"])
    assert table["low_support"].any()
    assert view._table.value.count('class="rai-low"') == int(table["low_support"].sum())


def test_uncertainty_view_reads_a_case_without_false_certainty(session):
    view = rw.UncertaintyView(session, row=5)
    p = session.predictions().loc[5]
    top = max(session.classes_, key=lambda c: p[f"proba_{c}"])
    assert f"about {round(p[f'proba_{top}'] * 100)} would be {top}" in view.reading
    assert "could be" in view.reading
    assert "Does the model mean what it says?" in view._reliability.value
    assert "how often it held" in view._coverage.value
    view.row = 9
    assert view.reading != "" and "Of 100 cases" in view.reading
    view.confidence_level = 0.8
    assert "Promised 80%" in view._coverage.value


def test_uncertainty_view_for_regression_and_multiclass(wage, wage_model, wage_education):
    s = rw.ModelSession(
        wage_model, wage.data, wage.target, sensitive_features=["race"], random_state=0
    )
    view = rw.UncertaintyView(s, row=0)
    assert "lands between" in view.reading
    assert "equally likely outcomes" in view._case.value
    model, X, y = wage_education
    m = rw.ModelSession(model, X, y, sensitive_features=["race"], random_state=0)
    view = rw.UncertaintyView(m, row=0)
    assert "The likeliest classes" in view._case.value


def test_views_escape_hostile_data():
    rng = np.random.default_rng(0)
    evil = "<img src=x onerror=alert(1)>"
    X = pd.DataFrame({"g": rng.choice([evil, "<b>b</b>"], 400), "v": rng.normal(size=400)})
    y = (X["v"] > 0).astype(int)
    model = raw_column_pipeline(LogisticRegression()).fit(X, y)
    s = rw.ModelSession(model, X, y, sensitive_features=["g"], random_state=0)
    page = rw.FairnessView(s).static_html() + rw.UncertaintyView(s).static_html()
    assert "<img" not in page and "<b>b</b>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
