"""ExampleBrowser: every row of the data, page by page, with the model's answer and the why.

The table covers all rows (never truncated): the kernel keeps the order of the filtered, sorted
rows as positions and sends the browser one page at a time. Filters: a slice (``{"sex":
"Female"}``) and a query kind ("confident_errors", "ambiguous", ...). Wrong predictions are
highlighted. Clicking a row opens its details: prediction and confidence, the plain-language
reading and waterfall, similar real cases, a what-if editor and a pin button that adds the row
to a :class:`~rai_widgets.TestCases` set.

Python-side contract (tests and other views use it): traits ``page``, ``page_size``,
``sort_by``, ``ascending``, ``query``, ``slice``, ``selected_row``, read-only ``n_rows``, and
:meth:`ExampleBrowser.current_page`.

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

import html
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd
import traitlets

from rai_widgets.compute.examples import rank_examples
from rai_widgets.compute.explain_text import format_value
from rai_widgets.compute.table import page_count, page_of, sorted_positions
from rai_widgets.core.errors import RaiWidgetsError, ValidationError
from rai_widgets.display.explanation import WaterfallDisplay
from rai_widgets.testcases import TestCases
from rai_widgets.widgets.fallback import StaticFallbackMixin
from rai_widgets.widgets.table import PageTable

__all__ = ["ExampleBrowser"]

QUERIES = {
    "": "all rows",
    "confident_errors": "confident errors",
    "ambiguous": "ambiguous (near the boundary)",
    "large_errors": "largest errors",
}
TECHNICAL = ("score",)  # with proba_*: hidden in presenter mode
HEADERS = {"y_pred": "prediction", "y_true": "actual"}  # table headers a reader understands
_STYLE = """<style>
.rai-detail { font: 14px system-ui, -apple-system, 'Segoe UI', sans-serif; max-width: 900px; }
.rai-detail h4 { margin: 10px 0 4px 0; font-size: 15px; }
.rai-verdict { font-size: 16px; padding: 8px 12px; background: #f6f8fa; border-radius: 4px;
  border-left: 4px solid #0072b2; }
.rai-verdict.rai-wrong { border-left-color: #d55e00; }
.rai-small-table { border-collapse: collapse; font-size: 13px; }
.rai-small-table td, .rai-small-table th { padding: 3px 8px; border-bottom: 1px solid #eee;
  text-align: left; }
.rai-muted { color: #666; font-size: 13px; }
</style>"""


def _cell(value: Any) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (float, np.floating)) and not np.isnan(value):
        return f"{value:,.3f}" if abs(value) < 1000 else f"{value:,.0f}"
    return format_value(value)


def _small_table(frame: pd.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in ["row", *frame.columns])
    body = "".join(
        "<tr>"
        + f"<td>{html.escape(str(label))}</td>"
        + "".join(f"<td>{html.escape(_cell(v))}</td>" for v in row)
        + "</tr>"
        for label, row in zip(frame.index, frame.to_numpy(), strict=True)
    )
    return f'<table class="rai-small-table"><tr>{head}</tr>{body}</table>'


class ExampleBrowser(StaticFallbackMixin, widgets.VBox):
    """Browse every row with the model's prediction; click one for its details.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    page_size : int, default 20
        Rows per page.
    test_cases : TestCases, optional
        Where the pin button adds rows (default: a new set named after the session).

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
        self, session: Any, *, page_size: int = 20, test_cases: TestCases | None = None
    ) -> None:
        self.session = session
        self.test_cases = test_cases if test_cases is not None else TestCases(session.name)
        self._order = np.arange(len(session.X))
        self._keys: dict[str, np.ndarray] = {}
        self._table = PageTable()
        self._table.add_class("rai-example-table")
        self._status = widgets.HTML()
        self._status.add_class("rai-example-status")
        kinds = [k for k in QUERIES if k in ("", "ambiguous") or self._query_applies(k)]
        self._query_picker = widgets.Dropdown(
            options=[(QUERIES[k], k) for k in kinds],
            description="Show",
            layout=widgets.Layout(width="300px"),
        )
        self._slice_picker = widgets.Dropdown(
            options=self._slice_options(),
            description="Slice",
            layout=widgets.Layout(width="320px"),
        )
        self._prev = widgets.Button(description="Previous", layout=widgets.Layout(width="110px"))
        self._next = widgets.Button(description="Next", layout=widgets.Layout(width="110px"))
        self._prev.add_class("rai-prev")
        self._next.add_class("rai-next")
        self._detail = widgets.HTML()
        self._detail.add_class("rai-example-detail")
        self._what_column = widgets.Dropdown(
            options=[str(c) for c in session.X.columns],
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
                self._detail,
                widgets.HBox([self._what_column, self._what_value, self._what_button]),
                self._what_result,
                widgets.HBox([self._pin_button, self._pin_status]),
            ]
        )
        self._detail_box.layout.display = "none"
        controls = widgets.HBox([self._query_picker, self._slice_picker, self._prev, self._next])
        super().__init__(
            [widgets.HTML(_STYLE), controls, self._status, self._table, self._detail_box]
        )
        self.add_class("rai-view")
        self.add_class("rai-example-browser")

        self._query_picker.observe(lambda c: setattr(self, "query", c["new"]), names="value")
        self._slice_picker.observe(self._on_slice_pick, names="value")
        self._prev.on_click(lambda _: setattr(self, "page", max(0, self.page - 1)))
        self._next.on_click(lambda _: setattr(self, "page", self.page + 1))
        self._table.observe(self._on_click_row, names="selected_index")
        self._table.observe(self._on_click_header, names="sort_clicks")
        self._what_button.on_click(self._on_what_if)
        self._pin_button.on_click(self._on_pin)
        self.page_size = page_size
        self._refilter()

    # -- filtering and ordering ------------------------------------------------------------
    def _query_applies(self, kind: str) -> bool:
        has_y = self.session.y is not None
        if kind == "confident_errors":
            return has_y and self.session.task_ != "regression"
        if kind == "large_errors":
            return has_y and self.session.task_ == "regression"
        return True

    def _slice_options(self) -> list:
        options: list = [("all rows", "")]
        for column in self.session.sensitive_features_:
            values = self.session._column(column)
            if values.nunique() > 30:
                continue
            for value in sorted(values.dropna().unique().tolist(), key=str):
                options.append((f"{column} = {value}", ((column, value),)))
        return options

    def _on_slice_pick(self, change: dict) -> None:
        picked = change["new"]
        self.slice = None if picked == "" else dict(picked)

    def _keys_for(self, column: Any, ascending: bool) -> np.ndarray:
        """A sort key per row for ``column`` (cached): integers where the column allows it
        (numpy sorts them fastest), floats otherwise; missing values sort last either way."""
        if column not in self._keys:
            values = self._columns_frame(np.arange(len(self.session.X)), [column])[column]
            if pd.api.types.is_integer_dtype(values.dtype) or pd.api.types.is_bool_dtype(
                values.dtype
            ):
                up = values.to_numpy(dtype=np.int64)
                down = -up
            elif pd.api.types.is_numeric_dtype(values.dtype):
                up = values.to_numpy(dtype=float, na_value=np.nan)
                down = -up  # NaN stays NaN: last in both directions
            else:
                codes, uniques = pd.factorize(values, sort=True)
                top = len(uniques)
                up = np.where(codes < 0, top, codes).astype(np.int32)
                down = np.where(codes < 0, top, top - 1 - codes).astype(np.int32)
            self._keys[column] = (up, down)
        up, down = self._keys[column]
        return up if ascending else down

    def _columns_frame(self, positions: np.ndarray, columns: list | None = None) -> pd.DataFrame:
        """X's rows at ``positions`` next to their predictions (only the columns asked for)."""
        X = self.session.X
        preds = self.session.predictions()
        wanted = list(X.columns) + list(preds.columns) if columns is None else columns
        by_text = {str(c): c for c in [*X.columns, *preds.columns]}
        data = {}
        for column in wanted:
            if column not in X.columns and column not in preds.columns:
                column = by_text.get(str(column), column)  # a header's text for a name like 3
            source = preds if column in preds.columns and column not in X.columns else X
            if column not in source.columns:
                raise ValidationError(
                    f"sort_by={column!r} is not a column of the table; choose from "
                    f"{list(X.columns) + list(preds.columns)}."
                )
            data[column] = source[column].iloc[positions].to_numpy()
        return pd.DataFrame(data, index=X.index[positions])

    @traitlets.observe("query", "slice", "sort_by", "ascending")
    def _filter_changed(self, change: dict) -> None:
        if change["name"] == "query" and self._query_picker.value != change["new"]:
            self._query_picker.value = change["new"]
        if change["name"] == "slice":
            self._show_slice(change["new"])
        self._refilter()

    def _show_slice(self, slice_: Any) -> None:
        """Show a slice set from Python (or by a linked view) in the picker."""
        if slice_ is not None and not isinstance(slice_, dict):
            return  # a mask: nothing the picker can name
        value = "" if not slice_ else tuple(slice_.items())
        if value not in [v for _, v in self._slice_picker.options]:
            label = " & ".join(f"{c} = {v}" for c, v in value)
            self._slice_picker.options = [*self._slice_picker.options, (label, value)]
        if self._slice_picker.value != value:
            self._slice_picker.value = value

    def _refilter(self) -> None:
        session = self.session
        try:
            candidates = np.flatnonzero(session._slice_mask(self.slice))
            if self.query:
                candidates = self._ranked(candidates)
            if self.sort_by:
                keys = self._keys_for(self.sort_by, self.ascending)
                candidates = sorted_positions(candidates, keys, ascending=True)
        except RaiWidgetsError as err:
            self._status.value = f'<span class="rai-error">{html.escape(str(err))}</span>'
            return
        self._order = candidates
        self.set_trait("n_rows", len(candidates))
        if self.page != 0:
            self.page = 0  # its observer redraws
        else:
            self._draw()

    def _ranked(self, candidates: np.ndarray) -> np.ndarray:
        kind = self.query
        if kind not in QUERIES or not self._query_applies(kind):
            raise ValidationError(f"query must be one of {list(QUERIES)}; got {kind!r}.")
        s = self.session
        preds = s.predictions()
        if kind == "confident_errors":
            arrays = {
                "correct": preds["correct"].to_numpy(),
                "confidence": preds["confidence"].to_numpy(),
            }
        elif kind == "large_errors":
            arrays = {"abs_error": np.abs(preds["residual"].to_numpy())}
        else:
            arrays = {k: v for k, v in s._ambiguity(preds, 0.5).items() if k != "threshold"}
        positions, _ = rank_examples(kind, candidates=candidates, **arrays)
        return positions

    @traitlets.observe("page", "page_size", "presenter")
    def _page_changed(self, change: dict) -> None:
        last = page_count(len(self._order), self.page_size) - 1
        if self.page > last:
            self.page = last
            return
        self._draw()

    # -- drawing -----------------------------------------------------------------------------
    def current_page(self) -> pd.DataFrame:
        """The rows shown now: X's columns and the predictions, indexed by X's labels."""
        return self._columns_frame(page_of(self._order, page=self.page, page_size=self.page_size))

    def _draw(self) -> None:
        frame = self.current_page()
        # the model's answer first: a reader should not scroll right to find it
        answer = [c for c in ("y_pred", "y_true", "confidence", "residual") if c in frame]
        rest = [c for c in frame.columns if c not in answer and c != "correct"]
        if self.presenter:  # technical columns hidden for a stakeholder audience
            rest = [c for c in rest if c not in TECHNICAL and not str(c).startswith("proba_")]
        shown = frame[answer + rest]
        self._table.columns = ["row", *(HEADERS.get(c, str(c)) for c in shown.columns)]
        self._table.rows = [
            [_cell(label), *(_cell(v) for v in row)]
            for label, row in zip(shown.index, shown.to_numpy(), strict=True)
        ]
        flags = (
            (~frame["correct"].astype(bool)).tolist()
            if "correct" in frame
            else ([False] * len(frame))
        )
        self._table.flags = flags
        self._table.sort_by, self._table.ascending = self.sort_by, self.ascending
        self._table.selected_index = -1
        pages = page_count(len(self._order), self.page_size)
        self._status.value = (
            f'<span class="rai-muted">{len(self._order):,} rows match · page {self.page + 1:,} '
            f"of {pages:,} · click a row for details, a header to sort</span>"
        )
        self._prev.disabled = self.page == 0
        self._next.disabled = self.page >= pages - 1

    # -- interaction --------------------------------------------------------------------------
    def _on_click_header(self, change: dict) -> None:
        column = {v: k for k, v in HEADERS.items()}.get(
            self._table.sort_request, self._table.sort_request
        )
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
        positions = page_of(self._order, page=self.page, page_size=self.page_size)
        if 0 <= index < len(positions):
            self.selected_row = self.session.X.index[positions[index]]

    @traitlets.observe("selected_row")
    def _selected(self, change: dict) -> None:
        row = change["new"]
        if row is None:
            self._detail_box.layout.display = "none"
            return
        self._detail_box.layout.display = None
        self._what_result.value = ""
        self._pin_status.value = ""
        try:
            self._detail.value = self._detail_html(row)
        except RaiWidgetsError as err:
            self._detail.value = f'<div class="rai-error">{html.escape(str(err))}</div>'

    def _detail_html(self, row: Any) -> str:
        s = self.session
        position = s._positions_of([row])[0]
        preds = s.predictions().iloc[position]
        parts = [_STYLE, '<div class="rai-detail">', f"<h4>Row {html.escape(str(row))}</h4>"]
        if s.task_ == "regression":
            verdict = f"Predicted {preds['y_pred']:,.4g}"
            wrong = False
            if "y_true" in preds:
                verdict += f"; actual {preds['y_true']:,.4g} (off by {abs(preds['residual']):,.4g})"
        else:
            verdict = (
                f"Predicted {s.class_description(preds['y_pred'])} with "
                f"{preds['confidence']:.0%} confidence"
            )
            wrong = "correct" in preds and not bool(preds["correct"])
            if "y_true" in preds:
                verdict += f"; actually {s.class_description(preds['y_true'])}" + (
                    " — the model is wrong here" if wrong else ""
                )
        css = "rai-verdict rai-wrong" if wrong else "rai-verdict"
        parts.append(f'<div class="{css}">{html.escape(verdict)}.</div>')
        if s.task_ == "regression" or callable(getattr(s.model, "predict_proba", None)):
            parts.append(f"<p>{html.escape(s.explain_text(row))}</p>")
            parts.append(WaterfallDisplay.from_session(s, row).to_svg())
        similar = s.similar(row, n=5)
        keep = [c for c in ("distance", "y_true", "y_pred") if c in similar.columns]
        parts.append(f"<h4>Similar real cases</h4><p>{html.escape(similar.attrs['summary'])}</p>")
        shown = similar[list(s.X.columns[:4]) + keep].rename(columns=HEADERS)
        parts.append(_small_table(shown))
        parts.append("</div>")
        return "".join(parts)

    def _parse_value(self, column: Any, text: str) -> Any:
        values = self.session.X[column]
        if pd.api.types.is_numeric_dtype(values.dtype):
            try:
                number = float(text.replace(",", ""))
            except ValueError as err:
                raise ValidationError(f"{column!r} takes a number; got {text!r}.") from err
            return int(number) if number.is_integer() else number
        return text

    def _on_what_if(self, _button: Any) -> None:
        row = self.selected_row
        if row is None:
            return
        column = next(c for c in self.session.X.columns if str(c) == self._what_column.value)
        try:
            result = self.session.what_if(
                row, {column: self._parse_value(column, self._what_value.value)}
            )
            self._what_result.value = (
                f'<div class="rai-verdict">{html.escape(result.summary)}</div>'
            )
        except RaiWidgetsError as err:
            self._what_result.value = f'<div class="rai-error">{html.escape(str(err))}</div>'

    def _on_pin(self, _button: Any) -> None:
        if self.selected_row is None:
            return
        self.test_cases.pin(self.session, self.selected_row)
        self._pin_status.value = (
            f'<span class="rai-muted">Pinned: {len(self.test_cases)} case(s) in '
            f'"{html.escape(self.test_cases.name)}".</span>'
        )

    # -- static fallback -----------------------------------------------------------------------
    def static_html(self) -> str:
        """The current page (and details) as self-contained HTML."""
        frame = self.current_page()
        return "".join(
            [
                _STYLE,
                self._status.value,
                _small_table(frame),
                self._detail.value if self.selected_row is not None else "",
            ]
        )
