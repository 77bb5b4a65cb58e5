"""Two models on the same rows: paired differences per group, disagreements, and the view."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm
from sklearn.ensemble import RandomForestRegressor
from sklearn.linear_model import LogisticRegression

import rai_widgets as rw
from tests.conftest import raw_column_pipeline


@pytest.fixture(scope="module")
def pair(german, german_model):
    lr = raw_column_pipeline(LogisticRegression(max_iter=500)).fit(german.data, german.target)
    features = ["foreign_worker", "personal_status_and_sex"]
    a = rw.ModelSession(lr, german.data, german.target, sensitive_features=features, name="lr")
    b = rw.ModelSession(
        german_model, german.data, german.target, sensitive_features=features, name="gbm"
    )
    return a, b


def test_paired_differences_match_a_direct_computation(pair):
    a, b = pair
    table = a.compare(b, by="personal_status_and_sex")
    right_a = a.predictions()["correct"].to_numpy(dtype=float)
    right_b = b.predictions()["correct"].to_numpy(dtype=float)
    groups = a.X["personal_status_and_sex"].to_numpy()
    acc_a = a.slice_metrics(by="personal_status_and_sex", metrics=["accuracy"])["accuracy"]
    acc_b = b.slice_metrics(by="personal_status_and_sex", metrics=["accuracy"])["accuracy"]
    for group, row in table.iterrows():
        m = groups == group
        d = right_b[m] - right_a[m]
        half = norm.ppf(0.975) * d.std(ddof=1) / np.sqrt(m.sum())
        assert row["n"] == m.sum()
        assert row["a"] == pytest.approx(acc_a[group]) and row["b"] == pytest.approx(acc_b[group])
        assert row["difference"] == pytest.approx(d.mean())
        assert row["difference_lo"] == pytest.approx(d.mean() - half)
        assert row["difference_hi"] == pytest.approx(d.mean() + half)
        changed = a.predictions()["y_pred"][m].to_numpy() != b.predictions()["y_pred"][m]
        assert row["changed"] == pytest.approx(np.mean(changed))
    assert table.attrs == {"metric": "accuracy", "a": "lr", "b": "gbm"}
    overall = a.compare(b, metric="selection_rate")
    selected = (b.predictions()["y_pred"] == b.pos_label_).mean()
    assert overall["b"].iloc[0] == pytest.approx(selected)


def test_disagreements_are_the_rows_that_differ_most_confident_first(pair):
    a, b = pair
    rows = a.disagreements(b, n=30)
    assert len(rows) == 30 and (rows["y_pred_a"] != rows["y_pred_b"]).all()
    together = rows["confidence_a"] + rows["confidence_b"]
    assert together.is_monotonic_decreasing
    assert ((rows["y_true"] == rows["y_pred_b"]) == rows["fixed"]).all()
    assert ((rows["y_true"] == rows["y_pred_a"]) == rows["broken"]).all()
    pd.testing.assert_frame_equal(rows[list(a.X.columns)], a.X.loc[rows.index])


def test_regression_compares_mean_absolute_errors(wage, wage_model):
    other = raw_column_pipeline(RandomForestRegressor(n_estimators=10, max_depth=3, random_state=0))
    other.fit(wage.data, wage.target)
    a = rw.ModelSession(wage_model, wage.data, wage.target, sensitive_features=["race"])
    b = rw.ModelSession(other, wage.data, wage.target, sensitive_features=["race"])
    table = a.compare(b, by="race")
    mae_a = a.slice_metrics(by="race", metrics=["mae"])["mae"]
    np.testing.assert_allclose(table["a"], mae_a.loc[table.index])
    rows = a.disagreements(b, n=10)
    gap = (rows["y_pred_a"] - rows["y_pred_b"]).abs()
    assert gap.is_monotonic_decreasing and (gap > 0).all()
    view = rw.ComparisonView(a, b)
    assert " is off by " in view.summary and " on average, " in view.summary


def test_bad_comparisons_are_clear_errors(pair, german, wage, wage_model):
    a, b = pair
    with pytest.raises(rw.ValidationError, match="same rows"):
        a.compare(rw.ModelSession(b.model, german.data.iloc[:500], german.target.iloc[:500]))
    with pytest.raises(rw.ValidationError, match="same task"):
        a.compare(rw.ModelSession(wage_model, wage.data, wage.target))
    with pytest.raises(rw.ValidationError, match="must be a ModelSession"):
        a.compare(b.model)
    with pytest.raises(rw.ValidationError, match="must be one of"):
        a.compare(b, metric="auc")


def test_comparison_view_follows_its_traits(pair):
    a, b = pair
    view = rw.ComparisonView(a, b)
    assert view.by == "foreign_worker" and view.metric == "accuracy"
    right_a = a.predictions()["correct"].to_numpy()
    right_b = b.predictions()["correct"].to_numpy()
    fixed, broken = int((right_b & ~right_a).sum()), int((right_a & ~right_b).sum())
    assert f"gbm fixes {fixed:,} of lr's errors and makes {broken:,} new ones" in view.summary
    assert "Where they disagree" in view.disagreements_html
    view.by = "personal_status_and_sex"
    for group in a.X["personal_status_and_sex"].unique():
        assert group in view.groups_html
    view.metric = "selection_rate"
    assert "gbm predicts good for" in view.summary and "selection_rate by group" in view.groups_html
    pd.testing.assert_frame_equal(
        view.table_, a.compare(b, by="personal_status_and_sex", metric="selection_rate")
    )
    assert "text/html" in view._repr_mimebundle_()


def test_comparison_view_escapes_hostile_names():
    rng = np.random.default_rng(0)
    evil = "<img src=x onerror=alert(1)>"
    X = pd.DataFrame({evil: rng.choice([evil, "ok"], 300), "v": rng.normal(size=300)})
    y = (X["v"] > 0).astype(int)
    a_model = raw_column_pipeline(LogisticRegression()).fit(X, y)
    b_model = raw_column_pipeline(LogisticRegression(C=0.001)).fit(X, y)
    a = rw.ModelSession(a_model, X, y, sensitive_features=[evil], name=evil)
    b = rw.ModelSession(b_model, X, y, sensitive_features=[evil], name="<b>v2</b>")
    page = rw.ComparisonView(a, b).static_html()
    assert "<img" not in page and "<b>v2</b>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
