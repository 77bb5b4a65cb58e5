"""The controls of the Dashboard's single page (:class:`~rai_widgets.SinglePageDashboard`), drawn
in Python as escaped HTML whose only values are numbers: the slice picker (the live Dashboard's
choices), the presenter switch, the example pages' steps, the audit with a "Show evidence"
button on each finding that has evidence, and what a click on a column header sorts by.

The front end reads a control's number (an option's place, ``data-rai-finding``,
``data-rai-step``, a header's place) and sends it back; Python turns it into a slice, a finding,
a page or a column here.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, random_state=0,
...                     sensitive_features=X["mean radius"].gt(15).rename("large"))
>>> choices = slice_choices(s, None)
>>> [label for label, _ in choices], choices[2][1]
(['all rows', 'large = False', 'large = True'], {'large': True})
>>> 'value="2" selected' in slice_picker_html(choices, 2)
True
>>> sorted_column(["row", "prediction", "mean radius"], 1), sorted_column(["row"], 0)
('y_pred', '')
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from rai_widgets.compute.table import page_count
from rai_widgets.readings.controls import CONTROL_LABELS, evidence_tooltip
from rai_widgets.static_html import audit as audit_html
from rai_widgets.static_html import dashboard, examples
from rai_widgets.static_html.audit_evidence import evidence_html
from rai_widgets.static_html.dashboard import slice_text
from rai_widgets.static_html.page import escape, safe, table
from rai_widgets.views.audit import AuditModel
from rai_widgets.views.audit_evidence import finding_group, finding_rows
from rai_widgets.views.case import case_model
from rai_widgets.views.dashboard import DashboardModel

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = [
    "audit_section_html",
    "choice_of",
    "examples_section_html",
    "header_html",
    "presenter_switch_html",
    "slice_choices",
    "slice_picker_html",
    "sorted_column",
    "sorted_place",
    "steps_html",
]

#: What a slice choice is: its label, and the slice (None: all rows).
SliceChoice = tuple[str, dict | None]


def slice_choices(session: ModelSession, current: dict | None) -> list[SliceChoice]:
    """The slices the picker offers: the live Dashboard's (its example browser's
    :func:`~rai_widgets.views.example_rows.slice_options`: all rows, then each value of each
    sensitive feature), and ``current`` at the end when it is none of them (a slice set from
    Python or by an audit finding), as the live browser adds it.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    current : dict or None
        The slice every view follows now.

    Returns
    -------
    list of (str, dict or None)
    """
    choices: list[SliceChoice] = [
        (label, None if value == "" else dict(value))
        for label, value in examples.slice_options(session)
    ]
    if current and dict(current) not in [spec for _, spec in choices]:
        choices.append((slice_text(current), dict(current)))
    return choices


def choice_of(choices: Sequence[SliceChoice], current: dict | None) -> int:
    """The place of ``current`` among ``choices`` (0, all rows, when it is not there)."""
    wanted = dict(current) if current else None
    return next((i for i, (_, spec) in enumerate(choices) if spec == wanted), 0)


def slice_picker_html(choices: Sequence[SliceChoice], chosen: int) -> str:
    """The slice picker (each option's value is its place) and the "Show all rows" button
    (disabled while all rows are followed).

    Parameters
    ----------
    choices : sequence of (str, dict or None)
        :func:`slice_choices`.
    chosen : int
        The place of the slice followed now.

    Returns
    -------
    str
    """
    options = "".join(
        f'<option value="{i}"{" selected" if i == chosen else ""}>{escape(label)}</option>'
        for i, (label, _) in enumerate(choices)
    )
    words = CONTROL_LABELS
    return (
        f'<label class="rai-single-page-slice">{escape(words["slice"])} '
        f'<select data-rai-slice="picker">{options}</select></label>'
        f'<button type="button" class="rai-single-page-step" data-rai-clear="slice"'
        f"{' disabled' if chosen == 0 else ''}>{escape(words['all_rows'])}</button>"
    )


def presenter_switch_html(on: bool) -> str:
    """The "Presenter mode" switch (the Dashboard's checkbox): larger type, plain words, the
    technical columns hidden and the audit's concerns only.

    Examples
    --------
    >>> "checked" in presenter_switch_html(True), "checked" in presenter_switch_html(False)
    (True, False)
    """
    return (
        '<label class="rai-single-page-slice"><input type="checkbox" data-rai-presenter'
        f"{' checked' if on else ''}> {escape(CONTROL_LABELS['presenter'])}</label>"
    )


def header_html(model: DashboardModel, choices: Sequence[SliceChoice], chosen: int) -> str:
    """The single page's header: the summary box, the "Every view follows" line, the slice
    picker and the presenter switch.

    Parameters
    ----------
    model : DashboardModel
        The dashboard in its current state.
    choices : sequence of (str, dict or None)
        :func:`slice_choices`.
    chosen : int
        The place of the slice followed now.

    Returns
    -------
    str
    """
    summary = dashboard.summary_html(model.summary_text)
    following = dashboard.following_html(model.slice, model.n_rows, model.row)
    picker = slice_picker_html(choices, chosen) + presenter_switch_html(model.presenter)
    css = "rai-dashboard" + (" rai-presenter" if model.presenter else "")
    return (
        f'<div class="{css}">{summary}<div class="rai-single-page-follow">'
        f'<div class="rai-dashboard-following">{following}</div>{picker}</div></div>'
    )


def steps_html(page: int, pages: int) -> str:
    """The Previous and Next buttons of the example rows; each carries only its step."""
    return "".join(
        f'<button type="button" class="rai-single-page-step" data-rai-step="{step}"'
        f"{' disabled' if disabled else ''}>{escape(CONTROL_LABELS[word])}</button>"
        for step, word, disabled in ((-1, "previous", page == 0), (1, "next", page >= pages - 1))
    )


def sorted_column(headers: Sequence[str], place: int) -> Hashable:
    """The column a click on header ``place`` sorts by, as the live browser reads its headers
    ("row": the data's own order, "")."""
    header = headers[place]
    column = {shown: name for name, shown in examples.HEADERS.items()}.get(header, header)
    return "" if column == "row" else column


def sorted_place(headers: Sequence[str], sort_by: Hashable) -> int:
    """The place of the header of the column sorted by (-1: the data's own order)."""
    if sort_by == "":
        return -1
    shown = examples.HEADERS.get(str(sort_by), str(sort_by))
    return next((i for i, h in enumerate(headers) if h == shown), -1)


def audit_section_html(session: ModelSession, *, presenter: bool, selected: int = -1) -> str:
    """The audit as the static picture draws it, with a "Show evidence" button (carrying the
    finding's row of ``AuditModel.frame``) on each finding that has evidence; the ``selected``
    finding outlined, with the rows behind it under it (a ``label_quality`` finding's).

    Parameters
    ----------
    session : ModelSession
        The model and data (its audit is the session's, computed once).
    presenter : bool
        The concerns only.
    selected : int, default -1
        The row of the finding selected (-1: none).

    Returns
    -------
    str
    """

    def make() -> str:
        audit = session.audit()
        model = AuditModel.from_audit(audit)
        frame = model.frame

        def decorate(i: int, text: str) -> str:
            finding = frame.iloc[i]
            where = audit_html.evidence_text(finding)
            button = ""
            if where:
                button = (
                    f'<button type="button" class="rai-audit-finding rai-single-page-step" '
                    f'data-rai-finding="{i}" title="{escape(evidence_tooltip(where))}">'
                    f"{escape(CONTROL_LABELS['evidence'])}</button>"
                )
            css = "rai-single-page-finding" + (" rai-audit-selected" if i == selected else "")
            rows = finding_rows(audit, finding) if i == selected else None
            shown = "" if rows is None else evidence_html(rows, group=finding_group(finding))
            return f'<div class="{css}">{button}{text}</div>{shown}'

        return audit_html.model_html(model, presenter=presenter, decorate=decorate)

    return safe(make)


def examples_section_html(
    session: ModelSession,
    positions: np.ndarray,
    *,
    n_rows: int,
    page: int,
    page_size: int,
    presenter: bool,
    selected_row: Hashable | None,
    query_picker: str = "",
) -> tuple[str, list[str]]:
    """The example rows' tab: the "Show" picker, the steps and the status line, the page's rows
    (as :func:`~rai_widgets.static_html.examples.page_table` draws them), the selected case's
    detail, and the places of its what-if editor and of the pinned cases (``data-rai-fill``:
    the front end puts the widget's ``what_if_html`` and ``pinned_html`` there).

    Parameters
    ----------
    session : ModelSession
        The model and data.
    positions : numpy.ndarray
        The positions (in X) of the page's rows.
    n_rows, page, page_size : int
        The rows listed, the page shown (0-based) and the rows a page holds.
    presenter : bool
        Leave out the raw scores.
    selected_row : label of X's index or None
        The case whose detail follows the page.
    query_picker : str, default ""
        The "Show" picker's HTML
        (:func:`~rai_widgets.widgets.single_page_query.query_picker_html`).

    Returns
    -------
    html : str
    headers : list of str
        The page's column headers, in order (a click on one sorts by it:
        :func:`sorted_column`).
    """
    kinds = examples.column_kinds(session)
    frame = examples.page_frame(session, positions)
    headers, rows, _ = examples.page_cells(frame, presenter=presenter, kinds=kinds)
    status = examples.status_html(n_rows, page=page, page_size=page_size)
    steps = steps_html(page, page_count(n_rows, page_size))
    parts = [
        f'<div class="rai-single-page-paging">{query_picker}{steps} {status}</div>',
        f'<div class="rai-single-page-rows">{table(headers, rows, css="rai-small-table")}</div>',
    ]
    if selected_row is not None:
        case = selected_row
        parts.append(safe(lambda: examples.detail_html(case_model(session, case), kinds)))
        parts.append('<div data-rai-fill="what_if_html"></div>')
    parts.append('<div data-rai-fill="pinned_html"></div>')
    return "".join(parts), list(headers)
