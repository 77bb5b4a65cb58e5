"""ModelCard: every number on the card is the session's own, and data cannot inject markup."""

from __future__ import annotations

import html
import json
import re

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression

import rai_widgets as rw
from rai_widgets.report.card.model_card import NOT_STATED, ModelCard
from rai_widgets.views.audit import fold_untrained
from tests.conftest import assert_frame_close, raw_column_pipeline

HOSTILE = "<img src=x onerror=alert(1)>"

AUTHOR_SECTIONS = [
    "owners",
    "intended_use",
    "out_of_scope_uses",
    "evaluation_data",
    "training_data",
    "ethical_considerations",
    "caveats",
]


# -- sessions of the three tasks, on real data ------------------------------------------------
@pytest.fixture(scope="module")
def german_session(german, german_model):
    return rw.ModelSession(
        german_model,
        german.data,
        german.target,
        sensitive_features=german.sensitive_features,
        name="german-gbm",
        random_state=0,
    )


@pytest.fixture(scope="module")
def wage_session(wage, wage_model):
    return rw.ModelSession(
        wage_model, wage.data, wage.target, sensitive_features=["race", "maritl"], random_state=0
    )


@pytest.fixture(scope="module")
def education_session(wage_education):
    model, X, y = wage_education
    return rw.ModelSession(model, X, y, sensitive_features=["race"], random_state=0)


@pytest.fixture(scope="module")
def iris_session(iris_model):
    model, X, y = iris_model
    return rw.ModelSession(model, X, y, random_state=0)


SESSIONS = {
    "binary": "adult_session",
    "binary_small": "german_session",
    "multiclass": "education_session",
    "regression": "wage_session",
}


@pytest.fixture(scope="module", params=list(SESSIONS))
def session_and_card(request):
    session = request.getfixturevalue(SESSIONS[request.param])
    return session, ModelCard.from_session(session)


def expected_value(metric: str, value: float) -> str:
    """The card's number format, written out independently of the module."""
    if metric in ("accuracy", "selection_rate", "tpr", "fpr", "macro_tpr", "macro_precision"):
        return f"{100 * value:.1f}%"
    if metric == "auc":
        return f"{value:.3f}"
    return f"{value:,.2f}"


def table_rows(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("|")]


def unescaped_pipes(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line))


# -- numbers equal the session's ---------------------------------------------------------------
def test_task_and_metrics_follow_the_session(session_and_card):
    session, card = session_and_card
    assert card.details_["task"] == session.task_
    assert set(card.metrics_) <= set(session.metric_names())
    expected_first = "mae" if session.task_ == "regression" else "accuracy"
    assert card.metrics_[0] == expected_first


def test_overall_metrics_equal_slice_metrics(session_and_card):
    session, card = session_and_card
    expected = session.slice_metrics(None, metrics=card.metrics_)
    assert_frame_close(
        card.overall_.drop(columns="low_support"), expected.drop(columns="low_support")
    )
    markdown = card.to_markdown()
    row = expected.iloc[0]
    labels = {"accuracy": "Accuracy", "mae": "Mean absolute error"}
    m = card.metrics_[0]
    value = expected_value(m, row[m])
    bounds = f"{expected_value(m, row[m + '_lo'])} to {expected_value(m, row[m + '_hi'])}"
    # the overall table's row, cell by cell (markdown escapes nothing in these strings)
    assert f"| {labels[m]} | {value} | {bounds} |" in markdown
    # and the summary in numbers reads the same number with its bounds (the opening reads
    # it as the Dashboard does: tests/report/test_model_card_opening.py)
    assert value in card.in_numbers_[1]
    assert bounds in card.in_numbers_[1]


def test_per_group_n_and_metrics_equal_slice_metrics(session_and_card):
    session, card = session_and_card
    assert list(card.by_group_) == list(session.sensitive_features_)
    page = card.to_html()
    for feature, table in card.by_group_.items():
        expected = session.slice_metrics(feature, metrics=card.metrics_)
        assert_frame_close(table.drop(columns="low_support"), expected.drop(columns="low_support"))
        assert table["low_support"].tolist() == expected["low_support"].tolist()
        for group, n in expected["n"].items():
            label = "missing" if pd.isna(group) else str(group)  # as rai_widgets.formatting.label
            cells = rf"<td[^>]*>{re.escape(html.escape(label))}</td><td[^>]*>{int(n):,}</td>"
            assert re.search(cells, page), (feature, label)


