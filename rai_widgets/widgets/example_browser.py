"""ExampleBrowser: every row of the data, page by page, with the model's answer and the why.

The table covers all rows (never truncated): the kernel keeps the order of the filtered, sorted
rows as positions and sends the browser one page at a time. Filters: a slice (``{"sex":
"Female"}``) and a query kind ("confident_errors", "ambiguous", ...). Wrong predictions are
highlighted. Clicking a row opens its details: prediction and confidence, the plain-language
reading and waterfall, similar real cases, a what-if editor and a pin button that adds the row
to a :class:`~rai_widgets.TestCases` set.

Python-side contract (tests and other views use it): traits ``page``, ``page_size``,
``sort_by``, ``ascending``, ``query``, ``slice``, ``selected_row``, read-only ``n_rows``,
:meth:`ExampleBrowser.current_page`, :meth:`~ExampleBrowser.what_if`,
:meth:`~ExampleBrowser.pin`, and the live ``table``. The rows' order and every piece of HTML come
from :mod:`rai_widgets.static_html.examples`.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.ensemble import RandomForestRegressor
>>> data = rw.datasets.load_wage()
>>> X = data.data[["year", "age"]]
>>> model = RandomForestRegressor(n_estimators=10, random_state=0).fit(X, data.target)
>>> s = rw.ModelSession(model, X, data.target, random_state=0)
>>> browser = rw.ExampleBrowser(s, page_size=5)
>>> browser.n_rows, len(browser.current_page())
(3000, 5)
>>> browser.sort_by = "age"
>>> browser.current_page()["age"].tolist() == sorted(X["age"])[:5]
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import numpy as np
import pandas as pd
import traitlets

from rai_widgets import formatting
from rai_widgets.compute.table import page_count, page_of
from rai_widgets.core.arguments import check_int
from rai_widgets.core.errors import RaiWidgetsError, ValidationError
from rai_widgets.session.model_session import check_session
from rai_widgets.static_html import examples as static
from rai_widgets.static_html.page import error_box, escape, safe, style_tag
from rai_widgets.static_html.progress import data_preview_html
from rai_widgets.testcases import TestCases
from rai_widgets.views.case import case_model
from rai_widgets.widgets.fallback import StaticFallbackMixin
from rai_widgets.widgets.progressive import ProgressiveView
from rai_widgets.widgets.table import PageTable

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = ["ExampleBrowser"]

QUERIES = static.QUERIES
HEADERS = static.HEADERS


class ExampleBrowser(StaticFallbackMixin, ProgressiveView, widgets.VBox):
    """Browse every row with the model's prediction; click one for its details.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    page_size : int, default 20
        Rows per page.
    test_cases : TestCases, optional
        Where the pin button adds rows (default: a new set named after the session).
    progressive : bool, "auto" or "later", default "auto"
        Show the view at once and fill it in while the model's answers are computed in the
        background ("auto": when predicting every row would keep you waiting). See
        :attr:`status`, :meth:`wait` and :meth:`cancel`. "later": show the controls now and
        draw the panes when :meth:`fill_in` is called.

    Attributes
    ----------
    page, page_size, sort_by, ascending, query, slice, selected_row : traitlets
        The view's state.
    presenter : traitlets.Bool
        Presenter mode: the model's raw scores (``score``, ``proba_*``) are hidden.
    n_rows : int
        Rows matching the current filter (read-only).
    test_cases : TestCases
        The pinned rows.
    table : PageTable
        The live table of the current page: its ``columns``, ``rows`` and ``flags`` are what
        the browser shows; setting its ``selected_index`` (a click on a row) or its
        ``sort_request`` and ``sort_clicks`` (a click on a header) acts as the user would.
    slice_picker, query_picker : ipywidgets.Dropdown
        The "Slice" and "Show" controls (picking a value sets ``slice`` / ``query``).
    status : str
        "computing", "ready" or "error" (read-only); :meth:`wait` blocks until it is not
        "computing".
    """

    page = traitlets.Int(0)
    page_size = traitlets.Int(20)
    sort_by = traitlets.Unicode("")
    ascending = traitlets.Bool(True)
    query = traitlets.Unicode("")
    slice = traitlets.Any(None, allow_none=True)
    selected_row = traitlets.Any(None, allow_none=True)
    presenter = traitlets.Bool(False)
    n_rows = traitlets.Int(0, read_only=True)

    def __init__(
        self,
        session: ModelSession,
        *,
        page_size: int = 20,
        test_cases: TestCases | None = None,
        progressive: bool | str = "auto",
    ) -> None:
        check_session(session)
        check_int(page_size, argument="page_size", minimum=1)
        self.session = session
        self.test_cases = test_cases if test_cases is not None else TestCases(session.name)
        self._order = np.arange(len(session.core.frame))
        self._keys: dict[Any, tuple] = {}  # sorted orders per column (see static.row_order)
        self._kinds = static.column_kinds(session)  # years and identifiers: no separators
        self._columns: tuple | None = None  # (model state, static.PageColumns) pages come from
        self.table = PageTable()
        self.table.add_class("rai-example-table")
        self._status = widgets.HTML()
        self._status.add_class("rai-example-status")
        kinds = [k for k in QUERIES if k in ("", "ambiguous") or static.query_applies(session, k)]
        self.query_picker = widgets.Dropdown(
            options=[(QUERIES[k], k) for k in kinds],
            description="Show",
            layout=widgets.Layout(width="300px"),
        )
        self.slice_picker = widgets.Dropdown(
            options=static.slice_options(session),
            description="Slice",
            layout=widgets.Layout(width="320px"),
        )
        self._prev = widgets.Button(description="Previous", layout=widgets.Layout(width="110px"))
        self._next = widgets.Button(description="Next", layout=widgets.Layout(width="110px"))
        self._prev.add_class("rai-prev")
        self._next.add_class("rai-next")
        self._detail = widgets.HTML()
        self._detail.add_class("rai-example-detail")
        self._identity = widgets.HTML()  # the identifier columns: live view only
        self._identity.add_class("rai-example-identity")
        self._what_column = widgets.Dropdown(
            options=[str(c) for c in session.core.frame.columns],
            description="What if",
            layout=widgets.Layout(width="260px"),
        )
        self._what_value = widgets.Text(
            placeholder="new value", layout=widgets.Layout(width="180px")
        )
        self._what_button = widgets.Button(description="Try it")
        self._what_button.add_class("rai-what-if-apply")
        self._what_value.add_class("rai-what-if-value")
        self._what_result = widgets.HTML()
        self._what_result.add_class("rai-what-if-result")
        self._pin_button = widgets.Button(description="Pin as test case")
        self._pin_button.add_class("rai-pin")
        self._pin_status = widgets.HTML()
        self._detail_box = widgets.VBox(
            [
                self._identity,
                self._detail,
                widgets.HBox([self._what_column, self._what_value, self._what_button]),
                self._what_result,
                widgets.HBox([self._pin_button, self._pin_status]),
            ]
        )
        self._detail_box.layout.display = "none"
        controls = widgets.HBox([self.query_picker, self.slice_picker, self._prev, self._next])
        super().__init__(
            [widgets.HTML(style_tag()), controls, self._status, self.table, self._detail_box]
        )
        self.add_class("rai-view")
        self.add_class("rai-example-browser")

        self.query_picker.observe(lambda c: setattr(self, "query", c["new"]), names="value")
        self.slice_picker.observe(self._on_slice_pick, names="value")
        self._prev.on_click(lambda _: setattr(self, "page", max(0, self.page - 1)))
        self._next.on_click(lambda _: setattr(self, "page", self.page + 1))
        self.table.observe(self._on_click_row, names="selected_index")
        self.table.observe(self._on_click_header, names="sort_clicks")
        self._what_button.on_click(lambda _: self._run_what_if())
        self._pin_button.on_click(lambda _: self.pin())
        self.page_size = page_size
        self.start_filling_in(
            [session],
            [self._first_draw, self._show_selected],
            [self._status],
            progressive=progressive,
            title="Examples",
        )
        if self.status == "computing":  # the data itself, while the model's answers come
            self._status.value = data_preview_html(session)

    # -- filtering and ordering ------------------------------------------------------------
    def _on_slice_pick(self, change: dict) -> None:
        picked = change["new"]
        self.slice = None if picked == "" else dict(picked)

    @traitlets.observe("query", "slice", "sort_by", "ascending")
    def _filter_changed(self, change: dict) -> None:
        if change["name"] == "query" and self.query_picker.value != change["new"]:
            self.query_picker.value = change["new"]
        if change["name"] == "slice":
            self._show_slice(change["new"])
        if self.draws_now():
            self._refilter()

    def _show_slice(self, slice_: Any) -> None:
        """Show a slice set from Python (or by a linked view) in the picker."""
        if slice_ is not None and not isinstance(slice_, dict):
            return  # a mask: nothing the picker can name
        value: str | tuple = "" if not slice_ else tuple(slice_.items())
        if value not in [v for _, v in self.slice_picker.options]:
            items = value if isinstance(value, tuple) else ()
            label = " & ".join(f"{c} = {formatting.label(v)}" for c, v in items)
            self.slice_picker.options = [*self.slice_picker.options, (label, value)]
        if self.slice_picker.value != value:
            self.slice_picker.value = value

    def _first_draw(self) -> None:
        """Order the rows, keeping a page chosen while the view was computing."""
        self._refilter(keep_page=True)

    def _refilter(self, *, keep_page: bool = False) -> None:
        with self.session.core.consistent():  # the model is fingerprinted once for order and page
            try:
                candidates = static.row_order(
                    self.session,
                    query=self.query,
                    slice=self.slice,
                    sort_by=self.sort_by,
                    ascending=self.ascending,
                    keys=self._keys,
                )
            except RaiWidgetsError as err:
                self._status.value = error_box(err)
                return
            self._order = candidates
            self.set_trait("n_rows", len(candidates))
            if keep_page and self.page >= page_count(len(candidates), self.page_size):
                self.page = page_count(len(candidates), self.page_size) - 1  # redraws
            elif self.page != 0 and not keep_page:
                self.page = 0  # its observer redraws
            else:
                self._draw()

    @traitlets.observe("page", "page_size", "presenter")
    def _page_changed(self, change: dict) -> None:
        if not self.draws_now():
            return  # drawn when the view fills in
        last = page_count(len(self._order), self.page_size) - 1
        if self.page > last:
            self.page = last
            return
        self._draw()

    # -- drawing -----------------------------------------------------------------------------
    def current_page(self, *, identifiers: bool = True) -> pd.DataFrame:
        """The rows shown now: the identifier columns (live view only), X's columns and the
        predictions, indexed by X's labels.

        Parameters
        ----------
        identifiers : bool, default True
            Put the session's identifier columns first. The saved static picture leaves them
            out: identifiers help find a case on screen but never leave the kernel.
        """
        positions = self._page_positions()
        if not identifiers:
            return static.page_frame(self.session, positions)
        return self._page_columns().frame(positions)

    def _page_positions(self) -> np.ndarray:
        """Row positions of the page shown."""
        return page_of(self._order, page=self.page, page_size=self.page_size)

    def _page_columns(self) -> static.PageColumns:
        """The columns pages are taken from, built again only when the model changes."""
        with self.session.core.consistent() as state:
            if self._columns is None or self._columns[0] != state.model:
                self._columns = (state.model, static.PageColumns(self.session))
            return self._columns[1]

    def _draw(self) -> None:
        with self.session.core.consistent():  # the model is fingerprinted once per page
            positions = self._page_positions()
            columns, rows, flags = static.page_cells_at(
                self._page_columns(), positions, presenter=self.presenter, kinds=self._kinds
            )
        self.table.show(
            columns=columns,
            rows=rows,
            flags=flags,
            sort_by=self.sort_by,
            ascending=self.ascending,
        )
        self._status.value = static.status_html(
            len(self._order), page=self.page, page_size=self.page_size
        )
        pages = page_count(len(self._order), self.page_size)
        self._prev.disabled = self.page == 0
        self._next.disabled = self.page >= pages - 1

    # -- interaction --------------------------------------------------------------------------
    def _on_click_header(self, change: dict) -> None:
        request = self.table.sort_request
        column = {v: k for k, v in HEADERS.items()}.get(request, request)
        if column == "row":
            column = ""  # the data's own order
        if column == self.sort_by:
            self.ascending = not self.ascending
        else:
            with self.hold_trait_notifications():
                self.ascending = True
                self.sort_by = column

    def _on_click_row(self, change: dict) -> None:
        index = change["new"]
        positions = self._page_positions()
        if 0 <= index < len(positions):
            self.selected_row = self.session.core.frame.index[positions[index]]

    @traitlets.observe("selected_row")
    def _selected(self, change: dict) -> None:
        if self.draws_now():
            self._show_selected()

    def _show_selected(self) -> None:
        row = self.selected_row
        if row is None:
            self._detail_box.layout.display = "none"
            return
        self._detail_box.layout.display = None
        self._what_result.value = ""
        self._pin_status.value = ""
        kinds = static.column_kinds(self.session)
        self._detail.value = safe(lambda: static.detail_html(case_model(self.session, row), kinds))
        self._identity.value = self.identity_html

    @property
    def identity_html(self) -> str:
        """The selected row's identifier columns (``identifier_columns`` of the session), as
        HTML; shown live above the details, never saved in the static picture."""
        ids = self.session.core.identifiers()
        if self.selected_row is None or not len(ids.columns):
            return ""
        values = ids.iloc[self.session.core.positions_of([self.selected_row])[0]]
        text = "; ".join(f"{k}: {formatting.value(v, 'identifier')}" for k, v in values.items())
        return f'<div class="rai-identity">{escape(text)}</div>'

    @property
    def detail_html(self) -> str:
        """The details pane of the selected row, as HTML ("" before a row is selected)."""
        return self._detail.value if self.selected_row is not None else ""

    @property
    def what_if_html(self) -> str:
        """The answer of the last what-if, as HTML."""
        return self._what_result.value

    def _parse_value(self, column: Any, text: str) -> Any:
        values = self.session.core.frame[column]
        if pd.api.types.is_numeric_dtype(values.dtype):
            try:
                number = float(text.replace(",", ""))
            except ValueError as err:
                raise ValidationError(f"{column!r} takes a number; got {text!r}.") from err
            return int(number) if number.is_integer() else number
        return text

    def what_if(self, column: Any, value: str) -> str:
        """Try a new value of one column for the selected row, as the what-if editor does.

        Parameters
        ----------
        column : column name (or its text)
            The column to change.
        value : str
            The new value as typed (a number for a numeric column).

        Returns
        -------
        str
            The answer shown under the editor (also :attr:`what_if_html`); an error box for a
            value the column cannot take.
        """
        self._what_column.value = str(column)
        self._what_value.value = str(value)
        self._run_what_if()
        return self._what_result.value

    def _run_what_if(self) -> None:
        row = self.selected_row
        if row is None:
            return
        column = next(
            c for c in self.session.core.frame.columns if str(c) == self._what_column.value
        )

        def answer() -> str:
            changes = {column: self._parse_value(column, self._what_value.value)}
            return static.what_if_html(self.session.what_if(row, changes))

        self._what_result.value = safe(answer)

    def pin(self) -> None:
        """Pin the selected row to :attr:`test_cases` (the "Pin as test case" button)."""
        if self.selected_row is None:
            return
        self.test_cases.pin(self.session, self.selected_row)
        self._pin_status.value = static.pinned_html(self.test_cases)

    # -- static fallback -----------------------------------------------------------------------
    def static_body(self) -> str:
        """The current page (and details) as HTML without the stylesheet (``static_html()``
        adds it once): the live table's columns in its order (the model's answer next to the
        row label), and the selected row; "still computing" before it is ready."""
        pending = self.computing_picture()
        if pending is not None:
            return pending
        page = static.page_table(
            self.current_page(identifiers=False), presenter=self.presenter, kinds=self._kinds
        )
        return "".join([self._status.value, page, self.detail_html])
