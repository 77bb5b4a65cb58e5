"""The comparison of two models as static HTML: a plain-language summary, the paired
difference per group with 95% bounds (chart and table), and the rows where they disagree.

Examples
--------
>>> import rai_widgets as rw
>>> from rai_widgets.static_html import comparison
>>> from rai_widgets.views.comparison import ComparisonModel
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> large = X["mean radius"].gt(15).rename("large")
>>> a = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, name="v1",
...                     sensitive_features=large)
>>> b = rw.ModelSession(LogisticRegression(C=0.001, max_iter=5000).fit(X, y), X, y,
...                     name="v2", sensitive_features=large)
>>> model = ComparisonModel.from_sessions(a, b)
>>> comparison.summary_text(model).startswith("v2 is right for")
True
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

import numpy as np

from rai_widgets import formatting, formatting_metrics
from rai_widgets.display.svg import bar_chart
from rai_widgets.readings import comparison as reading
from rai_widgets.readings.glossary import term_html
from rai_widgets.readings.groups import low_support_words
from rai_widgets.readings.metrics import direction
from rai_widgets.session.comparison import COMPARABLE, check_comparable
from rai_widgets.static_html.page import escape, row_html, safe, table
from rai_widgets.views.comparison import ComparisonModel, DisagreementsModel

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
N_FEATURES = 4  # columns of X shown next to them (more do not fit a laptop in presenter mode)
#: The columns of ``a.disagreements(b)`` that are answers, not features.
_ANSWERS = (
    "y_true",
    "y_pred_a",
    "y_pred_b",
    "confidence_a",
    "confidence_b",
    "confidence_mean",
    "apart",
    "fixed",
    "broken",
)


def summary_text(model: ComparisonModel) -> str:
    """How often each model is right (or its error), whether the difference is real, and how
    many answers changed, errors fixed and new ones made.

    Parameters
    ----------
    model : ComparisonModel
        The comparison (:class:`~rai_widgets.views.comparison.ComparisonModel`).

    Returns
    -------
    str
    """
    (name_a, name_b), m, overall = model.names, model.metric, model.overall
    text = reading.comparison_headline(
        name_a,
        name_b,
        metric=m,
        value_a=overall["a"],
        value_b=overall["b"],
        positive=model.positive,
        unit=model.unit,
    )
    text += reading.difference_clause(
        m, overall["difference"], overall["difference_lo"], overall["difference_hi"], name=name_b
    )
    n = int(overall["n"])
    changed = int(np.rint(overall["changed"] * n))
    return (
        text
        + " "
        + reading.changed_answers(
            name_a, name_b, changed=changed, n=n, fixed=model.fixed, broken=model.broken
        )
    )


def summary_html(text: str) -> str:
    """The summary (:func:`summary_text`) in its reading box."""
    return f'<div class="rai-cmp"><div class="rai-reading">{escape(text)}</div></div>'


def groups_html(model: ComparisonModel) -> str:
    """The paired difference per group: a chart with bounds, and a table (low-support groups
    in grey).

    Parameters
    ----------
    model : ComparisonModel
        The comparison.

    Returns
    -------
    str
    """
    m, table_, (name_a, name_b) = model.metric, model.table, model.names
    labels = [formatting.label(k) for k in table_.index]
    chart = bar_chart(
        labels,
        table_["difference"],
        lo=table_["difference_lo"],
        hi=table_["difference_hi"],
        title=f"{name_b} minus {name_a}: {m} by group",
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
    head = ["group", "rows", name_a, name_b, "difference (95%)", "answers changed"]
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
        return formatting.chance(value)  # "over 99%", never a rounded "100%"
    if column == "apart":
        return formatting.number(value, 3)
    return formatting.value(value)


def disagreements_html(model: DisagreementsModel) -> str:
    """The rows where the two disagree (``a.disagreements(b)``), sorted by the column the
    caption names, and what "fixed" and "broken" mean."""
    rows, (name_a, name_b) = model.rows, model.names
    answer = [c for c in _ANSWERS if c in rows.columns]
    names = {
        "y_true": "actual",
        "y_pred_a": name_a,
        "y_pred_b": name_b,
        "confidence_a": f"{name_a} confidence",
        "confidence_b": f"{name_b} confidence",
        "confidence_mean": "average confidence",
        "apart": "how far apart",
        "fixed": "fixed",
        "broken": "broken",
    }
    shown = rows[answer + model.features]
    body = [
        [formatting.label(key), *(_cell(c, v) for c, v in zip(shown.columns, values, strict=True))]
        for key, values in zip(shown.index, shown.to_numpy(), strict=True)
    ]
    head = ["row", *(str(names.get(c, c)) for c in shown.columns)]
    caption = reading.disagreements_caption(
        name_a,
        name_b,
        shown=len(rows),
        total=model.total,
        order=model.order,
        labelled="fixed" in rows.columns,
    )
    rows_table = table([_header(h) for h in head], body, css="rai-cmp-rows", raw_head=True)
    return (
        f'<div class="rai-cmp rai-cmp-wide"><b>Where they disagree</b>'
        f'<div class="rai-note rai-cmp-caption">{escape(caption)}</div>'
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

    def compared() -> str:
        model = ComparisonModel.from_sessions(a, b, by=by, metric=metric)
        return summary_html(summary_text(model)) + groups_html(model)

    def rows() -> str:
        return disagreements_html(
            DisagreementsModel.from_sessions(a, b, n=N_DISAGREEMENTS, n_features=N_FEATURES)
        )

    return safe(compared) + safe(rows)
