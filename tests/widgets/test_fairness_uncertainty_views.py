"""FairnessView and UncertaintyView logic through their traitlets, on real data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import traitlets
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
        assert f"{row['accuracy']:.1%}" in view.table_html and label in view.table_html
    assert "difference from Male" in view.chart_html
    view.by = "race"
    assert "Amer-Indian-Eskimo" in view.table_html
    view.metric = "tpr"
    assert "True positive rate: difference from White" in view.chart_html
    view.intersections = True
    assert "White &amp; Male" in view.table_html  # escaped, like every label
    view.slice_picker.value = view.slice_picker.options[1][1]
    assert view.selected_slice == view.slice_picker.options[1][1]
    view.selected_slice = None
    assert view.slice_picker.value == ""
    with pytest.raises(traitlets.TraitError, match="one of"):
        view.selected_slice = "no such group"
    assert view.grouping() == ["race", "sex"]
    assert "Blind spots" in view.blind_spots_html
    assert "text/html" in view._repr_mimebundle_()


def test_low_support_rows_are_marked_not_hidden(session):
    view = rw.FairnessView(session, by="race")
    table = session.slice_metrics(by="race", metrics=["accuracy"])
    assert table["low_support"].any()
    assert view.table_html.count('class="rai-low"') == int(table["low_support"].sum())


def test_uncertainty_view_reads_a_case_without_false_certainty(session):
    view = rw.UncertaintyView(session, row=5)
    p = session.predictions().loc[5]
    top = max(session.classes_, key=lambda c: p[f"proba_{c}"])
    assert f"about {round(p[f'proba_{top}'] * 100)} would be {top}" in view.reading
    assert "could be" in view.reading
    assert "Does the model mean what it says?" in view.reliability_html
    assert "how often it held" in view.coverage_html
    view.row = 9
    assert view.reading != "" and "Of 100 cases" in view.reading
    view.confidence_level = 0.8
    assert "Promised 80%" in view.coverage_html


def test_uncertainty_view_for_regression_and_multiclass(wage, wage_model, wage_education):
    s = rw.ModelSession(
        wage_model, wage.data, wage.target, sensitive_features=["race"], random_state=0
    )
    view = rw.UncertaintyView(s, row=0)
    assert "landed between" in view.reading
    assert "equally likely outcomes" in view.case_html
    model, X, y = wage_education
    m = rw.ModelSession(model, X, y, sensitive_features=["race"], random_state=0)
    view = rw.UncertaintyView(m, row=0)
    assert "The likeliest classes" in view.case_html


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


def test_threshold_panel_moves_counts_per_group(session):
    view = rw.FairnessView(session)
    panel = view.threshold_panel
    assert panel is not None and panel.by == "sex"
    assert set(panel.thresholds) == {"Female", "Male"}
    panel.sliders["Female"].value = 0.3  # as a user dragging the slider
    assert panel.thresholds == {"Female": 0.3, "Male": 0.5}
    expected = session.threshold_tradeoffs("sex", thresholds={"Female": 0.3, "Male": 0.5})
    expected = expected.set_index("sex")
    pd.testing.assert_frame_equal(panel.counts_.drop(columns="gap"), expected)
    assert f"{int(expected.loc['Female', 'tp']):,}" in panel.table_html
    assert panel.threshold_display.chosen_.loc["Female", "threshold"] == 0.3

    panel.equalize("tpr")
    target = session.equalizing_thresholds("sex", rate="tpr")
    assert panel.rate_picker.value == "tpr"
    for group, slider in panel.sliders.items():
        assert slider.value == pytest.approx(target.loc[group, "threshold"])
    assert panel.counts_["tpr"].max() - panel.counts_["tpr"].min() < 0.02
    assert "policy decision" in panel.table_html

    panel.reset()
    assert set(panel.thresholds.values()) == {0.5}
    view.by = "race"
    assert panel.by == "race" and len(panel.sliders) == session.X["race"].nunique()
    assert "Amer-Indian-Eskimo" in view.static_html()


def test_threshold_panel_only_for_binary_and_few_groups(session, wage, wage_model):
    s = rw.ModelSession(wage_model, wage.data, wage.target, sensitive_features=["race"])
    assert rw.FairnessView(s).threshold_panel is None
    from rai_widgets.widgets.threshold_panel import MAX_SLIDERS, ThresholdPanel

    with pytest.raises(rw.ValidationError, match="binary tasks"):
        ThresholdPanel(s, by="race")
    panel = ThresholdPanel(session, by="native-country")
    assert session.X["native-country"].nunique() > MAX_SLIDERS
    assert panel.sliders == {} and "too many for one slider" in panel.slider_note
    assert len(panel.counts_) > MAX_SLIDERS  # the table is still there


def test_every_chart_has_a_display_with_its_data(session):
    from rai_widgets.display import CoverageDisplay, ReliabilityDisplay

    fairness = rw.FairnessView(session, by="race")
    pd.testing.assert_frame_equal(
        fairness.disparity_display.frame(), session.disparities("race", metric="accuracy")
    )
    uncertainty = rw.UncertaintyView(session, by="sex")
    bins, summary = session.calibration("sex", n_bins=8)
    pd.testing.assert_frame_equal(uncertainty.reliability_display.frame(), bins)
    pd.testing.assert_frame_equal(uncertainty.reliability_display.summary_, summary)
    assert uncertainty.reliability_display.to_svg() in uncertainty.reliability_html
    coverage = uncertainty.coverage_display.frame()
    assert list(coverage.index) == ["Female", "Male"] and coverage["n"].sum() > 0
    assert isinstance(uncertainty.coverage_display, CoverageDisplay)
    assert isinstance(ReliabilityDisplay.from_session(session), ReliabilityDisplay)
    curves = fairness.threshold_panel.threshold_display.frame()
    pd.testing.assert_frame_equal(curves, session.threshold_tradeoffs("race"))


def test_fairness_and_uncertainty_displays_draw_in_plotly(session):
    from rai_widgets.display import (
        CoverageDisplay,
        DisparityDisplay,
        ReliabilityDisplay,
        ThresholdDisplay,
    )

    displays = [
        DisparityDisplay.from_session(session, "sex", metric="accuracy"),
        ThresholdDisplay.from_session(session, "sex", rate="fpr", thresholds={"Male": 0.4}),
        ReliabilityDisplay.from_session(session, "sex", n_bins=5),
        CoverageDisplay.from_session(session, "sex", confidence_level=0.8),
    ]
    for display in displays:
        figure = display.figure()
        assert len(figure.data) >= 1 and display.to_svg().startswith("<svg")
    assert len(displays[1].figure().data) == 2  # one line per group


def test_a_regression_fairness_table_heads_its_metric_with_the_unit(wage, wage_model):
    s = rw.ModelSession(wage_model, wage.data, wage.target, sensitive_features=["race"],
                        random_state=0, target_unit="thousand dollars")  # fmt: skip
    view = rw.FairnessView(s, metric="mae")
    view.wait(300)
    assert "<th>Mean absolute error (thousand dollars)</th>" in view.static_html()
