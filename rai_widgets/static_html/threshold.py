"""Per-group decision thresholds as static HTML: the rate curves with each group's chosen
threshold, and the confusion counts per group with the accuracy cost of the choice.

Examples
--------
>>> import rai_widgets as rw
>>> from rai_widgets.static_html import threshold
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> large = X["mean radius"].gt(15).rename("large")
>>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y,
...                     sensitive_features=large)
>>> page = threshold.panel_html(s, by="large", thresholds={True: 0.3, False: 0.5})
>>> page.startswith("<svg") and "policy decision" in page
True
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from rai_widgets import formatting, formatting_metrics
from rai_widgets.display.fairness import RATE_NAMES, RATE_SHORT, ThresholdDisplay
from rai_widgets.readings.small_groups import TOO_FEW, not_shown_sentence
from rai_widgets.static_html.page import escape, row_html, safe
from rai_widgets.views.thresholds import ThresholdModel

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = [
    "FEW_CASES",
    "MAX_SLIDERS",
    "RATE_CHOICES",
    "chart",
    "panel_html",
    "results",
    "table_html",
    "too_many_groups_html",
]

MAX_SLIDERS = 12  # more groups than this: choose a coarser grouping
FEW_CASES = 30  # a rate measured on fewer rows than this is greyed out as unreliable
#: The rates a panel compares: (what it reads as, key).
RATE_CHOICES = [
    ("share selected (demographic parity)", "selection_rate"),
    ("true positive rate (equal opportunity)", "tpr"),
    ("false positive rate", "fpr"),
]


#: The confusion-matrix abbreviation under a plain column header (hidden in presenter mode).
_ABBR = '<span class="rai-technical"><br>({})</span>'


def results(
    session: ModelSession, by: Any, thresholds: Mapping | float, *, rate: str = "selection_rate"
) -> tuple[pd.DataFrame, pd.DataFrame, ThresholdDisplay]:
    """The numbers behind the panel (:class:`~rai_widgets.views.thresholds.ThresholdModel`)
    and its chart.

    Returns
    -------
    counts, uniform : pandas.DataFrame
        Each group at its threshold (with ``gap``), and at 0.5.
    display : ThresholdDisplay
        The curves, with each group's chosen threshold.
    """
    model = ThresholdModel.from_session(session, by, thresholds, rate=rate)
    return model.counts, model.uniform, chart(model)


def chart(model: ThresholdModel) -> ThresholdDisplay:
    """The curves of a :class:`~rai_widgets.views.thresholds.ThresholdModel`, each group's
    chosen threshold marked (the groups it shows)."""
    return ThresholdDisplay(model.curves, model.shown, rate=model.rate)


def table_html(
    session: ModelSession,
    counts: pd.DataFrame,
    uniform: pd.DataFrame,
    *,
    rate: str = "selection_rate",
    min_group_size: int | None = None,
) -> str:
    """Confusion counts per group at the chosen thresholds, and what the choice costs.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    counts, uniform : pandas.DataFrame
        As :func:`results` returns them.
    rate : {"selection_rate", "tpr", "fpr"}, default "selection_rate"
        The rate compared across groups.
    min_group_size : int, optional
        For a shared file: a group under this many rows shows its name, threshold and size
        and "too few to report" in place of its counts and rates (they still count in the
        totals), and a rate resting on fewer cases reads "too few to report".

    Returns
    -------
    str
    """
    positive = session.core.class_description(session.pos_label_)
    measured_on = {
        "selection_rate": counts["n"],
        "tpr": counts["tp"] + counts["fn"],
        "fpr": counts["fp"] + counts["tn"],
    }[rate]
    few = measured_on < FEW_CASES
    small = pd.Series(False, index=counts.index)
    rate_hidden = small
    if min_group_size is not None:
        small = ~(counts["n"] >= min_group_size)
        rate_hidden = small | (measured_on < min_group_size)
    shown_rates = counts.loc[~rate_hidden, rate]
    spread = shown_rates.max() - shown_rates.min() if len(shown_rates) else float("nan")
    rows = []
    for key, row in counts.iterrows():
        if small[key]:
            cells = [
                escape(formatting.label(key)),
                escape(formatting.number(row["threshold"], decimals=3)),
                escape(formatting.count(row["n"])),
                f'<td colspan="7">{escape(TOO_FEW)}</td>',
            ]
            rows.append(_row_with_span(cells))
            continue
        note = f" ({formatting.count(measured_on[key])} cases)" if few[key] else ""
        cells = [
            escape(formatting.label(key) + note),
            formatting.number(row["threshold"], decimals=3),
            *(
                formatting.count(c)
                for c in [row["n"], row["tp"] + row["fp"], *row[["tp", "fp", "fn", "tn"]]]
            ),
        ]
        cells = [*cells[:1], *(escape(c) for c in cells[1:])]
        if rate_hidden[key]:
            cells.append(escape(TOO_FEW))
        else:
            cells.append(f"<b>{escape(formatting_metrics.metric_value(rate, row[rate]))}</b>")
        cells.append(escape(formatting_metrics.metric_value("accuracy", row["accuracy"])))
        rows.append(row_html(cells, css="rai-low" if few[key] else "", raw=True))
    total = counts[["n", "tp", "tn"]].sum()
    accuracy = (total["tp"] + total["tn"]) / total["n"]
    before = uniform[["n", "tp", "tn"]].sum()
    accuracy_before = (before["tp"] + before["tn"]) / before["n"]
    return (
        '<div class="rai-fair rai-compact"><div class="rai-scroll"><table><tr><th>group</th>'
        "<th>threshold</th>"
        "<th>rows</th>"
        "<th>selected</th>"
        f"<th>right picks{_ABBR.format('TP')}</th><th>wrong picks{_ABBR.format('FP')}</th>"
        f"<th>missed{_ABBR.format('FN')}</th><th>right passes{_ABBR.format('TN')}</th>"
        f"<th>{escape(RATE_SHORT[rate])}</th><th>accuracy</th></tr>{''.join(rows)}"
        "</table></div>"
        f'<div class="rai-note">Selected = the model predicts {escape(positive)}. '
        f"{_spread_sentence(rate, spread, bool(rate_hidden.any()))} At these "
        f"thresholds the model is right for {formatting.percent(accuracy)} of rows "
        f"({formatting.percent(accuracy_before)} with 0.5 for everybody). "
        "Equalising one rate moves the others: which to equalise is a policy decision, "
        f"not a technical one. Grey rows: the rate rests on fewer than {FEW_CASES} cases "
        "(the number in brackets)."
        "</div></div>"
    )


def _row_with_span(cells: list[str]) -> str:
    """A table row whose last cell is already a ``<td>`` (it spans several columns)."""
    return (
        '<tr class="rai-low">' + "".join(f"<td>{c}</td>" for c in cells[:-1]) + cells[-1] + "</tr>"
    )


def _spread_sentence(rate: str, spread: float, hidden: bool) -> str:
    """How far apart the groups' rates are (escaped HTML)."""
    name = escape(RATE_NAMES[rate])
    among = " among the groups large enough to report" if hidden else " between groups"
    if spread != spread:  # NaN: no group large enough
        return f"No group is large enough to report its {name}."
    return f"The {name} differs by {escape(formatting.points(spread, signed=False))}{among}."


