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
    ours = s.conformal(
        confidence_level=0.9, calibration=(Xw.iloc[:1000], yw.iloc[:1000]), method="absolute"
    )
    assert ours.method == "absolute" and not ours.adaptive
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
        ({"method": "absolute"}, "method must be one of 'lac'.*'absolute'.*other task"),
        ({"method": "quantile"}, "method must be one of 'lac'"),
    ],
)
def test_bad_conformal_arguments(adult_session, kwargs, match):
    with pytest.raises(rw.ValidationError, match=match):
        adult_session.conformal(**kwargs)


def test_bad_regression_method_is_named(wage, wage_model):
    s = rw.ModelSession(wage_model, wage.data, wage.target, random_state=0)
    with pytest.raises(rw.ValidationError, match="method must be one of 'normalized', 'absolute'"):
        s.conformal(method="cqr")
    with pytest.raises(rw.ValidationError, match="got 'lac'"):
        s.conformal(method="lac")


def test_calibration_set_with_unknown_classes(adult, adult_session):
    y_bad = adult.target.iloc[:200].replace({">50K": "rich"})
    with pytest.raises(rw.ValidationError, match="never saw"):
        adult_session.conformal(calibration=(adult.data.iloc[:200], y_bad))


# --- adaptive (normalised-residual) intervals ---------------------------------------------------
def _hgb(max_iter=100):
    """Gradient boosting on raw columns: text one-hot encoded (dense), numbers as they are."""
    from sklearn.compose import make_column_selector, make_column_transformer
    from sklearn.ensemble import HistGradientBoostingRegressor
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder

    pre = make_column_transformer(
        (
            OneHotEncoder(handle_unknown="ignore", sparse_output=False),
            make_column_selector(dtype_exclude="number"),
        ),
        remainder="passthrough",
    )
    return make_pipeline(pre, HistGradientBoostingRegressor(max_iter=max_iter, random_state=0))


def _hgb_wage(wage, rows):
    return _hgb().fit(wage.data.iloc[rows], wage.target.iloc[rows])


def test_adaptive_intervals_keep_coverage_and_vary_by_case(wage):
    """Gradient boosting on Wage (text columns included): the default method covers 87-93% at
    a promised 90%, overall and for every large group, and its widths differ from case to case
    while the absolute method's do not."""
    model = _hgb_wage(wage, np.arange(0, 3000, 3))  # a third of the rows; the rest held out
    rest = np.setdiff1d(np.arange(3000), np.arange(0, 3000, 3))
    s = rw.ModelSession(
        model,
        wage.data.iloc[rest],
        wage.target.iloc[rest],
        sensitive_features=["race"],
        random_state=0,
    )
    result = s.conformal(confidence_level=0.9)
    assert result.method == "normalized" and result.adaptive
    assert 0.87 <= result.covered.mean() <= 0.93
    assert result.size.std() > 0 and len(np.unique(np.round(result.size, 6))) > 100
    assert np.all(result.scale > 0) and np.all(np.isfinite(result.size))
    assert result.size.max() > 2 * result.size.min()  # a real spread, not rounding noise
    by_race = result.frame(by="race")
    for _, row in by_race[by_race["n"] >= 100].iterrows():
        assert _within_sampling_tolerance(round(row["coverage"] * row["n"]), int(row["n"]), 0.9)
    constant = s.conformal(confidence_level=0.9, method="absolute")
    assert np.ptp(constant.size) < 1e-9 and not constant.adaptive
    # the interval of any case, from the result, is the one it gave the evaluation rows
    first = s.core.positions_of(result.index[:5])
    lower, upper = result.interval_for(
        s.core.frame.iloc[first], s.predictions()["y_pred"].iloc[first]
    )
    np.testing.assert_allclose(lower, result.lower[:5])
    np.testing.assert_allclose(upper, result.upper[:5])
    preds = result.predictions()
    assert {"lower", "upper", "width", "covered"} <= set(preds.columns)


def test_adaptive_intervals_on_diabetes_cover_on_average():
    """sklearn's bundled diabetes data: over 10 random calibration splits of 300 held-out
    rows, the adaptive intervals cover 87-93% on average, with widths that vary per case."""
    from sklearn.datasets import load_diabetes
    from sklearn.ensemble import HistGradientBoostingRegressor

    X, y = load_diabetes(return_X_y=True, as_frame=True)
    model = HistGradientBoostingRegressor(max_iter=100, random_state=0)
    model.fit(X.iloc[:142], y.iloc[:142])
    s = rw.ModelSession(model, X.iloc[142:], y.iloc[142:])
    coverage = []
    for seed in range(10):
        result = s.conformal(confidence_level=0.9, random_state=seed)
        coverage.append(result.covered.mean())
        assert result.size.std() > 0 and result.adaptive
    assert 0.87 <= np.mean(coverage) <= 0.93


