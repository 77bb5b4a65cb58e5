"""The model card's words: its opening for a stakeholder, the same summary in numbers, and the
limitations found in the numbers.

The opening (``card.summary_``) reads like the Dashboard's summary, and is that summary
(:func:`rai_widgets.views.summary.summary_sentences`) after one line on what the model
predicts: how often it is right beside the trivial answer, and the group it does measurably
worse for (or that none stands out), with no bounds, tests or q-values. The numbers behind it,
with their bounds and tests, open the Quantitative analyses (``card.in_numbers_``). Every
sentence is generated from the card's numbers (:class:`~.card_content.CardContent`); nothing
is invented. A gap between groups is called beyond chance only when its 95% bounds do not
cross zero.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, random_state=0)
>>> card = rw.ModelCard.from_session(s)
>>> card.summary_[0]
'This card describes a classifier with 2 classes (LogisticRegression) that predicts target.'
>>> numbers_sentences(card)[0]
'LogisticRegression is a classifier with 2 classes predicting target, checked here on 569 \
rows; every number below has 95% bounds (wider where the audit compares many gaps at once, \
as it says).'
>>> limitations(card)[1]
'No sensitive features were given: the card cannot show how the model does for groups of people.'
"""

from __future__ import annotations

import numpy as np

from rai_widgets.compute.slice_metrics import MIN_CLASS_SUPPORT
from rai_widgets.formatting import count, label
from rai_widgets.formatting_metrics import (
    metric_bounds,
    metric_difference,
    metric_name,
    metric_value,
)
from rai_widgets.readings.groups import groups_summary
from rai_widgets.report.card.content import CardContent
from rai_widgets.report.card.formats import direction, target_value

__all__ = [
    "CALIBRATION_GAP",
    "MAX_LISTED",
    "calibration_limitations",
    "capped",
    "limitations",
    "numbers_sentences",
    "opening_sentences",
]

CALIBRATION_GAP = 0.05
"""|mean confidence - accuracy| above this is reported as a limitation."""
MAX_LISTED = 10
"""Limitations of one kind listed one by one; the rest are counted."""


def capped(items: list[str], rest: str) -> list[str]:
    """At most ``MAX_LISTED`` items, then one that counts the rest.

    Examples
    --------
    >>> capped([f"gap {i}" for i in range(12)], "more gaps")[-1]
    '... and 2 more gaps.'
    """
    if len(items) <= MAX_LISTED:
        return items
    return [*items[:MAX_LISTED], f"... and {len(items) - MAX_LISTED} {rest}."]


def opening_sentences(card: CardContent, summary: list[str], *, name: str | None) -> list[str]:
    """The card's opening for a stakeholder: what the model predicts, then the Dashboard's
    summary of the same session.

    Parameters
    ----------
    card : CardContent
        The card's numbers (its ``details_``), e.g. a :class:`~rai_widgets.ModelCard`.
    summary : list of str
        The Dashboard's summary (:func:`rai_widgets.views.summary.summary_sentences`, over the
        card's sensitive features).
    name : str or None
        The model's name; None for a name nobody gave it (its class's, "Pipeline"), which the
        Dashboard's summary leaves out too.

    Returns
    -------
    list of str

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> card = SimpleNamespace(details_={"task": "regression", "target": "wage",
    ...     "estimator": "RandomForestRegressor", "name": "wage-model"})
    >>> said = opening_sentences(card, [], name="wage-model")
    >>> said[0]  # doctest: +NORMALIZE_WHITESPACE
    'This card describes wage-model (RandomForestRegressor), a regression model that
    predicts wage.'
    """
    details = card.details_
    target = details["target"] or "the target"
    if details["task"] == "regression":
        kind = "a regression model"
    else:
        kind = f"a classifier with {len(details['classes'])} classes"
    if name is None:
        what = f"{kind} ({details['estimator']})"
    else:
        what = f"{name} ({details['estimator']}), {kind}"
    return [f"This card describes {what} that predicts {target}.", *summary]


