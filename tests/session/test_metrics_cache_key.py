"""The cache keys on the metrics asked, not on how they were named (issue 26, item 4)."""

from __future__ import annotations

import pandas as pd
import pytest

import rai_widgets as rw


@pytest.fixture
def session(adult):
    from sklearn.linear_model import LogisticRegression

    X = adult.data[["age", "hours-per-week", "education-num"]].iloc[:5000]
    model = LogisticRegression(max_iter=1000).fit(X, adult.target.iloc[:5000])
    return rw.ModelSession(
        model,
        X,
        adult.target.iloc[:5000],
        sensitive_features=adult.data["sex"].iloc[:5000],
        random_state=0,
    )


def _misses(s: rw.ModelSession) -> int:
    return s.core.cache.info().misses


@pytest.mark.parametrize(
    "first, second",
    [
        (["accuracy", "auc"], ["auc", "accuracy"]),
        (["accuracy", "auc"], ("accuracy", "auc", "accuracy")),
        (None, "default list"),
        ("default list", "default reversed"),
        ("accuracy", ["accuracy"]),
    ],
)
def test_the_same_metrics_named_another_way_hit_one_entry(session, first, second):
    names = session.metric_names()
    spelled = {"default list": names, "default reversed": names[::-1]}
    a = spelled[first] if isinstance(first, str) and first in spelled else first
    b = spelled[second] if isinstance(second, str) and second in spelled else second
    table = session.slice_metrics(by="sex", metrics=a)
    before = _misses(session)
    again = session.slice_metrics(by="sex", metrics=b)
    assert _misses(session) == before  # served from the first call's entry
    asked = list(dict.fromkeys([b] if isinstance(b, str) else (names if b is None else b)))
    metric_columns = [c for c in again.columns if c not in ("n", "low_support")]
    assert metric_columns == [f"{m}{end}" for m in asked for end in ("", "_lo", "_hi")]
    pd.testing.assert_frame_equal(again[table.columns], table)


def test_the_hit_in_another_order_equals_a_fresh_computation(session, adult):
    session.slice_metrics(by="sex", metrics=["accuracy", "selection_rate"])
    reordered = session.slice_metrics(by="sex", metrics=["selection_rate", "accuracy"])
    fresh = rw.ModelSession(
        session.model,
        session.core.frame,
        session.core.y,
        sensitive_features=adult.data["sex"].iloc[:5000],
        random_state=0,
    ).slice_metrics(by="sex", metrics=["selection_rate", "accuracy"])
    pd.testing.assert_frame_equal(reordered, fresh)


def test_the_cached_table_is_not_changed_through_a_returned_one(session):
    out = session.slice_metrics(by="sex", metrics=["auc", "accuracy"])
    out.iloc[0, 1] = -1.0
    assert (session.slice_metrics(by="sex", metrics=["accuracy", "auc"]) >= 0).all().all()


def test_an_unknown_metric_still_names_itself(session):
    with pytest.raises(rw.ValidationError, match="nonsense"):
        session.slice_metrics(by="sex", metrics=["accuracy", "nonsense"])