def test_disparities_equal_session_disparities(session_and_card):
    session, card = session_and_card
    d = card.disparities_
    for feature in card.by_group_:
        for metric in card.metrics_:
            expected = session.disparities(feature, metric=metric)
            got = d[(d["feature"] == feature) & (d["metric"] == metric)]
            assert got["group"].tolist() == expected.index.tolist()
            for column in ("difference", "difference_lo", "difference_hi"):
                np.testing.assert_allclose(
                    got[column].to_numpy(dtype=float),
                    expected[column].to_numpy(dtype=float),
                    equal_nan=True,
                    atol=1e-12,
                )
            assert (got["reference_group"] == expected.attrs["reference"]).all()
    others = d[~d["reference"]]
    crosses = (others["difference_lo"] <= 0) & (others["difference_hi"] >= 0)
    assert (others["bounds_cross_zero"] == crosses).all()


def test_uncertainty_equals_session(session_and_card):
    session, card = session_and_card
    if session.task_ == "regression":
        assert card.calibration_ is None
        assert "applies to classifiers" in card.to_markdown()
    else:
        overall = session.calibration(None)[1]
        np.testing.assert_allclose(card.calibration_["ece"].iloc[0], overall["ece"].iloc[0])
        for feature in card.by_group_:
            summary = session.calibration(feature)[1]
            got = card.calibration_[card.calibration_["feature"] == feature]
            np.testing.assert_allclose(got["overconfidence"], summary["overconfidence"])
            assert got["n"].tolist() == summary["n"].tolist()
    result = session.conformal(confidence_level=0.9, calibration=0.5)
    overall = result.frame()
    np.testing.assert_allclose(card.coverage_["coverage"].iloc[0], overall["coverage"].iloc[0])
    for feature in card.by_group_:
        got = card.coverage_[card.coverage_["feature"] == feature]
        # the groups of slice_metrics (numeric columns in quartiles), over the held-out rows
        assert got["group"].tolist() == card.by_group_[feature].index.tolist()
        assert got["n"].sum() == overall["n"].iloc[0]
        mean = np.average(got["coverage"], weights=got["n"])
        np.testing.assert_allclose(mean, overall["coverage"].iloc[0])
        if pd.api.types.is_numeric_dtype(session.X[feature]):
            continue
        expected = result.frame(by=feature)  # text columns: the same groups as frame(by=...)
        assert got["n"].tolist() == expected["n"].tolist()
        np.testing.assert_allclose(got["coverage"], expected["coverage"])
        np.testing.assert_allclose(got["coverage_lo"], expected["coverage_lo"])


def test_blind_spots_equal_weak_slices(session_and_card):
    session, card = session_and_card
    table = session.weak_slices()
    significant = table[table["significant"]]
    assert card.n_slices_tested_ == len(table)
    assert card.n_weak_slices_ == len(significant)
    assert card.weak_slices_["slice"].tolist() == significant["slice"].head(10).tolist()
    np.testing.assert_allclose(card.weak_slices_["q_value"], significant["q_value"].head(10))
    assert f"({len(table):,} tested)" in card.to_markdown()


def test_summary_is_short_and_to_dict_is_json(session_and_card):
    _, card = session_and_card
    # what it predicts, then the Dashboard's summary: its overall line and at most one group line
    assert 2 <= len(card.summary_) <= 3
    data = json.loads(json.dumps(card.to_dict(), allow_nan=False))
    m = card.metrics_[0]
    quant = data["quantitative_analyses"]
    assert quant["overall"][0][m] == pytest.approx(float(card.overall_[m].iloc[0]))
    assert data["model_details"]["rai_widgets_version"] == rw.__version__
    assert [u["feature"] for u in quant["unitary"]] == [str(f) for f in card.by_group_]


