"""Nothing is cut in the static pictures: chart titles, notes, legends and category labels wrap
inside the chart; the comparison's and the threshold panel's tables sit in a horizontal scroll
wrapper; LIME's warning is HTML that wraps, its technical terms explained on hover.

What a browser shows of these is checked in tests/browser/test_readability_browser.py."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest
from sklearn.datasets import load_wine
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression

import rai_widgets as rw
from rai_widgets.display.explanation import AgreementDisplay
from rai_widgets.display.svg import paired_bar_chart
from rai_widgets.display.svg_base import (
    NOTE_CHAR,
    TITLE_CHAR,
    frame,
    legend_layout,
    tick_label,
    wrap_text,
)
from rai_widgets.display.svg_plots import line_chart, scatter_chart
from rai_widgets.static_html import comparison, explanation, threshold
from rai_widgets.views.comparison import ComparisonModel, DisagreementsModel
from rai_widgets.views.explanation import agreement_data
from tests.conftest import raw_column_pipeline

LONG_NOTE = (
    "SHAP and LIME push 4 of the 5 strongest features the same way (rank correlation 0.70). "
    "LIME's local fit is weak here (R² 0.44): trust SHAP more."
)


def _texts(svg: str) -> list[str]:
    return [html.unescape(t) for t in re.findall(r"<(?:text|tspan)[^>]*>([^<]*)", svg)]


def test_a_long_note_wraps_inside_the_chart_and_the_chart_grows():
    short = frame(640, 200, ["<rect/>"], "Title", "A short note.")
    long = frame(640, 200, ["<rect/>"], "Title", LONG_NOTE)
    assert 'height="200"' in short and "translate" not in short  # quiet: one line, no shift
    lines = wrap_text(LONG_NOTE, 640 - 16, NOTE_CHAR)
    assert len(lines) == 2 and " ".join(lines) == LONG_NOTE  # every word, in order
    assert all(len(line) * NOTE_CHAR <= 640 - 16 for line in lines)
    assert 'height="215"' in long and 'transform="translate(0,15)"' in long
    assert [t for t in _texts(long) if t in lines] == lines


def test_a_long_title_wraps_too():
    title = "share selected (demographic parity) as the threshold moves, by group of race"
    svg = frame(440, 300, [], title)
    shown = [t for t in _texts(svg) if t]
    assert " ".join(shown) == title and len(shown) == 2
    assert all(len(t) * TITLE_CHAR <= 440 - 16 for t in shown)


def test_a_word_longer_than_a_line_keeps_its_own_line_whole():
    assert wrap_text("a " + "x" * 50 + " b", 100, 7) == ["a", "x" * 50, "b"]


def test_legend_labels_are_shown_whole_and_wrap_onto_rows():
    labels = ["Amer-Indian-Eskimo (calibration error 0.12)", "Asian-Pac-Islander", "White"]
    svg = line_chart(
        {label: ([0.0, 1.0], [0.0, 1.0]) for label in labels}, x_label="t", y_label="rate"
    )
    texts = _texts(svg)
    assert "Asian-Pac-Islander" in texts  # was cut to 18 characters
    assert labels[0] in texts
    places, *_ = legend_layout(labels, 56, 460 - 16, "", 340)
    assert len({y for _, y in places}) == 2  # two rows, none past the right edge


def test_a_short_legend_stays_on_one_row():
    places, *_ = legend_layout(["Female", "Male"], 56, 444, "", 340)
    assert len({y for _, y in places}) == 1


def test_category_labels_under_a_scatter_wrap_instead_of_being_cut():
    kinds = ["Married-civ-spouse", "Married-spouse-absent", "Never-married", "Separated"]
    values = [*kinds, "Widowed", "Divorced"] * 3
    svg = scatter_chart(values, list(range(18)), x_label="marital-status")
    assert "Married-civ-s…" not in svg
    assert "<tspan" in svg and ">Married-civ-</tspan>" in svg and ">spouse</tspan>" in svg
    assert tick_label("Divorced", 10, 10, 90).count("<tspan") == 1  # fits: one line


def test_scatter_legend_uses_the_wrapping_layout():
    groups = [f"group number {i} with a long name" for i in range(6)] * 3
    svg = scatter_chart(list(range(18)), list(range(18)), groups=groups)
    assert "group number 0 with a long name" in _texts(svg)
    height = int(re.search(r'height="(\d+)"', svg).group(1))
    assert height > 332  # taller by the extra legend rows (320 + 12 without)


@pytest.fixture(scope="module")
def wine():
    data = load_wine(as_frame=True)
    X, y = data.data, data.target
    model = RandomForestClassifier(n_estimators=30, random_state=0).fit(X, y)
    return rw.ModelSession(model, X, y, random_state=0)


def _weak_row(session):
    for row in session.X.index[:40]:
        if AgreementDisplay.from_session(session, row, random_state=0).warning():
            return row
    pytest.fail("no case with a weak LIME fit among the first 40")


def test_lime_warning_is_html_that_wraps_with_terms_explained(wine):
    row = _weak_row(wine)
    html = explanation.agreement_html(agreement_data(wine, row, random_state=0))
    svg, reading = html.split("</svg>", 1)
    assert "local fit is weak" not in svg  # not in the chart, where it was cut
    assert explanation.AGREEMENT_NOTE in svg
    assert 'class="rai-lime-warning"' in reading
    for term in ("SHAP", "LIME", "local fit"):
        assert f">{term}</abbr>" in reading  # with its explanation on hover
    assert '<span class="rai-term-plain">The two explainers agree on which way' in reading
    assert '<span class="rai-term-plain">The simple model fitted' in reading
    assert "R² 0." in reading and "matches the model poorly" in reading


def test_no_warning_when_lime_is_reliable():
    shap = pd.DataFrame(
        {"feature": ["a", "b", "c"], "value": [1, 2, 3], "contribution": [0.3, -0.2, 0.1]}
    )
    lime = shap.assign(
        contribution=[0.2, -0.1, 0.05], contribution_spread=0.01, reliable=True, local_r2=0.9
    )
    display = AgreementDisplay(shap, lime, fmt=str)
    assert display.warning() == ""
    assert "rai-lime-warning" not in display.reading_html()
    assert display.summary() == display.agreement()
    unstable = AgreementDisplay(shap, lime.assign(reliable=False), fmt=str)
    assert "unstable" in unstable.warning() and "rai-lime-warning" in unstable.reading_html()


def test_paired_bar_chart_note_wraps():
    svg = paired_bar_chart(
        ["a", "b"], [0.1, -0.2], [0.1, -0.1], names=("SHAP", "LIME"), note=LONG_NOTE
    )
    lines = wrap_text(LONG_NOTE, 640 - 16, NOTE_CHAR)
    assert all(line in _texts(svg) for line in lines)


@pytest.fixture(scope="module")
def two(adult):
    X, y = adult.data.iloc[:1500], adult.target.iloc[:1500]
    a = rw.ModelSession(
        raw_column_pipeline(LogisticRegression(max_iter=300)).fit(X, y),
        X,
        y,
        sensitive_features=["race"],
        name="v1-logistic",
    )
    b = rw.ModelSession(
        raw_column_pipeline(LogisticRegression(C=0.01, max_iter=300)).fit(X, y),
        X,
        y,
        sensitive_features=["race"],
        name="v2-logistic-strong",
    )
    return a, b


def test_comparison_tables_scroll_sideways_and_keep_names_whole(two):
    a, b = two
    rows = comparison.disagreements_html(DisagreementsModel.from_sessions(a, b, n=5))
    assert '<div class="rai-scroll"><table class="rai-cmp-rows">' in rows
    assert '<span class="rai-nowrap">v1-logistic</span> <span class="rai-nowrap">confidence' in rows
    groups = comparison.groups_html(ComparisonModel.from_sessions(a, b, by="race"))
    assert '<div class="rai-scroll"><table class="rai-cmp-groups">' in groups
    assert ">95%</abbr>" in groups and "likely range" in groups  # the term, and presenter words


def test_comparison_view_presenter_mode(two):
    a, b = two
    view = rw.ComparisonView(a, b, presenter=True)
    assert "rai-presenter" in view._dom_classes
    assert 'class="rai-view rai-presenter"' in view.static_html()
    view.presenter = False
    assert "rai-presenter" not in view._dom_classes
    assert "rai-presenter" not in view.static_html().split("</style>", 1)[1]


def test_threshold_table_scrolls_sideways(adult):
    X, y = adult.data.iloc[:1500], adult.target.iloc[:1500]
    s = rw.ModelSession(
        raw_column_pipeline(LogisticRegression(max_iter=300)).fit(X, y),
        X,
        y,
        sensitive_features=["sex"],
    )
    page = threshold.panel_html(s, by="sex")
    assert '<div class="rai-scroll"><table>' in page
