"""The first tab's sentences, each true to numbers recomputed here, in words a manager reads.

On the review's two sessions (Adult with gradient boosting trained on its training split; Wage
with a random forest on 70% of its rows): the summary is one line and a group sentence whose
gap is explained by the outcome mix only as far as the numbers show it; the summary and the
audit's gap between two groups agree; the headline's four-fifths rule and the actual outcomes'
gap of the same two groups are one line, its ratios recomputed from the labels and answers;
the bounds name their level; the blind spots are counted as the fairness tab counts them; a gap
the group is served better in weighs on the other group.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestRegressor
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

import rai_widgets as rw
from rai_widgets.compute.audit_headline import fact_of, headline_lines
from rai_widgets.readings.plain_findings import plain_single
from rai_widgets.static_html.dashboard import summary_text
from rai_widgets.static_html.fairness import blind_spots_html
from rai_widgets.views.fairness import MAX_SPOTS, BlindSpotsModel
from rai_widgets.views.summary import summary_sentences
from tests.conftest import raw_column_pipeline

CHECKS = ["four_fifths", "amplification", "disparity", "blind_spot"]


@pytest.fixture(scope="module")
def adult_split():
    adult = rw.datasets.load_adult()
    train = adult.split == "train"
    encode = make_column_transformer(
        (OneHotEncoder(handle_unknown="ignore", sparse_output=False),
         make_column_selector(dtype_exclude="number")),
        remainder="passthrough",
    )  # fmt: skip
    model = make_pipeline(encode, HistGradientBoostingClassifier(random_state=0))
    model.fit(adult.data[train], adult.target[train])
    X, y = adult.data[~train], adult.target[~train]
    s = rw.ModelSession(
        model, X, y, sensitive_features=adult.sensitive_features, favorable=">50K", random_state=0
    )
    return s, model, X, y


@pytest.fixture(scope="module")
def wage_split():
    wage = rw.datasets.load_wage()
    Xt, X, yt, y = train_test_split(wage.data, wage.target, test_size=0.3, random_state=0)
    model = raw_column_pipeline(
        RandomForestRegressor(n_estimators=60, min_samples_leaf=5, random_state=0)
    ).fit(Xt, yt)
    s = rw.ModelSession(
        model,
        X,
        y,
        sensitive_features=["race", "age"],
        target_unit="thousand dollars",
        random_state=0,
    )
    return s, model, X, y


def _ratio(x: float) -> str:
    """A ratio as the sentences write it: two decimals, two significant digits under 0.1."""
    return f"{x:.2g}" if abs(x) < 0.095 else f"{x:.2f}"


def _age_mask(X: pd.DataFrame, label: str) -> pd.Series:
    low, high = (int(v) for v in label.split("–"))
    return X["age"].between(low, high)


def test_the_four_fifths_rule_and_the_outcomes_gap_of_one_pair_are_one_line(adult_split):
    s, model, X, y = adult_split
    frame = s.audit(checks=CHECKS).frame()
    concerns = frame[frame["severity"] == "concern"]
    four = concerns[concerns["check"] == "four_fifths"]
    amp = concerns[concerns["check"] == "amplification"]
    assert fact_of(four.iloc[0]) == fact_of(amp.iloc[0])  # the review's case: age 17–28
    lines = headline_lines(frame)
    assert 1 <= len(lines) <= 3
    first = lines[0]
    assert first.check == "four_fifths" and "amplification" not in [x.check for x in lines]
    assert set(first.rows) == set(four.index) | set(amp.index)
    # no two lines state the same fact (what is measured, for which two groups)
    leads = [fact_of(frame.iloc[line.rows[0]]) for line in lines]
    assert len(set(leads)) == len(leads)
    # the ratios, recomputed from the labels and the answers
    group, reference = four.iloc[0]["slice"]["age"], four.iloc[0]["reference"]
    g, r = _age_mask(X, group), _age_mask(X, reference)
    assert (g.to_numpy() == s.core.slice_mask({"age": group})).all()
    wanted = y == ">50K"
    said = pd.Series(model.predict(X), index=X.index) == ">50K"
    label_ratio = wanted[g].mean() / wanted[r].mean()
    model_ratio = said[g].mean() / said[r].mean()
    assert (
        f"in the actual outcomes, age = {group} gets >50K {_ratio(label_ratio)} times as often "
        f"as age = {reference}; in the model's predictions {_ratio(model_ratio)} times as often"
        in first.plain
    )
    halves = 0.45 <= model_ratio / label_ratio <= 0.55
    assert ("the model roughly halves their share" in first.plain) == halves
    # the amplification's bounds name their level: 1 - 0.05 / the other age groups compared
    others = int((s.core.slices("age").sizes >= 30).sum()) - 1
    level = 1 - 0.05 / others
    assert f"{100 * level:.1f}% bounds (widened for the {others} gaps compared)" in first.technical
    # the old, opaque wording is gone
    for line in lines:
        assert "multiplies the labels' ratio" not in line.technical
        assert "(bounds " not in line.technical and "ratio by" not in line.plain


def test_a_gap_between_groups_reads_from_the_group_it_weighs_on(adult_split):
    s, model, X, y = adult_split
    frame = s.audit(checks=CHECKS).frame()
    line = next(x for x in headline_lines(frame) if x.check == "disparity")
    top = frame.iloc[line.rows[0]]
    assert top["metric"] == "tpr"
    g, r = _age_mask(X, top["slice"]["age"]), _age_mask(X, top["reference"])
    said = pd.Series(model.predict(X), index=X.index) == ">50K"
    real = y == ">50K"
    tpr_g, tpr_r = said[g & real].mean(), said[r & real].mean()
    (better, high), (worse, low) = sorted(
        [(top["slice"]["age"], tpr_g), (top["reference"], tpr_r)], key=lambda t: -t[1]
    )
    assert (
        f"of the rows that really are >50K, the model finds {100 * high:.1f}% of age = {better} "
        f"but only {100 * low:.1f}% of age = {worse}" in line.plain
    )
    assert "true positive rate" not in line.plain.lower()


def test_the_blind_spots_are_counted_as_the_fairness_tab_counts_them(adult_split, wage_split):
    for s, *_ in (adult_split, wage_split):
        frame = s.audit(checks=["blind_spot"]).frame()
        spots = frame[frame["severity"] == "concern"]
        view = BlindSpotsModel.from_session(s)
        assert {frozenset(x.items()) for x in spots["slice"]} == {
            frozenset(x.items()) for x in view.slices
        }
        (line,) = headline_lines(frame)
        found, distinct = view.n_found, len(view.spots)
        assert f"{found:,} slices are significantly worse" in blind_spots_html(view) or (
            found == distinct
        )
        if found == distinct:
            expected = f"on {distinct} slice"
        elif distinct < MAX_SPOTS:
            expected = f"on {distinct} distinct blind spots ({found:,} overlapping slices found)"
        else:
            expected = (
                f"on {found:,} slices (the {distinct} strongest that do not repeat each other "
                "are listed)"
            )
        assert expected in line.technical, line.technical
        assert re.search(r"errs more often on \d+ slices of the data;", line.technical) is None


def test_a_group_served_better_is_not_the_problem_of_its_gap(wage_split):
    s, model, X, y = wage_split
    frame = s.audit(checks=["disparity"]).frame()
    gaps = frame[(frame["severity"] == "concern") & (frame["metric"] == "mae")]
    assert len(gaps) >= 2
    off = (y - model.predict(X)).abs()
    better_seen = False
    for _, row in gaps.iterrows():
        columns = list(row["slice"])
        reference = row["reference"] if isinstance(row["reference"], tuple) else (row["reference"],)
        ref_slice = dict(zip(columns, reference, strict=True))
        mine = off[s.core.slice_mask(row["slice"])].mean()
        theirs = off[s.core.slice_mask(ref_slice)].mean()

        def words(spec):
            return " & ".join(f"{k} = {v}" for k, v in spec.items())

        worse, better = (row["slice"], ref_slice) if mine > theirs else (ref_slice, row["slice"])
        assert plain_single(row, unit="thousand dollars") == (
            f"The model is off by {max(mine, theirs):.3g} thousand dollars on average for "
            f"{words(worse)} against {min(mine, theirs):.3g} thousand dollars for "
            f"{words(better)}."
        )
        if mine < theirs:  # the finding's group is served better: the gap weighs on the other
            better_seen = True
            assert row["finding"].endswith(f"; it weighs on {words(ref_slice)}.")
    assert better_seen  # the review's case: race = 1. White & age = 18–34


def test_the_summary_is_one_line_and_explains_a_gap_by_the_outcome_mix(adult_split):
    s, model, X, y = adult_split
    first, group = summary_sentences(s)
    said = pd.Series(model.predict(X), index=X.index)
    wrong = said != y
    share = y.value_counts(normalize=True)
    assert first == (
        f"The model is right for {1 - wrong.mean():.0%} of the {len(y):,} rows (always "
        f"answering {share.index[0]}: {share.iloc[0]:.0%})."
    )
    # the group the one-against-the-rest tests name (sex = Male in the review), its numbers
    # and its outcome mix, recomputed here
    male = X["sex"] == "Male"
    assert group.startswith(
        f"It is wrong more often for sex = Male ({wrong[male].mean():.0%} against "
        f"{wrong[~male].mean():.0%} of the other rows)"
    )
    high = y == ">50K"
    part = 0.0  # the symmetric split of the gap: (share gap) x (mean of the two error rates)
    for outcome in (high, ~high):
        e_g, e_r = wrong[male & outcome].mean(), wrong[~male & outcome].mean()
        part += (outcome[male].mean() - outcome[~male].mean()) * (e_g + e_r) / 2
    fraction = part / (wrong[male].mean() - wrong[~male].mean())
    assert 0.5 <= fraction <= 1  # so "mostly"
    assert group == (
        f"It is wrong more often for sex = Male ({wrong[male].mean():.0%} against "
        f"{wrong[~male].mean():.0%} of the other rows), mostly because more of them are >50K "
        f"({high[male].mean():.0%} against {high[~male].mean():.0%}), which it gets wrong more "
        f"often ({wrong[high].mean():.0%} against {wrong[~high].mean():.0%} for <=50K): that "
        f"accounts for {fraction:.0%} of the gap."
    )
    text = summary_text(s)
    assert text == f"{first} {group}"
    assert "does measurably worse for" not in text and "bounds" not in text and "q " not in text


def test_the_summary_and_the_pairwise_gap_say_the_same(wage_split):
    s, model, X, y = wage_split
    for feature in ("race", "age"):  # against the rest, no group stands out
        assert not s.weak_slices(features=[feature], max_order=1)["significant"].any()
    first, groups_line = summary_sentences(s)
    off = (y - model.predict(X)).abs()
    assert first == (
        f"The model is off by {off.mean():.3g} thousand dollars on average over {len(y)} rows "
        f"(always predicting the average: {(y - y.mean()).abs().mean():.3g} thousand dollars)."
    )
    # the audit's largest gap between two groups: ages 52–76 against 18–34
    old, young = _age_mask(X, "52–76"), _age_mask(X, "18–34")
    assert groups_line == (
        "Against the rest of the rows no group of race or age stands out; compared pairwise, "
        f"the model is off by {off[old].mean():.3g} thousand dollars on average for age = "
        f"52–76 against {off[young].mean():.3g} thousand dollars for age = 18–34."
    )
    line = next(x for x in s.audit(checks=["disparity"]).headline() if "age = 52–76" in x)
    assert "age = 18–34" in line
