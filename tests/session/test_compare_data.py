"""s.compare_data: has the data moved since the model was evaluated, and for whom?"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from sklearn.linear_model import LogisticRegression

import rai_widgets as rw
from rai_widgets.core.errors import RaiWidgetsError
from tests.conftest import raw_column_pipeline


@pytest.fixture(scope="module")
def halves(adult):
    train = adult.split == "train"
    model = raw_column_pipeline(LogisticRegression(max_iter=300))
    model.fit(adult.data[train], adult.target[train])
    X, y = adult.data[~train], adult.target[~train]
    first = np.arange(len(X)) % 2 == 0
    s = rw.ModelSession(model, X[first], y[first], sensitive_features=["sex", "race"],
                        random_state=0)  # fmt: skip
    return s, X[~first], y[~first]


def test_rows_from_the_same_data_have_not_moved(halves):
    s, X_new, y_new = halves
    moved = s.compare_data(X_new, y_new)
    assert not moved.drift_["drifted"].any()
    assert "No feature's distribution differs measurably" in moved.summary()[0]
    overall = moved.coverage_.loc["overall"]
    assert overall["coverage_lo"] <= 0.9 <= overall["coverage_hi"] + 0.01
    assert moved.n_new == len(X_new)


def test_a_feature_moved_for_one_group_is_named_with_its_shift(halves):
    s, X_new, y_new = halves
    moved_rows = X_new.copy()
    women = moved_rows["sex"] == "Female"
    moved_rows.loc[women, "hours-per-week"] += 12
    result = s.compare_data(moved_rows, y_new)
    drift = result.drift_
    hit = drift[(drift["grouping"] == "sex") & (drift["group"] == "Female")
                & (drift["feature"] == "hours-per-week")].iloc[0]  # fmt: skip
    assert hit["drifted"] and hit["detail"] == pytest.approx(12)
    men = drift[(drift["grouping"] == "sex") & (drift["group"] == "Male")]
    assert not men["drifted"].any()
    assert set(drift.loc[drift["drifted"], "feature"]) == {"hours-per-week"}
    # the p-value is scipy's KS test on the same rows
    expected = stats.ks_2samp(
        s.X.loc[s.X["sex"] == "Female", "hours-per-week"],
        moved_rows.loc[women, "hours-per-week"],
    ).pvalue
    assert hit["p_value"] == pytest.approx(expected, rel=1e-6, abs=1e-300)
    assert any("sex = Female" in line and "+12" in line for line in result.summary())


def test_coverage_on_new_rows_whose_answers_changed_falls_short(halves):
    s, X_new, y_new = halves
    flipped = y_new.copy()
    women = (X_new["sex"] == "Female").to_numpy()
    rows = np.flatnonzero(women)[: int(0.4 * women.sum())]
    flipped.iloc[rows] = np.where(flipped.iloc[rows] == ">50K", "<=50K", ">50K")
    result = s.compare_data(X_new, flipped)
    women_row = result.coverage_.loc["sex = Female"]
    assert women_row["coverage_hi"] < 0.9 < women_row["evaluation"]
    assert any("sex = Female" in line and "against" in line for line in result.summary())


def test_bad_new_rows_name_the_argument(halves, wage, wage_model):
    s, X_new, y_new = halves
    with pytest.raises(RaiWidgetsError, match=r"X_new has other columns.*'age'"):
        s.compare_data(X_new.drop(columns=["age"]))
    unlabelled = rw.ModelSession(s.model, s.X, random_state=0)
    with pytest.raises(RaiWidgetsError, match="y_new was given but the session has no y"):
        unlabelled.compare_data(X_new, y_new)
    assert unlabelled.compare_data(X_new).coverage_ is None