def numbers_sentences(card: CardContent) -> list[str]:
    """The summary in numbers, sentence by sentence: what opens the Quantitative analyses.

    What the model is, how it does overall (primary metric with bounds), its worst group (with
    its test), its blind spots, and how far its stated confidence (or its intervals) can be
    trusted.

    Parameters
    ----------
    card : CardContent
        The card's numbers, e.g. a :class:`~rai_widgets.ModelCard`.

    Returns
    -------
    list of str
    """
    details, data = card.details_, card.data_
    n = data["n_rows"]
    target = details["target"] or "the target"
    if details["task"] == "regression":
        kind = "a regression model"
    else:
        kind = f"a classifier with {len(details['classes'])} classes"
    same = details["estimator"] == details["name"]
    estimator = "" if same else f" ({details['estimator']})"
    sentences = [
        f"{details['name']} is {kind}{estimator} predicting {target}, checked "
        f"here on {count(n)} rows; every number below has 95% bounds (wider where the audit "
        "compares many gaps at once, as it says)."
    ]
    overall = card.overall_.iloc[0]
    m = card.metrics_[0]
    unit = details.get("target_unit")
    value, bounds = (
        metric_value(m, overall[m], unit=unit),
        metric_bounds(m, overall[f"{m}_lo"], overall[f"{m}_hi"]),
    )
    if unit and details["task"] == "regression":
        bounds += f" {unit}"
    if m == "accuracy":
        sentences.append(f"It is right for {value} of them (95% bounds {bounds}).")
    elif m == "mae":
        sentences.append(
            f"Its predictions are off by {value} on average (mean absolute error; 95% "
            f"bounds {bounds})."
        )
    else:
        sentences.append(f"Its {metric_name(m).lower()} is {value} (95% bounds {bounds}).")
    sentences += _group_sentences(card)
    sentences += _blind_spot_sentences(card)
    sentences += _trust_sentences(card)
    return sentences


def _group_sentences(card: CardContent) -> list[str]:
    """Per sensitive feature: the group it does measurably worse for, said only when the test
    behind it (each group against the rest, Benjamini-Hochberg over the feature's groups)
    supports it; otherwise that the data shows no such group."""
    if not card.by_group_:
        return [
            "No sensitive features were given, so this card cannot say how it does for "
            "groups of people."
        ]
    tests = getattr(card, "group_tests_", None) or {}
    loss = "abs_error" if card.details_["task"] == "regression" else "error_rate"
    return groups_summary(tests, loss=loss, unit=card.details_.get("target_unit"))


def _blind_spot_sentences(card: CardContent) -> list[str]:
    regression = card.details_["task"] == "regression"
    errors = "larger errors" if regression else "more errors"
    if card.n_weak_slices_ and not len(card.weak_slices_):  # none kept (max_weak_slices=0)
        return [
            f"A search of {count(card.n_slices_tested_)} slices of one or two columns "
            f"found {count(card.n_weak_slices_)} where it makes significantly {errors} "
            "than on the rest of the data; this card was made to list none of them."
        ]
    if card.n_weak_slices_:
        top = card.weak_slices_.iloc[0]
        if regression:
            gap = f"mean absolute error {target_value(top['metric'])} against "
            gap += f"{target_value(top['rest'])} elsewhere"
        else:
            gap = f"error rate {metric_value('accuracy', top['metric'])} against "
            gap += f"{metric_value('accuracy', top['rest'])} elsewhere"
        return [
            f"A search of {count(card.n_slices_tested_)} slices of one or two columns "
            f"found {count(card.n_weak_slices_)} where it makes significantly {errors} "
            f"than on the rest of the data; the clearest is {top['slice']} ({gap})."
        ]
    if card.n_slices_tested_:
        return [
            f"A search of {count(card.n_slices_tested_)} slices of one or two columns "
            f"found none where it makes significantly {errors} than on the rest."
        ]
    return []


def _trust_sentences(card: CardContent) -> list[str]:
    if card.calibration_ is not None:
        row = card.calibration_.iloc[0]
        gap = float(row["overconfidence"])
        conf, acc = (
            metric_value("accuracy", row["mean_confidence"]),
            metric_value("accuracy", row["accuracy"]),
        )
        if abs(gap) < 0.02:
            return [
                f"Its stated confidence matches how often it is right ({conf} on average "
                f"against {acc} right)."
            ]
        word = "overconfident" if gap > 0 else "underconfident"
        return [
            f"It is {word}: on average it states {conf} confidence and is right {acc} of the time."
        ]
    if card.coverage_ is not None:
        row, level = card.coverage_.iloc[0], card.confidence_level_
        return [
            f"Intervals built to hold the true value {metric_value('coverage', level)} of the "
            f"time held it for {metric_value('coverage', row['coverage'])} of held-out rows "
            f"(95% bounds {metric_bounds('coverage', row['coverage_lo'], row['coverage_hi'])})."
        ]
    return []


