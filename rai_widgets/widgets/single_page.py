"""The Dashboard as one anywidget: the live view marimo draws (it draws anywidget widgets only).

Python draws each tab from the dashboard's view model
(:class:`~rai_widgets.views.dashboard.DashboardModel`) with the static picture's renderers
(:mod:`rai_widgets.static_html`: every string escaped there) and sends it as HTML; the front end
(``assets/single_page.js``, in the package: no CDN, no network) shows it and sends back what
the user picks, as numbers: a tab, a page of rows, a row on it, a slice or a query among the
pickers' choices, a finding's "Show evidence", a column header to sort by, a what-if's column
and value, a control of the fairness or uncertainty tab (its grouping, metric, a group's
decision threshold, the promised coverage). Python redraws only what the pick changes;
other tabs are drawn when first shown. Nothing the session has (its predictions, its audit) is
computed again.

``rw.Dashboard(session)`` shows this view where marimo displays it (marimo asks an object's
``_display_`` first): :func:`~rai_widgets.widgets.live_view.live_view_of` makes one per
Dashboard, linked both ways for the row, the slice and presenter mode. It runs in JupyterLab,
Notebook 7 and Voila too, as ``rw.SinglePageDashboard(session)``; unlike the other views it
carries no static picture (share a session with ``ModelSession.to_html``).

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
>>> view.tab = 1  # what a click on the "Examples" tab sends
>>> view.row_position, view.row_clicks = 3, 1  # and a click on the 4th row
>>> view.selected_row, "<h4>Row 3</h4>" in view.sections["examples"], sorted(view.sections)
(3, True, ['audit', 'examples'])
"""

from __future__ import annotations

import contextlib
from collections.abc import Hashable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anywidget
import pandas as pd
import traitlets

from rai_widgets.compute.table import page_count, page_of
from rai_widgets.core.arguments import check_fraction
from rai_widgets.core.errors import ValidationError
from rai_widgets.session.model_session import check_session
from rai_widgets.static_html import dashboard, examples, explanation
from rai_widgets.static_html.fairness import headline_metrics
from rai_widgets.static_html.page import safe, style_tag
from rai_widgets.views.audit import AuditModel
from rai_widgets.views.dashboard import (
    TABS,
    VIEWS,
    DashboardModel,
    dashboard_model,
    dashboard_summary,
)
from rai_widgets.views.groupings import check_selected_slice, open_finding
from rai_widgets.widgets.single_page_controls import (
    audit_section_html,
    choice_of,
    examples_section_html,
    header_html,
    slice_choices,
    sorted_column,
    sorted_place,
)
from rai_widgets.widgets.single_page_parts import TAB_STATE, PageControls

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = ["FOLLOW_THE_ROW", "FOLLOW_THE_SLICE", "SinglePageDashboard"]

_ASSETS = Path(__file__).parent / "assets"
#: The views a picked row redraws (the others do not show a case).
FOLLOW_THE_ROW = ("examples", "explanation", "uncertainty")
#: The views a picked slice redraws (the audit is of all rows).
FOLLOW_THE_SLICE = tuple(view for view in VIEWS if view != "audit")


