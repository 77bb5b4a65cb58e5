"""The threshold panel's static picture draws its curves: each group's "share selected" at every
threshold, read back from the SVG's pixels through its own axis ticks, equals a direct numpy
count on the model's scores (scikit-learn's predict_proba), in the panel, in the Dashboard's
single page (marimo) and in a shared file's fairness section."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

import rai_widgets as rw
from rai_widgets.static_html import fairness, threshold
from rai_widgets.views.dashboard import VIEWS
from rai_widgets.widgets.single_page import SinglePageDashboard
from tests.conftest import raw_column_pipeline

SENSITIVE = "personal_status_and_sex"
TITLE = "Share selected as the threshold moves"
SVG = "{http://www.w3.org/2000/svg}"
# Points are written to 0.1 px; an axis spans about 215 px (y) and 340 px (x) for 0 to 100%.
PIXEL_TOLERANCE = 0.002


@pytest.fixture(scope="module")
def credit(german):
    model = raw_column_pipeline(LogisticRegression(max_iter=1000)).fit(german.data, german.target)
    session = rw.ModelSession(
        model, german.data, german.target, sensitive_features=[SENSITIVE], random_state=0
    )
    return model, session


def expected_shares(model, X, thresholds: np.ndarray) -> dict[str, np.ndarray]:
    """Per group: the share of its rows whose chance of "good" is at least each threshold
    (numpy on scikit-learn's scores, not the session's)."""
    good = model.predict_proba(X)[:, list(model.classes_).index("good")]
    groups = X[SENSITIVE].to_numpy()
    return {
        str(g): (good[groups == g][:, None] >= thresholds[None, :]).mean(axis=0)
        for g in np.unique(groups)
    }


def threshold_chart(html: str) -> ET.Element:
    """The one SVG titled "Share selected as the threshold moves" in ``html``."""
    charts = [
        m.group(0)
        for m in re.finditer(r"<svg\b.*?</svg>", html, flags=re.S)
        if f'aria-label="{TITLE}"' in m.group(0)
    ]
    assert len(charts) == 1, f"{len(charts)} threshold charts"
    return ET.fromstring(charts[0])


def _percent(text: str | None) -> float:
    assert text is not None and text.endswith("%"), text
    return float(text[:-1]) / 100


def axes(svg: ET.Element) -> tuple[np.poly1d, np.poly1d]:
    """Pixel -> value of each axis, fitted on its grid lines and their tick labels."""
    lines = svg.iter(f"{SVG}line")
    grid = [{k: float(line.get(k)) for k in ("x1", "y1", "x2", "y2")} for line in lines]
    xs = sorted(g["x1"] for g in grid if abs(g["x1"] - g["x2"]) < 0.05)
    ys = sorted((g["y1"] for g in grid if abs(g["y1"] - g["y2"]) < 0.05), reverse=True)
    texts = list(svg.iter(f"{SVG}text"))
    x_ticks = sorted(
        (float(t.get("x")), _percent(t.text))
        for t in texts
        if t.get("text-anchor") == "middle" and (t.text or "").endswith("%")
    )
    y_ticks = sorted(
        (_percent(t.text) for t in texts if t.get("text-anchor") == "end"),
    )
    assert len(xs) == len(x_ticks) >= 3 and len(ys) == len(y_ticks) >= 3
    assert np.allclose(xs, [x for x, _ in x_ticks], atol=0.05)  # each label on its line
    x_of = np.poly1d(np.polyfit(xs, [v for _, v in x_ticks], 1))
    y_of = np.poly1d(np.polyfit(ys, y_ticks, 1))
    return x_of, y_of


def drawn_curves(svg: ET.Element) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each legend entry's curve, as (threshold, share) read back from the pixels."""
    x_of, y_of = axes(svg)
    children = list(svg)
    names = {}  # the colour of each legend swatch -> the label after it
    for swatch, label in itertools.pairwise(children):
        if swatch.tag == f"{SVG}rect" and label.tag == f"{SVG}text" and swatch.get("fill"):
            names[swatch.get("fill")] = label.text
    curves = {}
    for line in svg.iter(f"{SVG}polyline"):
        points = np.array(
            [[float(v) for v in p.split(",")] for p in line.get("points", "").split()]
        )
        curves[names[line.get("stroke")]] = (x_of(points[:, 0]), y_of(points[:, 1]))
    return curves


def assert_curves_are_the_shares(html: str, model, X) -> None:
    curves = drawn_curves(threshold_chart(html))
    assert sorted(curves) == sorted(str(g) for g in X[SENSITIVE].unique())
    for group, (at, share) in curves.items():
        assert len(at) == 101  # a point per hundredth of the threshold
        np.testing.assert_allclose(at, np.linspace(0, 1, 101), atol=PIXEL_TOLERANCE)
        expected = expected_shares(model, X, np.round(np.linspace(0, 1, 101), 2))[group]
        np.testing.assert_allclose(share, expected, atol=PIXEL_TOLERANCE, err_msg=group)
        assert share[0] == pytest.approx(1, abs=PIXEL_TOLERANCE)
        assert share.max() - share.min() > 0.9  # a curve from all rows to (nearly) none


def test_the_panel_draws_each_groups_share_selected_at_every_threshold(credit):
    model, s = credit
    html = threshold.panel_html(s, by=SENSITIVE)
    assert_curves_are_the_shares(html, model, s.X)
    # the rings: each group at its threshold (0.5), as numpy counts it
    svg = threshold_chart(html)
    x_of, y_of = axes(svg)
    shares = expected_shares(model, s.X, np.array([0.5]))
    rings = list(svg.iter(f"{SVG}circle"))
    assert len(rings) == len(shares)
    for ring in rings:
        group = (ring.findtext(f"{SVG}title") or "").split(": threshold")[0]
        assert x_of(float(ring.get("cx"))) == pytest.approx(0.5, abs=PIXEL_TOLERANCE)
        assert y_of(float(ring.get("cy"))) == pytest.approx(shares[group][0], abs=PIXEL_TOLERANCE)


def test_the_single_page_and_a_shared_file_draw_the_same_curves(credit):
    model, s = credit
    view = SinglePageDashboard(s)
    view.tab = VIEWS.index("fairness")  # what a click on the "Fairness by group" tab sends
    assert_curves_are_the_shares(view.sections["fairness"], model, s.X)
    # a shared file hides groups under 10 rows; none is that small here
    shared = fairness.view_html(s, by=SENSITIVE, min_group_size=10)
    assert_curves_are_the_shares(shared, model, s.X)
