"""The uncertainty view reads sets, intervals and coverage honestly, on real data."""

from __future__ import annotations

import re

import numpy as np
import pytest
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.datasets import load_wine
from sklearn.ensemble import HistGradientBoostingRegressor, RandomForestClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

import rai_widgets as rw
from rai_widgets.readings.uncertainty import coverage_verdict
from rai_widgets.static_html import uncertainty as static


def _svgs(html: str) -> list[str]:
    return re.findall(r"<svg.*?</svg>", html, flags=re.S)


@pytest.fixture(scope="module")
def wine():
    """A RandomForest on half of sklearn's wine data, read on the other half (45 held out)."""
    X, y = load_wine(return_X_y=True, as_frame=True)
    model = RandomForestClassifier(n_estimators=50, random_state=0).fit(X.iloc[::2], y.iloc[::2])
    return rw.ModelSession(model, X.iloc[1::2], y.iloc[1::2], random_state=0)


@pytest.fixture(scope="module")
def wage_session(wage):
    pre = make_column_transformer(
        (
            OneHotEncoder(handle_unknown="ignore", sparse_output=False),
            make_column_selector(dtype_exclude="number"),
        ),
        remainder="passthrough",
    )
    model = make_pipeline(pre, HistGradientBoostingRegressor(max_iter=100, random_state=0))
    model.fit(wage.data, wage.target)
    return rw.ModelSession(
        model,
        wage.data,
        wage.target,
        sensitive_features=["race"],
        random_state=0,
        target_unit="thousand dollars",
    )


def test_an_empty_set_says_why(wine):
    result = wine.conformal(confidence_level=0.9, calibration=0.5)
    empty = result.index[result.size == 0]
    full = result.index[result.size > 0]
    assert len(empty) >= 1  # this model leaves some held-out cases with no class
    view = rw.UncertaintyView(wine, row=empty[0])
    p = wine.predictions().loc[empty[0]]
    best = max(wine.classes_, key=lambda c: p[f"proba_{c}"])
    cutoff = 1 - result.thresholds["overall"]
    assert p[f"proba_{best}"] < cutoff  # why it is empty: even the best guess is below the cut
    assert "No class reaches the 90% level for this case" in view.reading
    assert f"its best guess, {wine.core.class_description(best)}, only" in view.reading
    assert f"{round(cutoff * 100)}% or more" in view.reading
    assert "nothing certain" not in view.reading and "could be" not in view.reading
    assert "No class reaches" in view.case_html
    view.row = full[0]
    assert "answer set" in view.reading and "No class reaches" not in view.reading


def test_average_set_size_below_one_is_explained(wine):
    view = rw.UncertaintyView(wine)
    result = wine.conformal(confidence_level=0.9, calibration=0.5)
    n_empty = int((result.size == 0).sum())
    empty = f"{n_empty} of {len(result.size)} cases not used to calibrate got an empty set"
    assert f"because {empty}" in view.coverage_html or f"although {n_empty} of" in (
        view.coverage_html
    )


def test_terms_are_explained_and_the_promise_is_drawn(wine):
    view = rw.UncertaintyView(wine)
    html = view.static_html()
    for term in ("ECE", "coverage", "conformal set", "Calibration"):  # a note starts capitalised
        assert re.search(rf'<abbr class="rai-term-word" title="[^"]+">{term}</abbr>', html), term
    assert "rai-term-plain" in html
    assert "(ECE" not in view.reliability_html  # the jargon is not left unexplained in the SVG
    coverage_svg = _svgs(view.coverage_html)[0]
    assert 'class="rai-promise"' in coverage_svg and "promised 90%" in coverage_svg
    view.confidence_level = 0.8
    assert "promised 80%" in _svgs(view.coverage_html)[0]


def test_regression_view_has_units_and_a_marked_dotplot(wage_session):
    view = rw.UncertaintyView(wage_session, row=wage_session.X.index[3])
    assert "thousand dollars" in view.reading and "For cases like this one" in view.reading
    numbers = re.findall(r"\d+\.\d+|\d+", view.reading.split("best guess is ")[1])
    decimals = {len(n.split(".")[1]) if "." in n else 0 for n in numbers[:3]}
    assert len(decimals) == 1  # the guess and the interval share their decimals
    assert "thousand dollars" in view.case_html
    dotplot = _svgs(view.case_html)[0]
    assert 'class="rai-prediction"' in dotplot and "prediction: " in dotplot
    assert 'class="rai-interval"' in dotplot and "90% interval: " in dotplot
    assert dotplot.count("<circle") == 20 and "thousand dollars" in dotplot
    assert "prediction interval</abbr>" in view.case_html
    assert view.static_body() == static.view_html(wage_session, row=wage_session.X.index[3])


