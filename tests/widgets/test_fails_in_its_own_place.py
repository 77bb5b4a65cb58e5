"""Every part fails in its own place: a check that raises is a note naming it, a model that
answers NaN off its own rows gets a ModelError where its explanation would be, and the
Dashboard builds and waits on six unusual models with every tab either drawn or showing its
own error."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression, LogisticRegression

import rai_widgets as rw
from rai_widgets.session.checks import registry as audit_registry

COLUMNS = ["duration_in_month", "credit_amount", "age_in_years"]
SENSITIVE = ["foreign_worker", "personal_status_and_sex"]


class CoinFlip:
    def __init__(self, fitted):
        self.classes_ = fitted.classes_

    def predict_proba(self, X):
        p = np.random.default_rng(len(X)).random(len(X))
        return np.c_[1 - p, p]

    def predict(self, X):
        return self.classes_[(self.predict_proba(X)[:, 1] >= 0.5).astype(int)]


class NaNOffItsRows:
    """A lookup table: it knows the rows it was built on and answers NaN for any other."""

    def __init__(self, fitted, X):
        self.fitted, self.classes_ = fitted, fitted.classes_
        self.known = {tuple(r) for r in X[COLUMNS].itertuples(index=False)}

    def predict(self, X):
        return self.fitted.predict(pd.DataFrame(X)[COLUMNS])

    def predict_proba(self, X):
        rows = pd.DataFrame(X)[COLUMNS]
        p = self.fitted.predict_proba(rows)
        seen = np.array([tuple(r) in self.known for r in rows.itertuples(index=False)])
        p[~seen] = np.nan
        return p


class Constant:
    def __init__(self, fitted):
        self.classes_ = fitted.classes_

    def predict(self, X):
        return np.full(len(X), self.classes_[1], dtype=object)

    def predict_proba(self, X):
        return np.tile([0.3, 0.7], (len(X), 1))


class LabelsOnly:
    def __init__(self, fitted):
        self.fitted, self.classes_ = fitted, fitted.classes_

    def predict(self, X):
        return self.fitted.predict(pd.DataFrame(X)[COLUMNS])


class OnColumns:
    def __init__(self, fitted, columns):
        self.fitted, self.columns = fitted, columns
        if hasattr(fitted, "classes_"):
            self.classes_ = fitted.classes_
            self.predict_proba = lambda X: fitted.predict_proba(pd.DataFrame(X)[columns])

    def predict(self, X):
        return self.fitted.predict(pd.DataFrame(X)[self.columns])


def _unusual(name, german, wage):
    X = german.data[[*COLUMNS, *SENSITIVE]]
    fitted = LogisticRegression(max_iter=1_000).fit(X[COLUMNS], german.target)
    if name == "regression":
        Xw = wage.data[["age", "year", "race", "education"]]
        model = OnColumns(LinearRegression().fit(Xw[["age", "year"]], wage.target), ["age", "year"])
        return rw.ModelSession(model, Xw, wage.target, sensitive_features=["race"], random_state=0)
    y = german.target
    model = {
        "coin flip": lambda: CoinFlip(fitted),
        "NaN off its rows": lambda: NaNOffItsRows(fitted, X),
        "constant": lambda: Constant(fitted),
        "labels only": lambda: LabelsOnly(fitted),
        "40 rows": lambda: OnColumns(fitted, COLUMNS),
    }[name]()
    if name == "40 rows":
        X, y = X.iloc[:40], y.iloc[:40]
    return rw.ModelSession(model, X, y, sensitive_features=SENSITIVE, random_state=0)


UNUSUAL = ["coin flip", "NaN off its rows", "constant", "labels only", "40 rows", "regression"]


@pytest.fixture(scope="module", params=UNUSUAL)
def unusual(request, german, wage):
    return _unusual(request.param, german, wage)


def test_every_check_alone_returns_a_row_and_never_raises(unusual):
    with warnings.catch_warnings():
        warnings.simplefilter("error", rw.RaiWidgetsWarning)  # no check had to be caught
        for check in audit_registry.CHECKS:
            frame = unusual.audit(checks=[check]).frame()
            assert len(frame) >= 1, check
            assert set(frame["check"]) == {check}


def test_the_dashboard_builds_and_waits(unusual):
    dashboard = rw.Dashboard(unusual)
    dashboard.wait(600)
    assert dashboard.status == "ready" and dashboard.error == ""
    page = dashboard.static_html()
    assert "What to look at first" in page and "still computing" not in page
    for name in ("audit", "examples", "explanation", "fairness", "uncertainty"):
        assert getattr(dashboard, name).static_html()


def test_a_model_that_answers_nan_off_its_rows_gets_a_model_error(german, wage):
    s = _unusual("NaN off its rows", german, wage)
    row = s.core.frame.index[0]
    with pytest.raises(rw.ModelError, match=r"SHAP could not explain row 0: .*predict_proba"):
        s.explain([row])
    finding = s.audit(checks=["explanation_trust"]).frame()
    assert finding["severity"].tolist() == ["note"]
    assert "NaN or infinity" in finding["finding"].iloc[0]
    dashboard = rw.Dashboard(s)
    dashboard.wait(600)
    assert "NaN or infinity" in dashboard.explanation.static_html()
    assert "What to look at first" in dashboard.audit.static_html()


def test_a_check_that_raises_is_a_note_naming_it(adult_session, monkeypatch):
    def broken(session, *, alpha, test_cases=None):
        raise ValueError("idxmax with skipna=True encountered all NA values in a group")

    monkeypatch.setitem(audit_registry.CHECKS, "broken", broken)
    with pytest.warns(rw.RaiWidgetsWarning, match="broken"):
        frame = adult_session.audit(checks=["baseline", "broken", "data_gap"]).frame()
    note = frame[frame["check"] == "broken"]
    assert note["severity"].tolist() == ["note"]
    assert note["finding"].iloc[0].startswith("Not checked: the check failed")
    assert "ValueError" in note["finding"].iloc[0]
    assert {"baseline", "data_gap"} <= set(frame["check"])  # the others ran


def test_a_check_that_raises_leaves_the_dashboard_working(adult_session, monkeypatch):
    def broken(session, *, alpha, test_cases=None):
        raise RuntimeError("a planted failure")

    monkeypatch.setitem(audit_registry.CHECKS, "broken", broken)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rw.RaiWidgetsWarning)
        dashboard = rw.Dashboard(adult_session)
        dashboard.wait(600)
    assert dashboard.status == "ready" and not dashboard.tab_errors
    assert "a planted failure" in dashboard.audit.static_html()


def test_a_tab_that_fails_shows_its_own_error(adult_session, monkeypatch):
    from rai_widgets.widgets.uncertainty_view import UncertaintyView

    def broken(self):
        raise RuntimeError("the uncertainty tab broke")

    monkeypatch.setattr(UncertaintyView, "_fill_in", broken)
    dashboard = rw.Dashboard(adult_session)
    dashboard.wait(600)
    assert dashboard.status == "ready"
    assert set(dashboard.tab_errors) == {"uncertainty"}
    assert "the uncertainty tab broke" in dashboard.tab_errors["uncertainty"]
    assert "the uncertainty tab broke" in dashboard.uncertainty.static_html()
    assert "What to look at first" in dashboard.audit.static_html()  # the others drew
    dashboard.selected_row = adult_session.core.frame.index[5]  # links still work
    assert dashboard.explanation.row == adult_session.core.frame.index[5]


def test_no_test_cases_is_a_note(adult_session):
    frame = adult_session.audit(checks=["test_cases"]).frame()
    assert frame["severity"].tolist() == ["note"]
    assert "No test cases were given" in frame["finding"].iloc[0]