def test_every_markdown_table_row_has_the_header_width(session_and_card):
    _, card = session_and_card
    blocks = card.to_markdown().split("\n\n")
    for block in blocks:
        rows = table_rows(block)
        if rows:
            widths = {unescaped_pipes(row) for row in rows}
            assert len(widths) == 1, block[:200]


# -- specific contents -------------------------------------------------------------------------
def test_binary_summary_in_numbers_names_a_group_only_with_the_test_behind_it(adult_session):
    from rai_widgets.readings.groups import worst_group

    card = ModelCard.from_session(adult_session, metrics=["accuracy"])
    text = " ".join(card.in_numbers_)  # the tests live in the numbers, not in the opening
    for feature in adult_session.sensitive_features_:
        tested = adult_session.weak_slices(features=[feature], max_order=1)
        sentence = worst_group(tested, by=feature, loss="error_rate")
        assert sentence in text
        supported = tested[tested["significant"] & (tested["gap_lo"] > 0)]
        named = sentence.startswith("It does measurably worse for ")
        assert named == (not supported.empty)
        if named:
            assert supported.iloc[0]["slice"] in sentence and "groups compared" in sentence


def test_low_support_groups_are_flagged(wage_session):
    card = ModelCard.from_session(wage_session)
    low = card.by_group_["maritl"]
    widowed = low.loc["3. Widowed"]
    assert widowed["n"] < 30 and widowed["low_support"]
    assert any("3. Widowed has only" in text for text in card.limitations_)
    assert re.search(r'<tr class="rai-low"><td[^>]*>3\. Widowed</td>', card.to_html())


def test_steps_of_a_pipeline(german, german_session):
    card = ModelCard.from_session(german_session)
    n_text = sum(not pd.api.types.is_numeric_dtype(t) for t in german.data.dtypes)
    n_num = german.data.shape[1] - n_text
    assert card.details_["pipeline"] == (
        f"ColumnTransformer((SimpleImputer -> OneHotEncoder) on {n_text} text columns; "
        f"StandardScaler on {n_num} numeric columns) -> HistGradientBoostingClassifier"
    )
    assert card.data_["n_columns"] == german.data.shape[1]
    assert len(card.data_["text_columns"]) == n_text
    assert card.details_["name"] == "german-gbm"


def test_class_balance_counts(german_session, german):
    card = ModelCard.from_session(german_session)
    counts = german.target.value_counts()
    for label, n in counts.items():
        assert card.target_.loc[label, "n"] == n
    predicted = german_session.predictions()["y_pred"].value_counts()
    assert card.target_["predicted_n"].sum() == predicted.sum() == len(german.target)


def test_session_without_sensitive_features(iris_session):
    card = ModelCard.from_session(iris_session)
    assert card.by_group_ == {}
    assert card.disparities_.empty
    assert len(card.coverage_) == 1
    assert any("No sensitive features" in text for text in card.limitations_)
    assert "No sensitive features were given" in card.to_markdown()


# -- author sections ---------------------------------------------------------------------------
def test_author_sections_not_stated_when_missing(german_session):
    card = ModelCard.from_session(german_session)
    assert card.author_ == dict.fromkeys(AUTHOR_SECTIONS)
    assert card.to_markdown().count(NOT_STATED) == len(AUTHOR_SECTIONS)
    assert card.to_html().count(NOT_STATED) == len(AUTHOR_SECTIONS)


def test_author_sections_show_given_text_escaped(german_session):
    given = {name: f"{name.replace('_', ' ')}: <b>bold</b> a|b" for name in AUTHOR_SECTIONS}
    given["owners"] = None
    card = ModelCard.from_session(german_session, **given)
    markdown, page = card.to_markdown(), card.to_html()
    assert markdown.count(NOT_STATED) == 1
    for name, text in given.items():
        if text is None:
            continue
        assert f"{name.replace('_', ' ')}: &lt;b&gt;bold&lt;/b&gt; a\\|b" in markdown
        assert html.escape(text) in page
    assert "<b>" not in markdown and "<b>" not in page
    # stating the training data removes the "were these rows used to train it" limitation
    assert not any("used to train" in text for text in card.limitations_)
    assert any(
        "used to train" in text for text in ModelCard.from_session(german_session).limitations_
    )


