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
from sklearn.svm import LinearSVC

import rai_widgets as rw
from rai_widgets.views.summary import summary_sentences
from tests.conftest import raw_column_pipeline

HIDDEN = {"rai-technical", "rai-term-word"}
VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "col", "source", "area", "base"}
JARGON = {
    "a q-value": r"\bq [<=] ",
    "ECE": r"\bECE\b",
    "R²": r"R²|R\^2",
    "Benjamini-Hochberg": r"Benjamini",
    "a call": r"\b[a-z_]+\([^)]*\)",
    "a session attribute": r"\bs\.[a-z_]+",
    "a true or false positive rate": r"(?i)\b(?:true|false) positive rate",
    "bounds (presenter mode says likely range)": r"(?i)\bbounds\b",
    "a correction's widened level": r"widened for the",
    "balanced accuracy": r"(?i)balanced accuracy",
    "predict_proba": r"predict_proba|decision_function",
    "a scikit-learn class": r"\bPipeline\b|sklearn|\b[A-Z][A-Za-z]+(?:Classifier|Regressor|CV)\b"
    r"|\bLinearSVC\b|\bLogisticRegression\b",
    "Gower distance": r"Gower",
    "a false discovery rate": r"(?i)false discovery rate",
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
    if kind == "predict-only":  # a linear SVM: yes/no answers and no probabilities
        data = rw.datasets.load_german_credit()
        model = raw_column_pipeline(LinearSVC(random_state=0)).fit(data.data, data.target)
        return rw.ModelSession(
            model,
            data.data,
            data.target,
            sensitive_features=data.sensitive_features,
            favorable="good",
            random_state=0,
        )
    data = rw.datasets.load_adult()
    X, y = data.data.iloc[:3000], data.target.iloc[:3000]
    model = raw_column_pipeline(LogisticRegression(max_iter=300)).fit(X, y)
    return rw.ModelSession(model, X, y, sensitive_features=["sex", "race"], random_state=0)


KINDS = ["binary", "multiclass", "regression", "predict-only"]


@pytest.fixture(scope="module")
def presented():
    """Each kind's Dashboard as the presenter's saved page, and the board."""
    made = {}
    for kind in KINDS:
        board = rw.Dashboard(_session(kind), presenter=True)
        made[kind] = (board, board.static_html())
    return made


def _jargon(text: str, *, skip: tuple[str, ...] = ()) -> dict[str, str]:
    return {
        what: text[max(0, m.start() - 60) : m.end() + 30]
        for what, pattern in JARGON.items()
        if what not in skip
        for m in [re.search(pattern, text)]
        if m
    }


@pytest.mark.parametrize("kind", KINDS)
def test_presenter_mode_shows_no_code_and_no_statistics_jargon(kind, presented):
    board, page = presented[kind]
    before, how_sure = page.split("<h3>How sure</h3>")
    text = visible_text(before)
    assert "What to look at first" in text and len(text) > 1000
    assert not _jargon(text), _jargon(text)
    assert not _jargon(visible_text(how_sure))
    # and the same page for the analyst does carry the statistics
    board.presenter = False
    assert re.search(r"q (?:=|&lt;) |bounds", board.static_html())
    board.presenter = True


@pytest.mark.parametrize("kind", ["binary", "regression"])
def test_how_sure_says_likely_range_in_presenter_mode(kind, presented):
    _, page = presented[kind]
    how_sure = visible_text(page.split("<h3>How sure</h3>")[1])
    assert not _jargon(how_sure), _jargon(how_sure)


@pytest.mark.parametrize("kind", KINDS)
def test_the_first_tab_leads_with_a_one_line_summary_and_at_most_three_headlines(kind, presented):
    board, page = presented[kind]
    summary = visible_text(page.split('<div class="rai-dashboard-summary">')[1].split("</div>")[0])
    sentences = summary_sentences(board.session)
    assert summary == board.summary == " ".join(sentences)
    # one line beside the trivial answer, then at most one sentence on the groups
    assert len(sentences) <= 2 and sentences[0].endswith(")."), sentences
    assert len(sentences[0]) <= 140, sentences[0]  # one line of the summary box
    assert "not a certainty" not in summary and "score" not in summary
    headline = page.split('class="rai-audit-headline-list">')
    assert len(headline) <= 2
    if len(headline) == 2:
        assert 1 <= headline[1].split("</ol>")[0].count("<li>") <= 3
    # the first tab's heading, once: no "What to look at" above "What to look at first"
    text = visible_text(page)
    assert text.count("What to look at first") == 1 and "What to look at What to" not in text


def test_a_predict_only_model_says_plainly_what_it_cannot_show(presented):
    board, page = presented["predict-only"]
    text = visible_text(page)
    assert (
        "This model gives only yes/no answers, so how sure it is of each answer and the "
        "threshold chart cannot be shown." in text
    )
    assert 'class="rai-error"' not in page  # a model without scores is no error
    assert board.fairness.threshold_panel is None


#: Marks of a sentence built by substituting words, or of data that leaked into words.
BROKEN = {
    "a doubled word": r"(?i)\b([a-z]{2,}) \1\b",
    "an article before a question word": r"(?i)\b(?:the|a|an) (?:how|what|which|whether)\b",
    "a plural subject with a singular verb": r"(?i)\bthe answers it cannot rule out holds\b",
    "a missing value": r"\b(?:nan|NaN|None|null)\b",
    "a template's brace": r"[{}]",
    "a space before punctuation": r"[a-z] [,.;!?](?:\s|$)",
    "an empty bracket": r"\(\s*\)",
    "a sentence in lower case after a full stop": r"[a-z]\. [a-z]{3,} [a-z]{3,}",
}


@pytest.mark.parametrize("kind", KINDS)
def test_every_presenter_sentence_reads_as_a_sentence(kind, presented):
    """Presenter mode's sentences are written for it, not made by swapping words: none shows
    the marks of substitution (a doubled word, "the how often", a singular verb after "the
    answers"), a missing value, a template's brace or unbalanced brackets."""
    _, page = presented[kind]
    text = visible_text(page)
    found = {
        what: text[max(0, m.start() - 60) : m.end() + 30]
        for what, pattern in BROKEN.items()
        for m in [re.search(pattern, text)]
        if m
    }
    assert not found, found
    assert text.count("(") == text.count(")")
