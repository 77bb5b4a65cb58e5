"""The fairness view as static HTML: quality per group with n and 95% bounds (low-support
groups marked, not hidden), the disparity chart, the blind spots, and for binary tasks the
per-group thresholds.

Examples
--------
>>> import rai_widgets as rw
>>> from rai_widgets.static_html import fairness
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y,
...                     sensitive_features=X["mean radius"].gt(15).rename("large"))
>>> page = fairness.view_html(s)
>>> "95% bounds" in page and "Blind spots" in page and "Decision thresholds" not in page
True
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from rai_widgets import formatting, formatting_metrics
from rai_widgets.display.fairness import DisparityDisplay
from rai_widgets.readings.glossary import term_html
from rai_widgets.readings.groups import low_support_words
from rai_widgets.readings.small_groups import TOO_FEW, not_shown_sentence
from rai_widgets.static_html import threshold
from rai_widgets.static_html.page import escape, row_html, safe
from rai_widgets.views.fairness import OVERLAP, BlindSpotsModel, GroupsModel
from rai_widgets.views.groupings import default_fairness_grouping, fairness_columns
from rai_widgets.views.thresholds import thresholds_apply

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = [
    "blind_spots_html",
    "default_metric",
    "grouping",
    "groups_html",
    "groups_table_html",
    "headline_metrics",
    "view_html",
]

#: The heading of the blind spots: the term, and its plain words for presenter mode.
BLIND_SPOTS = term_html("blind spot", "Blind spots", "Groups where the model does badly")


def headline_metrics(session: ModelSession) -> list[str]:
    """The metrics offered by the view (not the one-vs-rest ones of each class)."""
    return [
        m
        for m in session.metric_names()
        if not m.startswith(("selection_rate_", "tpr_", "fpr_", "fnr_", "precision_"))
        or m.startswith("macro_")
    ]


def default_metric(session: ModelSession) -> str:
    """ "mae" for regression, else "accuracy"."""
    return "mae" if session.task_ == "regression" else "accuracy"


def grouping(by: Any, *, intersections: bool = False, choices: list | None = None) -> Any:
    """The grouping shown: ``by``, or with ``intersections`` ``[by, the next choice]``.

    Examples
    --------
    >>> grouping("sex", intersections=True, choices=["sex", "race"])
    ['sex', 'race']
    >>> grouping("race", intersections=True, choices=["race"])
    'race'
    """
    if not intersections:
        return by
    others = [c for c in (choices or []) if c != by]
    return [by, others[0]] if others else by


def groups_table_html(
    table: pd.DataFrame,
    *,
    by: Any,
    metric: str,
    min_group_size: int | None = None,
    unit: str | None = None,
) -> str:
    """The table of ``session.slice_metrics(by=by, metrics=[metric])``: rows, the metric and
    its 95% bounds per group; low-support groups in grey with a note. With
    ``min_group_size`` (a shared file), a group under that many rows shows its name and size
    and "too few to report" in place of its numbers."""
    rows = []
    for key, row in table.iterrows():
        note = (
            f" ({low_support_words(int(row['n']))}: read with care)" if row["low_support"] else ""
        )
        if min_group_size is not None and not row["n"] >= min_group_size:
            cells = [formatting.label(key), formatting.count(row["n"]), TOO_FEW, ""]
            rows.append(row_html(cells, css="rai-low"))
            continue
        cells = [
            formatting.label(key) + note,
            formatting.count(row["n"]),
            formatting_metrics.metric_value(metric, row[metric]),
            formatting_metrics.metric_bounds(metric, row[metric + "_lo"], row[metric + "_hi"]),
        ]
        rows.append(row_html(cells, css="rai-low" if row["low_support"] else ""))
    if by is None:
        title = "all rows"
    else:
        title = formatting.label(tuple(by) if isinstance(by, list) else by)
    return (
        f'<div class="rai-fair"><table><tr><th>{escape(title)}</th><th>rows</th>'
        f"<th>{escape(formatting_metrics.metric_heading(metric, unit))}</th>"
        f"<th>{term_html('confidence interval', '95% bounds')}</th></tr>{''.join(rows)}</table>"
        '<div class="rai-note"><span class="rai-technical">Bounds: Wilson for rates, '
        "bootstrap otherwise. </span>Grey rows hold too few cases to say much.</div></div>"
    )


def groups_html(model: GroupsModel) -> str:
    """The table per group and the disparity chart of a :class:`GroupsModel`; for a shared
    file, groups under ``min_group_size`` rows are named without their numbers (see
    :func:`groups_table_html`) and left out of the chart, which says so."""
    note = ""
    if model.too_few and model.min_group_size is not None:
        sentence = not_shown_sentence(model.too_few, min_group_size=model.min_group_size)
        note = f'<div class="rai-fair"><div class="rai-note">{escape(sentence)}</div></div>'
    table = groups_table_html(
        model.table,
        by=model.grouping,
        metric=model.metric,
        min_group_size=model.min_group_size,
        unit=model.unit,
    )
    chart = DisparityDisplay(model.disparities, metric=model.metric)
    return table + chart.to_svg() + note


def blind_spots_html(model: BlindSpotsModel) -> str:
    """The blind spots of a :class:`BlindSpotsModel` as a table, with what was left out; for
    a shared file, a note that smaller slices are not listed."""
    spots, n_found, hidden = model.spots, model.n_found, model.hidden
    min_group_size = model.min_group_size
    small = (
        f'<div class="rai-note">Slices under {formatting.count(min_group_size)} rows are not '
        "listed in a shared file.</div>"
        if min_group_size is not None
        else ""
    )
    if not spots:
        return (
            f'<div class="rai-fair"><b>{BLIND_SPOTS}:</b> no slice '
            "of one or two columns does significantly worse (5% false discovery "
            f"rate).{small}</div>"
        )
    regression = model.regression

    def level(v: float) -> str:
        return formatting.number(v, 3) if regression else formatting.percent(v, 0)

    def gap(v: float) -> str:
        return formatting.number(v, 3, signed=True) if regression else formatting.points(v, 0)

    rows = "".join(
        f"<tr><td>{escape(r['slice'])}</td><td>{formatting.count(r['n'])}</td>"
        f"<td>{escape(level(r['metric']))}</td><td>{escape(level(r['rest']))}</td>"
        f"<td>{escape(gap(r['gap']))} ({escape(gap(r['gap_lo']))} to "
        f"{escape(gap(r['gap_hi']))})</td>"
        '<td class="rai-technical">'
        f"{'&lt; 0.001' if r['q_value'] < 0.001 else formatting.number(r['q_value'], decimals=3)}"
        "</td></tr>"
        for r in spots
    )
    metric = "mean absolute error" if regression else "error rate"
    if regression and model.unit is not None:
        metric += f", in {escape(model.unit)}"
    more = n_found - len(spots)
    note = (
        f'<div class="rai-note">{formatting.count(n_found)} slices are significantly worse; '
        f"shown: the strongest that do not repeat each other ({formatting.count(hidden)} "
        f"sharing more than {formatting.percent(OVERLAP, 0)} of their rows with a listed one "
        f"left out, {formatting.count(more - hidden)} weaker ones not shown"
        '<span class="rai-technical">; all are in <code>weak_slices()</code></span>).</div>'
        if more > 0
        else ""
    )
    return (
        f'<div class="rai-fair"><b>{BLIND_SPOTS}</b> — slices where '
        f"the model does significantly worse than on the rest ({metric}"
        '<span class="rai-technical">; Benjamini-Hochberg, 5% false discovery rate</span>):'
        "<table><tr><th>slice</th><th>rows</th><th>in the slice</th><th>elsewhere</th>"
        f"<th>gap ({term_html('confidence interval', '95%')})</th>"
        f'<th class="rai-technical">{term_html("q-value")}</th></tr>{rows}</table>'
        f"{note}{small}</div>"
    )


def view_html(
    session: ModelSession,
    *,
    by: Hashable | None = None,
    metric: str = "",
    intersections: bool = False,
    thresholds: Mapping | float | None = None,
    rate: str = "selection_rate",
    min_group_size: int | None = None,
) -> str:
    """The fairness view as static HTML.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    by : column name, optional
        Grouping column (default:
        :func:`~rai_widgets.views.groupings.default_fairness_grouping`; with none, one row for
        all rows).
    metric : str, optional
        The metric of the table and the disparity chart (default: :func:`default_metric`).
    intersections : bool, default False
        Group by ``by`` and the next grouping column together.
    thresholds : dict or float, optional
        Per-group thresholds of the threshold panel (binary tasks with y; default 0.5).
    rate : str, default "selection_rate"
        The rate the threshold panel compares.
    min_group_size : int, optional
        For a shared file (an export): a group whose numbers rest on fewer rows is named
        with its size and "too few to report", and left out of the charts. None (the live
        view) shows every group, the small ones greyed.

    Returns
    -------
    str
        What ``FairnessView(session, by=by, metric=metric).static_html()`` shows.

    Examples
    --------
    >>> import rai_widgets as rw
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.linear_model import LogisticRegression
    >>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    >>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y,
    ...                     sensitive_features=X["mean radius"].gt(15).rename("large"))
    >>> page = view_html(s, metric="selection_rate")
    >>> "Selection rate: difference from" in page
    True
    """
    choices = fairness_columns(session.core)
    by = by if by is not None else default_fairness_grouping(session.core)
    metric = metric or default_metric(session)
    shown = grouping(by, intersections=intersections, choices=choices)
    small = min_group_size
    parts = [
        safe(
            lambda: groups_html(
                GroupsModel.from_session(session, by=shown, metric=metric, min_group_size=small)
            )
        ),
        safe(lambda: blind_spots_html(BlindSpotsModel.from_session(session, min_group_size=small))),
    ]
    if thresholds_apply(session) and by is not None:
        parts.append(
            threshold.panel_html(
                session, by=by, thresholds=thresholds, rate=rate, min_group_size=small
            )
        )
    return "".join(parts)
