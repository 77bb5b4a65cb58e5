"""The comparison of two models as static HTML: a plain-language summary, the paired
difference per group with 95% bounds (chart and table), and the rows where they disagree.

Examples
--------
>>> import rai_widgets as rw
>>> from rai_widgets.static_html import comparison
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> large = X["mean radius"].gt(15).rename("large")
>>> a = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, name="v1",
...                     sensitive_features=large)
>>> b = rw.ModelSession(LogisticRegression(C=0.001, max_iter=5000).fit(X, y), X, y,
...                     name="v2", sensitive_features=large)
>>> overall = a.compare(b).iloc[0]
>>> comparison.summary_text(a, b, overall, metric="accuracy").startswith("v2 is right for")
True
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from rai_widgets import formatting, formatting_metrics
from rai_widgets.display.svg import bar_chart
from rai_widgets.readings import comparison as reading
from rai_widgets.readings.glossary import term_html
from rai_widgets.readings.groups import low_support_words
from rai_widgets.readings.metrics import direction
from rai_widgets.session.comparison import COMPARABLE, check_comparable
from rai_widgets.static_html.page import escape, row_html, safe, table
from rai_widgets.views.groupings import default_grouping

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = [
    "COMPARABLE",
    "disagreements_html",
    "groups_html",
    "summary_html",
    "summary_text",
    "view_html",
]

N_DISAGREEMENTS = 15  # rows listed where the two disagree
N_FEATURES = 6  # columns of X shown next to them


def summary_text(a: ModelSession, b: ModelSession, overall: pd.Series, *, metric: str) -> str:
    """How often each model is right (or its error), whether the difference is real, and how
    many answers changed, errors fixed and new ones made.

    Parameters
    ----------
    a, b : ModelSession
        The reference model and the other one.
    overall : pandas.Series
        The one row of ``a.compare(b, metric=metric)``.
    metric : str
        "accuracy", "selection_rate" or "mae".

    Returns
    -------
    str
    """
    m = metric
    text = reading.comparison_headline(
        a.name,
        b.name,
        metric=m,
        value_a=overall["a"],
        value_b=overall["b"],
        positive=a.pos_label_,
        unit=a.target_unit,
    )
    text += reading.difference_clause(
        m, overall["difference"], overall["difference_lo"], overall["difference_hi"]
    )
    n = int(overall["n"])
    fixed = broken = None
    if a.task_ != "regression" and a.core.has_y:
        right_a = a.predictions()["correct"].to_numpy(dtype=bool)
        right_b = b.predictions()["correct"].to_numpy(dtype=bool)
        fixed, broken = int((right_b & ~right_a).sum()), int((right_a & ~right_b).sum())
    changed = int(np.rint(overall["changed"] * n))
    return (
        text
        + " "
        + reading.changed_answers(a.name, b.name, changed=changed, n=n, fixed=fixed, broken=broken)
    )


def summary_html(text: str) -> str:
    """The summary (:func:`summary_text`) in its reading box."""
    return f'<div class="rai-cmp"><div class="rai-reading">{escape(text)}</div></div>'


def groups_html(a: ModelSession, b: ModelSession, table_: pd.DataFrame, *, metric: str) -> str:
    """The paired difference per group: a chart with bounds, and a table (low-support groups
    in grey).

    Parameters
    ----------
    a, b : ModelSession
        The reference model and the other one.
    table_ : pandas.DataFrame
        ``a.compare(b, by=..., metric=metric)``.
    metric : str
        The metric compared.

    Returns
    -------
    str
    """
    m = metric
    labels = [formatting.label(k) for k in table_.index]
    chart = bar_chart(
        labels,
        table_["difference"],
        lo=table_["difference_lo"],
        hi=table_["difference_hi"],
        title=f"{b.name} minus {a.name}: {m} by group",
        note="Paired 95% bounds; bars whose bounds cross zero: no change the data can show.",
        fmt=lambda v: formatting_metrics.metric_difference(m, v),
        width=700,
        better=direction(m),
    )
    rows = []
    for label, (_, r) in zip(labels, table_.iterrows(), strict=True):
        cells = [
            label + (f" ({low_support_words(int(r['n']))})" if r["low_support"] else ""),
            formatting.count(r["n"]),
            formatting_metrics.metric_value(m, r["a"]),
            formatting_metrics.metric_value(m, r["b"]),
            f"{formatting_metrics.metric_difference(m, r['difference'])} "
            f"({formatting_metrics.metric_difference(m, r['difference_lo'])} to "
            f"{formatting_metrics.metric_difference(m, r['difference_hi'])})",
            formatting.percent(r["changed"]),
        ]
        rows.append(row_html(cells, css="rai-low" if r["low_support"] else ""))
    head = ["group", "rows", a.name, b.name, "difference (95%)", "answers changed"]
    th = "".join(f"<th>{_header(h)}</th>" for h in head[:-2])
    bounds = term_html("confidence interval", "95%")
    th += f"<th>difference ({bounds})</th><th>{_header(head[-1])}</th>"
    return (
        f'{chart}<div class="rai-cmp"><div class="rai-scroll"><table class="rai-cmp-groups">'
        f"<tr>{th}</tr>{''.join(rows)}</table></div></div>"
    )


def _header(text: str) -> str:
    """A header cell's text as HTML that wraps between words only (never inside "v1-logistic")."""
    return " ".join(f'<span class="rai-nowrap">{escape(word)}</span>' for word in text.split(" "))


