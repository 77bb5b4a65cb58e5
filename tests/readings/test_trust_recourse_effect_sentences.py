"""The trust, recourse and effect-difference checks' sentences come from readings/
(trust_findings, recourse_findings, effects): each template says its numbers and its verdict,
and on real data the checks' sentences carry the numbers the model itself gives."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.ensemble import RandomForestRegressor
from sklearn.linear_model import LinearRegression

import rai_widgets as rw
from rai_widgets import formatting
from rai_widgets.readings import effects, recourse_findings, trust_findings
from rai_widgets.readings.check_reasons import NO_SENSITIVE_REASON
from tests.conftest import raw_column_pipeline


def test_pinned_case_sentence_says_the_predictions_both_models_give(wage):
    X, y = wage.data[["year", "age"]], wage.target
    old = RandomForestRegressor(n_estimators=10, random_state=0).fit(X, y)
    new = RandomForestRegressor(n_estimators=10, random_state=1).fit(X, y)
    a = rw.ModelSession(old, X, y, random_state=0)
    b = rw.ModelSession(new, X, y, random_state=0)
    cases = rw.TestCases("wage").pin(a, 5, note="mid", expected=100.0)
    (finding,) = b.audit(checks=["test_cases"], test_cases=cases).findings
    was = formatting.number(old.predict(X.loc[[5]])[0], 4)
    now = formatting.number(new.predict(X.loc[[5]])[0], 4)
    assert was != now
    assert (
        finding.finding
        == f"Pinned case 5 (mid): was {was}, now {now}; expected 100, the model says {now}."
    )


def test_explainer_share_sentence_speaks_each_verdict():
    common = {"share": 0.1, "lo": 0.03, "hi": 0.3, "n": 20}
    shaky = trust_findings.explainer_share_sentence(
        "unstable", verdict="shaky", median_r2=0.4, **common
    )
    assert shaky.endswith("local model fits poorly; read them with care.")
    assert "median local fit R² 0.4)" in shaky
    unsure = trust_findings.explainer_share_sentence("disagree", verdict="cannot tell", **common)
    assert unsure.endswith("fewer than a quarter of all rows.") and "R²" not in unsure
    under = trust_findings.explainer_share_sentence("disagree", verdict="under", **common)
    assert under.endswith("at most 30% of all rows, under a quarter.")
    # an upper bound that reads 25% says so without also calling it under a quarter
    edge = trust_findings.explainer_share_sentence(
        "disagree", share=0.0, lo=0.0, hi=0.2496, n=20, verdict="under"
    )
    assert edge.endswith("at most 25% of all rows.")


def test_test_case_notes_name_the_set():
    assert trust_findings.pinned_set_name("") == "the test set"
    assert trust_findings.empty_test_set_sentence(trust_findings.pinned_set_name("x")) == (
        "'x' has no pinned cases to re-run."
    )
    assert trust_findings.cases_hold_sentence(4, "the test set", 0).endswith("pinned with.")
    assert "and the 2 with an expected answer meet it." in trust_findings.cases_hold_sentence(
        4, "the test set", 2
    )


def test_recourse_readings_say_who_is_refused_and_what_is_missing():
    assert recourse_findings.regression_answers("5", lower_is_favourable=True) == (
        "above 5",
        "5 or less",
    )
    assert recourse_findings.regression_answers("5", lower_is_favourable=False) == (
        "below 5",
        "5 or more",
    )
    assert "1,234 of those searched" in recourse_findings.missing_counterfactuals_sentence(1234)
    assert recourse_findings.too_few_refused_reason(20, "bad").endswith(
        "20 or more people predicted bad"
    )


def test_recourse_and_effects_without_sensitive_features_say_so(wage):
    X, y = wage.data[["year", "age"]], wage.target
    s = rw.ModelSession(RandomForestRegressor(n_estimators=5, random_state=0).fit(X, y), X, y)
    frame = s.audit(checks=["recourse", "effect_difference"]).frame()
    assert (frame["finding"] == f"Not checked: {NO_SENSITIVE_REASON}.").all() and len(frame) == 2


def test_additive_model_has_no_effect_gap_and_the_sentence_says_so(wage):
    # a linear model of the raw columns has no interaction: every group's rise is the same
    model = raw_column_pipeline(LinearRegression()).fit(wage.data, wage.target)
    s = rw.ModelSession(model, wage.data, wage.target, sensitive_features=["race"], random_state=0)
    (finding,) = s.audit(checks=["effect_difference"]).findings
    assert finding.severity == "ok"
    assert finding.estimate == pytest.approx(0.0, abs=1e-9)
    assert finding.finding.startswith(effects.no_effect_gap_sentence(""))


def test_effect_gap_sentence_gives_q_to_three_figures():
    text = effects.effect_gap_sentence("R.", float(np.float64(0.0123456)), 7)
    assert text == "R. (q = 0.0123 over the 7 features and groupings compared.)"
