"""A binary case's paragraph in the example browser's detail pane names each value's push with
the number and precision of the waterfall beside it (the old paragraph rounded to whole
points, "+13 points", beside a "+12.7 pts" bar)."""

from __future__ import annotations

import re

import pytest
from sklearn.linear_model import LogisticRegression

import rai_widgets as rw
from rai_widgets.static_html.examples import detail_html
from rai_widgets.views.case import case_model
from tests.conftest import raw_column_pipeline

SEED = 0


@pytest.fixture(scope="module")
def german_logistic(german):
    model = raw_column_pipeline(LogisticRegression(max_iter=500)).fit(german.data, german.target)
    return rw.ModelSession(
        model,
        german.data,
        german.target,
        sensitive_features=german.sensitive_features,
        random_state=SEED,
    )


def _paragraph_pushes(text: str) -> dict[str, float]:
    """feature -> signed points named in the paragraph, with their written decimals."""
    found = re.findall(r"(\w+) = [^()]*?\(([+\u2212])(\d+(?:\.\d+)?) points?\)", text)
    assert found, text
    for _, _, number in found:
        assert re.fullmatch(r"\d+\.\d", number), text  # one decimal, as the chart
    return {f: (1 if s == "+" else -1) * float(n) for f, s, n in found}


@pytest.mark.parametrize("position", [3, 10])
def test_the_paragraph_reads_the_waterfalls_numbers(german_logistic, position):
    s = german_logistic
    row = s.X.index[position]
    case = case_model(s, row, random_state=SEED)
    pushes = _paragraph_pushes(case.reading)
    svg = detail_html(case)
    bars = {
        float(v) for v in re.findall(r">([+-]\d+\.\d) pts</text>", svg)
    }  # the waterfall's labels
    assert bars, "no waterfall labels"
    # every number of the paragraph is a bar's number, at the same precision
    assert set(pushes.values()) <= bars, (pushes, sorted(bars))
    # and both are the explanation's own contributions, recomputed here
    e = s.explain([row], random_state=SEED).set_index("feature")
    for feature, said in pushes.items():
        assert said == pytest.approx(round(100 * float(e.loc[feature, "contribution"]), 1))