class SinglePageDashboard(PageControls, anywidget.AnyWidget):
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
    selected_finding : traitlets.Int
        The row of :meth:`findings` whose evidence was last shown (-1: none).
    sort_by, ascending : traitlets
        The column the example rows are sorted by ("": the data's order), and its direction.
    presenter : traitlets.Bool
        Presenter mode.
    tab, page : traitlets.Int
        The tab shown (its place in ``tabs``) and the page of example rows (0-based).
    row_position, slice_choice, finding_row, sort_column : traitlets.Int
        What the front end sends: the place of a row clicked on the page, the place of the
        slice picked among :meth:`slice_choices` (Python keeps it on the slice followed), the
        row of :meth:`findings` of a "Show evidence" clicked, the place of a header clicked.
    row_clicks, finding_clicks, sort_clicks : traitlets.Int
        Click counters sent with them (a second click on the same place registers).
    highlighted, sorted_place : traitlets.Int
        The place of ``selected_row`` on the page shown, and of the header sorted by (-1: not
        there).
    header, sections : traitlets
        The HTML drawn: the summary, the "Every view follows" line and the slice picker, and
        each drawn tab's HTML by view name (a tab missing from it is drawn when shown).
    query, what_if_changes, test_cases, fairness_by, uncertainty_by, ... : traitlets
        The example rows' query, the case's what-if, the cases pinned, the fairness tab's
        grouping, metric and thresholds and the uncertainty tab's grouping and promised
        coverage (:class:`~.single_page_parts.PageControls`).
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
    slice_choice = traitlets.Int(0).tag(sync=True)
    finding_row = traitlets.Int(-1).tag(sync=True)
    finding_clicks = traitlets.Int(0).tag(sync=True)
    sort_column = traitlets.Int(-1).tag(sync=True)
    sort_clicks = traitlets.Int(0).tag(sync=True)
    sorted_place = traitlets.Int(-1).tag(sync=True)
    ascending = traitlets.Bool(True).tag(sync=True)
    sort_by = traitlets.Any("")
    selected_row = traitlets.Any(None, allow_none=True)
    selected_slice = traitlets.Any(None, allow_none=True)
    selected_finding = traitlets.Int(-1)
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
        self._page_size = page_size
        self._sentences: tuple[str, ...] | None = None  # the summary's: computed once
        self._keys: dict[Any, Any] = {}  # sorted orders per column (see examples.row_order)
        self._order = examples.row_order(session)
        self._choices = slice_choices(session, None)
        self._headers: list[str] = []  # of the example rows drawn last
        self._evidence: dict[str, Any] = {}  # what the last finding opened: its feature
        self._held: set[str] | None = None  # the views to redraw once (see _drawing_once)
        super().__init__()
        with self.hold_trait_notifications():
            self.confidence_level = confidence_level
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

    @traitlets.validate("sort_by")
    def _check_sort(self, proposal: dict) -> Any:
        # an unknown column raises ValidationError naming sort_by; the order is kept in _keys
        self._ordered(sort_by=proposal["value"])
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

    @traitlets.observe("slice_choice")
    def _slice_picked(self, change: dict) -> None:
        if 0 <= change["new"] < len(self._choices):
            self.selected_slice = self._choices[change["new"]][1]

    @traitlets.observe("finding_clicks")
    def _finding_clicked(self, change: dict) -> None:
        if 0 <= self.finding_row < len(self.findings()):
            self.show_evidence(self.finding_row)

    @traitlets.observe("sort_clicks")
    def _header_clicked(self, change: dict) -> None:
        if 0 <= self.sort_column < len(self._headers):
            column = sorted_column(self._headers, self.sort_column)
            if column == self.sort_by:
                self.ascending = not self.ascending
            else:
                with self._drawing_once():
                    self.ascending = True
                    self.sort_by = column

    @traitlets.observe("selected_row")
    def _row_changed(self, change: dict) -> None:
        if self._drawn():
            self._redraw(FOLLOW_THE_ROW)

    @traitlets.observe("selected_slice")
    def _slice_changed(self, change: dict) -> None:
        self._choices = slice_choices(self.session, change["new"])
        self.slice_choice = choice_of(self._choices, change["new"])
        with self._drawing_once():  # as the Dashboard's views regroup by a slice's column
            self.follow_slice_groupings(change["new"])
            self._reorder(FOLLOW_THE_SLICE)

    @traitlets.observe(*TAB_STATE)
    def _tab_state_changed(self, change: dict) -> None:
        with self._drawing_once():
            changed = self.tab_state_changed(change["name"])
            if self._drawn():
                self._redraw((changed,))

    @traitlets.observe("sort_by", "ascending", "query")
    def _sort_changed(self, change: dict) -> None:
        self._reorder(("examples",))

    def _reorder(self, changed: tuple[str, ...]) -> None:
        """Order the example rows again (a slice or a sort) from the first page."""
        self._order = self._ordered()
        with self._drawing_once():
            if self.page != 0:
                self.page = 0
            if self._drawn():
                self._redraw(changed)

    def _ordered(self, *, sort_by: Hashable | None = None) -> Any:
        return examples.row_order(
            self.session,
            query=self.query,
            slice=self.selected_slice,
            sort_by=self.sort_by if sort_by is None else sort_by,
            ascending=self.ascending,
            keys=self._keys,
        )

    @traitlets.observe("selected_finding")
    def _finding_changed(self, change: dict) -> None:
        if self._drawn():
            self._redraw(("audit",))

    @traitlets.observe("presenter")
    def _presenter_changed(self, change: dict) -> None:
        if self._drawn():  # every tab: each is drawn in presenter mode's type and words
            self._redraw(VIEWS)

    @traitlets.observe("page")
    def _page_changed(self, change: dict) -> None:
        if self._drawn():
            self._redraw(("examples",))

    @traitlets.observe("tab")
    def _tab_changed(self, change: dict) -> None:
        self._redraw(())  # draws the tab now shown, if a change left it to draw

    def show_evidence(self, finding: int) -> None:
        """Open a finding's evidence, as its "Show evidence" button does in the live
        Dashboard: select it, follow its slice (and the case whose counterfactuals are the
        evidence of a recourse finding), show its metric in the fairness tab or its feature
        in the explanation tab, and open the tab that shows it
        (:func:`~rai_widgets.views.groupings.open_finding` decides).

        Parameters
        ----------
        finding : int
            Its row of :meth:`findings`.

        Examples
        --------
        >>> import rai_widgets as rw
        >>> from sklearn.datasets import load_breast_cancer
        >>> from sklearn.linear_model import LogisticRegression
        >>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
        >>> large = X["mean radius"].gt(15).rename("large")
        >>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y,
        ...                     random_state=0, sensitive_features=large)
        >>> view = rw.SinglePageDashboard(s)
        >>> view.show_evidence(len(view.findings()))  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        rai_widgets.core.errors.ValidationError: finding must be a row of ...
        """
        frame = self.findings()
        if isinstance(finding, bool) or not isinstance(finding, int):
            finding = -1
        if not 0 <= finding < len(frame):
            raise ValidationError(
                f"finding must be a row of the audit's findings (0 to {len(frame) - 1}); "
                f"got {finding!r}."
            )
        s = self.session
        opened = open_finding(
            s, frame.iloc[finding], metrics=headline_metrics(s), alpha=s.audit().alpha
        )
        with self._drawing_once():
            if self.selected_finding == finding:
                self._redraw(("audit",))
            self.selected_finding = finding
            if opened.slice is not None:
                self.selected_slice = opened.slice
            if opened.row is not None:
                self.selected_row = opened.row
            if opened.metric is not None:
                self.fairness_metric = opened.metric
            if opened.feature is not None:
                self._evidence.update(feature=opened.feature, color_by=opened.color_by)
                self._redraw(("explanation",))
            if opened.view in VIEWS:
                self.tab = VIEWS.index(opened.view)

    def findings(self) -> pd.DataFrame:
        """The audit tab's findings, one per row (``AuditView.frame``: the session's audit,
        computed once); ``selected_finding`` and :meth:`show_evidence` count in it."""
        return AuditModel.from_audit(self.session.audit()).frame

    def slice_choices(self) -> list[tuple[str, dict | None]]:
        """The picker's choices, ``(label, slice)``; ``slice_choice`` is a place among them."""
        return list(self._choices)

    # -- drawing ---------------------------------------------------------------------------------
    def _drawn(self) -> bool:
        return bool(self.header)

    @contextlib.contextmanager
    def _drawing_once(self) -> Iterator[None]:
        """Redraw once, at the end, what the changes made inside ask to redraw."""
        outer = self._held is None
        if outer:
            self._held = set()
        try:
            yield
        finally:
            if outer:
                changed, self._held = self._held, None
                if self._drawn():
                    self._redraw(tuple(changed or ()))

    def page_positions(self) -> list[int]:
        """Positions (in X) of the example rows on the page shown, top to bottom."""
        return page_of(self._order, page=self.page, page_size=self._page_size).tolist()

    def shown_view(self) -> str:
        """The name of the view whose tab is shown ("audit", "examples", ...)."""
        return VIEWS[min(max(self.tab, 0), len(VIEWS) - 1)]

    def _redraw(self, changed: tuple[str, ...]) -> None:
        """Forget the ``changed`` tabs, and draw the one shown if it has no HTML."""
        if self._held is not None:
            self._held.update(changed)
            return
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
            self.sorted_place = sorted_place(self._headers, self.sort_by)

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
            confidence_level=self.confidence_level,
            n_rows=None if self.query else len(self._order),  # a query: the example rows only
            summary=self._sentences,
        )

    def header_html(self) -> str:
        """The summary box, the "Every view follows" line, the slice picker and the presenter
        switch, as HTML.

        Returns
        -------
        str
        """
        return header_html(self.view_model(), self._choices, self.slice_choice)

    def section_html(self, view: str) -> str:
        """One tab's HTML in the current state, as the Dashboard's static picture draws it
        (the audit with its "Show evidence" buttons, the example rows paged and sorted here).

        Parameters
        ----------
        view : str
            One of :data:`rai_widgets.views.dashboard.VIEWS`.

        Returns
        -------
        str
        """
        model, s, opened = self.view_model(), self.session, self._evidence
        css = "rai-dashboard" + (" rai-presenter" if model.presenter else "")
        if view == "audit":
            body = audit_section_html(s, presenter=model.presenter, selected=self.selected_finding)
        elif view == "examples":  # paged here: the front end sends the page
            body = self._examples_html()
        elif view == "fairness":  # with its controls: the grouping, metric, thresholds
            body = self.fairness_section_html()
        elif view == "uncertainty":  # with its controls: the promised coverage, grouping
            body = self.uncertainty_section_html(model.row)
        elif view == "explanation" and "feature" in opened:  # a proxy's or a leak's feature
            body = explanation.view_html(
                s,
                row=model.row,
                slice_by=model.explanation_slice_by,
                feature=opened["feature"],
                color_by=opened["color_by"],
                parts=("case", "dependence"),
            )
        else:  # as the static picture draws it, following what the model says
            body = dashboard.section_html(s, model, view)
        return f'<div class="{css}">{body}</div>'

    def _examples_html(self) -> str:
        html, headers = examples_section_html(
            self.session,
            page_of(self._order, page=self.page, page_size=self._page_size),
            n_rows=len(self._order),
            page=self.page,
            page_size=self._page_size,
            presenter=self.presenter,
            selected_row=self.selected_row,
            query_picker=self.query_picker_html(),
        )
        self._headers = headers  # for a click on one
        return html
