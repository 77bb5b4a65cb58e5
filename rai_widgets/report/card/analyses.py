"""The model card's quantitative analyses, as blocks: the summary in numbers, unitary and
intersectional results, disparities, uncertainty, blind spots and the cost of recourse.

Unitary results are per sensitive feature, intersectional results per pair of sensitive
features (as ``session.slice_metrics(by=[a, b])``); every value has its n and its 95% bounds,
and a group under ``min_group_size`` rows reads "too few to report".

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> from rai_widgets.report.card.blocks import Heading
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, random_state=0)
>>> blocks = analysis_blocks(rw.ModelCard.from_session(s))
>>> [b.text for b in blocks if isinstance(b, Heading) and b.level == 3]
... # doctest: +NORMALIZE_WHITESPACE
['Summary in numbers', 'Unitary results', 'Intersectional results', 'Disparities',
 'Uncertainty', 'Blind spots', 'Cost of recourse']
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from rai_widgets.compute.slice_metrics import MIN_CLASS_SUPPORT
from rai_widgets.formatting import count, label, number
from rai_widgets.formatting_metrics import (
    metric_bounds,
    metric_difference,
    metric_heading,
    metric_value,
)
from rai_widgets.report.card.blocks import Block, Heading, Para, Table
from rai_widgets.report.card.content import CardContent
from rai_widgets.report.card.formats import target_value
from rai_widgets.report.card.recourse import recourse_blocks
from rai_widgets.report.small_groups import TOO_FEW

__all__ = ["IN_NUMBERS_HEADING", "analysis_blocks", "group_table_blocks"]

IN_NUMBERS_HEADING = "Summary in numbers"
"""The heading of the card's opening in numbers (``card.in_numbers_``), with bounds and tests."""


def analysis_blocks(card: CardContent) -> list[Block]:
    """The body of the "Quantitative analyses" section (its heading excluded).

    Parameters
    ----------
    card : CardContent
        The card's numbers, e.g. a :class:`~rai_widgets.ModelCard`.

    Returns
    -------
    list of Block
    """
    blocks: list[Block] = []
    numbers = getattr(card, "in_numbers_", [])
    if numbers:  # the card's opening, with the bounds and tests behind it
        blocks += [Heading(3, IN_NUMBERS_HEADING), Para.of(" ".join(numbers))]
    blocks.append(Heading(3, "Unitary results"))
    blocks += _overall_blocks(card)
    for feature, table in card.by_group_.items():
        blocks += group_table_blocks(card, f"By {feature}", table)
    if not card.by_group_:
        blocks.append(
            Para.of("No sensitive features were given: no per-group results.", style="muted")
        )
    blocks.append(Heading(3, "Intersectional results"))
    intersections = getattr(card, "intersectional_", {})
    if intersections:
        blocks.append(
            Para.of(
                "Every pair of sensitive features, one row per combination of their groups "
                "that occurs in the data."
            )
        )
    for features, table in intersections.items():
        title = "By " + " and ".join(str(f) for f in features)
        blocks += group_table_blocks(card, title, table)
    note = card.notes_.get("intersectional")
    if not intersections and note is None:
        note = (
            "Intersections need at least two sensitive features; this card has "
            f"{len(card.by_group_)}."
        )
    if note is not None:
        blocks.append(Para.of(note, style="muted"))
    blocks += _disparity_blocks(card)
    blocks += _uncertainty_blocks(card)
    blocks += _weak_slice_blocks(card)
    blocks += recourse_blocks(card)
    return blocks


def _overall_blocks(card: CardContent) -> list[Block]:
    overall = card.overall_.iloc[0]
    rows = tuple(
        (
            metric_heading(m, card.details_.get("target_unit")),
            metric_value(m, overall[m]),
            metric_bounds(m, overall.get(f"{m}_lo"), overall.get(f"{m}_hi")),
        )
        for m in card.metrics_
    )
    return [
        Heading(4, f"All {count(overall['n'])} rows"),
        Table(("Metric", "Value", "95% bounds"), rows),
    ]


