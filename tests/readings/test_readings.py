"""Reading templates speak only when their numbers support them, and stay quiet otherwise."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import rai_widgets as rw
from rai_widgets.readings import groups
from rai_widgets.static_html.dashboard import summary_text


class FixedErrors:
    """A classifier that gets each row wrong with a chosen probability per group (seeded),
    whatever the features say: its errors depend on the group only through ``wrong_rate``."""

    _estimator_type = "classifier"

    def __init__(self, truth: pd.Series, group: pd.Series, wrong_rate: dict, default: float):
        self.classes_ = np.array(sorted(truth.unique()))
        rate = group.map(wrong_rate).fillna(default).to_numpy(dtype=float)
        wrong = np.random.default_rng(0).random(len(truth)) < rate
        other = np.where(truth == self.classes_[0], self.classes_[1], self.classes_[0])
        self._answer = pd.Series(np.where(wrong, other, truth.to_numpy()), index=truth.index)

    def fit(self, X, y):
        return self

    def predict(self, X):
        return self._answer.loc[X.index].to_numpy()

    def predict_proba(self, X):
        p = np.where(self.predict(X) == self.classes_[1], 0.7, 0.3)
        return np.column_stack([1 - p, p])


@pytest.fixture(scope="module")
def adult():
    data = rw.datasets.load_adult()
    return data.data.iloc[:6172], data.target.iloc[:6172]


def test_errors_independent_of_the_group_name_no_worst_group(adult):
    X, y = adult
    model = FixedErrors(y, X["race"], {}, default=0.25)
    s = rw.ModelSession(model, X, y, sensitive_features=["race"], random_state=0)
    text = summary_text(s, by="race")
    assert "No group of race does measurably worse" in text
    assert "measurably worse for" not in text and "worst" not in text


def test_a_group_the_model_fails_is_named_with_its_numbers(adult):
    X, y = adult
    model = FixedErrors(y, X["race"], {"Black": 0.45}, default=0.2)
    s = rw.ModelSession(model, X, y, sensitive_features=["race"], random_state=0)
    text = summary_text(s, by="race")
    wrong = pd.Series(model.predict(X), index=X.index) != y
    black = X["race"] == "Black"
    assert (
        f"It is wrong more often for race = Black ({wrong[black].mean():.0%} against "
        f"{wrong[~black].mean():.0%} of the other rows)" in text
    )
    # the errors were drawn whatever the outcome: the outcome mix explains nothing
    assert "because" not in text
    # one line and one group sentence: the tests and bounds are in the audit
    assert "q " not in text and "bounds" not in text and text.count(". ") == 1


def test_regression_names_the_blind_spot_with_its_unit():
    from sklearn.compose import make_column_selector, make_column_transformer
    from sklearn.ensemble import HistGradientBoostingRegressor
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OrdinalEncoder

    data = rw.datasets.load_wage()
    X = data.data
    encode = make_column_transformer(
        (OrdinalEncoder(), make_column_selector(dtype_exclude="number")), remainder="passthrough"
    )
    model = make_pipeline(encode, HistGradientBoostingRegressor(max_iter=50, random_state=0))
    model.fit(X, data.target)
    s = rw.ModelSession(
        model, X, data.target, sensitive_features=["race"], target_unit="thousand dollars"
    )
    text = summary_text(s, by="race")
    assert "thousand dollars on average over 3,000 rows" in text
    # the blind spot is the audit's, named in its headline with the unit
    (line,) = s.audit(checks=["blind_spot"]).headline()
    assert "education = 5. Advanced Degree" in line and "thousand dollars" in line
    assert "clearest gap" not in text


TESTED = pd.DataFrame(
    {
        "slice": ["g = b", "g = a", "g = c"],
        "n": [300, 500, 200],
        "metric": [0.32, 0.20, 0.21],
        "rest": [0.205, 0.27, 0.25],
        "gap_lo": [0.06, -0.11, -0.10],
        "gap_hi": [0.17, -0.03, 0.02],
        "q_value": [0.0004, 1.0, 0.9],
        "significant": [True, False, False],
    }
)


@pytest.mark.parametrize("loss", groups.LOSSES)
def test_worst_group_speaks_only_on_a_supported_gap(loss):
    assert groups.worst_group(TESTED, by="g", loss=loss).startswith(
        "It does measurably worse for g = b"
    )
    quiet = TESTED.assign(significant=False)
    assert groups.worst_group(quiet, by="g", loss=loss).startswith("No group of g does")
    # significant, but the interval of the gap reaches zero: still quiet
    touching = TESTED.assign(gap_lo=[-0.01, -0.11, -0.10])
    assert groups.worst_group(touching, by="g", loss=loss).startswith("No group of g does")


def test_worst_group_says_when_there_is_nothing_to_compare():
    text = groups.worst_group(TESTED.iloc[:1], by="g", loss="error_rate")
    assert "too small to compare" in text


def test_clearest_gap_speaks_and_stays_quiet():
    assert groups.clearest_gap(TESTED, loss="error_rate").startswith(
        "The clearest gap the data shows: g = b, wrong for 32%"
    )
    assert groups.clearest_gap(TESTED, loss="error_rate", skip="g = b") == ""
    assert groups.clearest_gap(TESTED.assign(significant=False), loss="error_rate") == ""


def test_units_only_for_regression_with_a_unit():
    with_unit = groups.clearest_gap(TESTED, loss="abs_error", unit="years")
    assert "0.32 years" in with_unit
    assert "years" not in groups.clearest_gap(TESTED, loss="abs_error")


def test_bad_arguments_name_themselves():
    with pytest.raises(rw.ValidationError, match="loss"):
        groups.worst_group(TESTED, by="g", loss="accuracy")
    with pytest.raises(rw.ValidationError, match="q_value"):
        groups.worst_group(TESTED.drop(columns="q_value"), by="g", loss="error_rate")


# -- what-if (rai_widgets.readings.changes) ------------------------------------------------------
def test_what_if_says_instead_of_only_for_a_visible_change():
    from rai_widgets.readings import changes

    moved = changes.what_if_probability(
        "age = 40", subject="class 1", before=0.42, after=0.61, verdict="its prediction stays 1"
    )
    assert "61% instead of 42%" in moved
    same = changes.what_if_probability(
        "age = 40", subject="class 1", before=0.901, after=0.899, verdict="its prediction stays 1"
    )
    assert "still gives class 1 90%" in same and "instead of" not in same
    assert "instead of" in changes.what_if_amount("x = 1", before=10.0, after=12.0)
    still = changes.what_if_amount("x = 1", before=10.001, after=10.002, unit="years")
    assert still == "With x = 1, the model still predicts 10 years: the change does not move it."


# -- comparison (rai_widgets.readings.comparison) and better / worse -----------------------------
def test_comparison_names_the_positive_class_and_judges_by_the_metric():
    from rai_widgets.readings import comparison, metrics

    head = comparison.comparison_headline(
        "v1", "v2", metric="selection_rate", value_a=0.8, value_b=0.845, positive=">50K"
    )
    assert head.startswith("v2 predicts >50K for 84.5% of rows") and "selected" not in head
    # the same +2 pts is better for accuracy and worse for a false negative rate
    assert comparison.difference_clause("accuracy", 0.02, 0.01, 0.03).endswith("better.")
    assert comparison.difference_clause("fnr", 0.02, 0.01, 0.03).endswith("worse.")
    # bounds holding zero: no verdict, whatever the metric
    quiet = comparison.difference_clause("accuracy", 0.02, -0.01, 0.05)
    assert "cannot tell from chance" in quiet and "better" not in quiet
    assert metrics.judged("selection_rate", 0.1) == ""


def test_bar_colours_keep_one_meaning_across_metrics():
    from rai_widgets.display.svg import bar_chart
    from rai_widgets.display.svg_base import COLORS

    up_accuracy = bar_chart(["a"], [0.05], better=1)
    up_error = bar_chart(["a"], [0.05], better=-1)
    assert COLORS["better"] in up_accuracy and COLORS["worse"] not in up_accuracy
    assert COLORS["worse"] in up_error and COLORS["better"] not in up_error
    assert "Blue: better; orange: worse" in up_error
    # bounds that hold zero: grey, whatever the sign
    unsure = bar_chart(["a"], [0.05], lo=[-0.01], hi=[0.1], better=1)
    assert f'fill="{COLORS["neutral"]}"' in unsure and f'fill="{COLORS["better"]}"' not in unsure
    neither = bar_chart(["a"], [0.05], better=0)
    assert COLORS["neutral"] in neither and "Blue: better" not in neither


# -- bad input -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def wage_session():
    from sklearn.linear_model import LinearRegression

    data = rw.datasets.load_wage()
    X = data.data[["year", "age"]]
    model = LinearRegression().fit(X, data.target)
    return rw.ModelSession(model, X, data.target, target_unit="thousand dollars")


@pytest.mark.parametrize("unit", [3, "", "   ", ["dollars"], b"dollars"])
def test_a_target_unit_that_is_not_a_phrase_is_refused(unit):
    from sklearn.linear_model import LinearRegression

    data = rw.datasets.load_wage()
    X = data.data[["year", "age"]]
    with pytest.raises(rw.ValidationError, match="target_unit"):
        rw.ModelSession(LinearRegression().fit(X, data.target), X, data.target, target_unit=unit)


def test_a_target_unit_on_a_classifier_is_refused(adult):
    X, y = adult
    model = FixedErrors(y, X["race"], {}, default=0.25)
    with pytest.raises(rw.ValidationError, match="target_unit is for regression"):
        rw.ModelSession(model, X, y, target_unit="dollars")


@pytest.mark.parametrize(
    "ask",
    [
        lambda s: s.explain_text(10**9),
        lambda s: s.what_if(10**9, {"age": 40}),
    ],
    ids=["explain_text", "what_if"],
)
def test_a_reading_of_a_row_that_does_not_exist_names_the_argument(wage_session, ask):
    with pytest.raises(rw.RowNotFoundError, match=r"^row: row label\(s\) \[1000000000\]"):
        ask(wage_session)
    assert issubclass(rw.RowNotFoundError, rw.RaiWidgetsError)


def test_what_if_reads_regression_numbers_with_their_unit(wage_session):
    row = wage_session.X.index[0]
    moved = wage_session.what_if(row, {"age": 60})
    assert "thousand dollars instead of" in moved.summary
    same = wage_session.what_if(row, {"age": wage_session.X.loc[row, "age"]})
    assert "still predicts" in same.summary and "instead of" not in same.summary


# -- glossary ------------------------------------------------------------------------------------
WORKSHOP_TERMS = [
    "slice", "support", "confidence interval", "calibration", "coverage", "conformal set",
    "SHAP", "LIME", "blind spot", "disparity", "four-fifths rule", "ECE", "q-value",
]  # fmt: skip


@pytest.mark.parametrize("name", WORKSHOP_TERMS)
def test_every_term_a_view_shows_has_plain_words_and_an_explanation(name):
    from rai_widgets.readings import glossary

    term = glossary.explain(name)
    assert term.plain and term.explanation.endswith(".")
    html = glossary.term_html(name)
    assert f'title="{term.explanation}"' in html.replace("&#x27;", "'")
    assert f'<span class="rai-term-plain">{term.plain}</span>' in html


def test_annotate_marks_terms_and_leaves_other_words_alone():
    from rai_widgets.readings import glossary

    marked = glossary.annotate("Its gap is real (q = 0.003); LIME's fit R² 0.4.")
    assert marked.count('class="rai-term"') == 3
    for quiet in ["quality = 3", "SHAPley", "aq = 1", "MY-LIME"]:
        assert glossary.annotate(quiet) == quiet
    with pytest.raises(rw.ValidationError, match="'p-hacking' is not in the glossary"):
        glossary.explain("p-hacking")


def test_what_if_writes_a_year_as_a_year(wage_session):
    row = wage_session.X.index[0]
    assert "year = 2009" in wage_session.what_if(row, {"year": 2009}).summary


def test_coverage_below_its_promise_is_drawn_as_worse():
    from rai_widgets.display.svg_base import COLORS
    from rai_widgets.display.uncertainty import CoverageDisplay

    frame = pd.DataFrame(
        {
            "n": [1000, 40],
            "coverage": [0.91, 0.70],
            "coverage_lo": [0.89, 0.55],
            "coverage_hi": [0.93, 0.82],
            "mean_width": [10.0, 12.0],
        },
        index=pd.Index(["a", "b"], name="g"),
    )
    svg = CoverageDisplay(frame, confidence_level=0.9).to_svg()
    assert svg.count(f'fill="{COLORS["worse"]}"') == 1 and "Orange:" in svg
    fine = CoverageDisplay(frame.iloc[:1], confidence_level=0.9).to_svg()
    assert COLORS["worse"] not in fine and "Orange" not in fine


def test_the_case_reading_and_detail_pane_carry_the_unit(wage_session):
    from rai_widgets.static_html import examples
    from rai_widgets.views.case import case_model

    row = wage_session.X.index[0]
    reading = wage_session.explain_text(row)
    assert " thousand dollars (on average over these cases it gives about " in reading
    detail = examples.detail_html(case_model(wage_session, row))
    assert detail.count("thousand dollars") >= 3  # predicted, actual, off by


def test_the_dashboard_summary_reads_every_sensitive_feature_beside_the_trivial_answer():
    from sklearn.linear_model import LogisticRegression

    from tests.conftest import raw_column_pipeline

    data = rw.datasets.load_adult()
    X, y = data.data.iloc[:6000], data.target.iloc[:6000]
    model = raw_column_pipeline(LogisticRegression(max_iter=300)).fit(X, y)
    s = rw.ModelSession(model, X, y, sensitive_features=["sex", "age", "race"])
    text = summary_text(s, by="sex")
    share = y.value_counts(normalize=True)
    right = (model.predict(X) == y).mean()
    assert text.startswith(
        f"The model is right for {right:.0%} of the 6,000 rows (always answering "
        f"{share.index[0]}: {share.iloc[0]:.0%})."
    )
    # the group named is the strongest over every sensitive feature, not only the first
    strongest = []
    for feature in ("sex", "age", "race"):
        tested = s.weak_slices(features=[feature], max_order=1)
        row = groups.strongest_gap(tested)
        if row is not None:
            strongest.append((row["q_value"], -row["gap_lo"], row["slice"]))
    assert strongest
    assert f"It is wrong more often for {min(strongest)[2]} (" in text


def test_a_large_group_flagged_for_few_outcomes_is_not_called_small():
    from rai_widgets.static_html.fairness import groups_table_html

    table = pd.DataFrame(
        {
            "n": [320, 12, 4000],
            "accuracy": [0.9, 0.8, 0.85],
            "accuracy_lo": [0.86, 0.55, 0.84],
            "accuracy_hi": [0.93, 0.93, 0.86],
            "low_support": [True, True, False],
        },
        index=pd.Index(["missing", "tiny", "big"], name="g"),
    )
    page = groups_table_html(table, by="g", metric="accuracy")
    assert "missing (few rows of one outcome: read with care)" in page
    assert "tiny (few rows: read with care)" in page
    assert "big (" not in page