def test_author_section_must_be_text(german_session):
    with pytest.raises(rw.ValidationError, match="intended_use"):
        ModelCard.from_session(german_session, intended_use=3)


# -- hostile names -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def hostile_session(german):
    X = german.data.rename(columns={"personal_status_and_sex": HOSTILE, "job": "a|b"})
    codes = {v: i for i, v in enumerate(sorted(X[HOSTILE].unique()))}
    names = ["x|y", "<script>alert(2)</script>", "`tick` *star*", "# head\nline"]
    X[HOSTILE] = X[HOSTILE].map(lambda v: names[codes[v]])
    y = german.target.map({"good": "<b>good</b>", "bad": "bad|"})
    model = raw_column_pipeline(HistGradientBoostingClassifier(max_iter=20, random_state=0))
    model.fit(X, y)
    return rw.ModelSession(
        model, X, y, sensitive_features=[HOSTILE, "a|b"], name=HOSTILE + "|x", random_state=0
    )


def test_hostile_names_are_escaped_in_markdown(hostile_session):
    card = ModelCard.from_session(hostile_session)
    markdown = card.to_markdown()
    for raw in ("<img", "<script", "<b>"):
        assert raw not in markdown
    assert "&lt;img src=x onerror=alert(1)&gt;" in markdown
    assert "x\\|y" in markdown
    assert "\\`tick\\` \\*star\\*" in markdown
    assert not re.search(r"(?<!\\)# head", markdown)  # the group can never start a heading
    for block in markdown.split("\n\n"):
        rows = table_rows(block)
        if rows:
            assert len({unescaped_pipes(row) for row in rows}) == 1, block[:300]
    assert markdown.splitlines()[0].startswith("# Model card: &lt;img")


def test_hostile_names_are_escaped_in_html(hostile_session, tmp_path):
    card = ModelCard.from_session(hostile_session)
    path = tmp_path / "card.html"
    page = card.to_html(path)
    assert path.read_text(encoding="utf-8") == page
    for raw in ("<img", "<script", "<b>good"):
        assert raw not in page
        assert raw not in card._repr_html_()
    assert html.escape(HOSTILE) in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page
    assert card.by_group_[HOSTILE]["n"].sum() == len(hostile_session.X)


def test_html_file_is_self_contained(german_session, tmp_path):
    path = tmp_path / "card.html"
    page = ModelCard.from_session(german_session).to_html(path)
    text = path.read_text(encoding="utf-8")
    assert text == page and text.startswith("<!DOCTYPE html>")
    assert "<script" not in text.lower()
    assert "http://" not in text and "https://" not in text
    assert not re.search(r"(src|href)\s*=", text, flags=re.I)
    assert "<style>" in text
    for heading in ("Model details", "Factors", "Metrics", "Quantitative analyses"):
        assert f"<h2>{heading}</h2>" in text
    for heading in ("Disparities", "Uncertainty", "Blind spots", "Limitations"):
        assert f"<h3>{heading}" in text
    assert 'class="rai-summary"' in text


def test_notebook_reprs(german_session):
    card = ModelCard.from_session(german_session)
    assert card._repr_markdown_() == card.to_markdown()
    fragment = card._repr_html_()
    assert fragment.startswith("<style>") and "<html" not in fragment
    assert 'class="rai-card"' in fragment


# -- errors ------------------------------------------------------------------------------------
def test_session_without_y_raises(german, german_model):
    session = rw.ModelSession(german_model, german.data)
    with pytest.raises(rw.ValidationError, match=r"\by\b"):
        ModelCard.from_session(session)


def test_unknown_metric_raises(german_session):
    with pytest.raises(rw.ValidationError, match="mae"):
        ModelCard.from_session(german_session, metrics=["mae"])


