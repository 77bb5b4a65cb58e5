"""The audit checks' sentences come from readings/ (the *_findings modules): each template says
its numbers and its verdict, and on real data the checks' sentences carry the numbers an
independent pandas computation gives."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

import rai_widgets as rw
from rai_widgets import formatting
from rai_widgets.readings import (
    fairness_findings,
    leakage_findings,
    lifecycle_findings,
    performance_findings,
    proxy_findings,
    selection_findings,
)
from tests.conftest import raw_column_pipeline


@pytest.fixture(scope="module")
def adult_small(adult):
    X, y = adult.data.iloc[:4000], adult.target.iloc[:4000]
    model = raw_column_pipeline(LogisticRegression(max_iter=300)).fit(X, y)
    return model, X, y


def test_four_fifths_sentence_says_the_selection_rates_pandas_gives(adult_small):
    model, X, y = adult_small
    s = rw.ModelSession(model, X, y, sensitive_features=["sex"], random_state=0)
    frame = s.audit(checks=["four_fifths"]).frame()
    row = frame[frame["check"] == "four_fifths"].iloc[0]
    rates = pd.Series(model.predict(X) == ">50K", dtype=float)
    by_sex = rates.groupby(X["sex"].to_numpy()).mean()
    low, top = by_sex.idxmin(), by_sex.idxmax()
    assert row["slice"] == {"sex": low}
    expected = selection_findings.four_fifths_sentence(
        ">50K",
        rate=by_sex[low],
        where=f"sex = {low}",
        reference_rate=by_sex[top],
        reference=top,
        ratio=row["estimate"],
        lo=row["lo"],
        hi=row["hi"],
        unsettled=row["severity"] == "unclear",
    )
    assert row["finding"].startswith(expected), (row["finding"], expected)
    assert f"{formatting.percent(by_sex[low])} of sex = {low}" in row["finding"]
    assert row["estimate"] == pytest.approx(by_sex[low] / by_sex[top])


def test_blind_spot_sentence_says_the_error_rates_pandas_gives(adult_small):
    model, X, y = adult_small
    s = rw.ModelSession(model, X, y, sensitive_features=["sex"], random_state=0)
    found = s.audit(checks=["blind_spot"]).frame()
    concerns = found[found["severity"] == "concern"]
    assert len(concerns) >= 1
    wrong = model.predict(X) != y.to_numpy()
    for _, row in concerns.iterrows():
        mask = s.core.slice_mask(row["slice"])
        inside, outside = wrong[mask].mean(), wrong[~mask].mean()
        assert row["finding"].startswith(
            f"{formatting.slice_description(row['slice'])}: error rate "
            f"{formatting.percent(inside)} against {formatting.percent(outside)} elsewhere"
        ), row["finding"]


def test_gap_sentence_ends_with_its_verdict():
    common = dict(
        value=0.8, difference=-0.1, lo=-0.15, hi=-0.05, n=500, reference="Male",
        reference_words="sex = Male", level=0.95, n_comparisons=3, threshold=0.05,
    )  # fmt: skip
    beyond = fairness_findings.gap_sentence(
        "accuracy", "sex = Female", verdict="beyond_chance", **common
    )
    settled = fairness_findings.gap_sentence(
        "accuracy", "sex = Female", verdict="settled", **common
    )
    open_ = fairness_findings.gap_sentence(
        "accuracy", "sex = Female", verdict="cannot_tell", **common
    )
    assert beyond.startswith("Accuracy for sex = Female: 80.0% against 90.0% for Male")
    assert beyond.endswith("500 rows).") and "rule out" not in beyond
    assert settled.endswith(": the bounds rule out a gap of 5.0 pts or more.")
    assert "cannot tell yet" in open_ and "cannot tell yet" not in settled


def test_templates_speak_their_verdict_and_stay_quiet_otherwise():
    assert "cannot tell yet" in performance_findings.calibration_sentence(
        None, estimate=0.03, lo=-0.02, hi=0.08, n=200, unsettled_within=0.05
    )
    assert "cannot tell" not in performance_findings.calibration_sentence(
        {"sex": "Male"}, estimate=0.0001, lo=-0.011, hi=0.012, n=200
    )
    assert "within 1.2 pts either way" in performance_findings.calibration_sentence(
        None, estimate=0.0001, lo=-0.011, hi=0.0115, n=200
    )
    sets = performance_findings.coverage_finding_sentence(
        {"race": "Other"}, intervals=False, promised=0.9, estimate=0.85, lo=0.7, hi=0.93, n=60,
        unsettled=True,
    )  # fmt: skip
    assert sets.startswith("Prediction sets") and "of its rows" in sets
    assert sets.endswith("too few rows to tell whether it keeps its promise.")
    one = proxy_findings.undecided_proxy_sentence("age", "how", "race", others=1)
    assert "; 1 other feature cannot" in one
    assert "other feature" not in proxy_findings.undecided_proxy_sentence(
        "age", "how", "race", others=0
    )
    assert lifecycle_findings.smaller_label_gaps_clause(1, "sex = Female", 0.02).startswith(
        " Smaller gaps beyond chance: 1 group, "
    )
    works = leakage_findings.dominance_sentence("x", 0.8, 0.7, 0.9, 40, verdict="works_alone",
                                                gain=0.9)  # fmt: skip
    assert "alone does 90% of the model's gain" in works
    assert leakage_findings.dominance_sentence(
        "x", 0.55, 0.4, 0.7, 40, verdict="unsure", gain=np.nan
    ).endswith(": more than half, though the bounds reach below it.")
    assert selection_findings.four_fifths_sentence(
        "yes", rate=0.5, where="a = b", reference_rate=0.55, reference="c", ratio=0.91,
        lo=0.85, hi=0.97,
    ).endswith("the four-fifths rule asks for 0.8 or more).")  # fmt: skip
