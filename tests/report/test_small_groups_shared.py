"""A group under ``min_group_size`` rows is named with its size in what is shared, never with
its numbers: the export's every view (audit, fairness with its chart and thresholds,
uncertainty, explanation) and the model card (tables, calibration, coverage, the audit).

Each session carries a real sensitive feature and a planted 6-row group; every line of text
that names the group (a table row, a list item, a note, a chart label) may hold only its size,
the minimum size, the support minimum and the decision threshold, nothing measured on it.
"""

from __future__ import annotations

import json
import re
import warnings
from html.parser import HTMLParser

import numpy as np
import pytest
from sklearn.linear_model import LinearRegression, LogisticRegression

import rai_widgets as rw
from tests.conftest import raw_column_pipeline

TINY = "tinygroup"
N_TINY = 6
BLOCKS = {"tr", "li", "p", "div", "text", "title", "h2", "h3", "h4", "summary", "option"}
NUMBER = re.compile(r"[+\-−]?\d+(?:,\d{3})*(?:\.\d+)?\s*(?:%|pts)?")


class _Lines(HTMLParser):
    """The text of each innermost block (a row, an item, a chart label), scripts apart."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.scripts: list[str] = []
        self._current: list[str] = []
        self._script = False

    def _flush(self) -> None:
        text = "".join(self._current).strip()
        if text:
            self.lines.append(" ".join(text.split()))
        self._current = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self._script = True
            self.scripts.append("")
        elif tag in BLOCKS:
            self._flush()
        elif tag == "td":
            self._current.append(" | ")

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = False
        elif tag in BLOCKS:
            self._flush()

    def handle_data(self, data):
        if self._script:
            self.scripts[-1] += data
        else:
            self._current.append(data)


def _leaks(lines: list[str], allowed: set[str]) -> list[str]:
    """Lines naming the tiny group that hold a number other than the allowed ones."""
    bad = []
    for line in lines:
        if TINY not in line:
            continue
        numbers = {m.group(0).replace(" ", "") for m in NUMBER.finditer(line.replace(TINY, ""))}
        if numbers - allowed:
            bad.append(f"{sorted(numbers - allowed)} in: {line[:300]}")
    return bad


def _session(german, wage, task: str) -> rw.ModelSession:
    if task == "regression":
        X = wage.data.copy()
        y = wage.target
        other, model = "race", raw_column_pipeline(LinearRegression())
    else:
        X = german.data.copy()
        y = german.target
        if task == "multiclass":
            y = np.where(
                german.target == "bad",
                "bad",
                np.where(X["credit_amount"] > X["credit_amount"].median(), "good-high", "good"),
            )
        other, model = (
            "personal_status_and_sex",
            raw_column_pipeline(LogisticRegression(max_iter=500)),
        )
    groups = np.array(["majority"] * len(X), dtype=object)
    groups[:N_TINY] = TINY
    groups[N_TINY : N_TINY + 200] = "middle"
    X["grp"] = groups
    model.fit(X, y)
    return rw.ModelSession(model, X, y, sensitive_features=["grp", other], random_state=0)


@pytest.fixture(scope="module", params=["binary", "multiclass", "regression"])
def small(request, german, wage):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield _session(german, wage, request.param)


def _allowed(session) -> set[str]:
    """The group sizes (any group's, as a line may list them all), the held-out part of the
    small group (coverage rests on it), the minimum sizes and the decision threshold."""
    sizes = {f"{n:,}" for n in session.core.slices("grp").sizes.tolist()}
    held_out = {str(n) for n in range(N_TINY + 1)}
    return {*sizes, *held_out, "10", "30", "0.5", "0.500", "95%"}


def test_the_export_names_a_small_group_without_its_numbers(small, tmp_path):
    path = tmp_path / "export.html"
    small.to_html(path, by="grp")
    parser = _Lines()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    assert any(TINY in line for line in parser.lines), "the small group is named"
    assert not _leaks(parser.lines, _allowed(small)), "\n".join(_leaks(parser.lines, set()))
    sentences = [line for line in parser.lines if TINY in line and "too few to report" in line]
    assert sentences, "the small group reads 'too few to report'"
    # the page's data: the slice picker's line for the group holds its size only
    data = json.loads(
        next(s for s in parser.scripts if s.lstrip().startswith("{")).replace("<\\/", "</")
    )
    text = json.dumps(data, ensure_ascii=False)
    assert f"{N_TINY} rows · too few to report" in text


def test_the_card_names_a_small_group_without_its_numbers(small):
    card = rw.ModelCard.from_session(small)
    lines = card.to_markdown().splitlines()
    allowed = _allowed(small)
    assert not _leaks(lines, allowed), "\n".join(_leaks(lines, allowed))
    parser = _Lines()
    parser.feed(card._repr_html_())
    parser.close()
    assert not _leaks(parser.lines, allowed), "\n".join(_leaks(parser.lines, allowed))
    assert any(TINY in line and "too few to report" in line for line in lines)
    # the numbers are gone from the card's data too, not only from its text
    quantitative = card.to_dict()["quantitative_analyses"]
    for key in ("calibration", "coverage"):
        for row in quantitative[key] or []:
            if row.get("group") == TINY:
                assert row.get("too_few") is True, row
                measured = {k: v for k, v in row.items() if k not in ("n", "group", "feature")}
                assert all(v is None or isinstance(v, bool | str) for v in measured.values()), row


def test_a_live_view_still_shows_the_small_group_greyed(small):
    """The person who has the data sees every group (greyed when small): only what is shared
    is masked."""
    page = rw.FairnessView(small, by="grp").static_html()
    parser = _Lines()
    parser.feed(page)
    parser.close()
    assert any(TINY in line and "few rows: read with care" in line for line in parser.lines)


def test_the_rule_follows_min_group_size(small, tmp_path):
    """With min_group_size=5 the 6-row group is large enough to report."""
    path = tmp_path / "five.html"
    small.to_html(path, by="grp", min_group_size=5)
    parser = _Lines()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    rows = [line for line in parser.lines if TINY in line and " | " in line]
    assert rows and all("too few to report" not in line for line in rows)