def group_table_blocks(card: CardContent, title: str, table: pd.DataFrame) -> list[Block]:
    """One table of groups: n, each metric with its 95% bounds, support; small groups masked.

    Parameters
    ----------
    card : CardContent
        The card's numbers, e.g. a :class:`~rai_widgets.ModelCard`.
    title : str
        The table's heading.
    table : pandas.DataFrame
        ``slice_metrics`` of one feature or one intersection, after ``mask_small_groups``.

    Returns
    -------
    list of Block
    """
    unit = card.details_.get("target_unit")
    header = ("Group", "n", *(metric_heading(m, unit) for m in card.metrics_), "Support")
    body, muted = [], []
    for group, row in table.iterrows():
        low = bool(row["low_support"])
        cells = [
            TOO_FEW
            if row.get("too_few", False)
            else f"{metric_value(m, row[m])} "
            f"({metric_bounds(m, row.get(f'{m}_lo'), row.get(f'{m}_hi'))})"
            for m in card.metrics_
        ]
        body.append((label(group), count(row["n"]), *cells, "low" if low else "ok"))
        muted.append(low)
    last = len(header) - 1
    blocks: list[Block] = [
        Heading(4, title),
        Table(header, tuple(body), tuple(muted), text_columns=(0, last)),
    ]
    if "too_few" in table and table["too_few"].astype(bool).any():
        blocks.append(
            Para.of(
                f"Groups with fewer than {card.min_group_size_} rows are named with their "
                f"size only: {TOO_FEW}.",
                style="muted",
            )
        )
    if any(muted):
        rare = (
            f", or fewer than {MIN_CLASS_SUPPORT} rows of one class"
            if card.details_["task"] == "binary"
            else ""
        )
        blocks.append(
            Para.of(
                f"Low support: fewer than {card.min_support_} rows{rare}; read these "
                "numbers as rough.",
                style="muted",
            )
        )
    return blocks


def _disparity_blocks(card: CardContent) -> list[Block]:
    blocks: list[Block] = [Heading(3, "Disparities")]
    d = card.disparities_
    if d.empty:
        blocks.append(Para.of("No sensitive features were given.", style="muted"))
        return blocks
    blocks.append(
        Para.of(
            "Each group against the largest group of its feature: the difference with 95% "
            "bounds (MOVER, from each group's own bounds). When the bounds cross zero the data "
            "cannot tell the gap from no gap."
        )
    )
    unit = card.details_.get("target_unit")

    def heading(m: str) -> str:
        return metric_heading(m, unit)

    for feature in card.by_group_:
        rows = d[(d["feature"] == feature) & ~d["reference"].astype(bool)]
        ref = d[(d["feature"] == feature) & d["reference"].astype(bool)]["group"].iloc[0]
        blocks.append(Heading(4, f"By {feature} (reference: {label(ref)})"))
        body, muted = [], []
        for _, row in rows.iterrows():
            m = row["metric"]
            reading = (
                "bounds cross zero: could be chance"
                if row["bounds_cross_zero"]
                else "beyond chance"
            )
            if row["low_support"]:
                reading += "; low support"
            if not np.isfinite(float(row["value"])):  # a group too small to report
                body.append((label(row["group"]), heading(m), TOO_FEW, "", "", ""))
                muted.append(True)
                continue
            body.append(
                (
                    label(row["group"]),
                    heading(m),
                    metric_value(m, row["value"]),
                    metric_difference(m, row["difference"]),
                    f"{metric_difference(m, row['difference_lo'])} to "
                    f"{metric_difference(m, row['difference_hi'])}",
                    reading,
                )
            )
            muted.append(bool(row["low_support"]))
        header = ("Group", "Metric", "Value", "Difference", "95% bounds", "Reading")
        blocks.append(Table(header, tuple(body), tuple(muted), text_columns=(0, 1, 5)))
    return blocks


def _too_few(row: Any) -> bool:
    """A row of a calibration or coverage table masked for being too small to report."""
    flag = row.get("too_few", False)
    return bool(flag) if flag is not None and flag == flag else False


def _where(row: Any, overall: str) -> str:
    """Which rows a calibration or coverage row is about."""
    if row["feature"] is None:
        return overall
    return f"{row['feature']} = {label(row['group'])}"