def test_adaptive_intervals_against_mapie_residual_normalized(wage):
    """MAPIE's "residual_normalized" score on the same splits (its residual model: the same
    gradient boosting on the log residuals, fitted on a quarter of the calibration rows):
    averaged over five splits, both cover 87-93% and their mean widths are within a factor
    1.5 (close, not equal: the scale models differ)."""
    from mapie.conformity_scores import ResidualNormalisedScore
    from mapie.regression import SplitConformalRegressor

    X, y = wage.data, wage.target
    ours, theirs = [], []
    for seed in range(5):
        order = np.random.default_rng(seed).permutation(len(X))
        fit, cal, test = order[:1000], order[1000:2000], order[2000:]
        model = _hgb_wage(wage, fit)
        s = rw.ModelSession(model, X.iloc[test], y.iloc[test], random_state=0)
        result = s.conformal(confidence_level=0.9, calibration=(X.iloc[cal], y.iloc[cal]))
        ours.append((result.covered.mean(), result.size.mean()))
        score = ResidualNormalisedScore(
            residual_estimator=_hgb(),
            random_state=0,
        )
        mapie = SplitConformalRegressor(
            model, confidence_level=0.9, conformity_score=score, prefit=True
        )
        mapie.conformalize(X.iloc[cal], y.iloc[cal])
        _, intervals = mapie.predict_interval(X.iloc[test])
        lo, hi = intervals[:, 0, 0], intervals[:, 1, 0]
        truth = y.iloc[test].to_numpy()
        theirs.append((np.mean((truth >= lo) & (truth <= hi)), np.mean(hi - lo)))
    (our_cover, our_width), (mapie_cover, mapie_width) = np.mean(ours, 0), np.mean(theirs, 0)
    assert 0.87 <= our_cover <= 0.93 and 0.87 <= mapie_cover <= 0.93
    assert 1 / 1.5 <= our_width / mapie_width <= 1.5


def test_mondrian_with_adaptive_scores_gives_each_group_its_coverage(adult):
    """Mondrian on the adaptive score: one threshold per group, each group covered. Adult's
    hours-per-week regressed on the other columns (text columns included)."""
    X = adult.data.drop(columns=["hours-per-week"]).iloc[:8000]
    y = adult.data["hours-per-week"].iloc[:8000].astype(float)
    model = _hgb(max_iter=50).fit(X.iloc[:2000], y.iloc[:2000])
    s = rw.ModelSession(model, X.iloc[2000:], y.iloc[2000:], sensitive_features=["sex"])
    result = s.conformal(confidence_level=0.9, mondrian_by="sex", random_state=0)
    assert set(result.thresholds) == {"Female", "Male"} and result.mondrian_by == "sex"
    assert result.thresholds["Female"] != result.thresholds["Male"]
    assert result.method == "normalized" and result.adaptive
    for _, row in result.frame(by="sex").iterrows():
        assert _within_sampling_tolerance(round(row["coverage"] * row["n"]), int(row["n"]), 0.9)
        assert row["coverage"] < 0.93
    # each group's interval is its own threshold times the case's scale
    female = (result.groups["sex"] == "Female").to_numpy()
    np.testing.assert_allclose(
        result.size[female], 2 * result.thresholds["Female"] * result.scale[female]
    )


def test_residual_scale_is_positive_and_handles_unseen_categories(wage):
    from rai_widgets.compute.conformal_adaptive import ResidualScale

    X = wage.data
    target = np.abs(np.random.default_rng(0).normal(size=len(X))) * (X["age"] / 40)
    scale = ResidualScale(random_state=0).fit(X.iloc[:1500], target.iloc[:1500])
    unseen = X.iloc[1500:1510].copy()
    unseen["jobclass"] = "astronaut"  # a category never seen when fitting
    predicted = scale.predict(unseen)
    assert np.all(predicted >= scale.floor_) and scale.floor_ > 0
    assert np.all(np.isfinite(predicted))
    old, young = X["age"] > 55, X["age"] < 25
    assert scale.predict(X[old]).mean() > scale.predict(X[young]).mean()
    small = ResidualScale().fit(X.iloc[:10], target.iloc[:10])  # too few rows: one scale
    assert np.ptp(small.predict(X.iloc[:50])) == 0 and small.model_ is None


def test_outcome_dots_follow_the_case_scale(wage):
    model = _hgb_wage(wage, np.arange(0, 3000, 2))
    s = rw.ModelSession(model, wage.data.iloc[1::2], wage.target.iloc[1::2], random_state=0)
    result = s.conformal(confidence_level=0.9)
    order = np.argsort(result.scale)
    narrow, wide = order[0], order[-1]
    spreads = []
    for i in (narrow, wide):
        position = s.core.positions_of([result.index[i]])
        y_pred = float(s.predictions()["y_pred"].iloc[position[0]])
        dots = result.outcomes_for(s.core.frame.iloc[position], y_pred)
        lower, upper = result.lower[i], result.upper[i]
        assert len(dots) == 20
        # about the promised share of the dots falls inside the case's interval
        assert np.mean((dots >= lower) & (dots <= upper)) >= 0.8
        spreads.append(np.ptp(dots))
    assert spreads[1] > 2 * spreads[0]


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


def test_calibration_is_not_offered_for_regression(wage, wage_model):
    s = rw.ModelSession(wage_model, wage.data, wage.target)
    with pytest.raises(rw.ValidationError, match="use conformal"):  # a NotOfferedError
        s.calibration()
    assert not hasattr(s, "calibration") and "calibration" not in dir(s)
    assert "conformal" in dir(s)
