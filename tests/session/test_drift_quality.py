"""The drift check ties a drift to the model: on real data (Adult, Wage) a drift the model's
quality follows is a concern, one it does not is a note, and the quality numbers are those
sklearn.metrics computes on the same rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import RandomForestRegressor
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, mean_absolute_error
from sklearn.model_selection import train_test_split

import rai_widgets as rw
from rai_widgets import formatting
from rai_widgets.compute.drift_quality import quality_change
from rai_widgets.session.checks.drift import LARGE_SHIFT, drift
from tests.conftest import raw_column_pipeline


@pytest.fixture(scope="module")
def adult_split(adult):
    train = adult.split == "train"
    X_train, y_train = adult.data[train], adult.target[train]
    X, y = adult.data[~train], adult.target[~train]
    model = raw_column_pipeline(LogisticRegression(max_iter=300)).fit(X_train, y_train)
    return model, X_train, y_train, X, y


@pytest.fixture(scope="module")
def wage_split(wage):
    X_train, X, y_train, y = train_test_split(wage.data, wage.target, test_size=0.3, random_state=0)
    model = raw_column_pipeline(
        RandomForestRegressor(n_estimators=30, min_samples_leaf=5, random_state=0)
    ).fit(X_train, y_train)
    return model, X_train, y_train, X, y


def _session(split, X=None, X_train=None, **options):
    model, X_tr, y_tr, X_ev, y_ev = split
    return rw.ModelSession(
        model, X_ev if X is None else X, y_ev, random_state=0,
        train=(X_tr if X_train is None else X_train, y_tr), **options,
    )  # fmt: skip


def _of(findings, feature, spec):
    found = [f for f in findings if f.feature == feature and f.slice == spec]
    assert len(found) == 1, [(f.feature, f.slice, f.severity) for f in findings]
    return found[0]


def _accuracy_by_hand(model, X_train, y_train, X, y, in_train, in_eval):
    """The group's accuracy on both sides, the change, and the change minus the other
    rows' change, by sklearn."""
    pred_train, pred_eval = model.predict(X_train), model.predict(X)
    sides = {}
    for name, where_t, where_e in (("group", in_train, in_eval), ("rest", ~in_train, ~in_eval)):
        train = accuracy_score(y_train[where_t], pred_train[where_t])
        evaluation = accuracy_score(y[where_e], pred_eval[where_e])
        sides[name] = (train, evaluation, evaluation - train)
    return sides["group"], sides["group"][2] - sides["rest"][2]


def test_a_drift_the_model_degrades_on_is_a_concern(adult_split):
    model, X_train, y_train, X, y = adult_split
    women = (X["sex"] == "Female").to_numpy()
    moved = X.assign(**{
        "capital-gain": np.where(women, X["capital-gain"] + 7000, X["capital-gain"]),
        "hours-per-week": np.where(women, X["hours-per-week"] + 10, X["hours-per-week"]),
    })  # fmt: skip
    s = _session(adult_split, moved, sensitive_features=["sex", "race"])
    findings = drift(s, alpha=0.05)
    finding = _of(findings, "capital-gain", {"sex": "Female"})  # the group's largest shift
    assert not [f for f in findings if f.feature == "hours-per-week"]  # one finding a group
    assert "Other features that differ there: hours-per-week (" in finding.finding
    assert finding.details["also"] == ["hours-per-week"]
    assert finding.severity == "concern" and finding.metric == "accuracy"
    assert [f.slice for f in findings if f.severity == "concern"] == [{"sex": "Female"}]
    (train, evaluation, change), excess = _accuracy_by_hand(
        model, X_train, y_train.to_numpy(), moved, y.to_numpy(),
        (X_train["sex"] == "Female").to_numpy(), women,
    )  # fmt: skip
    details = finding.details
    assert details["train"] == pytest.approx(train, abs=1e-12)
    assert details["evaluation"] == pytest.approx(evaluation, abs=1e-12)
    assert details["excess"] == pytest.approx(excess, abs=1e-12)
    assert details["excess_lo"] < excess < details["excess_hi"] < -0.05  # measurably worse
    text = finding.finding
    assert "its median goes from 0 to 7,000 (+7,000 in capital-gain's own units)" in text
    assert "The model is less accurate there than in training" in text
    assert (
        f"right for {formatting.percent(evaluation)} of these evaluation rows against "
        f"{formatting.percent(train)} of these training rows ({formatting.points(change)};"
    ) in text


