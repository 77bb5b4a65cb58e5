"""Counterfactual recourse (issue 23) on real data: every answer is checked by the model,
constraints hold, the search is deterministic, and bad arguments name themselves."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier

import rai_widgets as rw

N_ROWS = 3000


@pytest.fixture(scope="module")
def adult_part(adult):
    rng = np.random.default_rng(3)
    take = np.sort(rng.choice(len(adult.data), N_ROWS, replace=False))
    X = adult.data.iloc[take].reset_index(drop=True)
    y = adult.target.iloc[take].reset_index(drop=True)
    return X, y


@pytest.fixture(scope="module")
def adult_cf(adult_part, adult_model):
    X, y = adult_part
    s = rw.ModelSession(
        adult_model, X, y, sensitive_features=["sex", "race"], favorable=">50K", random_state=0
    )
    refused = s.predictions().index[s.predictions()["y_pred"] == "<=50K"][:12]
    return s, list(refused), s.counterfactuals(list(refused), n=3)


def _answers(s, cf):
    return cf.cases()[list(s.X.columns)]


def test_every_counterfactual_gets_the_other_answer_from_the_model(adult_cf, adult_model):
    s, refused, cf = adult_cf
    cases = cf.cases()
    assert len(cases) >= len(refused)  # at least one per case on Adult
    assert (adult_model.predict(_answers(s, cf)) == ">50K").all()
    assert (cases["prediction_after"] == ">50K").all()
    assert (cases["score_after"] > 0.5).all() and (cases["score_before"] < 0.5).all()
    assert cases.index.names == ["row", "rank"]
    assert set(cases.index.get_level_values("row")) <= set(refused)


def test_the_values_keep_the_dtypes_and_stay_among_real_ones(adult_cf):
    s, _, cf = adult_cf
    answers = _answers(s, cf)
    X = s.X
    for column in X.columns:
        if pd.api.types.is_numeric_dtype(X[column]):
            assert answers[column].dtype == X[column].dtype, column
            assert answers[column].min() >= X[column].min(), column
            assert answers[column].max() <= X[column].max(), column
        else:
            seen = set(X[column].dropna())
            assert set(answers[column].dropna()) <= seen, column


def test_sensitive_features_never_change_and_changes_are_few(adult_cf):
    s, _, cf = adult_cf
    changes = cf.frame()
    assert not changes["feature"].isin(["sex", "race"]).any()
    cases = cf.cases()
    assert cases["n_changed"].mean() <= 3
    # frame() holds exactly the changed features of each counterfactual
    counted = changes.groupby(["row", "rank"]).size()
    assert (counted.reindex(cases.index).to_numpy() == cases["n_changed"].to_numpy()).all()
    for (row, rank), group in changes.groupby(["row", "rank"]):
        for _, change in group.iterrows():
            before = s.X.loc[row, change["feature"]]
            assert before == change["before"] or (pd.isna(before) and pd.isna(change["before"]))
            assert cases.loc[(row, rank), change["feature"]] == change["after"]


def test_the_reading_names_each_change_and_the_answer(adult_cf):
    _, refused, cf = adult_cf
    summary = cf.summary()
    assert list(summary.index) == refused
    first = summary[summary["found"] > 0].iloc[0]
    text = first["reading"]
    assert text.startswith("If ") and ", the model would say >50K (" in text
    changes = cf.frame()
    best = changes[(changes["row"] == first.name) & (changes["rank"] == 1)]
    for feature in best["feature"]:
        assert f"{feature} were " in text
    assert cf.reading(first.name) == text
    with pytest.raises(rw.ValidationError, match="not among the rows asked for"):
        cf.reading(-1)


def test_immutable_monotone_and_ranges_hold(adult_part, adult_model):
    X, y = adult_part
    s = rw.ModelSession(adult_model, X, y, sensitive_features=["sex"], random_state=0)
    refused = list(s.predictions().index[s.predictions()["y_pred"] == "<=50K"][:10])
    cf = s.counterfactuals(
        refused,
        n=3,
        immutable=["education", "education-num", "marital-status"],
        monotone={"age": "increase", "hours-per-week": "increase"},
        ranges={"hours-per-week": (None, 50), "capital-gain": (0, 5000)},
    )
    changes = cf.frame()
    assert (
        not changes["feature"].isin(["sex", "education", "education-num", "marital-status"]).any()
    )
    for feature in ("age", "hours-per-week"):
        moved = changes[changes["feature"] == feature]
        assert (moved["after"] > moved["before"]).all(), feature
    answers = cf.cases()
    assert (answers["hours-per-week"] <= 50).all() or (
        answers["hours-per-week"]
        == X.loc[answers.index.get_level_values("row"), "hours-per-week"].to_numpy()
    ).all()
    gain = changes[changes["feature"] == "capital-gain"]
    assert gain["after"].between(0, 5000).all()
    assert (adult_model.predict(answers[list(X.columns)]) == ">50K").all()


class OlderThan40:
    """A rule that looks at age alone: no other feature can change its answer."""

    classes_ = np.array(["<=50K", ">50K"])

    def predict(self, X):
        return np.where(X["age"] > 40, ">50K", "<=50K")


def test_a_case_without_a_possible_counterfactual_says_why(adult_part):
    X, y = adult_part
    s = rw.ModelSession(OlderThan40(), X, y, random_state=0)
    young = list(X.index[X["age"] <= 40][:3])
    keep = [c for c in X.columns if c != "hours-per-week"]  # age may not change: no answer
    cf = s.counterfactuals(young, immutable=keep)
    summary = cf.summary()
    assert (summary["found"] == 0).all()
    assert summary["reason"].str.startswith("none of the nearest real cases").all()
    assert summary["reading"].str.startswith("No change was found that makes the model say").all()
    assert cf.cases().empty and cf.frame().empty
    free = s.counterfactuals(young, n=1)  # with age free, the rule's own threshold
    assert (free.cases()["age"] > 40).all()
    assert set(
        free.frame().groupby(["row", "rank"])["feature"].agg(set).map(lambda f: "age" in f)
    ) == {True}
    everything = s.counterfactuals(young[:1], immutable=list(X.columns))
    assert everything.summary()["reason"].iloc[0] == "every feature is immutable"
    older = list(X.index[X["age"] > 40][:1])
    same = s.counterfactuals(older, target=">50K")
    assert same.summary()["reason"].iloc[0] == "it already gets that answer"


def test_max_changes_and_a_seed_give_the_same_answers(adult_part, adult_model):
    X, y = adult_part
    s = rw.ModelSession(adult_model, X, y, random_state=0)
    refused = list(s.predictions().index[s.predictions()["y_pred"] == "<=50K"][:8])
    one = s.counterfactuals(refused, n=2, max_changes=1, random_state=4)
    assert (one.cases()["n_changed"] == 1).all()
    again = s.counterfactuals(refused, n=2, max_changes=1, random_state=4)
    pd.testing.assert_frame_equal(one.cases(), again.cases())
    assert (one.summary()["found"] > 0).any()
    limited = one.summary()
    assert limited.loc[limited["found"] == 0, "reason"].str.contains("more than 1").all()


def test_multiclass_targets_a_named_class(wage_education):
    model, X, y = wage_education
    s = rw.ModelSession(model, X.iloc[:800], y.iloc[:800], random_state=0)
    predicted = s.predictions()["y_pred"]
    wanted = "5. Advanced Degree"
    rows = list(predicted.index[predicted != wanted][:5])
    cf = s.counterfactuals(rows, n=2, target=wanted)
    assert (cf.summary()["found"] > 0).any()
    answers = cf.cases()
    assert (model.predict(answers[list(X.columns)]) == wanted).all()
    anything = s.counterfactuals(rows[:2], n=1)  # default: any other class
    other = anything.cases()
    for (row, _), after in other["prediction_after"].items():
        assert after != predicted.loc[row]


def test_regression_targets_a_range_with_its_unit(wage, wage_model):
    s = rw.ModelSession(
        wage_model, wage.data.iloc[:600], wage.target.iloc[:600],
        target_unit="thousand dollars", favorable="higher", random_state=0,
    )  # fmt: skip
    low = s.predictions()["y_pred"].nsmallest(4).index
    cf = s.counterfactuals(list(low), n=2, target=(120, None))
    answers = cf.cases()
    assert len(answers) > 0
    assert (wage_model.predict(answers[list(s.X.columns)]) >= 120).all()
    found = cf.summary().query("found > 0")["reading"]
    assert found.str.contains(r"the model would predict [\d.,]+ thousand dollars\.").all()
    default = s.counterfactuals(list(low[:2]))  # above the median prediction
    median = float(np.median(s.predictions()["y_pred"]))
    assert (default.cases()["prediction_after"] >= median).all()
    # the survey's year is no one's to change: no counterfactual moves it
    assert "year" in s.X.columns and "year" not in set(cf.frame()["feature"])
    assert "year" not in set(default.frame()["feature"])


def _with_category_columns(german) -> pd.DataFrame:
    X = german.data.copy()
    for column in X.columns:
        if not pd.api.types.is_numeric_dtype(X[column]):
            X[column] = X[column].astype("category")
    return X


class Wrapped:
    """A duck-typed model: predict and predict_proba only."""

    def __init__(self, model):
        self.model, self.classes_ = model, model.classes_

    def predict(self, Z):
        return self.model.predict(Z)

    def predict_proba(self, Z):
        return self.model.predict_proba(Z)


def _lightgbm(X, y):
    lightgbm = pytest.importorskip("lightgbm")
    return lightgbm.LGBMClassifier(n_estimators=40, verbose=-1, random_state=0).fit(X, y)


def _hgb_in_a_wrapper(X, y):
    model = HistGradientBoostingClassifier(
        max_iter=40, categorical_features="from_dtype", random_state=0
    ).fit(X, y)
    return Wrapped(model)


@pytest.mark.parametrize("make", [_lightgbm, _hgb_in_a_wrapper], ids=["lightgbm", "duck_typed"])
def test_category_columns_keep_their_dtypes(german, make):
    X = _with_category_columns(german)
    model = make(X, german.target)
    s = rw.ModelSession(model, X, german.target, favorable="good", random_state=0)
    bad = list(s.predictions().index[s.predictions()["y_pred"] == "bad"][:6])
    cf = s.counterfactuals(bad, n=2)
    answers = cf.cases()[list(X.columns)]
    assert len(answers) > 0
    assert (model.predict(answers) == "good").all()
    for column in X.columns:
        assert answers[column].dtype == X[column].dtype, column


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"immutable": ["nope"]}, rw.ColumnNotFoundError, "immutable: 'nope' is not a column"),
        ({"monotone": {"agee": "increase"}}, rw.ColumnNotFoundError, "Did you mean 'age'"),
        ({"monotone": {"age": "up"}}, rw.ValidationError, 'must be "increase" or "decrease"'),
        ({"monotone": {"sex": "increase"}}, rw.ValidationError, "not numeric"),
        ({"ranges": {"age": (60, 20)}}, rw.ValidationError, "low 60 above high 20"),
        ({"target": "rich"}, rw.ValidationError, "target='rich' is not one of"),
        ({"n": 0}, rw.ValidationError, "n"),
    ],
)
def test_bad_arguments_name_themselves(adult_cf, kwargs, error, match):
    s, refused, _ = adult_cf
    with pytest.raises(error, match=match):
        s.counterfactuals(refused[:1], **kwargs)


def test_a_regression_target_must_be_a_range(wage, wage_model):
    s = rw.ModelSession(wage_model, wage.data.iloc[:200], wage.target.iloc[:200])
    with pytest.raises(rw.ValidationError, match=r"\(low, high\)"):
        s.counterfactuals(0, target=100)
    with pytest.raises(rw.ValidationError, match="low 90 is above high 80"):
        s.counterfactuals(0, target=(90, 80))