def limitations(card: CardContent) -> list[str]:
    """Limitations found in the numbers, one sentence each.

    Unknown training data, no sensitive features, groups with low support, gaps beyond chance,
    blind spots, calibration gaps and groups below the promised coverage.

    Parameters
    ----------
    card : CardContent
        The card's numbers, e.g. a :class:`~rai_widgets.ModelCard`.

    Returns
    -------
    list of str
    """
    out: list[str] = []
    n = count(card.data_["n_rows"])
    facts = getattr(card, "training_facts_", {}) or {}
    if facts.get("n_rows") is not None:
        out.append(
            f"The session was given the model's {count(facts['n_rows'])} training rows; "
            f"{count(facts['overlap'])} of the {n} evaluation rows behind these numbers also "
            "occur in them (see Training data)."
        )
    elif card.author_["training_data"] is None:
        out.append(
            f"Whether the {n} rows behind these numbers were used to train the model is not "
            "stated by the author; if they were, every number here is optimistic."
        )
    if not card.by_group_:
        out.append(
            "No sensitive features were given: the card cannot show how the model does for "
            "groups of people."
        )
    low = []
    for feature, table in card.by_group_.items():
        for group, row in table[table["low_support"].astype(bool)].iterrows():
            where, n = f"{feature} = {label(group)}", count(row["n"])
            if row["n"] < card.min_support_:
                why = f"has only {n} rows (fewer than {card.min_support_})"
            else:  # binary: flagged for a rare class (see slice_metrics)
                why = f"has {n} rows but fewer than {MIN_CLASS_SUPPORT} of one class"
            low.append(f"{where} {why}: its numbers have wide bounds; read them as rough.")
    out.extend(capped(low, "more groups with low support"))
    out.extend(capped(_gap_limitations(card), "more gaps beyond chance"))
    if card.n_weak_slices_:
        out.append(
            f"The model is significantly weaker on {count(card.n_weak_slices_)} slices "
            "of the data (Benjamini-Hochberg, 5% false discovery rate); the strongest are "
            "listed under Blind spots."
        )
    if card.calibration_ is not None:
        out.extend(calibration_limitations(card))
    if card.coverage_ is not None:
        out.extend(capped(_coverage_limitations(card), "more groups below the promised coverage"))
    return out


def _gap_limitations(card: CardContent) -> list[str]:
    m = card.metrics_[0]
    d = card.disparities_
    gaps: list[str] = []
    if d.empty:
        return gaps
    rows = d[(d["metric"] == m) & ~d["reference"] & ~d["bounds_cross_zero"].astype(bool)]
    for _, row in rows.iterrows():
        diff = float(row["difference"])
        side = "higher" if diff > 0 else "lower"
        sign = direction(m) * (1 if diff > 0 else -1)
        judged = " (better)" if sign > 0 else " (worse)" if sign < 0 else ""
        gaps.append(
            f"{metric_name(m)} is {side}{judged} for {row['feature']} = "
            f"{label(row['group'])} than for {label(row['reference_group'])}: "
            f"{metric_difference(m, diff)} (95% bounds "
            f"{metric_difference(m, row['difference_lo'])} to "
            f"{metric_difference(m, row['difference_hi'])}), a gap beyond chance."
        )
    return gaps


def _coverage_limitations(card: CardContent) -> list[str]:
    level = card.confidence_level_
    short: list[str] = []
    if card.coverage_ is None:
        return short
    for _, row in card.coverage_.iterrows():
        if row["coverage_hi"] < level:
            where = (
                "held-out rows"
                if row["feature"] is None
                else f"{row['feature']} = {label(row['group'])}"
            )
            short.append(
                f"On {where}, the conformal sets or intervals held the true value for "
                f"{metric_value('coverage', row['coverage'])} (95% bounds "
                f"{metric_bounds('coverage', row['coverage_lo'], row['coverage_hi'])}), "
                f"below the promised {metric_value('coverage', level)}: the promise holds "
                "on average over all rows, not for each group."
            )
    return short


def calibration_limitations(card: CardContent) -> list[str]:
    """Overall and per-group gaps between stated confidence and accuracy above 5 points.

    Parameters
    ----------
    card : CardContent
        A card with ``calibration_``.

    Returns
    -------
    list of str
    """
    out: list[str] = []
    rule = f"gaps above {100 * CALIBRATION_GAP:.0f} points are reported"
    table = card.calibration_
    if table is None:
        return out
    overall = float(table["overconfidence"].iloc[0])
    if abs(overall) > CALIBRATION_GAP:
        word, kind = ("above", "over") if overall > 0 else ("below", "under")
        out.append(
            f"On all rows the stated confidence is {abs(100 * overall):.1f} points {word} the "
            f"accuracy: the model is {kind}confident ({rule})."
        )
    groups = table.iloc[1:]
    groups = groups[groups["n"] >= card.min_support_]
    gaps = groups["overconfidence"].to_numpy(dtype=float)
    bad = groups[np.abs(gaps) > CALIBRATION_GAP]
    if len(bad):
        worst = bad.iloc[int(np.argmax(np.abs(bad["overconfidence"].to_numpy(dtype=float))))]
        out.append(
            f"In {len(bad)} of {len(groups)} groups with at least {card.min_support_} rows "
            f"the stated confidence is more than {100 * CALIBRATION_GAP:.0f} points away "
            f"from the accuracy; the largest gap is for {worst['feature']} = "
            f"{label(worst['group'])}: {metric_difference('accuracy', worst['overconfidence'])} "
            "(confidence minus accuracy)."
        )
    return out