def test_a_drift_the_model_ignores_is_a_concern_only_by_its_size(adult_split):
    model, X_train, y_train, X, y = adult_split
    women = (X["sex"] == "Female").to_numpy()
    moved = X.assign(fnlwgt=np.where(women, X["fnlwgt"] * 1.5, X["fnlwgt"]))  # a census weight
    s = _session(adult_split, moved, sensitive_features=["sex", "race"])
    findings = drift(s, alpha=0.05)
    assert {f.feature for f in findings} == {"fnlwgt"}
    finding = _of(findings, "fnlwgt", {"sex": "Female"})
    assert finding.details["outcome"] == "same"  # the model's accuracy did not move
    # a concern only where fnlwgt moved most and by a quarter or more; a note elsewhere
    assert finding.details["large"] == (finding.lo >= LARGE_SHIFT)
    assert finding.severity == ("concern" if finding.details["large"] else "note")
    assert all(f.severity != "concern" for f in findings if f is not finding)
    (train, evaluation, _), excess = _accuracy_by_hand(
        model, X_train, y_train.to_numpy(), moved, y.to_numpy(),
        (X_train["sex"] == "Female").to_numpy(), women,
    )  # fmt: skip
    assert finding.details["excess"] == pytest.approx(excess, abs=1e-12)
    assert -0.05 < finding.details["excess_lo"] < excess < finding.details["excess_hi"] < 0.05
    assert (
        "The model is as accurate there as in training: right for "
        f"{formatting.percent(evaluation)} of these evaluation rows against "
        f"{formatting.percent(train)} of these training rows"
    ) in finding.finding
    medians = (
        X_train.loc[X_train["sex"] == "Female", "fnlwgt"].median(),
        moved.loc[women, "fnlwgt"].median(),
    )
    assert finding.details["before"] == medians[0] and finding.details["after"] == medians[1]


def test_the_split_years_drift_of_wage_is_no_concern_and_says_its_unit(wage_split):
    """The review's case: the survey year of never-married workers differs between the halves
    of a random split (median 2005 against 2007); a forest is off by more on every row it was
    not fitted on, as much there as elsewhere."""
    model, X_train, y_train, X, y = wage_split
    s = _session(wage_split, sensitive_features=["race", "age", "maritl"],
                 target_unit="thousand dollars")  # fmt: skip
    findings = drift(s, alpha=0.05)
    group = "1. Never Married"
    finding = _of(findings, "year", {"maritl": group})
    assert finding.severity != "concern" and finding.metric == "mae"
    assert "its median goes from 2005 to 2007 (+2 years)" in finding.finding
    in_train = (X_train["maritl"] == group).to_numpy()
    in_eval = (X["maritl"] == group).to_numpy()
    train = mean_absolute_error(y_train[in_train], model.predict(X_train[in_train]))
    evaluation = mean_absolute_error(y[in_eval], model.predict(X[in_eval]))
    rest = mean_absolute_error(y[~in_eval], model.predict(X[~in_eval])) - mean_absolute_error(
        y_train[~in_train], model.predict(X_train[~in_train])
    )
    assert finding.details["train"] == pytest.approx(train, rel=1e-9)
    assert finding.details["evaluation"] == pytest.approx(evaluation, rel=1e-9)
    assert finding.details["rest_change"] == pytest.approx(rest, rel=1e-9)
    assert evaluation - train > 2 and rest > 2  # the forest fits its own rows closer
    assert finding.details["excess_lo"] < 0 < finding.details["excess_hi"]  # no more there
    assert f"off by {evaluation:.2f} thousand dollars on these evaluation rows" in finding.finding


