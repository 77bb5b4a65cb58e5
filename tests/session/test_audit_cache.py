"""A session keeps each audit check's findings: a second audit (the card's, a view's) runs no
check again unless the model, the options or the check changed, or the seed does not make the
findings reproducible."""

from __future__ import annotations

import functools
from collections import Counter

import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

import rai_widgets as rw
from rai_widgets.session.checks.registry import CHECKS
from tests.conftest import raw_column_pipeline

ASKED = ["baseline", "disparity", "four_fifths", "proxy", "test_cases"]


@pytest.fixture
def counted(monkeypatch):
    """Every check of ASKED wrapped to count its runs (the same wrapper for every audit)."""
    runs: Counter[str] = Counter()

    def counting(name, check):
        @functools.wraps(check)  # the same signature: the audit passes tolerance if it takes it
        def run(session, **options):
            runs[name] += 1
            return check(session, **options)

        return run

    for name in ASKED:
        monkeypatch.setitem(CHECKS, name, counting(name, CHECKS[name]))
    return runs


def german_session(german, random_state):
    X, y = german.data, german.target
    model = raw_column_pipeline(LogisticRegression(max_iter=500)).fit(X, y)
    sensitive = ["personal_status_and_sex"]
    return rw.ModelSession(model, X, y, sensitive_features=sensitive, random_state=random_state)


def test_a_second_audit_runs_no_check_again_and_finds_the_same(german, counted):
    s = german_session(german, random_state=0)
    first = s.audit(checks=ASKED).frame()
    assert counted == Counter(dict.fromkeys(ASKED, 1))
    second = s.audit(checks=ASKED).frame()
    pd.testing.assert_frame_equal(first, second)
    # pinned cases may change in place: their check runs each time; the others are kept
    assert counted == Counter({**dict.fromkeys(ASKED, 1), "test_cases": 2})


def test_other_options_a_refit_or_no_seed_run_the_checks_again(german, counted):
    s = german_session(german, random_state=0)
    s.audit(checks=ASKED)
    s.audit(checks=ASKED, alpha=0.1)  # other bounds: other findings
    assert counted["disparity"] == 2
    s.audit(checks=ASKED, tolerance=0.1)
    assert counted["disparity"] == 3
    s.model.fit(german.data.iloc[:600], german.target.iloc[:600])  # refitted in place
    refit = s.audit(checks=ASKED).frame()
    assert counted["disparity"] == 4
    fresh = german_session(german, random_state=0)
    fresh.model.fit(german.data.iloc[:600], german.target.iloc[:600])
    pd.testing.assert_frame_equal(refit, fresh.audit(checks=ASKED).frame())
    unseeded = german_session(german, random_state=None)
    runs_before = counted["proxy"]
    unseeded.audit(checks=ASKED)
    unseeded.audit(checks=ASKED)
    assert counted["proxy"] == runs_before + 2  # not reproducible by a seed: never kept