def _uncertainty_blocks(card: CardContent) -> list[Block]:
    blocks: list[Block] = [Heading(3, "Uncertainty"), Heading(4, "Calibration")]
    if card.calibration_ is None:
        blocks.append(Para.of(card.notes_.get("calibration", ""), style="muted"))
    else:
        blocks.append(
            Para.of(
                "ECE: expected calibration error (10 equal-count bins of predicted "
                "probability). Overconfidence: mean confidence minus accuracy, in points; "
                "above zero the model claims more than it delivers."
            )
        )
        body, muted = [], []
        for _, row in card.calibration_.iterrows():
            if _too_few(row):
                body.append((_where(row, "all rows"), count(row["n"]), TOO_FEW, "", "", ""))
                muted.append(True)
                continue
            body.append(
                (
                    _where(row, "all rows"),
                    count(row["n"]),
                    metric_value("ece", row["ece"]),
                    metric_value("accuracy", row["mean_confidence"]),
                    metric_value("accuracy", row["accuracy"]),
                    metric_difference("accuracy", row["overconfidence"]),
                )
            )
            muted.append(bool(row["n"] < card.min_support_))
        header = ("Rows", "n", "ECE", "Mean confidence", "Accuracy", "Overconfidence")
        blocks.append(Table(header, tuple(body), tuple(muted)))
    level = metric_value("coverage", card.confidence_level_)
    blocks.append(Heading(4, f"Conformal coverage (promised: {level})"))
    if card.coverage_ is None:
        blocks.append(Para.of(card.notes_.get("coverage", ""), style="muted"))
        return blocks
    size = "mean_width" if "mean_width" in card.coverage_.columns else "mean_set_size"
    what = (
        "intervals (mean width in the target's units)"
        if size == "mean_width"
        else "prediction sets (mean number of classes in a set)"
    )
    blocks.append(
        Para.of(
            f"Split conformal {what}, built to hold the true value {level} of the time. "
            + card.notes_.get("coverage_rows", "")
        )
    )
    body, muted = [], []
    for _, row in card.coverage_.iterrows():
        if _too_few(row):
            body.append((_where(row, str(row["group"])), count(row["n"]), TOO_FEW, "", "", ""))
            muted.append(True)
            continue
        below = row["coverage_hi"] < card.confidence_level_
        body.append(
            (
                _where(row, str(row["group"])),
                count(row["n"]),
                metric_value("coverage", row["coverage"]),
                metric_bounds("coverage", row["coverage_lo"], row["coverage_hi"]),
                number(row[size], decimals=2)
                if size == "mean_set_size"
                else target_value(row[size]),
                "below the promise" if below else "consistent with the promise",
            )
        )
        muted.append(bool(row["n"] < card.min_support_))
    unit = card.details_.get("target_unit")
    size_name = "Mean set size"
    if size == "mean_width":
        size_name = f"Mean width ({unit})" if unit else "Mean width"
    header = ("Rows", "n", "Coverage", "95% bounds", size_name, "Reading")
    blocks.append(Table(header, tuple(body), tuple(muted), text_columns=(0, 5)))
    return blocks


def _weak_slice_blocks(card: CardContent) -> list[Block]:
    blocks: list[Block] = [Heading(3, "Blind spots")]
    regression = card.details_["task"] == "regression"
    loss = "mean absolute error" if regression else "error rate"
    text = (
        "Every slice of one column and every intersection of two "
        f"({count(card.n_slices_tested_)} tested) compared with the rest of the data on "
        f"{loss}; q-values are Benjamini-Hochberg adjusted (significant: q at most 0.05)."
    )
    if card.n_weak_slices_:
        text += (
            f" {count(card.n_weak_slices_)} are significant; the strongest "
            f"{len(card.weak_slices_)} are shown."
        )
    blocks.append(Para.of(text))
    if card.weak_slices_.empty:
        blocks.append(Para.of("No slice is significantly worse than the rest.", style="muted"))
        return blocks

    def fmt(v: Any) -> str:
        return target_value(v) if regression else metric_value("accuracy", v)

    def gap(v: Any) -> str:
        return metric_difference("mae" if regression else "accuracy", v)

    body = []
    for _, row in card.weak_slices_.iterrows():
        q = float(row["q_value"])
        body.append(
            (
                str(row["slice"]),
                count(row["n"]),
                fmt(row["metric"]),
                fmt(row["rest"]),
                f"{gap(row['gap'])} ({gap(row['gap_lo'])} to {gap(row['gap_hi'])})",
                "< 0.001" if q < 0.001 else f"{q:.3f}",
            )
        )
    unit = card.details_.get("target_unit") if regression else None
    in_unit = f" ({unit})" if unit else ""
    header = (
        "Slice",
        "n",
        loss.capitalize() + in_unit,
        "Rest" + in_unit,
        "Gap (95% bounds)" + in_unit,
        "q-value",
    )
    blocks.append(Table(header, tuple(body)))
    return blocks
