"""Blind-spot search and threshold trade-offs on real data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import false_discovery_control
from sklearn.metrics import confusion_matrix

import rai_widgets as rw
from rai_widgets.compute.weak_slices import benjamini_hochberg


def test_benjamini_hochberg_equals_scipy():
    p = np.random.default_rng(0).uniform(size=200) ** 3
    np.testing.assert_allclose(benjamini_hochberg(p), false_discovery_control(p, method="bh"))


class _Planted:
    """Predicts the truth, except: wrong on 60% of one intersection, and on 10% of every row."""

    def __init__(self, X, y, classes, weak):
        rng = np.random.default_rng(0)
        self.truth = pd.Series(np.asarray(y), index=X.index)
        self.classes_ = np.asarray(classes)
        flip = rng.random(len(X)) < 0.10
        if weak is not None:
            flip |= weak.to_numpy() & (rng.random(len(X)) < 0.60)
        other = {self.classes_[0]: self.classes_[1], self.classes_[1]: self.classes_[0]}
        self.answer = np.where(flip, self.truth.map(other), self.truth)

    def predict(self, X):
        return self.answer[self.truth.index.get_indexer(X.index)]

    def predict_proba(self, X):
        hit = (self.predict(X) == self.classes_[1]).astype(float) * 0.8 + 0.1
        return np.column_stack([1 - hit, hit])


@pytest.mark.parametrize("planted", [True, False])
def test_a_planted_weakness_is_found_and_nothing_else(german, planted):
    X, y = german.data, german.target
    weak = (X["housing"] == "rent") & (X["foreign_worker"] == "yes") if planted else None
    model = _Planted(X, y, ["bad", "good"], weak)
    s = rw.ModelSession(model, X, y, task="binary")
    features = ["housing", "foreign_worker", "purpose", "age_in_years", "job"]
    table = s.weak_slices(features=features, max_order=2)
    found = table[table["significant"]]
    if planted:
        assert found["slice"].iloc[0] in ("housing = rent & foreign_worker = yes", "housing = rent")
        assert "housing = rent & foreign_worker = yes" in set(found["slice"])
        top = found.iloc[0]
        assert top["gap"] > 0.2 and top["gap_lo"] > 0
    else:
        assert len(found) <= 2  # errors at random: (almost) no discoveries at a 5% FDR
    assert (table["q_value"] >= table["p_value"] - 1e-12).all()


def test_each_weak_slice_spec_selects_exactly_its_rows(german, german_model):
    s = rw.ModelSession(german_model, german.data, german.target)
    table = s.weak_slices(features=["housing", "age_in_years", "purpose"], max_order=2)
    wrong = (~s.predictions()["correct"]).to_numpy(dtype=float)
    assert any("age_in_years" in spec for spec in table["spec"])  # binned numeric columns too
    for _, row in table.head(40).iterrows():
        mask = s.core.slice_mask(row["spec"])
        assert mask.sum() == row["n"], row["slice"]
        assert wrong[mask].mean() == pytest.approx(row["metric"])
        assert s.examples("confident_errors", slice=row["spec"], n=5) is not None


def test_weak_slices_on_regression(wage, wage_model):
    s = rw.ModelSession(wage_model, wage.data, wage.target)
    table = s.weak_slices(features=["race", "education"], max_order=1)
    assert set(table.columns) >= {"slice", "gap", "q_value"}
    first = table.iloc[0]
    rows = wage.data[first["slice"].split(" = ")[0]] == first["slice"].split(" = ")[1]
    assert first["n"] == rows.sum()
    errors = s.predictions()["residual"].abs()
    assert first["metric"] == pytest.approx(errors[rows].mean())


def test_threshold_tradeoffs_match_confusion_matrices(adult_session, adult):
    table = adult_session.threshold_tradeoffs("sex", thresholds=[0.3, 0.5, 0.7])
    score = adult_session.predictions()["score"]
    for _, row in table.iterrows():
        m = adult.data["sex"] == row["sex"]
        predicted = np.where(score[m] >= row["threshold"], ">50K", "<=50K")
        tn, fp, fn, tp = confusion_matrix(
            adult.target[m], predicted, labels=["<=50K", ">50K"]
        ).ravel()
        assert (row["tp"], row["fp"], row["fn"], row["tn"]) == (tp, fp, fn, tn)
        assert row["tpr"] == pytest.approx(tp / (tp + fn))


def test_confusion_at_per_group_thresholds_match_confusion_matrices(adult_session, adult):
    chosen = {"Female": 0.3, "Male": 0.6}
    table = adult_session.threshold_tradeoffs("sex", thresholds=chosen)
    assert list(table.columns[:2]) == ["sex", "threshold"] and len(table) == 2
    score = adult_session.predictions()["score"]
    for group, row in table.set_index("sex").iterrows():
        m = adult.data["sex"] == group
        predicted = np.where(score[m] >= chosen[group], ">50K", "<=50K")
        tn, fp, fn, tp = confusion_matrix(
            adult.target[m], predicted, labels=["<=50K", ">50K"]
        ).ravel()
        assert (row["tp"], row["fp"], row["fn"], row["tn"]) == (tp, fp, fn, tn)
        assert row["threshold"] == chosen[group]
        assert row["accuracy"] == pytest.approx((tp + tn) / m.sum())


@pytest.mark.parametrize("rate", ["selection_rate", "tpr", "fpr"])
def test_equalizing_thresholds_are_the_closest_of_all_thresholds(adult_session, rate):
    table = adult_session.equalizing_thresholds("race", rate=rate, target=0.3)
    score = adult_session.predictions()["score"].to_numpy()
    race = adult_session.X["race"].to_numpy()
    for group, row in table.iterrows():
        candidates = np.unique(score[race == group])
        curves = adult_session.threshold_tradeoffs("race", thresholds=candidates)
        mine = curves[curves["race"] == group]
        best = np.nanmin(np.abs(mine[rate] - 0.3))
        assert abs(row["gap"]) <= best + 1e-12
        assert row[rate] == pytest.approx(0.3 + row["gap"])
    big = table[table["n"] > 1000]
    assert (big["gap"].abs() < 0.01).all()  # large groups can be brought very close


def test_equalizing_thresholds_default_target_is_the_overall_rate_at_one_half(adult_session):
    overall = adult_session.threshold_tradeoffs(None, thresholds=0.5)
    table = adult_session.equalizing_thresholds("sex", rate="tpr")
    assert table["target"].iloc[0] == pytest.approx(overall["tpr"].iloc[0])
    assert table.attrs["rate"] == "tpr"


def test_bad_threshold_arguments(adult_session):
    with pytest.raises(rw.ValidationError, match="rate must be one of"):
        adult_session.equalizing_thresholds("sex", rate="accuracy", target=0.5)
    with pytest.raises(rw.ValidationError, match="target must be between"):
        adult_session.equalizing_thresholds("sex", target=1.5)
    with pytest.raises(rw.ValidationError, match=r"groups that do not exist.*'Martian'"):
        adult_session.threshold_tradeoffs("sex", thresholds={"Martian": 0.5})
    with pytest.raises(rw.ValidationError, match=r"between 0 and 1|in \[0, 1\]"):
        adult_session.threshold_tradeoffs("sex", thresholds={"Male": 2.0})
    with pytest.raises(AttributeError, match=r"threshold_tradeoffs\(by, thresholds="):
        adult_session.confusion_at_thresholds("sex", 0.5)


def test_bad_fairness_arguments(adult_session, wage, wage_model):
    with pytest.raises(rw.ValidationError, match="max_order must be 1 or 2"):
        adult_session.weak_slices(max_order=3)
    with pytest.raises(rw.ValidationError, match="more than 30"):
        adult_session.weak_slices(features=["fnlwgt", "native-country"])
    s = rw.ModelSession(wage_model, wage.data, wage.target)
    with pytest.raises(rw.NotOfferedError, match="not offered for a regression task"):
        s.threshold_tradeoffs("race")
    assert not hasattr(s, "equalizing_thresholds") and "threshold_tradeoffs" not in dir(s)
