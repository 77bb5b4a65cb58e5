"""The Dashboard as one anywidget: the live view marimo draws (it draws anywidget widgets only).

The Python side draws each tab from the dashboard's view model
(:class:`~rai_widgets.views.dashboard.DashboardModel`: the summary, and which grouping, slice
and case each view follows) with the static picture's renderers (:mod:`rai_widgets.static_html`:
every string escaped there) and sends it as HTML; the front end
(``assets/single_page.js``, shipped inline with the package: no CDN, no network) puts that HTML
in the page and sends back what the user picks, as numbers: a tab, a page of the example rows,
a row on that page. Python redraws only what the pick changes: a row redraws the example
browser's detail, the explanation, the uncertainty view and the "Every view follows" line; a
page redraws the example rows; the other tabs are drawn when first shown after a change.

``rw.Dashboard(session)`` shows this view where marimo displays it (marimo asks an object's
``_display_`` first): :func:`live_view_of` makes one per Dashboard, which follows what is set
on the board (a row, a slice, presenter mode). It runs in JupyterLab, Notebook 7 and Voila too, as
``rw.SinglePageDashboard(session)``; unlike the other views it carries no static picture (share
a session with ``ModelSession.to_html``).

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, random_state=0)
>>> view = rw.SinglePageDashboard(s, page_size=5)
>>> sorted(view.sections), view.selected_row
(['audit'], None)
>>> view.tab = 1  # what a click on the "Example browser" tab sends
>>> view.row_position, view.row_clicks = 3, 1  # and a click on the 4th row
>>> view.selected_row, "<h4>Row 3</h4>" in view.sections["examples"], sorted(view.sections)
(3, True, ['audit', 'examples'])
"""

from __future__ import annotations

import weakref
from collections.abc import Hashable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anywidget
import traitlets

from rai_widgets.compute.table import page_count, page_of
from rai_widgets.core.arguments import check_fraction
from rai_widgets.core.errors import ValidationError
from rai_widgets.session.model_session import check_session
from rai_widgets.static_html import dashboard, examples
from rai_widgets.static_html.page import safe, style_tag
from rai_widgets.views.case import case_model
from rai_widgets.views.dashboard import (
    TABS,
    VIEWS,
    DashboardModel,
    dashboard_model,
    dashboard_summary,
)
from rai_widgets.views.groupings import check_selected_slice

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession
    from rai_widgets.widgets.dashboard import Dashboard

__all__ = ["FOLLOW_THE_ROW", "SinglePageDashboard", "live_view_of"]

_ASSETS = Path(__file__).parent / "assets"
#: The views a picked row redraws (the others do not show a case).
FOLLOW_THE_ROW = ("examples", "explanation", "uncertainty")


