"""The "Show" picker of the single page's example rows: the example browser's queries
(:data:`~rai_widgets.views.example_rows.QUERIES`: all rows, confident errors, ambiguous
cases, largest errors), those that apply to the session, as the example browser offers them.

:class:`QueryControls` holds the query (``query``, a key of ``QUERIES``) and the place the
front end sends (``query_choice``); :class:`~rai_widgets.SinglePageDashboard` orders its rows
with it (:func:`~rai_widgets.views.example_rows.row_order`, the example browser's order) and
the status line counts the rows that match.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, random_state=0)
>>> [key for key, _ in query_choices(s)]
['', 'confident_errors', 'ambiguous']
>>> 'value="1" selected' in query_picker_html(query_choices(s), 1)
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import traitlets

from rai_widgets.readings.controls import CONTROL_LABELS
from rai_widgets.static_html.page import escape
from rai_widgets.views.example_rows import QUERIES, query_applies, row_order

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = ["QueryControls", "query_choices", "query_picker_html"]


def query_choices(session: ModelSession) -> list[tuple[str, str]]:
    """The queries the picker offers, ``(key, label)``: the example browser's "Show" choices
    (all rows and the ambiguous cases always, the others where they apply).

    Parameters
    ----------
    session : ModelSession
        The model and data.

    Returns
    -------
    list of (str, str)
    """
    return [
        (key, label)
        for key, label in QUERIES.items()
        if key in ("", "ambiguous") or query_applies(session, key)
    ]


def query_picker_html(choices: Sequence[tuple[str, str]], chosen: int) -> str:
    """The "Show" picker (each option's value is its place among ``choices``).

    Parameters
    ----------
    choices : sequence of (str, str)
        :func:`query_choices`.
    chosen : int
        The place of the query shown now.

    Returns
    -------
    str
    """
    options = "".join(
        f'<option value="{i}"{" selected" if i == chosen else ""}>{escape(label)}</option>'
        for i, (_, label) in enumerate(choices)
    )
    return (
        f'<label class="rai-single-page-slice">{escape(CONTROL_LABELS["query"])} '
        f'<select data-rai-query="picker">{options}</select></label>'
    )


class QueryControls(traitlets.HasTraits):
    """The query of the example rows, for a widget with a ``session``.

    Attributes
    ----------
    query : traitlets.Unicode
        A key of :data:`~rai_widgets.views.example_rows.QUERIES` ("": all rows); one that does
        not apply raises the example browser's ``ValidationError``.
    query_choice : traitlets.Int
        What the front end sends: the place of the query picked among :func:`query_choices`
        (Python keeps it on ``query``).
    """

    session: ModelSession
    query = traitlets.Unicode("")
    query_choice = traitlets.Int(0).tag(sync=True)

    def query_choices(self) -> list[tuple[str, str]]:
        """The picker's choices, ``(key, label)``; ``query_choice`` is a place among them."""
        return query_choices(self.session)

    def query_picker_html(self) -> str:
        """The "Show" picker in the current state, as HTML."""
        return query_picker_html(self.query_choices(), self.query_choice)

    @traitlets.validate("query")
    def _check_query(self, proposal: dict) -> Any:
        value = proposal["value"]
        if value not in [key for key, _ in self.query_choices()]:
            row_order(self.session, query=value)  # raises the example browser's error
        return value

    @traitlets.observe("query_choice")
    def _query_picked(self, change: dict) -> None:
        choices = self.query_choices()
        if 0 <= change["new"] < len(choices):
            self.query = choices[change["new"]][0]

    @traitlets.observe("query")
    def _query_shown(self, change: dict) -> None:
        keys = [key for key, _ in self.query_choices()]
        if change["new"] in keys:
            self.query_choice = keys.index(change["new"])
