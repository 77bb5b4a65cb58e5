"""The reliability diagram with three or more groups is one panel per group (the group in
colour with its bounds, the others in grey behind it), so crossing curves can be read one at a
time, and nothing of the old one-chart diagram is dropped: every group, every bin's point and
its bounds. One or two groups stay on one chart."""

from __future__ import annotations

import html
import re

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

import rai_widgets as rw
from rai_widgets.display import ReliabilityDisplay
from rai_widgets.display.reliability_panels import OTHERS
from tests.conftest import raw_column_pipeline

PANEL = re.compile(r'<g class="rai-reliability-panel"><title>([^<]*)</title>(.*?)</g>', re.S)
POINT = re.compile(r"<title>([^<]*): said (\d+)%, happened (\d+)% \((\d+)%–(\d+)%\)</title>")


@pytest.fixture(scope="module")
def education_by_race():
    """Multiclass on Wage held-out rows: three groups of race drawn (4. Other is too small)."""
    frame = rw.datasets.load_wage().frame
    X, y = frame.drop(columns=["education", "logwage"]), frame["education"]
    Xt, Xe, yt, ye = train_test_split(X, y, test_size=0.3, random_state=0)
    model = raw_column_pipeline(LogisticRegression(max_iter=500)).fit(Xt, yt)
    return rw.ModelSession(model, Xe, ye, sensitive_features=["race"], random_state=0), model


def test_three_groups_are_three_panels_with_every_point(education_by_race):
    session, model = education_by_race
    view = rw.UncertaintyView(session)
    chart = re.search(r"<svg.*?</svg>", view.reliability_html, re.S)[0]
    panels = PANEL.findall(chart)
    drawn = [html.unescape(label).partition(" (calibration error")[0] for label, _ in panels]
    sizes = session.X["race"].value_counts()
    assert drawn == sorted(sizes[sizes >= 30].index)  # one panel per group big enough
    assert len(drawn) == 3  # the old chart drew all three in one, crossing
    preds = session.predictions()
    confidence = model.predict_proba(session.X).max(axis=1)  # recomputed from the model
    np.testing.assert_allclose(preds["confidence"].to_numpy(), confidence)
    for (_, body), group in zip(panels, drawn, strict=True):
        points = [p for p in POINT.findall(body) if html.unescape(p[0]).startswith(group)]
        mask = (session.X["race"] == group).to_numpy()
        right = (model.predict(session.X) == session.y.to_numpy())[mask]
        # its own curve, in colour, with one point per bin and each bin's bounds
        assert len(points) >= 3
        for _, said, happened, lo, hi in points:
            assert int(lo) <= int(happened) <= int(hi) and 0 <= int(said) <= 100
        # the group's overall accuracy lies between its lowest and highest bin
        rates = [int(h) for *_, h, _, _ in points]
        assert min(rates) - 1 <= 100 * right.mean() <= max(rates) + 1
        # the other groups behind it, faint
        assert body.count(f'stroke="{OTHERS}"') == len(drawn) - 1
        assert "perfect calibration" in body
    words = " ".join(re.findall(r'<text [^>]*fill="#666666">([^<]*)</text>', chart))
    assert "One panel per group: the group in colour, the other groups in grey" in words


def test_the_panels_hold_every_bin_of_the_display(education_by_race):
    session, _ = education_by_race
    display = ReliabilityDisplay.from_session(session, "race")
    svg = display.to_svg()
    shown = {
        (html.unescape(g).partition(" (")[0], int(s), int(h))
        for g, s, h, _, _ in POINT.findall(svg)
    }
    frame = display.frame()
    column = frame.columns[0]
    finite = frame[np.isfinite(frame["observed"].to_numpy(dtype=float))]
    expected = {
        (str(g), round(100 * p), round(100 * o))
        for g, p, o in zip(
            finite[column], finite["mean_predicted"], finite["observed"], strict=True
        )
    }
    assert shown == expected


def test_two_groups_stay_on_one_chart(adult_session):
    svg = ReliabilityDisplay.from_session(adult_session, "sex").to_svg()
    assert "rai-reliability-panel" not in svg and "One panel per" not in svg
    assert svg.count("<polyline") == 2
