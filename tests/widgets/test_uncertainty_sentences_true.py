"""Every sentence of the uncertainty view ("How sure") true against the numbers beside it, on
the sessions a review read in a browser: Adult with gradient boosting (binary), Wage education
(multiclass, five classes) and Wage with its unit (regression). Each number a sentence states
is recomputed here with numpy, pandas and scipy, and each test fails on the old wording."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

import rai_widgets as rw
from rai_widgets.session.checks import performance, trust
from rai_widgets.static_html import uncertainty as static
from tests.conftest import raw_column_pipeline

LEVEL = 0.9


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _svgs(html: str) -> list[str]:
    return re.findall(r"<svg.*?</svg>", html, flags=re.S)


def _close_at_three_digits(shown: float, true: float) -> bool:
    """``shown`` is ``true`` written with three significant digits (or fewer decimals)."""
    step = 10 ** (math.floor(math.log10(abs(true))) - 2) if true else 1
    return abs(shown - true) <= 0.5 * max(step, 1e-9) + 1e-9 or abs(shown - true) <= 0.5


@pytest.fixture(scope="module")
def adult_hgb(adult):
    """The review's binary session: gradient boosting fitted on Adult's train split."""
    train = adult.split == "train"
    encode = make_column_transformer(
        (
            OneHotEncoder(handle_unknown="ignore", sparse_output=False),
            make_column_selector(dtype_exclude="number"),
        ),
        remainder="passthrough",
    )
    model = make_pipeline(encode, HistGradientBoostingClassifier(random_state=0))
    model.fit(adult.data[train], adult.target[train])
    X, y = adult.data[~train], adult.target[~train]
    session = rw.ModelSession(
        model, X, y, sensitive_features=["sex"], favorable=">50K", random_state=0
    )
    return session, model, X, y


@pytest.fixture(scope="module")
def wage_education_split():
    """The review's multiclass session: education from the other Wage columns, read on 900
    held-out rows (race "4. Other" has 8 of them)."""
    frame = rw.datasets.load_wage().frame
    X, y = frame.drop(columns=["education", "logwage"]), frame["education"]
    Xt, Xe, yt, ye = train_test_split(X, y, test_size=0.3, random_state=0)
    model = raw_column_pipeline(LogisticRegression(max_iter=500)).fit(Xt, yt)
    session = rw.ModelSession(model, Xe, ye, sensitive_features=["race"], random_state=0)
    return session, model, Xe, ye


@pytest.fixture(scope="module")
def wage_dollars(wage, wage_model):
    return rw.ModelSession(
        wage_model,
        wage.data,
        wage.target,
        sensitive_features=["race"],
        random_state=0,
        target_unit="thousand dollars",
    )


# --- 1. binary: a score over 99% never reads as a certainty ---------------------------------
def test_a_case_scored_over_99_reads_more_than_99_and_its_one_class_set_plainly(adult_hgb):
    session, model, X, y = adult_hgb
    proba = model.predict_proba(X)
    row = X.index[0]  # the review's case
    assert proba[0].max() > 0.995  # it rounds to "100 of 100"
    view = rw.UncertaintyView(session, row=row)
    text = view.reading
    best = model.classes_[proba[0].argmax()]
    assert "about 100 would be" not in text and f"It could be {best}:" not in text  # old
    assert f"more than 99 would be {best} (over 99% by the model's score)" in text
    # how often a score that high came true, recomputed from the model and the labels
    sure = proba.max(axis=1) > 0.99
    right = int((model.classes_[proba.argmax(axis=1)] == y.to_numpy())[sure].sum())
    n, said_right, share = re.search(
        r"It scored ([\d,]+) of the data's rows over 99% and was right for ([\d,]+) of them "
        r"\(([\d.]+)%\)",
        text,
    ).groups()
    assert (_number(n), _number(said_right)) == (sure.sum(), right)
    assert float(share) == pytest.approx(right / sure.sum() * 100, abs=0.05)
    # its set, recomputed: the classes whose score reaches 1 - the conformal threshold
    result = session.conformal(confidence_level=LEVEL, calibration=0.5)
    members = model.classes_[proba[0] >= 1 - result.threshold_for(None)]
    assert list(members) == [best]
    assert f"Its 90% answer set holds only {best}." in text


def test_confidence_matching_accuracy_reads_so(adult_hgb):
    session, model, X, y = adult_hgb
    proba = model.predict_proba(X)
    gap = proba.max(axis=1) - (model.classes_[proba.argmax(axis=1)] == y.to_numpy())
    mean = gap.mean()
    assert round(abs(mean) * 100, 1) == 0  # the review's "0.0 pts less sure than right"
    half = stats.t.ppf(0.975, len(gap) - 1) * gap.std(ddof=1) / np.sqrt(len(gap))
    farthest = max(abs(mean - half), abs(mean + half)) * 100
    text = performance.calibration(session, alpha=0.05)[0].finding
    assert "sure than right" not in text
    within = float(re.search(r"matches accuracy, within ([\d.]+) pts either way", text)[1])
    assert farthest <= within < farthest + 0.1 + 1e-9  # rounded up, so "within" is true


# --- 2. multiclass: sets that hold most classes, calibration on too few rows -----------------
def test_sets_holding_most_classes_are_called_out(wage_education_split, adult_hgb):
    session, model, X, _ = wage_education_split
    view = rw.UncertaintyView(session)
    result = session.conformal(confidence_level=LEVEL, calibration=0.5)
    proba = pd.DataFrame(model.predict_proba(X), index=X.index, columns=model.classes_)
    held_out = proba.loc[result.index]
    threshold = result.threshold_for(None)
    sizes = (held_out >= 1 - threshold).sum(axis=1).to_numpy()  # recomputed sets
    k = len(model.classes_)
    assert k == 5 and sizes.mean() >= (k + 1) / 2  # the rule: at least 3 of 5 on average
    mean, classes, share, n = re.search(
        r"At 90%, the answer sets hold ([\d.]+) of the (\d) classes on average: for (\d+)% of "
        r"the ([\d,]+) cases not used to calibrate the model can rule out at most one class, so "
        r"at this "
        r"level the sets say little about which class is right\.",
        view.coverage_html,
    ).groups()
    assert float(mean) == pytest.approx(sizes.mean(), abs=0.005) and int(classes) == k
    assert int(share) == round((sizes >= k - 1).mean() * 100) and _number(n) == len(sizes)
    # the chart's note reads the sizes against the classes, per group
    race = X.loc[result.index, "race"]
    per_group = pd.Series(sizes, index=race.index).groupby(race).mean()
    low, high = re.search(
        r"Average set size: ([\d.]+) to ([\d.]+) of 5 classes", _svgs(view.coverage_html)[0]
    ).groups()
    assert float(low) == pytest.approx(per_group.min(), abs=0.005)
    assert float(high) == pytest.approx(per_group.max(), abs=0.005)
    # a binary model whose sets hold 1.06 of 2 classes is not called out
    binary = rw.UncertaintyView(adult_hgb[0])
    assert "answer sets hold" not in binary.coverage_html


def test_this_cases_own_chance_is_readable_and_below_the_promise(wage_education_split):
    session, model, X, _ = wage_education_split
    result = session.conformal(confidence_level=LEVEL, calibration=0.5)
    proba = model.predict_proba(X)
    cut = 1 - result.threshold_for(None)
    in_set = proba >= cut
    together = np.where(in_set, proba, 0).sum(axis=1)
    position = int(np.flatnonzero((in_set.sum(axis=1) >= 2) & (together < LEVEL))[0])
    text, _ = static.case_reading(session, X.index[position], conformal=result)
    assert "own score for these together" not in text  # old
    count, shown = re.search(
        r"For this case alone the model gives these (\d) together ([\d.]+)%, less than that 90%",
        text,
    ).groups()
    assert int(count) == in_set[position].sum()
    assert float(shown) == pytest.approx(together[position] * 100, abs=0.5)
    assert float(shown) < 90


def test_groups_too_small_to_calibrate_are_left_out_and_named(wage_education_split):
    session, _, X, _ = wage_education_split
    view = rw.UncertaintyView(session)
    sizes = X["race"].value_counts()
    small, large = sizes[sizes < 30], sizes[sizes >= 30]
    assert list(small.index) == ["4. Other"] and small.iloc[0] == 8
    chart = _svgs(view.reliability_html)[0]
    assert "4. Other" not in chart  # the old chart drew it: "4. Other (calibration error 0.34)"
    for group in large.index:
        assert f"{group} (calibration error" in chart
    caption = re.search(r"Left out of the chart: ([^<]*)", view.reliability_html)[1]
    assert caption == (
        "4. Other (8 rows). Under 30 rows are too few to tell whether the scores come true as "
        "often as they say."
    )
    assert "4. Other 0." not in view.reliability_html  # nor in the list of calibration errors
    assert re.search(
        r">Calibration</abbr>(<[^>]+>[^<]*)*</span></span> per group", view.reliability_html
    )


# --- 3. regression: widths carry the unit; a wide interval is called so -----------------------
def test_average_widths_carry_the_unit(wage_dollars, wage):
    view = rw.UncertaintyView(wage_dollars)
    result = wage_dollars.conformal(confidence_level=LEVEL, calibration=0.5)
    widths = pd.Series(result.upper - result.lower, index=result.index)
    per_group = widths.groupby(wage.data.loc[result.index, "race"]).mean()
    low, high = re.search(
        r"Average width: ([\d.]+) to ([\d.]+) thousand dollars", view.coverage_html
    ).groups()
    assert _close_at_three_digits(float(low), per_group.min())
    assert _close_at_three_digits(float(high), per_group.max())


def test_an_interval_wider_than_the_middle_half_is_too_wide_to_act_on(wage_dollars, wage):
    result = wage_dollars.conformal(confidence_level=LEVEL, calibration=0.5)
    q1, q3 = np.percentile(wage.target.to_numpy(), [25, 75])
    widths = result.upper - result.lower
    wide = int(np.argmax(widths))
    text, _ = static.case_reading(wage_dollars, result.index[wide], conformal=result)
    width, low, high = re.search(
        r"This range is (\d+) thousand dollars wide, wider than the middle half of all wage "
        r"values in the data \((\d+) to (\d+) thousand dollars\): too wide to act on for one "
        r"person\.",
        text,
    ).groups()
    assert int(width) == round(widths[wide]) and widths[wide] > q3 - q1
    assert (int(low), int(high)) == (round(q1), round(q3))
    narrow = int(np.flatnonzero(widths < q3 - q1)[0])
    text, _ = static.case_reading(wage_dollars, result.index[narrow], conformal=result)
    assert "too wide" not in text and "landed between" in text


# --- 4. the audit's sentences on explanations: "at most" with the bound beside it -------------
def test_explanation_trust_says_at_most_its_upper_bound(wage_education_split):
    session = wage_education_split[0]
    findings = trust.explanation_trust(session, alpha=0.05)
    passed = [f for f in findings if f.severity == "ok"]
    assert passed
    z = stats.norm.ppf(0.975)
    for finding in passed:
        assert "at the upper bound" not in finding.finding  # old
        k_share, n, bound_hi, at_most = re.search(
            r"for (\d+)% of (\d+) sampled rows \(\d+% to (\d+)%[^)]*\): at most (\d+)% of all "
            r"rows, under a quarter\.",
            finding.finding,
        ).groups()
        k = round(int(k_share) / 100 * int(n))
        p, m = k / int(n), int(n)
        wilson_hi = (p + z * z / (2 * m) + z * np.sqrt(p * (1 - p) / m + z * z / (4 * m * m))) / (
            1 + z * z / m
        )
        assert at_most == bound_hi and int(at_most) == round(wilson_hi * 100) < 25
