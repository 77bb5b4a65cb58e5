"""The static text/html fallback survives an untrusted notebook's HTML sanitizer."""

from __future__ import annotations

import base64
import re

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

import rai_widgets as rw
from rai_widgets.widgets.fallback import fallback_html
from tests.conftest import raw_column_pipeline

IMAGE = re.compile(r'<img alt="([^"]*)"[^>]*src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"')


def _sanitized(page: str) -> str:
    """What JupyterLab's sanitizer leaves of untrusted HTML, for what matters here: no <svg>,
    no <style>, no <script>."""
    for tag in ("svg", "style", "script"):
        page = re.sub(rf"<{tag}\b.*?</{tag}>", "", page, flags=re.DOTALL)
    return page


@pytest.fixture(scope="module")
def hostile_session():
    rng = np.random.default_rng(0)
    evil = "<img src=x onerror=alert(1)>"
    X = pd.DataFrame(
        {
            evil: rng.choice([evil, "</svg><script>alert(2)</script>"], 300),
            "v": rng.normal(size=300),
        }
    )
    y = (X["v"] > 0).astype(int)
    model = raw_column_pipeline(LogisticRegression()).fit(X, y)
    return rw.ModelSession(model, X, y, sensitive_features=[evil], random_state=0)


@pytest.mark.parametrize(
    "make", [rw.Dashboard, rw.FairnessView, rw.UncertaintyView, rw.ExplanationView]
)
def test_every_chart_survives_the_sanitizer_as_an_image(make, hostile_session):
    widget = make(hostile_session)
    live = widget.static_html()
    bundle = widget._repr_mimebundle_()["text/html"]
    n_charts = live.count("<svg")
    assert n_charts >= 1
    survivors = IMAGE.findall(_sanitized(bundle))
    assert len(survivors) == n_charts  # every chart is still there after sanitizing
    for alt, encoded in survivors:
        svg = base64.b64decode(encoded).decode("utf-8")
        assert svg.startswith("<svg") and 'xmlns="http://www.w3.org/2000/svg"' in svg
        assert "<script" not in svg and "<img" not in svg  # data stays escaped inside
        assert "<" not in alt and '"' not in alt
    assert "<img src=x" not in bundle and "<script>" not in bundle


def test_fallback_html_leaves_other_markup_alone():
    page = "<table><tr><td>a &amp; b</td></tr></table>"
    assert fallback_html(page) == page
    chart = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
        "<title>A &lt;b&gt;</title></svg>"
    )
    image = fallback_html("<p>before</p>" + chart + "<p>after</p>")
    assert image.startswith("<p>before</p><img") and image.endswith("<p>after</p>")
    assert 'width="40"' in image and 'height="20"' in image and 'alt="A &lt;b&gt;"' in image