def test_a_category_moved_where_the_forest_goes_wrong_is_a_concern(wage_split):
    model, X_train, y_train, X, y = wage_split
    black = X["race"] == "2. Black"
    moved = X.copy()
    moved.loc[black, "education"] = "5. Advanced Degree"
    s = _session(wage_split, moved, sensitive_features=["race", "maritl"],
                 target_unit="thousand dollars")  # fmt: skip
    finding = _of(drift(s, alpha=0.05), "education", {"race": "2. Black"})
    assert finding.severity == "concern" and finding.details["outcome"] == "changes"
    in_train = (X_train["race"] == "2. Black").to_numpy()
    train = mean_absolute_error(y_train[in_train], model.predict(X_train[in_train]))
    evaluation = mean_absolute_error(y[black], model.predict(moved[black]))
    assert finding.details["train"] == pytest.approx(train, rel=1e-9)
    assert finding.details["evaluation"] == pytest.approx(evaluation, rel=1e-9)
    share = (X_train.loc[in_train, "education"] == "5. Advanced Degree").mean()
    assert (
        f"the share of 5. Advanced Degree goes from {formatting.percent(share)} to 100.0%"
    ) in finding.finding
    assert "The model is further off there than in training" in finding.finding


def test_without_training_labels_a_drift_says_why_its_quality_is_not_compared(adult_split):
    model, X_train, _, X, y = adult_split
    moved = X.assign(**{"capital-gain": X["capital-gain"] + 7000})
    s = rw.ModelSession(model, moved, y, random_state=0, train=(X_train, None))
    findings = drift(s, alpha=0.05)
    assert all("not compared: the training rows were given without labels" in f.finding
               for f in findings)  # fmt: skip
    # +7,000 on every row moves capital-gain entirely: a concern by size where it moved most
    concerns = [f for f in findings if f.severity == "concern"]
    assert len(concerns) == 1 and concerns[0].details["large"]
    assert all(f.severity == "note" for f in findings if f is not concerns[0])


def test_quality_change_matches_an_independent_difference_in_differences():
    rng = np.random.default_rng(3)
    train_right, eval_right = rng.random(5000) < 0.8, rng.random(3000) < 0.75
    in_train, in_eval = rng.random(5000) < 0.3, rng.random(3000) < 0.3
    found = quality_change(train_right, eval_right, metric="accuracy", train_in=in_train,
                           eval_in=in_eval, confidence=0.95)  # fmt: skip
    group = eval_right[in_eval].mean() - train_right[in_train].mean()
    rest = eval_right[~in_eval].mean() - train_right[~in_train].mean()
    assert found.change == pytest.approx(group) and found.rest_change == pytest.approx(rest)
    assert found.excess == pytest.approx(group - rest)
    # the normal (Wald) interval of a difference in differences is close to the MOVER one
    variance = sum(
        p * (1 - p) / n
        for p, n in (
            (eval_right[in_eval].mean(), in_eval.sum()),
            (train_right[in_train].mean(), in_train.sum()),
            (eval_right[~in_eval].mean(), (~in_eval).sum()),
            (train_right[~in_train].mean(), (~in_train).sum()),
        )
    )
    half = 1.959964 * np.sqrt(variance)
    assert found.excess_lo == pytest.approx(group - rest - half, abs=0.003)
    assert found.excess_hi == pytest.approx(group - rest + half, abs=0.003)
    errors = pd.Series(rng.exponential(10, 400))
    whole = quality_change(errors[:250].to_numpy(), errors[250:].to_numpy(), metric="mae")
    assert np.isnan(whole.rest_change) and whole.excess == pytest.approx(
        errors[250:].mean() - errors[:250].mean()
    )


def test_the_training_rows_quality_is_the_models_own_on_a_sample(adult_split):
    from rai_widgets.session.checks.drift import training_quality

    model, X_train, y_train, _, _ = adult_split
    s = _session(adult_split, sensitive_features=["sex"])
    rows, right = training_quality(s, max_rows=2000)
    assert len(rows) == 2000 and (np.diff(rows) > 0).all()
    expected = model.predict(X_train.iloc[rows]) == y_train.to_numpy()[rows]
    np.testing.assert_array_equal(right, expected)
    again = training_quality(s, max_rows=2000)
    assert again[0] is rows  # cached: the model is not called twice