def _cell(column: Hashable, value: Any) -> str:
    if str(column).startswith("confidence_"):
        return formatting.percent(value, 0)
    return formatting.value(value)


def disagreements_html(a: ModelSession, b: ModelSession, rows: pd.DataFrame) -> str:
    """The rows where the two disagree (``a.disagreements(b)``), the strongest first."""
    answer = [c for c in rows.columns if c not in a.core.frame.columns]
    names = {
        "y_true": "actual",
        "y_pred_a": a.name,
        "y_pred_b": b.name,
        "confidence_a": f"{a.name} confidence",
        "confidence_b": f"{b.name} confidence",
    }
    shown = rows[answer + list(a.core.frame.columns[:N_FEATURES])]
    body = [
        [formatting.label(key), *(_cell(c, v) for c, v in zip(shown.columns, values, strict=True))]
        for key, values in zip(shown.index, shown.to_numpy(), strict=True)
    ]
    head = ["row", *(str(names.get(c, c)) for c in shown.columns)]
    what = (
        "the furthest apart first"
        if a.task_ == "regression"
        else "the most confident disagreements first"
    )
    rows_table = table([_header(h) for h in head], body, css="rai-cmp-rows", raw_head=True)
    return (
        f'<div class="rai-cmp"><b>Where they disagree</b> ({what}):'
        f'<div class="rai-scroll">{rows_table}</div></div>'
    )


def view_html(
    a: ModelSession, b: ModelSession, *, by: Hashable | None = None, metric: str = ""
) -> str:
    """Two models on the same rows as static HTML.

    Parameters
    ----------
    a, b : ModelSession
        The reference model (e.g. the one in use) and the other, on the same X and y.
    by : column name, optional
        Groups of the chart and table (default: A's first sensitive feature).
    metric : str, optional
        "accuracy" (default for classification), "selection_rate" (binary) or "mae" (default
        for regression).

    Returns
    -------
    str
        What ``ComparisonView(a, b, by=by, metric=metric).static_html()`` shows.

    Raises
    ------
    ValidationError
        When the two sessions cannot be compared (different rows, task or y).

    Examples
    --------
    >>> import rai_widgets as rw
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.linear_model import LogisticRegression
    >>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    >>> a = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, name="v1")
    >>> b = rw.ModelSession(LogisticRegression(C=0.01, max_iter=5000).fit(X, y), X, y,
    ...                     name="v2")
    >>> page = view_html(a, b)
    >>> "Where they disagree" in page and "v2 minus v1" in page
    True
    """
    check_comparable(a.core, b)
    by = by if by is not None else default_grouping(a.core)
    metric = metric or COMPARABLE[a.task_][0]

    def summary() -> str:
        return summary_html(summary_text(a, b, a.compare(b, metric=metric).iloc[0], metric=metric))

    def groups() -> str:
        return groups_html(a, b, a.compare(b, by=by, metric=metric), metric=metric)

    return "".join(
        [
            safe(summary),
            safe(groups),
            safe(lambda: disagreements_html(a, b, a.disagreements(b, n=N_DISAGREEMENTS))),
        ]
    )