def test_unknown_sensitive_feature_raises(german_session):
    with pytest.raises(rw.ColumnNotFoundError):
        ModelCard.from_session(german_session, sensitive_features=["no such column"])


def test_classifier_without_probabilities_says_why(german):
    from sklearn.svm import LinearSVC

    X = german.data.select_dtypes("number")
    model = LinearSVC(max_iter=5000).fit(X, german.target)
    session = rw.ModelSession(model, X, german.target, random_state=0)
    card = ModelCard.from_session(session)
    assert card.calibration_ is None and card.coverage_ is None
    assert "predict_proba" in card.notes_["calibration"]
    markdown = card.to_markdown()
    # calibration and coverage for want of scores; the cost of recourse for want of groups
    assert markdown.count("Not computed") == 3
    assert "Not computed: no sensitive features were given" in markdown


def test_lazy_export():
    assert rw.ModelCard is ModelCard


# -- escaping, unit level ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [HOSTILE, "a|b", "`x`", "# title", "- item", "1. item", "x\ny", "[link](http://x)", "$x$"],
)
def test_md_escape_neutralises_markup(text):
    from rai_widgets.report.card.render import md_escape

    out = md_escape(text)
    assert "<" not in out and "\n" not in out
    assert unescaped_pipes(out) == 0
    assert not re.match(r"\s*(#|- |\d+\. )", out)
    assert not re.search(r"(?<!\\)[`\[$]", out)


def test_logistic_pipeline_without_sensitive_features_on_adult(adult):
    """A small card on a subsample: no sensitive feature, default metrics include AUC."""
    X, y = adult.data.iloc[:3000], adult.target.iloc[:3000]
    model = raw_column_pipeline(LogisticRegression(max_iter=300)).fit(X, y)
    card = ModelCard.from_session(rw.ModelSession(model, X, y, random_state=0))
    assert card.metrics_ == ["accuracy", "selection_rate", "tpr", "fpr", "auc"]
    assert card.details_["pos_label"] == ">50K"
    assert "| Positive class | &gt;50K |" in card.to_markdown()


def test_the_card_has_the_audits_findings(german_session):
    card = ModelCard.from_session(german_session)
    expected = fold_untrained(german_session.audit().frame())  # one note for the lifecycle
    assert list(card.audit_.columns) == list(expected.columns)
    assert card.audit_["finding"].tolist() == expected["finding"].tolist()
    markdown = card.to_markdown()
    caveats = markdown.split("## Caveats and recommendations\n")[1]
    assert "\n### What to look at first (audit)\n" in caveats  # the audit is a caveat
    shown = card.audit_[card.audit_["severity"].isin(["concern", "note"])]
    page = card.to_html()
    for sentence in shown["finding"]:
        assert html.escape(sentence) in page
    passed = card.audit_[card.audit_["severity"] == "ok"]
    if len(passed):
        assert f"{len(passed)} findings passed" in page
    audit = card.to_dict()["caveats_and_recommendations"]["audit"]
    assert len(audit) == len(card.audit_)
    first = audit[0]
    assert set(first) == set(expected.columns)
    with_slice = [r for r in audit if r["slice"] is not None]
    assert all(isinstance(r["slice"], dict) for r in with_slice)
    json.dumps(audit, allow_nan=False)


def test_the_cards_audit_escapes_hostile_values():
    rng = np.random.default_rng(0)
    n = 600
    group = pd.Series(rng.choice([HOSTILE, "b|*c*"], n, p=[0.3, 0.7]), name=HOSTILE)
    X = pd.DataFrame({"v": rng.normal(size=n), "w": rng.normal(size=n)})
    y = ((X["v"] > 0) ^ ((group == HOSTILE) & (rng.random(n) < 0.4))).astype(int)
    s = rw.ModelSession(LogisticRegression().fit(X, y), X, y, sensitive_features=group,
                        random_state=0)  # fmt: skip
    card = ModelCard.from_session(s)
    assert card.audit_["finding"].str.contains(HOSTILE, regex=False).any()
    assert HOSTILE not in card.to_html() and HOSTILE not in card.to_markdown()