def too_many_groups_html(n_groups: int) -> str:
    """What the panel says instead of sliders for more than :data:`MAX_SLIDERS` groups."""
    return (
        f"{formatting.count(n_groups)} groups: too many for one slider each (at most "
        f"{MAX_SLIDERS}); group by a column with fewer values."
    )


def panel_html(
    session: ModelSession,
    *,
    by: Any,
    thresholds: Mapping | float | None = None,
    rate: str = "selection_rate",
    min_group_size: int | None = None,
) -> str:
    """The threshold panel as static HTML: the curves and the table of counts.

    Parameters
    ----------
    session : ModelSession
        A binary task with y.
    by : column name
        The groups.
    thresholds : dict or float, optional
        Each group's threshold (default: 0.5 for every group).
    rate : {"selection_rate", "tpr", "fpr"}, default "selection_rate"
        The rate compared across groups.
    min_group_size : int, optional
        For a shared file: groups under this many rows are left out of the curves (which say
        so) and read "too few to report" in the table (see :func:`table_html`).

    Returns
    -------
    str
        What ``ThresholdPanel.static_html()`` shows in the same state (an error box when the
        grouping cannot be used).
    """

    def make() -> str:
        model = ThresholdModel.from_session(
            session, by, thresholds, rate=rate, min_group_size=min_group_size
        )
        note = ""
        if model.too_few and min_group_size is not None:
            sentence = not_shown_sentence(model.too_few, min_group_size=min_group_size)
            note = f'<div class="rai-fair"><div class="rai-note">{escape(sentence)}</div></div>'
        table = table_html(
            session, model.counts, model.uniform, rate=rate, min_group_size=min_group_size
        )
        return chart(model).to_svg() + note + table

    return safe(make)
