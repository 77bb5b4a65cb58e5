"""Displays drawn from a user's own arrays agree with the session's and with fairlearn / sklearn."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from fairlearn.metrics import MetricFrame, selection_rate, true_positive_rate
from sklearn.calibration import calibration_curve
from sklearn.metrics import accuracy_score, mean_absolute_error

import rai_widgets as rw
from rai_widgets.display import DisparityDisplay, ReliabilityDisplay

FAIRLEARN = {
    "accuracy": accuracy_score,
    "selection_rate": selection_rate,
    "tpr": true_positive_rate,
    "mae": mean_absolute_error,
}


@pytest.fixture(scope="module")
def adult_answers(adult_session):
    preds = adult_session.predictions()
    return preds, adult_session.X["race"]


@pytest.mark.parametrize("as_type", ["series", "array", "list"])
@pytest.mark.parametrize("metric", ["accuracy", "selection_rate", "tpr"])
def test_binary_differences_match_the_session_and_fairlearn(
    adult_answers, adult_session, metric, as_type
):
    preds, race = adult_answers
    convert = {"series": lambda v: v, "array": np.asarray, "list": lambda v: list(v)}[as_type]
    display = DisparityDisplay.from_predictions(
        convert(preds["y_true"]),
        convert(preds["y_pred"]),
        sensitive_features=convert(race),
        metric=metric,
        pos_label=">50K",
        random_state=0,
    )
    ours = display.frame()
    from_session = adult_session.disparities("race", metric=metric, random_state=0)
    # the same numbers and bounds as the session's (the grouping's name may differ)
    np.testing.assert_allclose(ours["difference"], from_session["difference"], atol=1e-12)
    np.testing.assert_allclose(ours["difference_lo"], from_session["difference_lo"], atol=1e-12)
    assert display.reference == from_session.attrs["reference"] == "White"

    y_true = (preds["y_true"] == ">50K").to_numpy()
    y_pred = (preds["y_pred"] == ">50K").to_numpy()
    if metric == "accuracy":
        y_true, y_pred = preds["y_true"].to_numpy(), preds["y_pred"].to_numpy()
    oracle = MetricFrame(
        metrics=FAIRLEARN[metric], y_true=y_true, y_pred=y_pred, sensitive_features=race.to_numpy()
    ).by_group
    expected = oracle - oracle["White"]
    np.testing.assert_allclose(ours["difference"], expected.loc[ours.index], atol=1e-12)
    assert display.to_svg().startswith("<svg")


def test_regression_differences_match_fairlearn(wage, wage_model):
    predicted = wage_model.predict(wage.data)
    race = wage.data["race"]
    display = DisparityDisplay.from_predictions(
        wage.target, predicted, sensitive_features=race, metric="mae", reference="1. White"
    )
    oracle = MetricFrame(
        metrics=mean_absolute_error,
        y_true=wage.target,
        y_pred=predicted,
        sensitive_features=race,
    ).by_group
    ours = display.frame()
    np.testing.assert_allclose(ours["mae"], oracle.loc[ours.index], rtol=1e-12)
    np.testing.assert_allclose(
        ours["difference"], (oracle - oracle["1. White"]).loc[ours.index], atol=1e-9
    )
    assert (ours["difference_lo"] <= ours["difference"]).all()


def test_intersections_from_a_data_frame(adult_answers, adult_session):
    preds, race = adult_answers
    groups = pd.DataFrame({"race": race.to_numpy(), "sex": adult_session.X["sex"].to_numpy()})
    display = DisparityDisplay.from_predictions(
        preds["y_true"], preds["y_pred"], sensitive_features=groups, metric="selection_rate"
    )
    assert display.frame().index.names == ["race", "sex"]
    assert display.frame()["n"].sum() == len(preds)


def test_auc_needs_scores_and_takes_them(adult_answers, adult_session):
    preds, race = adult_answers
    with pytest.raises(rw.ValidationError, match="auc"):
        DisparityDisplay.from_predictions(
            preds["y_true"], preds["y_pred"], sensitive_features=race, metric="auc"
        )
    display = DisparityDisplay.from_predictions(
        preds["y_true"],
        preds["y_pred"],
        y_score=preds["score"],
        sensitive_features=race,
        metric="auc",
        random_state=0,
    )
    expected = adult_session.disparities("race", metric="auc", random_state=0)
    np.testing.assert_allclose(display.frame()["auc"], expected["auc"], atol=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"y_pred": ["a", "b"]}, "y_pred has 2 values but y_true has 3"),
        ({"y_true": ["a", None, "b"]}, "y_true has 1 missing"),
        ({"sensitive_features": ["x", "y"]}, "sensitive_features .* 3 values"),
        ({"sensitive_features": "race"}, "looks like a column name"),
        ({"pos_label": "c"}, "pos_label 'c' is not among"),
        ({"y_pred": ["a", "b", "c"], "metric": "tpr"}, "hold 3 labels|tpr"),
        ({"metric": "mae"}, "numbers"),
        ({"y_score": [0.1, "x", 0.3]}, "y_score must be numbers"),
        ({"reference": "z"}, "reference 'z' is not a slice"),
    ],
)
def test_bad_arrays_are_named(kwargs, message):
    arguments = {
        "y_true": ["a", "b", "a"],
        "y_pred": ["a", "a", "b"],
        "sensitive_features": ["x", "y", "x"],
        "metric": "accuracy",
    }
    arguments.update(kwargs)
    y_true, y_pred = arguments.pop("y_true"), arguments.pop("y_pred")
    with pytest.raises(rw.ValidationError, match=message):
        DisparityDisplay.from_predictions(y_true, y_pred, **arguments)


@pytest.mark.parametrize("strategy", ["uniform", "quantile"])
def test_reliability_matches_the_session_and_sklearn(adult_session, strategy):
    preds = adult_session.predictions()
    display = ReliabilityDisplay.from_predictions(
        preds["y_true"],
        preds["score"],
        sensitive_features=adult_session.X["sex"],
        pos_label=">50K",
        n_bins=8,
        strategy=strategy,
    )
    bins, summary = adult_session.calibration("sex", n_bins=8, strategy=strategy)
    np.testing.assert_allclose(display.frame()["observed"], bins["observed"], atol=1e-12)
    np.testing.assert_allclose(display.summary_["ece"], summary["ece"], atol=1e-12)
    assert display.what == "P(>50K)"
    overall = ReliabilityDisplay.from_predictions(
        preds["y_true"], preds["score"], pos_label=">50K", n_bins=8, strategy=strategy
    ).frame()
    happened = (preds["y_true"] == ">50K").to_numpy()
    observed, predicted = calibration_curve(happened, preds["score"], n_bins=8, strategy=strategy)
    np.testing.assert_allclose(overall["observed"], observed, atol=1e-12)
    np.testing.assert_allclose(overall["mean_predicted"], predicted, atol=1e-12)


@pytest.mark.parametrize(
    ("y_prob", "message"),
    [
        ([0.2, 1.4, 0.5, 0.1], r"\[0, 1\]; position 1"),
        ([[0.2, 0.8]] * 4, "one-dimensional"),
        ([0.2, 0.4, 0.1], "3 values but y_true has 4"),
    ],
)
def test_reliability_refuses_what_is_not_a_probability(y_prob, message):
    with pytest.raises(rw.ValidationError, match=message):
        ReliabilityDisplay.from_predictions([0, 1, 1, 0], y_prob)


def test_the_displays_are_public():
    assert "display" in rw.__all__
    assert rw.display.DisparityDisplay is DisparityDisplay
    for name in rw.display.__all__:
        cls = getattr(rw.display, name)
        assert cls.__doc__