class SinglePageDashboard(anywidget.AnyWidget):
    """The Dashboard's tabs in one anywidget: what marimo draws live.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    selected_row : label of X's index, optional
        The case every view shows first (default: none).
    selected_slice : dict, optional
        ``{column: value}`` of the rows every view follows (default: all rows).
    presenter : bool, default False
        Presenter mode: larger type, technical columns hidden, the audit's concerns only.
    confidence_level : float, default 0.9
        The coverage promised by the uncertainty view.
    page_size : int, default 20
        Example rows per page.

    Attributes
    ----------
    selected_row : traitlets.Any
        The label (in X's index) of the case every view shows; None: none picked.
    selected_slice : traitlets.Any
        The slice every view follows; None: all rows.
    presenter : traitlets.Bool
        Presenter mode.
    tab, page : traitlets.Int
        The tab shown (its place in ``tabs``) and the page of example rows (0-based).
    row_position, row_clicks : traitlets.Int
        What the front end sends for a click on an example row: its place on the page, and a
        click counter (a second click on the same place registers).
    highlighted : traitlets.Int
        The place of ``selected_row`` on the page shown (-1: not on it).
    header, sections : traitlets
        The HTML drawn: the summary and "Every view follows" line, and each drawn tab's
        HTML by view name (a tab missing from it is drawn when shown).
    """

    _esm = _ASSETS / "single_page.js"
    _css = _ASSETS / "single_page.css"
    stylesheet = traitlets.Unicode(style_tag()).tag(sync=True)
    tabs = traitlets.List(traitlets.Unicode(), list(TABS)).tag(sync=True)
    views = traitlets.List(traitlets.Unicode(), list(VIEWS)).tag(sync=True)
    header = traitlets.Unicode("").tag(sync=True)
    sections = traitlets.Dict().tag(sync=True)
    tab = traitlets.Int(0).tag(sync=True)
    page = traitlets.Int(0).tag(sync=True)
    row_position = traitlets.Int(-1).tag(sync=True)
    row_clicks = traitlets.Int(0).tag(sync=True)
    highlighted = traitlets.Int(-1).tag(sync=True)
    selected_row = traitlets.Any(None, allow_none=True)
    selected_slice = traitlets.Any(None, allow_none=True)
    presenter = traitlets.Bool(False).tag(sync=True)

    def __init__(
        self,
        session: ModelSession,
        *,
        selected_row: Hashable | None = None,
        selected_slice: dict | None = None,
        presenter: bool = False,
        confidence_level: float = 0.9,
        page_size: int = 20,
    ) -> None:
        check_session(session)
        check_fraction(confidence_level, argument="confidence_level")
        if isinstance(page_size, bool) or not isinstance(page_size, int) or page_size < 1:
            raise ValidationError(f"page_size must be a whole number >= 1; got {page_size!r}.")
        self.session = session
        self._confidence_level = confidence_level
        self._page_size = page_size
        self._sentences: tuple[str, ...] | None = None  # the summary's: computed once
        self._order = examples.row_order(session)
        super().__init__()
        with self.hold_trait_notifications():
            self.presenter = presenter
            self.selected_slice = selected_slice
            self.selected_row = selected_row
        self._redraw(VIEWS)

    # -- what the user picks --------------------------------------------------------------------
    @traitlets.validate("selected_slice")
    def _check_slice(self, proposal: dict) -> Any:
        value = proposal["value"]
        if value is not None and not isinstance(value, dict):
            raise traitlets.TraitError(
                f"selected_slice must be None or a dict such as {{'sex': 'Female'}}; got {value!r}."
            )
        if value:
            check_selected_slice(self.session, value)
        return value or None

    @traitlets.validate("selected_row")
    def _check_row(self, proposal: dict) -> Any:
        if proposal["value"] is not None:  # an unknown label raises RowNotFoundError here
            self.session.core.positions_of([proposal["value"]])
        return proposal["value"]

    @traitlets.validate("page")
    def _clamp_page(self, proposal: dict) -> int:
        pages = page_count(len(self._order), self._page_size)
        return min(max(int(proposal["value"]), 0), pages - 1)

    @traitlets.observe("row_clicks")
    def _row_clicked(self, change: dict) -> None:
        shown = self.page_positions()
        if 0 <= self.row_position < len(shown):
            self.selected_row = self.session.core.frame.index[shown[self.row_position]]

    @traitlets.observe("selected_row")
    def _row_changed(self, change: dict) -> None:
        if self._drawn():
            self._redraw(FOLLOW_THE_ROW)

    @traitlets.observe("selected_slice")
    def _slice_changed(self, change: dict) -> None:
        self._order = examples.row_order(self.session, slice=change["new"])
        changed: tuple[str, ...] = VIEWS
        if self.page != 0:
            self.page = 0  # which redraws the example rows, of the new slice already
            changed = tuple(view for view in changed if view != "examples")
        if self._drawn():
            self._redraw(changed)

    @traitlets.observe("presenter")
    def _presenter_changed(self, change: dict) -> None:
        if self._drawn():
            self._redraw(("audit", "examples"))

    @traitlets.observe("page")
    def _page_changed(self, change: dict) -> None:
        if self._drawn():
            self._redraw(("examples",))

    @traitlets.observe("tab")
    def _tab_changed(self, change: dict) -> None:
        self._redraw(())  # draws the tab now shown, if a change left it to draw

    # -- drawing ---------------------------------------------------------------------------------
    def _drawn(self) -> bool:
        return bool(self.header)

    def page_positions(self) -> list[int]:
        """Positions (in X) of the example rows on the page shown, top to bottom.

        Returns
        -------
        list of int
        """
        return page_of(self._order, page=self.page, page_size=self._page_size).tolist()

    def shown_view(self) -> str:
        """The name of the view whose tab is shown ("audit", "examples", ...)."""
        return VIEWS[min(max(self.tab, 0), len(VIEWS) - 1)]

    def _redraw(self, changed: tuple[str, ...]) -> None:
        """Forget the ``changed`` tabs, and draw the one shown if it has no HTML."""
        sections = {k: v for k, v in self.sections.items() if k not in changed}
        shown = self.shown_view()
        if shown not in sections:
            sections[shown] = safe(lambda: self.section_html(shown))
        positions = self.page_positions()
        row = self.selected_row
        place = -1
        if row is not None:
            where = int(self.session.core.positions_of([row])[0])
            place = positions.index(where) if where in positions else -1
        with self.hold_sync():
            self.header = self.header_html()
            self.sections = sections
            self.highlighted = place

    def view_model(self) -> DashboardModel:
        """The dashboard's view model in the current state: the summary, what every view
        follows and the grouping each view draws.

        Returns
        -------
        DashboardModel
        """
        if self._sentences is None:  # the same for every row and page: computed once
            self._sentences = dashboard_summary(self.session)
        return dashboard_model(
            self.session,
            selected_slice=self.selected_slice,
            selected_row=self.selected_row,
            presenter=self.presenter,
            confidence_level=self._confidence_level,
            n_rows=len(self._order),
            summary=self._sentences,
        )

    def header_html(self) -> str:
        """The summary box and the "Every view follows" line, as HTML.

        Returns
        -------
        str
        """
        model = self.view_model()
        summary = dashboard.summary_html(model.summary_text)
        following = dashboard.following_html(model.slice, model.n_rows, model.row)
        css = "rai-dashboard" + (" rai-presenter" if model.presenter else "")
        return (
            f'<div class="{css}">{summary}'
            f'<div class="rai-dashboard-following">{following}</div></div>'
        )

    def section_html(self, view: str) -> str:
        """One tab's HTML in the current state, as the Dashboard's static picture draws it.

        Parameters
        ----------
        view : str
            One of :data:`rai_widgets.views.dashboard.VIEWS`.

        Returns
        -------
        str
        """
        model = self.view_model()
        css = "rai-dashboard" + (" rai-presenter" if model.presenter else "")
        if view == "examples":  # paged here: the front end sends the page
            body = self._examples_html()
        else:  # as the static picture draws it, following what the model says
            body = dashboard.section_html(self.session, model, view)
        return f'<div class="{css}">{body}</div>'

    def _examples_html(self) -> str:
        s = self.session
        pages = page_count(len(self._order), self._page_size)
        frame = examples.page_frame(
            s, page_of(self._order, page=self.page, page_size=self._page_size)
        )
        kinds = examples.column_kinds(s)
        # the buttons carry only a step; the front end turns a click into a page number
        steps = "".join(
            f'<button type="button" class="rai-single-page-step" data-rai-step="{step}"'
            f"{' disabled' if disabled else ''}>{label}</button>"
            for step, label, disabled in (
                (-1, "Previous", self.page == 0),
                (1, "Next", self.page >= pages - 1),
            )
        )
        parts = [
            f'<div class="rai-single-page-paging">{steps} '
            f"{examples.status_html(len(self._order), page=self.page, page_size=self._page_size)}"
            "</div>",
            '<div class="rai-single-page-rows">',
            examples.page_table(frame, presenter=self.presenter, kinds=kinds),
            "</div>",
        ]
        if self.selected_row is not None:
            row = self.selected_row
            parts.append(safe(lambda: examples.detail_html(case_model(s, row), kinds)))
        return "".join(parts)


