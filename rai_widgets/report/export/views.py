"""The views of an HTML export that cover all rows: the audit ("What to look at first"),
fairness, uncertainty and explanation.

Each is drawn once, as static HTML with inline SVG, by :mod:`rai_widgets.static_html` (no
widget is built). This module is the one place where the report gets a view's static picture
(:func:`view_html`); a view that cannot be drawn becomes a
:class:`ViewSection` with a ``problem`` and a note in its place, so the rest of the file is
still written.
"""

from __future__ import annotations

import html
import re
from collections.abc import Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rai_widgets.compute.small_groups import DEFAULT_MIN_GROUP_SIZE
from rai_widgets.core.errors import RaiWidgetsError
from rai_widgets.formatting import label, row_label
from rai_widgets.static_html import audit, explanation, fairness, uncertainty
from rai_widgets.views.explanation_tab import (
    MAX_SLICES_EXPLAINED,
    PARTS,
    representative_row,
    shared_file_model,
)
from rai_widgets.views.groupings import (
    default_fairness_grouping,
    default_grouping,
    fairness_columns,
)

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = [
    "AUDIT_PLACES",
    "EXPLANATION_PARTS",
    "MAX_SLICES_EXPLAINED",
    "VIEWS",
    "VIEW_TEXTS",
    "ViewSection",
    "representative_row",
    "view_html",
    "view_sections",
]

VIEWS = ("audit", "examples", "explanation", "fairness", "uncertainty")
"""The parts an export can hold; ``views=`` picks a subset."""

VIEW_TEXTS = {
    "audit": (
        "What to look at first: the audit's findings",
        "Every check of the audit, ranked: concerns (supported by their bounds: 95%, widened "
        "where many gaps are compared, as each says) first, "
        "then notes, then what the data cannot tell yet, then what passed. Computed on all "
        "rows.",
    ),
    "fairness": (
        "Fairness: how the model does for each group",
        "Quality per group with its 95% interval, how far each group is from the largest "
        "one, and slices where the model does significantly worse. Computed on all rows.",
    ),
    "uncertainty": (
        "Uncertainty: how far to trust the model's numbers",
        "Does a score of 80% come true 80% of the time, per group; and one case read "
        "honestly. Computed on all rows.",
    ),
    "explanation": (
        "Explanation: why the model said what it said",
        "One representative row explained feature by feature, with what would change its "
        "answer, then which features matter across slices and how one feature moves the "
        "prediction.",
    ),
}
"""Title and lead paragraph of each view's section."""

AUDIT_PLACES = {
    "audit": "this section",
    "examples": "Slices and examples",
    "explanation": "Explanation",
    "fairness": "Fairness",
    "uncertainty": "Uncertainty",
}
"""Where a finding's evidence is in the file, by the ``view`` it names."""

EXPLANATION_PARTS = PARTS
"""The explanation view's parts in the file: one case, importance across slices, one feature
(every part: ``views.explanation_tab.shared_file_model`` decides what each shows)."""

_SVG_NAMESPACE = re.compile(r'\sxmlns(?::[A-Za-z]+)?="http://www\.w3\.org/[^"]*"')


@dataclass
class ViewSection:
    """One view's section of the file.

    Attributes
    ----------
    key : str
        The view ("fairness", ...), also the section's HTML id.
    title, lead : str
        Heading and lead paragraph (plain text, escaped where written).
    body : str
        The view's static HTML (already escaped), or a note that it could not be drawn.
    problem : str or None
        Why the view could not be drawn.
    """

    key: str
    title: str
    lead: str
    body: str
    problem: str | None = None


def view_html(
    session: ModelSession,
    key: str,
    *,
    by: Hashable | None,
    n_slices: int,
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
) -> tuple[str, str]:
    """The static HTML of one view, and what to add to its lead paragraph.

    The one place where the report gets a view's static picture: from
    :mod:`rai_widgets.static_html`, the same HTML the view's widget shows where widgets cannot
    run. No widget is built.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    key : {"audit", "fairness", "uncertainty", "explanation"}
        The view to draw.
    by : column name or None
        The grouping of the slice picker, when it is one column. A grouping the view cannot
        use gives the view's own default.
    n_slices : int
        Slices of the picker (importance per slice only for a few).
    min_group_size : int, default 10
        A number about a group resting on fewer rows is not written: the group is named with
        its size and "too few to report" (tables), or left out of a chart that says so.

    Returns
    -------
    body : str
        Escaped HTML with inline SVG.
    lead : str
        Text to add to the lead paragraph (the groups shown, the row explained).

    Raises
    ------
    RaiWidgetsError
        The view cannot be drawn for this session (the fairness view of a session without y).

    Examples
    --------
    >>> import rai_widgets as rw
    >>> from sklearn.linear_model import LinearRegression
    >>> data = rw.datasets.load_wage()
    >>> X = data.data[["year", "age"]]
    >>> s = rw.ModelSession(LinearRegression().fit(X, data.target), X, data.target,
    ...                     sensitive_features=data.data["race"], random_state=0)
    >>> body, lead = view_html(s, "uncertainty", by=None, n_slices=4)
    >>> lead, "<svg" in body
    (' Groups: race.', True)
    """
    if key == "audit":
        return audit.view_html(session, places=AUDIT_PLACES, min_group_size=min_group_size), ""
    if key == "fairness":
        choices = fairness_columns(session.core)
        fairness.headline_metrics(session)  # no metric to show (no y): the view cannot be drawn
        shown = by if by is not None and by in choices else None
        groups = shown if shown is not None else default_fairness_grouping(session.core)
        body = fairness.view_html(session, by=shown, min_group_size=min_group_size)
    elif key == "uncertainty":
        groups = by if by is not None else default_grouping(session.core)
        body = uncertainty.view_html(session, by=groups, min_group_size=min_group_size)
    elif key == "explanation":
        model = shared_file_model(session, by=by, n_slices=n_slices, min_group_size=min_group_size)
        body = explanation.model_html(model)
        row = model.row
        return body, f"Row {row_label(row)} (a typical row). "
    else:
        raise ValueError(f"key must be one of {tuple(VIEW_TEXTS)}; got {key!r}.")
    return body, ("" if groups is None else f" Groups: {label(groups)}.")


def view_sections(
    session: ModelSession,
    views: tuple[str, ...],
    by: Any,
    n_slices: int,
    *,
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
) -> list[ViewSection]:
    """The sections of the views that are not per slice, in the file's order.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    views : tuple of str
        The views of the file (those not in ``VIEW_TEXTS`` are ignored).
    by : grouping or None
        The grouping of the slice picker.
    n_slices : int
        Number of slices of the picker.
    min_group_size : int, default 10
        Groups under this many rows are named without their numbers (see :func:`view_html`).

    Returns
    -------
    list of ViewSection
    """
    column_by = by if isinstance(by, Hashable) and not isinstance(by, tuple) else None
    sections = []
    for key in ("audit", "fairness", "uncertainty", "explanation"):
        if key not in views:
            continue
        title, lead = VIEW_TEXTS[key]
        try:
            body, extra = view_html(
                session, key, by=column_by, n_slices=n_slices, min_group_size=min_group_size
            )
            lead = extra + lead if key == "explanation" else lead + extra
            sections.append(ViewSection(key, title, lead, _SVG_NAMESPACE.sub("", body)))
        except RaiWidgetsError as err:
            problem = f"{key}: {err}"
            note = html.escape(str(err), quote=True)
            body = f'<div class="rai-x-problem">This view could not be drawn: {note}</div>'
            sections.append(ViewSection(key, title, lead, body, problem))
    return sections
