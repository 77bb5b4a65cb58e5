"""Suspect labels by confident learning: agreement with cleanlab on real data, planted label
flips recovered per group, out-of-fold probabilities that really are out of fold, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from cleanlab.filter import find_label_issues
from scipy import stats
from sklearn.base import clone
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.datasets import load_iris
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.svm import LinearSVC

from rai_widgets.compute.intervals import wilson_interval
from rai_widgets.compute.label_quality import (
    SUSPECT_RATE_COLUMNS,
    OutOfFold,
    find_suspect_labels,
    out_of_fold_probabilities,
    suspect_rates_by_group,
)
from rai_widgets.core.errors import ModelError, RaiWidgetsError, ValidationError
from rai_widgets.datasets import load_adult, load_german_credit, load_wage

ADULT_ROWS = 6_000


def _pipeline(final_step, *, dense: bool = False):
    """One-hot encode text columns, scale numbers (raw DataFrame in)."""
    pre = make_column_transformer(
        (
            OneHotEncoder(handle_unknown="ignore", sparse_output=not dense),
            make_column_selector(dtype_exclude="number"),
        ),
        (StandardScaler(), make_column_selector(dtype_include="number")),
    )
    return make_pipeline(pre, final_step)


@pytest.fixture(scope="module")
def adult_sample():
    adult = load_adult()
    rows = adult.data.sample(ADULT_ROWS, random_state=0).index
    X = adult.data.loc[rows].reset_index(drop=True)
    y = adult.target.loc[rows].reset_index(drop=True)
    return X, y


def _case(name, adult_sample):
    """(estimator, X, y) of a real classification task."""
    if name == "adult-income-binary":
        X, y = adult_sample
        return _pipeline(LogisticRegression(max_iter=300)), X, y
    if name == "adult-education-3class":
        X, _ = adult_sample
        years = X["education-num"]
        y = pd.Series(
            np.where(years <= 8, "no diploma", np.where(years <= 12, "school", "degree")),
            name="education_level",
        )
        X = X.drop(columns=["education", "education-num"])
        return _pipeline(LogisticRegression(max_iter=500)), X, y
    if name == "german-credit-binary":
        credit = load_german_credit()
        model = HistGradientBoostingClassifier(max_iter=50, random_state=0)
        return _pipeline(model, dense=True), credit.data, credit.target
    if name == "wage-education-5class":
        wage = load_wage()
        X = wage.frame.drop(columns=["education", "logwage"])
        return _pipeline(LogisticRegression(max_iter=500)), X, wage.frame["education"]
    raise AssertionError(name)


# --- agreement with cleanlab -------------------------------------------------------------------


@pytest.mark.parametrize(
    "case",
    [
        "adult-income-binary",
        "adult-education-3class",
        "german-credit-binary",
        "wage-education-5class",
    ],
)
def test_suspects_agree_with_cleanlab(case, adult_sample):
    estimator, X, y = _case(case, adult_sample)
    oof = out_of_fold_probabilities(estimator, X, y)
    labels = np.asarray(y)[oof.rows]
    codes = np.searchsorted(oof.classes, labels)
    theirs = find_label_issues(codes, oof.proba)
    ours = find_suspect_labels(labels, oof.proba, oof.classes)
    both, either = int((ours & theirs).sum()), int((ours | theirs).sum())
    jaccard = both / either
    message = (
        f"{case}: ours {int(ours.sum())}, cleanlab {int(theirs.sum())}, both {both}, "
        f"union {either}, Jaccard {jaccard:.4f}, symmetric difference {int((ours ^ theirs).sum())}"
    )
    assert theirs.sum() > 0.01 * len(labels), message  # a real, non-trivial set of suspects
    assert jaccard >= 0.95, message


def test_suspects_do_not_depend_on_class_order(adult_sample):
    estimator, X, y = _case("adult-education-3class", adult_sample)
    oof = out_of_fold_probabilities(estimator, X, y)
    labels = np.asarray(y)[oof.rows]
    order = np.array([2, 0, 1])
    reordered = find_suspect_labels(labels, oof.proba[:, order], oof.classes[order])
    np.testing.assert_array_equal(reordered, find_suspect_labels(labels, oof.proba, oof.classes))


def test_suspects_by_hand():
    # thresholds: class a 0.6 (mean of 0.9, 0.8, 0.1), class b 0.7 (mean of 0.9, 0.8, 0.4).
    # Row 2 (a, p_b 0.9) and row 5 (b, p_a 0.6) are confidently the other class.
    labels = np.array(["a", "a", "a", "b", "b", "b"])
    p_b = np.array([0.1, 0.2, 0.9, 0.9, 0.8, 0.4])
    proba = np.column_stack([1 - p_b, p_b])
    suspect = find_suspect_labels(labels, proba, ["a", "b"])
    assert suspect.tolist() == [False, False, True, False, False, True]


# --- planted label flips -------------------------------------------------------------------


@pytest.fixture(scope="module")
def planted(adult_sample):
    """Suspects on Adult as is and with 30% of the women's labels flipped (nothing else).

    The model does not see ``sex``: it cannot learn that one group's labels are noisier.
    """
    X, y = adult_sample
    sex = X["sex"]
    labels = y.to_numpy()
    women = np.flatnonzero(sex.to_numpy() == "Female")
    rng = np.random.default_rng(0)
    flipped = rng.choice(women, size=round(0.3 * len(women)), replace=False)
    noisy = labels.copy()
    noisy[flipped] = np.where(labels[flipped] == ">50K", "<=50K", ">50K")
    estimator = _pipeline(LogisticRegression(max_iter=300))
    features = X.drop(columns=["sex"])
    runs = {}
    for name, target in [("clean", labels), ("flipped", noisy)]:
        oof = out_of_fold_probabilities(estimator, features, target)
        suspect = find_suspect_labels(target[oof.rows], oof.proba, oof.classes)
        runs[name] = (suspect, suspect_rates_by_group(suspect, sex.iloc[oof.rows]))
    is_flipped = np.zeros(len(labels), dtype=bool)
    is_flipped[flipped] = True
    return runs, is_flipped, women


def test_planted_flips_make_the_group_significant(planted):
    runs, _, _ = planted
    clean, flipped = runs["clean"][1], runs["flipped"][1]
    message = f"\nclean:\n{clean}\nflipped:\n{flipped}"
    assert list(flipped.columns) == list(SUSPECT_RATE_COLUMNS)
    assert flipped.index.name == "sex"
    assert bool(flipped.loc["Female", "significant"]), message
    assert flipped.loc["Female", "gap_lo"] > 0.05, message
    assert not bool(flipped.loc["Male", "significant"]), message
    # On the real labels men's incomes are the more often suspect (Female is not flagged); the
    # flips add well over 0.10 to the women's gap.
    assert not bool(clean.loc["Female", "significant"]), message
    assert flipped.loc["Female", "gap"] >= clean.loc["Female", "gap"] + 0.10, message


def test_planted_flips_are_recovered(planted):
    runs, is_flipped, women = planted
    suspect = runs["flipped"][0]
    recall = (suspect & is_flipped).sum() / is_flipped.sum()
    precision = (suspect & is_flipped).sum() / suspect.sum()
    rate = runs["flipped"][1].loc["Female", "rate"]
    message = f"recall {recall:.3f}, precision {precision:.3f}, women's suspect rate {rate:.3f}"
    assert recall >= 0.5, message
    assert precision >= 0.3, message
    assert rate == pytest.approx(suspect[women].mean())
    assert 0.15 <= rate <= 0.45, message  # 30% flipped, plus the real labels' own suspects


# --- out-of-fold probabilities --------------------------------------------------------------


def test_probabilities_are_out_of_fold():
    credit = load_german_credit()
    X, y = credit.data, credit.target
    nearest = _pipeline(KNeighborsClassifier(n_neighbors=1))
    in_sample = clone(nearest).fit(X, y).predict_proba(X)
    oof = out_of_fold_probabilities(nearest, X, y)
    labels = y.to_numpy()
    own = (oof.classes[oof.proba.argmax(axis=1)] == labels).mean()
    assert (oof.classes[in_sample.argmax(axis=1)] == labels).all()  # it memorises its rows
    assert own < 0.9, f"out-of-fold 1-NN agrees with the label on {own:.3f} of rows"
    # the same folds as scikit-learn's cross_val_predict
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    expected = cross_val_predict(nearest, X, y, cv=folds, method="predict_proba")
    np.testing.assert_allclose(oof.proba, expected)
    assert oof.rows.tolist() == list(range(len(X)))
    assert not oof.sampled and oof.n_total == len(X) and oof.n_splits == 5


def test_max_rows_samples_keeping_class_balance():
    adult = load_adult()
    estimator = _pipeline(LogisticRegression(max_iter=300))
    oof = out_of_fold_probabilities(estimator, adult.data, adult.target, max_rows=3_000)
    assert isinstance(oof, OutOfFold)
    assert oof.sampled and oof.n_total == len(adult.data) and len(oof.rows) == 3_000
    assert oof.proba.shape == (3_000, 2)
    assert np.all(np.diff(oof.rows) > 0) and 0 <= oof.rows[0] and oof.rows[-1] < oof.n_total
    share = (adult.target == ">50K").mean()
    assert (adult.target.to_numpy()[oof.rows] == ">50K").mean() == pytest.approx(share, abs=1e-3)
    again = out_of_fold_probabilities(estimator, adult.data, adult.target, max_rows=3_000)
    np.testing.assert_array_equal(again.rows, oof.rows)
    other = out_of_fold_probabilities(
        estimator, adult.data, adult.target, max_rows=3_000, random_state=1
    )
    assert not np.array_equal(other.rows, oof.rows)


@pytest.mark.parametrize("kind", ["numpy-int", "numpy-str", "series-str", "series-category"])
def test_label_types_and_class_order(kind):
    X, codes = load_iris(return_X_y=True)
    names = np.array(["virginica", "setosa", "versicolor"])[codes]  # not in sorted order
    y = {
        "numpy-int": codes,
        "numpy-str": names,
        "series-str": pd.Series(names, index=np.arange(len(codes)) + 1000),
        "series-category": pd.Series(pd.Categorical(names)),
    }[kind]
    estimator = LogisticRegression(max_iter=500)
    oof = out_of_fold_probabilities(estimator, pd.DataFrame(X), y)
    fitted = clone(estimator).fit(X, np.asarray(y))
    assert oof.classes.tolist() == fitted.classes_.tolist()
    np.testing.assert_allclose(oof.proba.sum(axis=1), 1.0)
    labels = np.asarray(y)[oof.rows]
    # every column belongs to its class: the probability of the row's own label is high
    own = oof.proba[np.arange(len(labels)), np.searchsorted(oof.classes, labels)]
    assert own.mean() > 0.8
    suspect = find_suspect_labels(y, oof.proba, oof.classes)
    assert suspect.dtype == bool and suspect.shape == (len(labels),)


def test_rare_class_falls_back_to_plain_folds():
    X, y = load_iris(return_X_y=True)
    keep = np.r_[np.flatnonzero(y < 2), np.flatnonzero(y == 2)[:3]]  # class 2: 3 rows < 5 folds
    oof = out_of_fold_probabilities(LogisticRegression(max_iter=500), X[keep], y[keep])
    assert oof.proba.shape == (len(keep), 3)
    np.testing.assert_allclose(oof.proba.sum(axis=1), 1.0)


# --- bad input ------------------------------------------------------------------------------


def test_estimator_without_predict_proba():
    X, y = load_iris(return_X_y=True)
    with pytest.raises(ModelError, match=r"estimator LinearSVC has no predict_proba"):
        out_of_fold_probabilities(LinearSVC(), X, y)
    with pytest.raises(RaiWidgetsError, match=r"estimator Pipeline has no predict_proba"):
        out_of_fold_probabilities(make_pipeline(StandardScaler(), LinearSVC()), X, y)


@pytest.mark.parametrize(
    "missing", [np.array([0.0, 1.0, np.nan] * 10), np.array(["a", None, "b"] * 10, dtype=object)]
)
@pytest.mark.parametrize("as_series", [False, True])
def test_missing_labels(missing, as_series):
    X = np.arange(60.0).reshape(30, 2)
    y = pd.Series(missing) if as_series else missing
    with pytest.raises(ValidationError, match=r"y_train has 10 missing label.*drop those rows"):
        out_of_fold_probabilities(LogisticRegression(), X, y)


def test_class_with_one_row():
    X, y = load_iris(return_X_y=True)
    y = np.where(np.arange(len(y)) == 0, 7, y)
    with pytest.raises(ValidationError, match=r"y_train has class\(es\) 7 with fewer than 2"):
        out_of_fold_probabilities(LogisticRegression(max_iter=500), X, y)


def test_other_bad_arguments():
    X, y = load_iris(return_X_y=True)
    with pytest.raises(ValidationError, match="X has 149 rows"):
        out_of_fold_probabilities(LogisticRegression(), X[1:], y)
    with pytest.raises(ValidationError, match="n_splits"):
        out_of_fold_probabilities(LogisticRegression(), X, y, n_splits=1)
    with pytest.raises(ValidationError, match="labels has value"):
        find_suspect_labels([0, 1, 5], np.full((3, 2), 0.5), [0, 1])
    with pytest.raises(ValidationError, match="proba must have shape"):
        find_suspect_labels([0, 1, 1], np.full((3, 3), 0.5), [0, 1])
    with pytest.raises(ValidationError, match="groups must have one value per row"):
        suspect_rates_by_group(np.zeros(3, dtype=bool), ["a", "b"])


# --- rates by group -------------------------------------------------------------------------


def test_rates_by_group_against_scipy():
    rng = np.random.default_rng(0)
    groups = pd.Series(np.repeat(["big", "mid", "tiny"], [400, 150, 12]), name="site")
    suspect = np.concatenate([np.arange(n) < k for n, k in [(400, 20), (150, 30), (12, 6)]])
    order = rng.permutation(len(groups))  # shuffle rows: positions, not order, define groups
    groups, suspect = groups.iloc[order].reset_index(drop=True), suspect[order]
    table = suspect_rates_by_group(suspect, groups, confidence=0.9)
    assert table.index.name == "site" and table.index.tolist() == ["big", "mid", "tiny"]
    for name, row in table.iterrows():
        mine = (groups == name).to_numpy()
        k, n = int(suspect[mine].sum()), int(mine.sum())
        rest_k, rest_n = int(suspect[~mine].sum()), int((~mine).sum())
        assert (row["n"], row["suspects"]) == (n, k)
        ci = stats.binomtest(k, n).proportion_ci(confidence_level=0.9, method="wilson")
        assert (row["rate_lo"], row["rate_hi"]) == pytest.approx((ci.low, ci.high))
        assert row["rest_rate"] == pytest.approx(rest_k / rest_n)
        assert row["gap"] == pytest.approx(k / n - rest_k / rest_n)
        contingency = [[k, n - k], [rest_k, rest_n - rest_k]]
        if stats.contingency.expected_freq(contingency).min() >= 5:
            expected = stats.chi2_contingency(contingency, correction=False).pvalue
        else:
            expected = stats.fisher_exact(contingency).pvalue
        assert row["p_value"] == pytest.approx(expected, rel=1e-9)
    # Newcombe's hybrid score interval of the mid group's gap, from the Wilson bounds
    mid = table.loc["mid"]
    rest = suspect[(groups != "mid").to_numpy()]
    r_lo, r_hi = wilson_interval(np.array([rest.sum()]), np.array([len(rest)]), 0.9)
    d = mid["rate"] - mid["rest_rate"]
    assert mid["gap_lo"] == pytest.approx(
        d - np.hypot(mid["rate"] - mid["rate_lo"], r_hi[0] - mid["rest_rate"])
    )
    assert mid["gap_hi"] == pytest.approx(
        d + np.hypot(mid["rate_hi"] - mid["rate"], mid["rest_rate"] - r_lo[0])
    )
    # Benjamini-Hochberg over the two groups tested; the tiny group is listed, never significant
    p = table.loc[["big", "mid"], "p_value"].to_numpy()
    expected_q = np.minimum(np.minimum.accumulate((np.sort(p) * 2 / [1, 2])[::-1])[::-1], 1)
    assert np.sort(table.loc[["big", "mid"], "q_value"].to_numpy()) == pytest.approx(expected_q)
    assert np.isnan(table.loc["tiny", "q_value"]) and not table.loc["tiny", "significant"]
    assert table.loc["tiny", "gap"] > 0.3
    assert bool(table.loc["mid", "significant"]) and not bool(table.loc["big", "significant"])


def test_missing_groups_count_in_the_rest():
    suspect = np.array([True, False, True, False, True, True])
    groups = np.array(["a", "a", "b", "b", None, None], dtype=object)
    table = suspect_rates_by_group(suspect, groups, min_rows=1)
    assert table.index.tolist() == ["a", "b"]
    assert table["rest_rate"].tolist() == [0.75, 0.75]
    assert table["n"].tolist() == [2, 2]