def test_regression_interval_and_dots_agree_for_the_case(wage_session):
    result = wage_session.conformal(confidence_level=0.9, calibration=0.5)
    row = result.index[int(np.argmax(result.size))]  # the widest case
    text, chart = static.case_reading(wage_session, row, conformal=result)
    i = int(np.argmax(result.size))
    lower, upper = result.lower[i], result.upper[i]
    dots = [float(v) for v in re.findall(r"<circle[^>]*><title>([\d.]+)", chart)]
    assert len(dots) == 20
    assert np.mean((np.array(dots) >= lower - 0.05) & (np.array(dots) <= upper + 0.05)) >= 0.8
    assert f"{lower:.0f}" in text or f"{lower:.1f}" in text


def test_constant_width_is_not_read_as_cases_like_this(wage_session):
    result = wage_session.conformal(confidence_level=0.9, calibration=0.5, method="absolute")
    text, _ = static.case_reading(wage_session, wage_session.X.index[0], conformal=result)
    assert "cases like this" not in text and "same width for every case" in text
    assert "thousand dollars" in text
    note = static.case_note(wage_session, result)
    assert "same width for every case" in note


def test_without_a_unit_no_unit_is_said(wage, wage_model):
    s = rw.ModelSession(wage_model, wage.data, wage.target, random_state=0)
    view = rw.UncertaintyView(s)
    assert "dollars" not in view.reading and "dollars" not in view.case_html


def _verdicts(frame, level=0.9):
    return [
        coverage_verdict(r["coverage_lo"], r["coverage_hi"], level) for _, r in frame.iterrows()
    ]


def test_below_the_promise_is_called_out_only_where_the_bounds_say_so(wage_session):
    """One width for every case under-covers the groups the model misses by more (Wage's
    advanced degrees): the view says so, with bounds, and says "cannot tell" elsewhere."""
    constant = wage_session.conformal(confidence_level=0.9, calibration=0.5, method="absolute")
    frame = constant.frame(by="education")
    verdicts = _verdicts(frame)
    html = static.coverage_html(constant, "education")
    assert verdicts[frame.index.get_loc("5. Advanced Degree")] == "below"
    assert html.count("below the promise") == verdicts.count("below")
    assert html.count("cannot tell it from the promise") == verdicts.count("cannot tell")
    row = frame.loc["5. Advanced Degree"]
    assert (
        f"Covered {row['coverage']:.0%} (95% bounds {row['coverage_lo']:.0%} to "
        f"{row['coverage_hi']:.0%}) of 5. Advanced Degree (n={int(row['n'])}) against a promised "
        "90%: below the promise." in html
    )
    assert "mondrian_by=&#x27;education&#x27;" in html and "Mondrian</abbr>" in html
    # the view (adaptive intervals) reads its own numbers the same way
    view = rw.UncertaintyView(wage_session, by="education")
    adaptive = _verdicts(view.coverage_display.frame())
    assert view.coverage_html.count("below the promise") == adaptive.count("below")
    assert view.coverage_html.count("cannot tell it from") == adaptive.count("cannot tell")
    assert ("calibrate per group (" in view.coverage_html) == ("below" in adaptive)
    mondrian = wage_session.conformal(confidence_level=0.9, mondrian_by="race", random_state=0)
    per_group = static.coverage_html(mondrian, "race")
    assert "calibrate per group (" not in per_group
    assert "Calibrated per group of race" in per_group and "Mondrian</abbr>" in per_group


def test_adaptive_intervals_lift_the_group_constant_width_fails(wage_session):
    """Why adaptive is the default: at the same promise, the advanced-degree group's coverage
    rises well above what one width for every case gives it."""
    kwargs = {"confidence_level": 0.9, "calibration": 0.5}
    constant = wage_session.conformal(method="absolute", **kwargs).frame(by="education")
    adaptive = wage_session.conformal(**kwargs).frame(by="education")
    group = "5. Advanced Degree"
    assert constant.loc[group, "coverage_hi"] < 0.9
    assert adaptive.loc[group, "coverage"] > constant.loc[group, "coverage"] + 0.08
    assert adaptive.loc[group, "mean_width"] > adaptive["mean_width"].min() * 1.5
