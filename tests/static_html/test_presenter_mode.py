"""Presenter mode shows the audience sentences: no code, no q-values, no unexplained term.

The saved picture of a Dashboard in presenter mode is read as a browser shows it: whatever
presenter mode hides (``rai-technical``, a term's technical word) is left out, and the rest
must be free of code and statistics jargon.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from sklearn.ensemble import RandomForestRegressor
from sklearn.linear_model import LogisticRegression

import rai_widgets as rw
from tests.conftest import raw_column_pipeline

HIDDEN = {"rai-technical", "rai-term-word"}
VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "col", "source", "area", "base"}
JARGON = {
    "a q-value": r"\bq [<=] ",
    "ECE": r"\bECE\b",
    "R²": r"R²",
    "Benjamini-Hochberg": r"Benjamini",
    "a call": r"\b[a-z_]+\([^)]*\)",
    "a session attribute": r"\bs\.[a-z_]+",
}


class _Visible(HTMLParser):
    """The text a presenter-mode page shows."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden: list[bool] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        classes = set((dict(attrs).get("class") or "").split())
        parent = bool(self.hidden) and self.hidden[-1]
        self.hidden.append(parent or bool(classes & HIDDEN) or tag in ("style", "script", "title"))

    def handle_endtag(self, tag):
        if tag not in VOID and self.hidden:
            self.hidden.pop()

    def handle_data(self, data):
        if not (self.hidden and self.hidden[-1]):
            self.text.append(data)


def visible_text(page: str) -> str:
    parser = _Visible()
    parser.feed(page)
    return re.sub(r"\s+", " ", "".join(parser.text))


def test_the_reader_sees_what_presenter_mode_hides():
    page = '<p>Gap <span class="rai-technical">; q &lt; 0.01</span> seen.</p><style>a{}</style>'
    assert visible_text(page) == "Gap seen."


def _session(kind: str) -> rw.ModelSession:
    if kind == "regression":
        data = rw.datasets.load_wage()
        model = raw_column_pipeline(RandomForestRegressor(n_estimators=20, random_state=0))
        model.fit(data.data, data.target)
        return rw.ModelSession(
            model,
            data.data,
            data.target,
            sensitive_features=["race", "age"],
            target_unit="thousand dollars",
            random_state=0,
        )
    if kind == "multiclass":
        data = rw.datasets.load_wage()
        X, y = data.data.drop(columns=["education"]), data.data["education"]
        model = raw_column_pipeline(LogisticRegression(max_iter=300)).fit(X, y)
        return rw.ModelSession(model, X, y, sensitive_features=["race"], random_state=0)
    data = rw.datasets.load_adult()
    X, y = data.data.iloc[:3000], data.target.iloc[:3000]
    model = raw_column_pipeline(LogisticRegression(max_iter=300)).fit(X, y)
    return rw.ModelSession(model, X, y, sensitive_features=["sex", "race"], random_state=0)


@pytest.mark.parametrize("kind", ["binary", "multiclass", "regression"])
def test_presenter_mode_shows_no_code_and_no_statistics_jargon(kind):
    board = rw.Dashboard(_session(kind), presenter=True)
    text = visible_text(board.static_html())
    assert "What to look at first" in text and len(text) > 1000
    found = {
        what: text[max(0, m.start() - 60) : m.end() + 30]
        for what, pattern in JARGON.items()
        for m in [re.search(pattern, text)]
        if m
    }
    assert not found, found
    # and the same page for the analyst does carry the statistics
    board.presenter = False
    assert re.search(r"q (?:=|&lt;) ", board.static_html())
