"""Model variety and pandas input variants, on real data.

For every kind of model (scikit-learn Pipelines on raw string columns, native-categorical
gradient boosting, margin-only LinearSVC, LightGBM, XGBoost, duck-typed classifiers and
regressors, multiclass with string labels, regression) the session's predictions equal the
model's own ``predict``/``predict_proba`` and ``slice_metrics`` equals a direct pandas groupby to
1e-12. Then pandas variants: category dtypes and non-default indexes line up row for row.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd
import pytest
import xgboost as xgb
from sklearn import metrics as skm
from sklearn.base import BaseEstimator
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.svm import LinearSVC

import rai_widgets as rw
from rai_widgets.core.model import predict_is_argmax


# --- duck-typed models: plain classes, no scikit-learn base ---------------------------------
class DuckLogit:
    """A hand-written logistic model on some numeric columns: predict, predict_proba, classes_."""

    def __init__(self, columns, coef, intercept, classes):
        self.columns = list(columns)
        self.coef = np.asarray(coef, dtype=float)
        self.intercept = float(intercept)
        self.classes_ = np.asarray(classes)

    def predict_proba(self, X):
        z = X[self.columns].to_numpy(dtype=float) @ self.coef + self.intercept
        p1 = 1.0 / (1.0 + np.exp(-z))
        return np.column_stack([1.0 - p1, p1])

    def predict(self, X):
        return self.classes_[(self.predict_proba(X)[:, 1] > 0.5).astype(int)]


class DuckGroupMeanRegressor:
    """Mean wage per education level plus a least-squares slope on age: predict only."""

    def __init__(self, X, y):
        self.means = y.groupby(X["education"]).mean().to_dict()
        base = X["education"].map(self.means).to_numpy(dtype=float)
        age = X["age"].to_numpy(dtype=float)
        self.slope = float(np.polyfit(age - age.mean(), y.to_numpy() - base, 1)[0])
        self.age_mean = float(age.mean())

    def predict(self, X):
        base = X["education"].map(self.means).to_numpy(dtype=float)
        return base + self.slope * (X["age"].to_numpy(dtype=float) - self.age_mean)


# --- the cases --------------------------------------------------------------------------------
@dataclass
class Case:
    model: Any
    X: pd.DataFrame
    y: pd.Series
    by: str
    task: str
    kwargs: dict = field(default_factory=dict)

    def session(self, **kwargs) -> rw.ModelSession:
        return rw.ModelSession(self.model, self.X, self.y, random_state=0, **self.kwargs, **kwargs)


@pytest.fixture(scope="module")
def german_categorical(german):
    """German credit with its text columns as pandas category dtype."""
    X = german.data.copy()
    text = X.select_dtypes(exclude="number").columns
    X[text] = X[text].astype("category")
    return X


@pytest.fixture(scope="module")
def german_svc(german):
    pre = make_column_transformer(
        (OneHotEncoder(handle_unknown="ignore"), make_column_selector(dtype_exclude="number")),
        (StandardScaler(), make_column_selector(dtype_include="number")),
    )
    return make_pipeline(pre, LinearSVC(C=0.05)).fit(german.data, german.target)


def _pipeline_adult(request):
    adult = request.getfixturevalue("adult")
    model = request.getfixturevalue("adult_model")
    return Case(model, adult.data, adult.target, by="workclass", task="binary")  # has NaN


def _hgb_native_categorical(request):
    german = request.getfixturevalue("german")
    X = request.getfixturevalue("german_categorical")
    model = HistGradientBoostingClassifier(
        max_iter=30, categorical_features="from_dtype", random_state=0
    ).fit(X, german.target)
    assert model.is_categorical_.sum() == X.select_dtypes("category").shape[1]
    return Case(model, X, german.target, by="personal_status_and_sex", task="binary")


def _linear_svc(request):
    german = request.getfixturevalue("german")
    model = request.getfixturevalue("german_svc")
    return Case(model, german.data, german.target, by="housing", task="binary")


def _lightgbm(request):
    german = request.getfixturevalue("german")
    X = request.getfixturevalue("german_categorical")
    model = lgb.LGBMClassifier(n_estimators=20, num_leaves=8, n_jobs=1, verbose=-1)
    return Case(model.fit(X, german.target), X, german.target, by="purpose", task="binary")


def _xgboost(request):
    german = request.getfixturevalue("german")
    X = request.getfixturevalue("german_categorical")
    y01 = (german.target == "good").astype(int).rename("good")  # xgboost needs 0..k-1 labels
    model = xgb.XGBClassifier(
        n_estimators=20, max_depth=3, enable_categorical=True, tree_method="hist", n_jobs=1
    ).fit(X, y01)
    return Case(model, X, y01, by="job", task="binary")


def _duck_classifier(request):
    german = request.getfixturevalue("german")
    numeric = german.data.select_dtypes("number")
    standardised = (numeric - numeric.mean()) / numeric.std()
    fitted = LogisticRegression(max_iter=500).fit(standardised, german.target)
    # fold the standardisation into the coefficients: the duck model sees raw numbers
    coef = fitted.coef_[0] / numeric.std().to_numpy()
    intercept = fitted.intercept_[0] - float(coef @ numeric.mean().to_numpy())
    model = DuckLogit(numeric.columns, coef, intercept, fitted.classes_)
    return Case(model, german.data, german.target, by="foreign_worker", task="binary")


def _duck_regressor(request):
    wage = request.getfixturevalue("wage")
    model = DuckGroupMeanRegressor(wage.data, wage.target)
    return Case(model, wage.data, wage.target, by="race", task="regression")


def _multiclass_strings(request):
    model, X, y = request.getfixturevalue("wage_education")
    return Case(model, X, y, by="race", task="multiclass")


def _regressor_wage(request):
    wage = request.getfixturevalue("wage")
    model = request.getfixturevalue("wage_model")
    return Case(model, wage.data, wage.target, by="jobclass", task="regression")


BUILDERS = {
    "pipeline_adult": _pipeline_adult,
    "hgb_native_categorical": _hgb_native_categorical,
    "linear_svc": _linear_svc,
    "lightgbm": _lightgbm,
    "xgboost": _xgboost,
    "duck_classifier": _duck_classifier,
    "duck_regressor": _duck_regressor,
    "multiclass_strings": _multiclass_strings,
    "regressor_wage": _regressor_wage,
}


@pytest.fixture(scope="module", params=list(BUILDERS))
def case(request) -> Case:
    return BUILDERS[request.param](request)


# --- every model ----------------------------------------------------------------------------
def test_task_and_classes(case):
    s = case.session()
    assert s.task_ == case.task
    if case.task == "regression":
        assert s.classes_ is None
        assert s.pos_label_ is None
    else:
        np.testing.assert_array_equal(s.classes_, case.model.classes_)
    if case.task == "binary":
        assert s.pos_label_ == case.model.classes_[1]


def test_predictions_equal_the_models_own(case):
    s = case.session()
    preds = s.predictions()
    assert preds.index.equals(case.X.index)
    np.testing.assert_array_equal(preds["y_true"].to_numpy(), case.y.to_numpy())
    expected_pred = np.asarray(case.model.predict(case.X))
    np.testing.assert_array_equal(preds["y_pred"].to_numpy(), expected_pred)
    if case.task == "regression":
        assert not any(c.startswith(("proba_", "score", "confidence")) for c in preds.columns)
        np.testing.assert_array_equal(
            preds["residual"].to_numpy(), case.y.to_numpy(dtype=float) - expected_pred
        )
        return
    np.testing.assert_array_equal(preds["correct"].to_numpy(), case.y.to_numpy() == expected_pred)
    if not hasattr(case.model, "predict_proba"):
        return
    proba = np.asarray(case.model.predict_proba(case.X))
    names = [f"proba_{c}" for c in s.classes_]
    assert [c for c in preds.columns if c.startswith("proba_")] == names
    np.testing.assert_array_equal(preds[names].to_numpy(), proba)
    predicted = pd.Index(s.classes_).get_indexer(expected_pred)
    np.testing.assert_array_equal(
        preds["confidence"].to_numpy(), proba[np.arange(len(proba)), predicted]
    )
    if case.task == "binary":
        np.testing.assert_array_equal(preds["score"].to_numpy(), proba[:, 1])
    else:
        assert "score" not in preds.columns


def test_slice_metrics_equal_a_pandas_groupby(case):
    s = case.session()
    metric = "mae" if case.task == "regression" else "accuracy"
    table = s.slice_metrics(by=case.by, metrics=[metric], ci=None)
    assert table.columns.tolist() == ["n", metric, "low_support"]
    assert table.index.name == case.by
    assert table["n"].sum() == len(case.X)

    pred = np.asarray(case.model.predict(case.X))
    if metric == "mae":
        per_row = pd.Series(np.abs(case.y.to_numpy(dtype=float) - pred), index=case.X.index)
    else:
        per_row = pd.Series((case.y.to_numpy() == pred).astype(float), index=case.X.index)
    expected = per_row.groupby(case.X[case.by], dropna=False, observed=True).agg(["size", "mean"])
    assert table.index.equals(expected.index), (table.index, expected.index)
    np.testing.assert_array_equal(table["n"].to_numpy(), expected["size"].to_numpy())
    np.testing.assert_allclose(table[metric], expected["mean"], rtol=0, atol=1e-12)
    low = expected["size"] < 30
    if s.task_ == "binary":  # also too few of either class to support rates and AUC
        positive = pd.Series(case.y.to_numpy() == s.pos_label_, index=case.X.index)
        pos = positive.groupby(case.X[case.by], dropna=False, observed=True).sum()
        low |= np.minimum(pos, expected["size"] - pos) < 10
    np.testing.assert_array_equal(table["low_support"].to_numpy(), low.to_numpy())

    overall = s.slice_metrics(metrics=metric, ci=None)
    assert overall.loc["overall", metric] == pytest.approx(per_row.mean(), abs=1e-12)


def test_every_available_metric_computes(case):
    s = case.session()
    names = s.metric_names()
    table = s.slice_metrics(by=case.by, n_boot=20)
    for name in names:
        assert {name, f"{name}_lo", f"{name}_hi"} <= set(table.columns)
    assert len(table) == case.X[case.by].nunique(dropna=False)


def test_metric_names_are_known_before_predicting(case):
    """The views offer the metrics before the model's answers are in: the names read from
    what the model can give equal the names read from its outputs."""
    from rai_widgets.compute.slice_metrics import available_metrics

    s = case.session()
    before = s.metric_names()
    assert not s.core.predictions_ready()
    assert before == available_metrics(s.core.metric_inputs())


def _count_outer_calls(model, monkeypatch) -> Counter:
    """Count calls of the model's prediction methods made from outside the model.

    The methods are patched on the class (the instance, hence its fingerprint, is untouched);
    calls a method makes to another (HistGradientBoosting's predict calls its predict_proba)
    are not counted.
    """
    calls: Counter = Counter()
    depth = [0]
    cls = type(model)
    for name in ("predict", "predict_proba", "decision_function"):
        if not hasattr(model, name):
            continue
        original = getattr(cls, name)

        def counted(self, X, *args, _original=original, _name=name, **kwargs):
            if depth[0] == 0:
                calls[_name] += 1
            depth[0] += 1
            try:
                return _original(self, X, *args, **kwargs)
            finally:
                depth[0] -= 1

        monkeypatch.setattr(cls, name, counted)
    return calls


def test_model_is_called_once(case, monkeypatch):
    """predict leaves the model's state (its fingerprint) unchanged, so nothing is recomputed."""
    calls = _count_outer_calls(case.model, monkeypatch)
    s = case.session()
    assert sum(calls.values()) == 0
    s.predictions()
    for by in [case.by, None, [case.by, case.X.columns[0]]]:
        s.slice_metrics(by=by, n_boot=20)
    s.metric_names()
    s.predictions()
    if case.task == "regression":
        expected = Counter(predict=1)
    elif predict_is_argmax(case.model):  # predict is the argmax of predict_proba: one call
        expected = Counter(predict_proba=1)
    elif hasattr(case.model, "predict_proba"):
        expected = Counter(predict=1, predict_proba=1)
    else:
        expected = Counter(predict=1, decision_function=1)
    assert calls == expected
    before = s.core.cache_info()
    s.predictions()
    after = s.core.cache_info()
    assert (after.hits, after.misses) == (before.hits + 1, before.misses)


# --- model-specific checks ------------------------------------------------------------------
def test_linear_svc_uses_the_decision_function(german, german_svc):
    assert not hasattr(german_svc, "predict_proba")
    s = rw.ModelSession(german_svc, german.data, german.target, random_state=0)
    preds = s.predictions()
    assert preds.columns.tolist() == ["y_true", "y_pred", "score", "correct"]
    decision = german_svc.decision_function(german.data)
    np.testing.assert_array_equal(preds["score"].to_numpy(), decision)
    names = s.metric_names()
    assert "auc" in names
    assert "brier" not in names
    with pytest.raises(rw.ValidationError, match=r"metrics \['brier'\] are not available"):
        s.slice_metrics(metrics="brier")

    overall = s.slice_metrics(metrics="auc", ci=None)
    expected = skm.roc_auc_score(german.target == "good", decision)
    assert overall.loc["overall", "auc"] == pytest.approx(expected, abs=1e-12)
    by_housing = s.slice_metrics(by="housing", metrics="auc", ci=None)
    for label, rows in german.data.groupby("housing").indices.items():
        auc = skm.roc_auc_score(german.target.to_numpy()[rows] == "good", decision[rows])
        assert by_housing.loc[label, "auc"] == pytest.approx(auc, abs=1e-12)


def test_linear_svc_with_the_other_pos_label(german, german_svc):
    s = rw.ModelSession(german_svc, german.data, german.target, pos_label="bad", random_state=0)
    decision = german_svc.decision_function(german.data)
    np.testing.assert_array_equal(s.predictions()["score"].to_numpy(), -decision)
    overall = s.slice_metrics(metrics=["auc", "tpr"], ci=None)
    expected_auc = skm.roc_auc_score(german.target == "bad", -decision)
    assert overall.loc["overall", "auc"] == pytest.approx(expected_auc, abs=1e-12)
    expected_tpr = skm.recall_score(german.target, german_svc.predict(german.data), pos_label="bad")
    assert overall.loc["overall", "tpr"] == pytest.approx(expected_tpr, abs=1e-12)


def test_xgboost_integer_labels(german, german_categorical):
    case = _xgboost(_FixtureLookup(german=german, german_categorical=german_categorical))
    s = case.session()
    assert s.pos_label_ == 1
    np.testing.assert_array_equal(s.classes_, [0, 1])
    preds = s.predictions()
    assert {"proba_0", "proba_1"} <= set(preds.columns)
    np.testing.assert_array_equal(preds["score"].to_numpy(), preds["proba_1"].to_numpy())
    rate = s.slice_metrics(metrics="selection_rate", ci=None).loc["overall", "selection_rate"]
    assert rate == pytest.approx(np.mean(case.model.predict(case.X) == 1), abs=1e-12)


class _FixtureLookup:
    """Stands in for pytest's ``request`` to reuse a case builder outside the parametrisation."""

    def __init__(self, **values):
        self.values = values

    def getfixturevalue(self, name):
        return self.values[name]


def test_duck_classifier_is_not_a_sklearn_estimator(german):
    case = _duck_classifier(_FixtureLookup(german=german))
    assert not isinstance(case.model, BaseEstimator)
    assert not hasattr(case.model, "get_params")
    s = case.session(sensitive_features="foreign_worker")
    assert s.task_ == "binary"
    assert s.pos_label_ == "good"
    assert "brier" in s.metric_names()


def test_duck_regressor_task_is_inferred_from_continuous_y(wage):
    model = DuckGroupMeanRegressor(wage.data, wage.target)
    assert not hasattr(model, "classes_") and not hasattr(model, "predict_proba")
    s = rw.ModelSession(model, wage.data, wage.target)
    assert s.task_ == "regression"
    assert s.metric_names() == ["mae", "rmse", "mean_prediction", "mean_residual"]
    # without y it cannot be told apart from a classifier: a clear error, or say the task
    with pytest.raises(rw.ModelError, match=r"Cannot tell whether DuckGroupMeanRegressor"):
        rw.ModelSession(model, wage.data)
    no_y = rw.ModelSession(model, wage.data, task="regression")
    np.testing.assert_array_equal(no_y.predictions()["y_pred"], model.predict(wage.data))


def test_duck_regressor_with_integer_valued_y_and_explicit_task(wage):
    model = DuckGroupMeanRegressor(wage.data, wage.target)
    y = wage.target.round()  # wages in whole dollars
    s = rw.ModelSession(model, wage.data, y, task="regression")
    assert s.task_ == "regression"
    mae = s.slice_metrics(metrics="mae", ci=None).loc["overall", "mae"]
    assert mae == pytest.approx(np.mean(np.abs(y - model.predict(wage.data))), abs=1e-12)


def test_duck_regressor_with_integer_valued_y_is_not_taken_for_a_classifier(wage):
    model = DuckGroupMeanRegressor(wage.data, wage.target)
    y = wage.target.round()
    try:
        s = rw.ModelSession(model, wage.data, y)
        s.predictions()
    except rw.ModelError as err:  # acceptable: a clear error asking for the task
        assert "task" in str(err)
        return
    assert s.task_ == "regression", f"inferred task_={s.task_!r} with {len(s.classes_)} classes"


def test_multiclass_string_labels(wage_education):
    model, X, y = wage_education
    s = rw.ModelSession(model, X, y, random_state=0)
    assert s.pos_label_ is None
    preds = s.predictions()
    assert [c for c in preds.columns if c.startswith("proba_")] == [
        f"proba_{c}" for c in model.classes_
    ]
    assert "proba_1. < HS Grad" in preds.columns
    np.testing.assert_array_equal(
        preds["confidence"].to_numpy(), model.predict_proba(X).max(axis=1)
    )
    table = s.slice_metrics(by="race", metrics=["macro_tpr"], ci=None)
    for label, rows in X.groupby("race").indices.items():
        expected = skm.recall_score(
            y.to_numpy()[rows],
            preds["y_pred"].to_numpy()[rows],
            labels=sorted(set(y.to_numpy()[rows])),
            average="macro",
        )
        assert table.loc[label, "macro_tpr"] == pytest.approx(expected, abs=1e-12)


# --- pandas input variants ------------------------------------------------------------------
def test_category_dtype_columns(adult, adult_model, adult_session):
    X = adult.data.copy()
    text = X.select_dtypes(exclude="number").columns
    X[text] = X[text].astype("category")
    assert isinstance(adult_model, Pipeline)
    s = rw.ModelSession(adult_model, X, adult.target, sensitive_features="race", random_state=0)
    preds = s.predictions()
    np.testing.assert_array_equal(preds["y_pred"].to_numpy(), adult_model.predict(X))
    pd.testing.assert_frame_equal(preds, adult_session.predictions())

    table = s.slice_metrics(by="workclass", metrics="accuracy", ci=None)
    assert table["n"].sum() == len(X)
    assert table.index.hasnans  # missing workclass is its own slice
    expected = preds["correct"].groupby(X["workclass"], dropna=False, observed=True).mean()
    assert list(table.index.astype(object)) == list(expected.index.astype(object))
    np.testing.assert_allclose(table["accuracy"], expected.to_numpy(), rtol=0, atol=1e-12)
    # same numbers as the string-dtype session
    plain = adult_session.slice_metrics(by="workclass", metrics="accuracy", ci=None)
    np.testing.assert_allclose(table["accuracy"], plain["accuracy"], rtol=0, atol=1e-12)


def test_unused_category_levels_are_not_slices(german, german_model):
    X = german.data.copy()
    X["housing"] = X["housing"].astype(pd.CategoricalDtype(["own", "rent", "for free", "castle"]))
    s = rw.ModelSession(german_model, X, german.target)
    table = s.slice_metrics(by="housing", metrics="accuracy", ci=None)
    assert "castle" not in table.index
    assert table["n"].sum() == len(X)
    assert (table["n"] > 0).all()


def _reindexed(german, kind):
    if kind == "strings":
        index = pd.Index([f"app{i:04d}" for i in range(len(german.data))], name="application")
        return german.data.set_axis(index), german.target.set_axis(index)
    order = np.random.default_rng(0).permutation(len(german.data))
    return german.data.iloc[order], german.target.iloc[order]  # shuffled integer labels


@pytest.mark.parametrize("kind", ["strings", "shuffled_ints"])
def test_non_default_index_lines_up(german, german_model, kind):
    X, y = _reindexed(german, kind)
    s = rw.ModelSession(german_model, X, y, sensitive_features="foreign_worker", random_state=0)
    preds = s.predictions()
    assert preds.index.equals(X.index)
    np.testing.assert_array_equal(preds["y_pred"].to_numpy(), german_model.predict(X))
    np.testing.assert_array_equal(preds["y_true"].to_numpy(), y.to_numpy())

    slices = s.core.slices("housing")
    for label in slices.labels:
        rows = X.index[slices.positions(label)]
        assert set(rows) == set(X.index[X["housing"] == label])
        assert (preds.loc[rows, "y_true"] == y.loc[rows]).all()

    # the same rows in another order/labelling give the same per-slice numbers
    base = rw.ModelSession(german_model, german.data, german.target, random_state=0)
    for by in ["housing", ["foreign_worker", "housing"], rw.Bins("age_in_years", q=3)]:
        ours = s.slice_metrics(by=by, ci=None)
        expected = base.slice_metrics(by=by, ci=None)
        pd.testing.assert_frame_equal(ours, expected, rtol=0, atol=1e-12)

    mask = (X["age_in_years"] > 50).rename("over_50")  # aligned with X, same order
    table = s.slice_metrics(by=mask, metrics="accuracy", ci=None)
    assert table.loc[True, "n"] == mask.sum()
    assert table.loc[True, "accuracy"] == pytest.approx(preds["correct"][mask].mean(), abs=1e-12)


def test_y_and_sensitive_series_in_another_order_are_aligned_by_label(german, german_model):
    X, _ = _reindexed(german, "shuffled_ints")
    y = german.target  # same labels as X's index, in the original order
    region = german.data["foreign_worker"].rename("migrant")  # also in the original order
    s = rw.ModelSession(german_model, X, y, sensitive_features=region, random_state=0)
    preds = s.predictions()
    np.testing.assert_array_equal(preds["y_true"].to_numpy(), y.loc[X.index].to_numpy())
    by_label = s.slice_metrics(by="migrant", metrics="accuracy", ci=None)
    by_column = s.slice_metrics(by="foreign_worker", metrics="accuracy", ci=None)
    np.testing.assert_allclose(by_label["accuracy"], by_column["accuracy"], rtol=0, atol=1e-12)
    np.testing.assert_array_equal(by_label["n"], by_column["n"])


def test_by_series_in_another_order_is_aligned_by_label(german, german_model):
    X, y = _reindexed(german, "shuffled_ints")
    s = rw.ModelSession(german_model, X, y, random_state=0)
    mask = (X["age_in_years"] > 50).rename("over_50").sort_index()  # same labels, other order
    rows = X.index[s.core.slices(mask).positions(True)]
    assert set(rows) == set(mask.index[mask])


def test_explanations_and_the_dashboard_work_for_every_kind_of_model(case):
    """Pipelines, native-categorical HGB, LightGBM / XGBoost on pandas category columns,
    duck-typed models: explained exactly where the library supports it and additivity holds,
    model-agnostically otherwise (never a crash); a model without probabilities says so."""
    s = case.session()
    rows = list(case.X.index[:3])
    scores = case.task == "regression" or hasattr(case.model, "predict_proba")
    if not scores:
        with pytest.raises(rw.ModelError, match="predict_proba"):
            s.explain(rows)
    else:
        e = s.explain(rows)
        per_row = e.groupby(["row", "class"] if "class" in e else ["row"])
        total = per_row["contribution"].sum() + per_row["base_value"].first()
        np.testing.assert_allclose(total, per_row["prediction"].first(), atol=1e-6)
        lime = s.explain(rows[:1], method="lime", n_samples=300)
        assert set(lime["feature"]) == set(case.X.columns)
        assert s.explain_text(rows[0])
    board = rw.Dashboard(s, progressive=False)
    assert board.status == "ready"
    board.selected_row = rows[1]
    page = board.static_html()
    if scores:
        assert 'class="rai-error"' not in page
    else:  # the panels that need scores say so in place
        assert "predict_proba" in page