# -- marimo: a Dashboard's live view -------------------------------------------------------------
_LIVE_VIEWS: weakref.WeakKeyDictionary[Any, SinglePageDashboard] = weakref.WeakKeyDictionary()


def live_view_of(board: Dashboard) -> SinglePageDashboard:
    """The :class:`SinglePageDashboard` of a Dashboard, made once and following it: a row,
    slice or presenter mode set on the board is the live view's too. A row picked in the live
    view is the live view's ``selected_row`` (the board's hidden views are not recomputed for
    it). marimo shows it in the Dashboard's place (``Dashboard._display_``).

    Parameters
    ----------
    board : Dashboard
        The dashboard.

    Returns
    -------
    SinglePageDashboard

    Examples
    --------
    >>> import rai_widgets as rw
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.linear_model import LogisticRegression
    >>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    >>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, random_state=0)
    >>> board = rw.Dashboard(s)
    >>> view = live_view_of(board)
    >>> view is live_view_of(board)
    True
    >>> board.selected_row = 5
    >>> view.selected_row, "case <b>5</b>" in view.header
    (5, True)
    """
    view = _LIVE_VIEWS.get(board)
    if view is not None and view.comm is not None:
        return view
    view = SinglePageDashboard(
        board.session,
        selected_row=board.selected_row,
        selected_slice=board.selected_slice,
        presenter=board.presenter,
        confidence_level=board.uncertainty.confidence_level,
    )
    for name in ("selected_row", "selected_slice", "presenter"):  # the board leads
        traitlets.dlink((board, name), (view, name))
    _LIVE_VIEWS[board] = view
    return view
