"""The metric registry is the one list: every metric a session offers is in it, named, with a
reason for the card, and with the bounds slice_metrics really computes."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import binomtest

import rai_widgets as rw
from rai_widgets.core.metrics import METRICS, metric_family, metric_info, offered_metrics
from rai_widgets.formatting_metrics import metric_name
from rai_widgets.report.card.formats import bounds_method, metric_reason


@pytest.fixture(scope="module", params=["binary", "multiclass", "regression"])
def session(request, adult, adult_model, wage, wage_model, wage_education):
    if request.param == "binary":
        X, y = adult.data.iloc[:4000], adult.target.iloc[:4000]
        return rw.ModelSession(adult_model, X, y, random_state=0)
    if request.param == "multiclass":
        model, X, y = wage_education
        return rw.ModelSession(model, X, y, random_state=0)
    return rw.ModelSession(wage_model, wage.data, wage.target, random_state=0)


def test_every_offered_metric_is_registered_named_and_explained(session):
    table = session.slice_metrics(by="race" if "race" in session.X else None)
    columns = [c for c in table.columns if c not in ("n", "low_support")]
    values = [c for c in columns if not c.endswith(("_lo", "_hi"))]
    assert values == session.metric_names()
    for metric in values:
        info = metric_info(metric)
        assert info is not None, metric
        assert session.task_ in info.tasks
        assert metric_name(metric).startswith(info.name)
        assert info.reason and metric_reason(metric).startswith(info.reason[:-1])


def test_wilson_bounds_are_what_the_registry_says(session):
    """A metric the registry bounds by Wilson has exactly Wilson bounds on its own counts."""
    if session.task_ == "regression":
        assert all(METRICS[m].bounds == "bootstrap" for m in session.metric_names())
        return
    table = session.slice_metrics(by=None, metrics=["accuracy"])
    n = int(table["n"].iloc[0])
    hits = round(float(table["accuracy"].iloc[0]) * n)
    interval = binomtest(hits, n).proportion_ci(confidence_level=0.95, method="wilson")
    lo, hi = interval.low, interval.high
    assert metric_info("accuracy").bounds == "wilson"
    assert bounds_method("accuracy") == "Wilson score interval"
    np.testing.assert_allclose(
        [table["accuracy_lo"].iloc[0], table["accuracy_hi"].iloc[0]], [lo, hi]
    )


def test_a_class_named_like_a_family_reads_as_its_class():
    assert metric_family("precision_tpr") == ("precision", "tpr")
    assert metric_name("tpr_macro_x") == "True positive rate (macro_x)"
    names = offered_metrics("multiclass", ["a", "b"], has_score=True, has_probabilities=False)
    assert "auc" not in names and "brier" not in names  # both need probabilities
