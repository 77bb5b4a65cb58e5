"""Pinning on the single page: the selected case pinned as a test case (the example browser's
"Pin as test case": :meth:`~rai_widgets.TestCases.pin`), and the pinned cases side by side,
one column each, with the cells the example rows show (the model's answer first).

The Dashboard's live view in marimo pins to the board's own set (``board.examples.test_cases``),
so code written for JupyterLab reads the cases pinned on the page.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, random_state=0)
>>> view = rw.SinglePageDashboard(s, selected_row=3)
>>> view.pin()
>>> view.selected_row = 7
>>> view.pin()
>>> len(view.test_cases), "<th>3</th><th>7</th>" in view.pinned_html
(2, True)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import traitlets

from rai_widgets import formatting
from rai_widgets.readings.controls import CONTROL_LABELS, pin_label, pinned_intro
from rai_widgets.static_html import examples
from rai_widgets.static_html.page import escape, safe, table
from rai_widgets.testcases import TestCases

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = ["PinControls", "side_by_side_html"]


def side_by_side_html(session: ModelSession, rows: list, *, presenter: bool) -> str:
    """Cases side by side: one column per case, one line per cell the example rows show (the
    model's answer first; presenter mode leaves out the raw scores).

    Parameters
    ----------
    session : ModelSession
        The model and data.
    rows : list of labels of X's index
        The cases, in order.
    presenter : bool
        Leave out the raw scores.

    Returns
    -------
    str

    Examples
    --------
    >>> import rai_widgets as rw
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.linear_model import LogisticRegression
    >>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    >>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, random_state=0)
    >>> html = side_by_side_html(s, [3, 7], presenter=False)
    >>> "<th></th><th>3</th><th>7</th>" in html, "<td>mean radius</td>" in html
    (True, True)
    """
    positions = session.core.positions_of(rows)
    frame = examples.page_frame(session, positions)
    headers, cells, _ = examples.page_cells(
        frame, presenter=presenter, kinds=examples.column_kinds(session)
    )
    lines = [[headers[j], *(case[j] for case in cells)] for j in range(1, len(headers))]
    head = ["", *(case[0] for case in cells)]
    return table(head, lines, css="rai-small-table rai-single-page-pinned")


class PinControls(traitlets.HasTraits):
    """Pinning the selected case, for a widget with a ``session``, a ``selected_row`` and
    ``presenter``.

    Attributes
    ----------
    test_cases : TestCases
        The pinned cases (default: a new set named after the session).
    pinned_html : traitlets.Unicode
        The pin button, the note on the set and the pinned cases side by side, as HTML.
    pin_clicks : traitlets.Int
        What the front end sends for a click on the pin button (a counter).
    unpin_place, unpin_clicks : traitlets.Int
        What it sends to take a pinned case out: its place in the set, and a counter.
    """

    session: ModelSession
    selected_row: Any
    presenter: Any
    test_cases = traitlets.Instance(TestCases)
    pinned_html = traitlets.Unicode("").tag(sync=True)
    pin_clicks = traitlets.Int(0).tag(sync=True)
    unpin_place = traitlets.Int(-1).tag(sync=True)
    unpin_clicks = traitlets.Int(0).tag(sync=True)

    @traitlets.default("test_cases")
    def _new_set(self) -> TestCases:
        return TestCases(self.session.name)

    def pin(self) -> None:
        """Pin the selected case to :attr:`test_cases` (the "Pin as test case" button); a case
        pinned already is not pinned twice."""
        row = self.selected_row
        if row is not None and row not in self.pinned_rows():
            self.test_cases.pin(self.session, row)
        self.pinned_html = self.pinned_panel_html()

    def pinned_rows(self) -> list:
        """The labels of the cases pinned, in the order they were pinned."""
        return [case.row for case in self.test_cases.cases]

    @traitlets.observe("pin_clicks")
    def _pin_clicked(self, change: dict) -> None:
        self.pin()

    @traitlets.observe("unpin_clicks")
    def _unpin_clicked(self, change: dict) -> None:
        if 0 <= self.unpin_place < len(self.test_cases):
            del self.test_cases.cases[self.unpin_place]
        self.pinned_html = self.pinned_panel_html()

    @traitlets.observe("selected_row", "presenter", "test_cases")
    def _pins_follow(self, change: dict) -> None:
        self.pinned_html = self.pinned_panel_html()

    def pinned_panel_html(self) -> str:
        """The pin button (while a case is selected), the note on the set and the pinned
        cases side by side, each with a button that takes it out.

        Returns
        -------
        str
        """
        row, rows = self.selected_row, self.pinned_rows()
        parts = ['<div class="rai-single-page-pins">']
        if row is not None:
            pinned = row in rows
            parts.append(
                '<button type="button" class="rai-single-page-step" data-rai-pin'
                f"{' disabled' if pinned else ''}>"
                f"{escape(pin_label(formatting.row_label(row), pinned=pinned))}</button>"
            )
        if rows:
            parts.append(f" {examples.pinned_html(self.test_cases)}")
            parts.append(f"<h4>{escape(CONTROL_LABELS['pinned'])}</h4>")
            parts.append(f'<p class="rai-muted">{escape(pinned_intro())}</p>')
            parts.append(
                '<div class="rai-single-page-rows-wide">'
                + safe(lambda: side_by_side_html(self.session, rows, presenter=self.presenter))
                + "</div>"
            )
            parts.append(
                '<div class="rai-single-page-unpin">'
                + "".join(
                    f'<button type="button" class="rai-single-page-step" data-rai-unpin="{i}">'
                    f"{escape(CONTROL_LABELS['unpin'])} {escape(formatting.row_label(r))}"
                    "</button>"
                    for i, r in enumerate(rows)
                )
                + "</div>"
            )
        parts.append("</div>")
        return "".join(parts) if len(parts) > 2 else ""
