"""ExplanationView logic, driven through its traitlets from Python (no browser needed)."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression

import rai_widgets as rw
from tests.conftest import raw_column_pipeline

pytestmark = pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")


@pytest.fixture(scope="module")
def session(adult):
    X, y = adult.data.iloc[:3_000], adult.target.iloc[:3_000]
    forest = RandomForestClassifier(n_estimators=30, max_depth=6, random_state=0)
    model = raw_column_pipeline(forest).fit(X, y)
    return rw.ModelSession(model, X, y, sensitive_features=["sex", "race"], random_state=0)


def test_first_view_shows_the_first_case(session):
    view = rw.ExplanationView(session, max_rows=100)
    assert view.row == session.X.index[0]
    assert view.reading == session.explain_text(view.row)
    assert view.case_html.startswith("<svg") and "Why this case" in view.case_html
    assert "SHAP and LIME" in view.agreement_html
    assert 'class="rai-error"' not in view.static_html()
    # global views are computed only when their tab opens
    assert view.importance_html == "" and view.dependence_html == ""


def test_changing_the_row_updates_every_part(session):
    view = rw.ExplanationView(session, max_rows=100)
    before = (view.reading, view.case_html)
    view.row = 7
    assert view.reading == session.explain_text(7)
    assert (view.reading, view.case_html) != before
    assert view.row_picker.value == "7"
    view.row_picker.value = "11"  # typed by a user
    assert view.row == 11
    view.row_picker.value = "not-a-row"
    assert view.row == 11 and "No row labelled" in view.row_message_html


def test_slices_and_dependence_follow_their_traits(session):
    view = rw.ExplanationView(session, max_rows=100)
    view.select_tab("Across slices")
    assert "What the model relies on" in view.importance_html
    view.slice_by = "sex"
    assert "by sex" in view.importance_html and "Female" in view.importance_html
    assert view.slice_picker.value == "sex"
    view.select_tab("One feature")
    assert view.feature  # defaults to the most important feature
    view.feature = "age"
    view.color_by = "race"
    assert "How age moves predictions, coloured by race" in view.dependence_html
    assert view.feature_picker.value == "age" and view.color_picker.value == "race"


def test_static_fallback_travels_with_the_widget(session):
    view = rw.ExplanationView(session, max_rows=100)
    bundle = view._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    # charts travel as data-URI images: an untrusted notebook's sanitizer drops <svg> elements
    assert bundle["text/html"].count('src="data:image/svg+xml;base64,') >= 2
    assert "<svg" not in bundle["text/html"]
    assert html.escape(view.reading.split(" (")[0]) in bundle["text/html"]


def test_hostile_names_and_values_are_escaped():
    rng = np.random.default_rng(0)
    evil = "<img src=x onerror=alert(1)>"
    X = pd.DataFrame(
        {
            evil: rng.choice(["<script>alert(2)</script>", "ok & fine"], 400),
            "size": rng.normal(size=400),
        }
    )
    y = (X["size"] > 0).astype(int)
    model = raw_column_pipeline(LogisticRegression()).fit(X, y)
    s = rw.ModelSession(model, X, y, sensitive_features=[evil], random_state=0)
    view = rw.ExplanationView(s, max_rows=50)
    view.select_tab("Across slices")
    view.slice_by = evil
    view.select_tab("One feature")
    view.feature = evil
    page = view.static_html()
    assert "<img" not in page and "<script>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;script&gt;" in page


@pytest.mark.parametrize("kind", ["multiclass", "regression"])
def test_other_tasks_render_without_errors(kind, wage, wage_model, wage_education):
    if kind == "regression":
        s = rw.ModelSession(
            wage_model, wage.data, wage.target, sensitive_features=["race"], random_state=0
        )
    else:
        model, X, y = wage_education
        s = rw.ModelSession(model, X, y, sensitive_features=["race"], random_state=0)
    view = rw.ExplanationView(s, max_rows=60)
    view.select_tab("Across slices")
    view.slice_by = "race"
    view.select_tab("One feature")
    page = view.static_html()
    assert 'class="rai-error"' not in page
    assert page.count("<svg") >= 3


def test_integer_column_names_and_an_unseeded_session(german):
    """Columns named 0..n-1 (an array's columns) and random_state=None still tell one story."""
    X = german.data.copy()
    X.columns = range(X.shape[1])
    model = raw_column_pipeline(LogisticRegression(max_iter=2_000)).fit(X, german.target)
    s = rw.ModelSession(model, X, german.target)  # no seed
    view = rw.ExplanationView(s, max_rows=60)
    view.select_tab("Across slices")
    view.slice_by = 19
    view.select_tab("One feature")
    view.feature = 4
    page = view.static_html()
    assert 'class="rai-error"' not in page
    assert "How 4 moves predictions" in view.dependence_html
    # the reading and the waterfall share one seed, hence one base value
    base = s.explain([view.row], random_state=view.seed)["base_value"].iloc[0]
    assert f"it gives about {base:.0%})" in view.reading


def test_weak_lime_fit_shows_its_warning_as_wrapping_html(session):
    from rai_widgets.display.explanation import AgreementDisplay

    view = rw.ExplanationView(session, max_rows=100)
    weak = [
        row
        for row in session.X.index[:30]
        if AgreementDisplay.from_session(session, row, random_state=view.seed).warning()
    ]
    assert weak, "no case with a weak LIME fit among the first 30"
    view.row = weak[0]
    svg, reading = view.agreement_html.split("</svg>", 1)
    assert "trust SHAP more" not in svg  # the chart keeps a short note; nothing to cut
    assert 'class="rai-lime-warning"' in reading and ">LIME</abbr>" in reading
    assert 'class="rai-lime-warning"' in view.static_html()
