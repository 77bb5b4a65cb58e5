"""The audit's recourse check (issue 23): it names a group that must change more to be
accepted when a model makes it so, stays quiet for a group the model cannot see, and says why
when it cannot run. The gap test itself is checked against scipy on planted numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import rai_widgets as rw
from rai_widgets.compute.recourse_gaps import RECOURSE_COLUMNS, recourse_gaps
from rai_widgets.readings.plain_findings import plain_single
from rai_widgets.session.checks.recourse import recourse_costs

N_ROWS = 4000


@pytest.fixture(scope="module")
def adult_part(adult):
    rng = np.random.default_rng(11)
    take = np.sort(rng.choice(len(adult.data), N_ROWS, replace=False))
    return (
        adult.data.iloc[take].reset_index(drop=True),
        adult.target.iloc[take].reset_index(drop=True),
    )


class RiskierFor:
    """A model that takes ``shift`` off one group's chance of the favourable class."""

    def __init__(self, model, column, group, shift):
        self.model, self.column, self.group, self.shift = model, column, group, shift
        self.classes_ = model.classes_

    def predict_proba(self, X):
        p = self.model.predict_proba(X).copy()
        hit = (X[self.column] == self.group).to_numpy()
        good = list(self.classes_).index(">50K")
        p[hit, good] = np.clip(p[hit, good] - self.shift, 0, 1)
        p[hit, 1 - good] = 1 - p[hit, good]
        return p

    def predict(self, X):
        return self.classes_[self.predict_proba(X).argmax(axis=1)]


def _recourse(session):
    frame = session.audit(checks=["recourse"]).frame()
    assert (frame["check"] == "recourse").all()
    return frame


def test_a_group_made_riskier_must_change_more(adult_part, adult_model):
    X, y = adult_part
    model = RiskierFor(adult_model, "sex", "Female", 0.2)
    s = rw.ModelSession(model, X, y, sensitive_features=["sex"], favorable=">50K", random_state=0)
    frame = _recourse(s)
    concern = frame[frame["severity"] == "concern"]
    assert len(concern) == 1, frame["finding"].tolist()
    row = concern.iloc[0]
    assert row["slice"] == {"sex": "Female"} and row["feature"] == "sex"
    assert row["lo"] > 0 and row["estimate"] > 0
    assert row["finding"].startswith("People of sex = Female predicted <=50K need a larger change")
    # in plain words (presenter mode): the features each group must change, from the table
    table = recourse_costs(s, alpha=0.05).tables["sex"].loc["Female"]
    assert plain_single(row) == (
        "People of sex = Female predicted <=50K would have to change more to be predicted "
        f">50K than the other people predicted <=50K: {table['features']:.2g} of their "
        f"features on average against {table['rest_features']:.2g}."
    )
    assert "Gower" not in plain_single(row) and "bounds" not in plain_single(row)


def test_a_group_the_model_cannot_see_raises_no_concern(adult_part, adult_model):
    X, y = adult_part
    coin = pd.Series(np.random.default_rng(5).choice(["heads", "tails"], len(X)), name="coin")
    s = rw.ModelSession(adult_model, X, y, sensitive_features=coin, random_state=0)
    frame = _recourse(s)
    assert (frame["severity"] != "concern").all(), frame["finding"].tolist()
    assert frame["severity"].isin(["ok", "unclear"]).all()


def test_the_check_says_why_it_cannot_run(adult_part, adult_model, wage_education):
    X, y = adult_part
    plain = rw.ModelSession(adult_model, X, y, random_state=0)
    assert _recourse(plain)["finding"].iloc[0].startswith("Not checked: no sensitive features")
    model, Xw, yw = wage_education
    multi = rw.ModelSession(model, Xw.iloc[:500], yw.iloc[:500], sensitive_features=["race"])
    assert "needs favorable=" in _recourse(multi)["finding"].iloc[0]


def test_regression_compares_the_change_to_reach_the_median(wage, wage_model):
    s = rw.ModelSession(
        wage_model, wage.data, wage.target, sensitive_features=["race"],
        target_unit="thousand dollars", favorable="higher", random_state=0,
    )  # fmt: skip
    frame = _recourse(s)
    measured = frame[frame["estimate"].notna()]
    assert len(measured) >= 1
    assert measured["finding"].str.contains("thousand dollars or more").all()


def test_the_gap_test_is_welchs_and_the_bounds_cover_the_mean():
    rng = np.random.default_rng(0)
    groups = np.repeat(["a", "b", "c"], [50, 60, 70])
    distance = rng.gamma(2.0, 0.04, len(groups)) + np.where(groups == "a", 0.05, 0.0)
    features = rng.integers(1, 4, len(groups)).astype(float)
    table = recourse_gaps(features, distance, groups, random_state=1)
    assert tuple(table.columns) == RECOURSE_COLUMNS
    for group in "abc":
        mine = groups == group
        expected = stats.ttest_ind(
            distance[mine], distance[~mine], equal_var=False, alternative="greater"
        ).pvalue
        assert table.loc[group, "p_value"] == pytest.approx(expected)
        assert table.loc[group, "distance"] == pytest.approx(distance[mine].mean())
        assert (
            table.loc[group, "distance_lo"]
            < distance[mine].mean()
            < table.loc[group, "distance_hi"]
        )
    assert table.loc["a", "significant"] and not table.loc["c", "significant"]
    assert (table["q_value"] >= table["p_value"]).all()
