"""Conformal prediction on real data: coverage, MAPIE as the oracle, Mondrian groups, errors."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import binom

import rai_widgets as rw


def _within_sampling_tolerance(covered: int, n: int, level: float) -> bool:
    """Split conformal promises >= level; allow a 99.9% binomial tolerance below it."""
    return covered >= binom.ppf(0.001, n, level)


@pytest.mark.parametrize("level", [0.8, 0.9])
def test_coverage_on_adult_and_wage(adult_session, wage, wage_model, level):
    result = adult_session.conformal(confidence_level=level, random_state=0)
    frame = result.frame()
    n, coverage = int(frame["n"].iloc[0]), float(frame["coverage"].iloc[0])
    assert _within_sampling_tolerance(round(coverage * n), n, level)
    assert coverage < level + 0.03  # and not trivially larger
    s = rw.ModelSession(wage_model, wage.data, wage.target, random_state=0)
    reg = s.conformal(confidence_level=level, random_state=0).frame()
    assert _within_sampling_tolerance(
        round(reg["coverage"].iloc[0] * reg["n"].iloc[0]), int(reg["n"].iloc[0]), level
    )
    assert "mean_width" in reg.columns


def test_sets_and_intervals_equal_mapie(german, german_model, wage, wage_model):
    from mapie.classification import SplitConformalClassifier
    from mapie.regression import SplitConformalRegressor

    X, y = german.data, german.target
    s = rw.ModelSession(german_model, X.iloc[500:], y.iloc[500:], random_state=0)
    ours = s.conformal(confidence_level=0.9, calibration=(X.iloc[:500], y.iloc[:500]))
    mapie = SplitConformalClassifier(german_model, confidence_level=0.9, prefit=True)
    mapie.conformalize(X.iloc[:500], y.iloc[:500])
    _, sets = mapie.predict_set(X.iloc[500:])
    np.testing.assert_array_equal(ours.sets, sets[:, :, 0])

    Xw, yw = wage.data, wage.target
    s = rw.ModelSession(wage_model, Xw.iloc[1000:], yw.iloc[1000:], random_state=0)
    ours = s.conformal(confidence_level=0.9, calibration=(Xw.iloc[:1000], yw.iloc[:1000]))
    mapie = SplitConformalRegressor(wage_model, confidence_level=0.9, prefit=True)
    mapie.conformalize(Xw.iloc[:1000], yw.iloc[:1000])
    _, intervals = mapie.predict_interval(Xw.iloc[1000:])
    np.testing.assert_allclose(ours.lower, intervals[:, 0, 0], atol=1e-9)
    np.testing.assert_allclose(ours.upper, intervals[:, 1, 0], atol=1e-9)


def test_mondrian_gives_each_group_its_coverage(adult_session):
    plain = adult_session.conformal(confidence_level=0.9, random_state=0).frame(by="race")
    mondrian = adult_session.conformal(
        confidence_level=0.9, random_state=0, mondrian_by="race"
    ).frame(by="race")
    for _, row in mondrian.iterrows():
        assert _within_sampling_tolerance(round(row["coverage"] * row["n"]), int(row["n"]), 0.9)
    assert set(plain.index) == set(mondrian.index)


def test_predictions_read_as_sets(adult_session):
    preds = adult_session.conformal(random_state=0).predictions()
    assert {"set", "set_size", "covered"} <= set(preds.columns)
    assert all(isinstance(s, tuple) for s in preds["set"].head())
    assert preds["set_size"].between(0, 2).all()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"confidence_level": 1.5}, "confidence_level must be a number in"),
        ({"confidence_level": 0}, "confidence_level must be a number in"),
        ({"calibration": 1.2}, "must be in \\(0, 1\\)"),
        ({"calibration": "half"}, "fraction of X"),
    ],
)
def test_bad_conformal_arguments(adult_session, kwargs, match):
    with pytest.raises(rw.ValidationError, match=match):
        adult_session.conformal(**kwargs)


def test_calibration_set_with_unknown_classes(adult, adult_session):
    y_bad = adult.target.iloc[:200].replace({">50K": "rich"})
    with pytest.raises(rw.ValidationError, match="never saw"):
        adult_session.conformal(calibration=(adult.data.iloc[:200], y_bad))


# --- calibration ---------------------------------------------------------------------------------
def test_ece_equals_a_direct_computation(adult_session, adult):
    bins, summary = adult_session.calibration(by="sex", n_bins=10, strategy="uniform")
    preds = adult_session.predictions()
    p = preds["score"].to_numpy()
    happened = (adult.target == ">50K").to_numpy()
    for sex in ["Female", "Male"]:
        m = (adult.data["sex"] == sex).to_numpy()
        which = np.clip(np.floor(p[m] * 10).astype(int), 0, 9)
        ece = 0.0
        for b in range(10):
            in_bin = which == b
            if in_bin.any():
                ece += (
                    in_bin.sum() / m.sum() * abs(happened[m][in_bin].mean() - p[m][in_bin].mean())
                )
        assert summary.loc[sex, "ece"] == pytest.approx(ece, abs=1e-12)
        overconfidence = preds["confidence"][m].mean() - preds["correct"][m].mean()
        assert summary.loc[sex, "overconfidence"] == pytest.approx(overconfidence, abs=1e-12)
    assert (bins["observed_lo"] <= bins["observed"] + 1e-12).all()
    assert bins.groupby("sex")["n"].sum().to_dict() == adult.data["sex"].value_counts().to_dict()


def test_calibration_matches_sklearn_calibration_curve(adult_session, adult):
    from sklearn.calibration import calibration_curve

    bins, _ = adult_session.calibration(n_bins=8, strategy="uniform")
    prob_true, prob_pred = calibration_curve(
        adult.target == ">50K", adult_session.predictions()["score"], n_bins=8, strategy="uniform"
    )
    np.testing.assert_allclose(bins["observed"], prob_true, atol=1e-12)
    np.testing.assert_allclose(bins["mean_predicted"], prob_pred, atol=1e-12)


def test_calibration_rejects_regression(wage, wage_model):
    s = rw.ModelSession(wage_model, wage.data, wage.target)
    with pytest.raises(rw.ValidationError, match="applies to classifiers"):
        s.calibration()
