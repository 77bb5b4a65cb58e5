"""Dashboard: the audit and the four views, linked by one selected slice and one row.

The first tab says what to look at first (:class:`~rai_widgets.AuditView`): a clicked finding
selects its slice and opens the tab with its evidence. A row clicked in the example browser is
read by the explanation and uncertainty views; a group picked in the fairness view (or a slice
in the browser) is what the browser shows, the explanation compares and the uncertainty view
splits by. All over the kernel's comms: no server, port or CDN. Presenter mode enlarges the
type, puts the summary first, hides technical columns and keeps only the audit's concerns.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, random_state=0,
...                     sensitive_features=X["mean radius"].gt(15).rename("large"))
>>> board = rw.Dashboard(s)
>>> board.selected_row = 7
>>> board.explanation.row, board.uncertainty.row
(7, 7)
>>> board.selected_slice = {"large": True}
>>> board.examples.n_rows == int(X["mean radius"].gt(15).sum())
True
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import traitlets

from rai_widgets import formatting
from rai_widgets.core.arguments import check_fraction
from rai_widgets.core.errors import Cancelled, RaiWidgetsError
from rai_widgets.session.model_session import check_session
from rai_widgets.static_html import dashboard as static
from rai_widgets.static_html.page import error_box, style_tag
from rai_widgets.static_html.progress import (
    data_preview_html,
    still_computing_html,
)
from rai_widgets.views.dashboard import (
    TABS,
    VIEWS,
    DashboardModel,
    dashboard_model,
    dashboard_summary,
)
from rai_widgets.views.groupings import check_selected_slice
from rai_widgets.widgets.audit_view import AuditView
from rai_widgets.widgets.dashboard_links import (
    follow_finding,
    follow_slice,
    set_if_changed,
    slice_of_group,
    tab_view_name,
)
from rai_widgets.widgets.example_browser import ExampleBrowser
from rai_widgets.widgets.explanation_view import ExplanationView
from rai_widgets.widgets.fairness_view import FairnessView
from rai_widgets.widgets.fallback import StaticFallbackMixin
from rai_widgets.widgets.live_view import live_view_of
from rai_widgets.widgets.panes import html_pane, pane_property
from rai_widgets.widgets.progressive import (
    ProgressRow,
    WaitsForWork,
    cancelled_error,
    check_progressive,
    error_message,
    slow_to_predict,
)
from rai_widgets.widgets.uncertainty_view import UncertaintyView

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = ["Dashboard"]


def _built_view(name: str, kind: str) -> property:
    """The property that gives one of the dashboard's views (waiting until it is built)."""
    return property(lambda self: self._view(name), doc=f"The {kind} (waits until built).")


class Dashboard(StaticFallbackMixin, WaitsForWork, widgets.VBox):
    """What to look at first, example browser, explanations, fairness and uncertainty for one
    session, linked.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    presenter : bool, default False
        Presenter mode for stakeholder meetings: larger type, plain-language summary first,
        technical columns (raw scores, q-values) hidden, the audit's concerns only.
    confidence_level : float, default 0.9
        The coverage promised by the uncertainty view's prediction sets or intervals.

    Attributes
    ----------
    selected_row : traitlets.Any
        The label (in X's index) of the case every view shows; ``None``: none chosen.
    selected_slice : traitlets.Any
        ``{column: value}`` of the group every view follows; ``None``: all rows.
    presenter : traitlets.Bool
        Presenter mode, switchable at any time.
    audit : AuditView
        The first tab: the audit's findings; clicking one selects its slice (when it names one)
        and opens the tab that shows it.
    examples, explanation, fairness, uncertainty : widgets
        The four linked views (an ``ExampleBrowser``, ``ExplanationView``, ``FairnessView``
        and ``UncertaintyView``).
    summary : str
        The plain-language summary at the top (read-only).
    summary_html, following_html : str
        The summary box and the "Every view follows" line, as HTML (read-only properties).
    """

    selected_row = traitlets.Any(None, allow_none=True)
    selected_slice = traitlets.Any(None, allow_none=True)
    presenter = traitlets.Bool(False)
    summary = traitlets.Unicode("", read_only=True)
    tabs_ready = traitlets.Tuple((), read_only=True)
    status = traitlets.Unicode("computing", read_only=True)
    _display_ = live_view_of  # marimo shows what _display_() returns: its live view, one anywidget

    def __init__(
        self,
        session: ModelSession,
        *,
        presenter: bool = False,
        confidence_level: float = 0.9,
        progressive: bool | str = "auto",
    ) -> None:
        check_session(session)
        check_fraction(confidence_level, argument="confidence_level")
        check_progressive(progressive)
        self.session = session
        self._confidence_level = confidence_level
        self._views: dict[str, Any] = {}
        self._sentences: tuple[str, ...] = ()  # the summary's, computed once when built
        self._tab_errors: dict[str, str] = {}
        self._tab_done = {name: threading.Event() for name in VIEWS}  # filled in, or failed
        self._complete = threading.Event()  # the visible tab is complete (or failed)
        self._built = threading.Event()  # all four views are built and linked (or failed)
        self._job: Any = None
        self._builder: int | None = None  # the thread that builds the views
        self._stop = threading.Event()  # cancel() or close(): build nothing more
        self._idle = idle = threading.Event()  # no work runs for the dashboard
        idle.set()
        self._summary = html_pane("rai-dashboard-summary-box")
        self._following = html_pane("rai-dashboard-following")
        self._clear = widgets.Button(description="Show all rows", layout={"width": "150px"})
        self._clear.add_class("rai-dashboard-clear")
        self._presenter_box = widgets.Checkbox(description="Presenter mode", indent=False)
        self._presenter_box.add_class("rai-presenter-toggle")
        self._progress_box = ProgressRow(session.core.n_rows_, self.cancel, prefix="rai-dashboard")
        self._tabs = widgets.Tab(children=[html_pane("rai-dashboard-pending") for _ in TABS])
        for i, title in enumerate(TABS):
            self._tabs.set_title(i, title)
        self._tabs.add_class("rai-dashboard-tabs")
        super().__init__(
            [
                widgets.HTML(style_tag()),
                self._summary,
                widgets.HBox([self._following, self._clear, self._presenter_box]),
                self._progress_box,
                self._tabs,
            ]
        )
        self.add_class("rai-view")
        self.add_class("rai-dashboard")
        self._clear.on_click(lambda _: self.clear_slice())
        self._presenter_box.observe(lambda c: setattr(self, "presenter", c["new"]), names="value")
        self.presenter = presenter
        if progressive == "auto":
            progressive = not session.core.predictions_ready() and slow_to_predict(session)
        if progressive:
            self._start_in_background()
        else:
            self._progress_box.hide()
            self._build_views()
            if self.status == "error":
                raise RaiWidgetsError(self.error)

    # -- building, in the background when the model is slow ------------------------------------
    def _start_in_background(self) -> None:
        self._summary.value = static.summary_html(
            "Computing the model's answers for every row; each view fills in when its numbers "
            "are ready. The kernel stays free meanwhile."
        )
        self._tabs.children[0].value = data_preview_html(self.session)
        for pane in self._tabs.children[1:]:
            pane.value = '<p class="rai-note">Waiting for the model\'s answers.</p>'
        self._job = self.session.core.start_predictions()
        self._job.add_progress_callback(self._on_progress)
        self._job.add_done_callback(self._on_predictions)

    def _on_progress(self, job: Any) -> None:
        self._progress_box.show(job.rows_done, job.n_rows, job.seconds_left)

    def _on_predictions(self, job: Any) -> None:
        idle = self._idle
        assert idle is not None  # made in __init__
        idle.clear()
        try:
            if self._stop.is_set():  # cancelled as the last chunk came in
                return
            if job.error is not None:
                self._fail(job.error)
                return
            self._progress_box.show(job.n_rows, job.n_rows, 0.0)
            self._build_views()
        finally:
            idle.set()

    def _fail(self, err: BaseException) -> None:
        message = error_message(err)
        self.set_trait("error", message)
        self.set_trait("status", "error")
        self._progress_box.show_error(message)
        for pane in self._tabs.children:
            if isinstance(pane, widgets.HTML):
                pane.value = error_box(message)
        self._complete.set()
        self._built.set()
        for done in self._tab_done.values():
            done.set()

    def _build_views(self) -> None:
        """Build the views, the visible tab first, then link them."""
        self._builder = threading.get_ident()
        try:
            with self.session.core.consistent():
                visible = self._tabs.selected_index or 0
                for i in [visible, *(j for j in range(len(TABS)) if j != visible)]:
                    if self._stop.is_set():  # cancelled: no further view, no model call
                        return
                    name, view = VIEWS[i], self._make_view(i)
                    view.drop_stylesheet()  # the Dashboard's stylesheet serves every tab
                    self._views[name] = view
                    children = list(self._tabs.children)
                    children[i] = view
                    self._tabs.children = children
                    try:  # on screen first, then pane by pane (the audit check by check)
                        view.fill_in()
                    except Cancelled:
                        raise
                    except Exception as err:  # that tab shows its own error; the rest go on
                        self._tab_errors[name] = error_message(err)
                    self._tab_done[name].set()
                    self.set_trait("tabs_ready", (*self.tabs_ready, name))
                if self._stop.is_set():
                    return
                self._built.set()
                self._link()  # at once: a row clicked from now on is followed
                self._sentences = dashboard_summary(self.session)
                self.set_trait("summary", " ".join(self._sentences))
        except Exception as err:  # shown in the dashboard, and by wait() / the properties
            self._fail(err)
            return
        self._progress_box.hide()
        self._render_header()
        self.set_trait("status", "ready")
        self._complete.set()

    def _make_view(self, i: int) -> Any:
        s, name = self.session, VIEWS[i]
        # each view goes on screen with its controls, and draws when the dashboard says
        if name == "uncertainty":
            return UncertaintyView(s, confidence_level=self._confidence_level, progressive="later")
        make = {"audit": AuditView, "examples": ExampleBrowser, "explanation": ExplanationView}
        view = make.get(name, FairnessView)(s, progressive="later")
        if name in ("audit", "examples"):
            view.presenter = self.presenter
        return view

    def _link(self) -> None:
        # one selected row: the browser's click, or a row typed in the explanation view
        self.examples.observe(self._row_from_view, names="selected_row")
        self.explanation.observe(self._row_from_view, names="row")
        # one selected slice: a group picked in the fairness view, or a slice in the browser
        self.fairness.observe(self._slice_from_fairness, names="selected_slice")
        self.fairness.observe(
            lambda c: setattr(self, "selected_slice", c["new"]), names="selected_spot"
        )
        self.examples.observe(self._slice_from_browser, names="slice")
        # a finding clicked in the audit: its slice, and the tab that shows it
        self.audit.observe(self._finding_selected, names="selected_finding")
        # what was chosen while the views were computing
        if self.selected_row is not None:
            self._row_changed({"new": self.selected_row})
        if self.selected_slice is not None:
            self._slice_changed({"new": self.selected_slice})

    def _view(self, name: str) -> Any:
        # callers wait until the views are built and linked; the builder itself does not
        if threading.get_ident() != self._builder:
            self._complete.wait()
        if name not in self._views:
            raise RaiWidgetsError(
                f"The dashboard's {name} view could not be built: {self.error or 'cancelled'}"
            )
        return self._views[name]

    audit = _built_view("audit", "AuditView")
    examples = _built_view("examples", "ExampleBrowser")
    explanation = _built_view("explanation", "ExplanationView")
    fairness = _built_view("fairness", "FairnessView")
    uncertainty = _built_view("uncertainty", "UncertaintyView")

    def wait(self, timeout: float | None = None, *, tab: int | str | None = None) -> str:
        """Block until the dashboard is complete, or only until one tab is.

        Parameters
        ----------
        timeout : float, optional
            Seconds to wait at most (None: as long as it takes).
        tab : int or str, optional
            A tab (its place, view name such as "audit", or title): until it has filled in.

        Returns
        -------
        str
            "ready", "error" (the board or that tab failed), "computing" (``timeout`` passed).

        Examples
        --------
        >>> import rai_widgets as rw
        >>> from sklearn.datasets import load_breast_cancer
        >>> from sklearn.linear_model import LogisticRegression
        >>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
        >>> board = rw.Dashboard(rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y))
        >>> board.wait(tab="audit"), board.tabs_ready[0], board.wait()
        ('ready', 'audit', 'ready')
        """
        if tab is None:
            return super().wait(timeout)
        name = tab_view_name(tab)
        if not self._tab_done[name].wait(timeout):
            return "computing"
        if self.status == "error" or name in self._tab_errors:
            return "error"
        return "ready"

    @property
    def tab_errors(self) -> dict[str, str]:
        """What went wrong in each tab that could not be drawn, by view name; empty when every
        tab drew. A failing tab shows its error in place and leaves the others working."""
        return dict(self._tab_errors)

    @property
    def ready(self) -> bool:
        """Whether all the views are built (``status`` says whether the visible one is)."""
        return self._built.is_set() and self.status == "ready"

    def cancel(self) -> None:
        """Stop computing (the Cancel button): the status becomes "error", "Cancelled". The
        model stops between chunks, a view between its steps; nothing is built after the step
        under way (:meth:`wait` waits for it). A complete dashboard stays as it is."""
        complete = getattr(self, "_complete", None)
        if complete is None or complete.is_set():  # not started (a refused argument), or done
            return
        self._stop.set()
        job = getattr(self, "_job", None)
        if job is not None and not job.done:
            job.cancel()
        for view in list(self._views.values()):
            view.cancel()
        self._fail(cancelled_error())

    def close(self) -> None:
        """Close the widget, stopping any work still running for it."""
        self.cancel()
        super().close()

    # -- links ---------------------------------------------------------------------------------
    def _row_from_view(self, change: dict) -> None:
        if change["new"] is not None:
            self.selected_row = change["new"]

    def _slice_from_fairness(self, change: dict) -> None:
        self.selected_slice = slice_of_group(change["new"], self.fairness.grouping())

    def _finding_selected(self, change: dict) -> None:
        tab = follow_finding(self, change["new"])
        if tab is not None:
            self._tabs.selected_index = tab

    def _slice_from_browser(self, change: dict) -> None:
        if change["new"] is None or isinstance(change["new"], dict):
            self.selected_slice = change["new"] or None

    @traitlets.validate("selected_slice")
    def _check_slice(self, proposal: dict) -> Any:
        value = proposal["value"]
        if value is not None and not isinstance(value, dict):
            raise traitlets.TraitError(
                f"selected_slice must be None or a dict such as {{'sex': 'Female'}}; got {value!r}."
            )
        if value:  # refused before it is set: the header and the views never disagree
            try:
                check_selected_slice(self.session, value)
            except RaiWidgetsError as err:
                raise traitlets.TraitError(str(err)) from err
        return value or None

    @traitlets.observe("selected_row")
    def _row_changed(self, change: dict) -> None:
        row = change["new"]
        if row is None:
            self._render_header()  # the line no longer names a case
            return
        self.session.core.positions_of([row])  # an unknown label raises RowNotFoundError here
        if not self._built.is_set():
            return  # applied to the views once they are built
        set_if_changed(self.examples, "selected_row", row)
        set_if_changed(self.explanation, "row", row)
        set_if_changed(self.uncertainty, "row", row)
        self._render_header()

    @traitlets.observe("selected_slice")
    def _slice_changed(self, change: dict) -> None:
        if not self._built.is_set():
            return  # applied to the views once they are built
        follow_slice(self, change["new"])
        self._render_header()

    @traitlets.observe("presenter")
    def _presenter_changed(self, change: dict) -> None:
        (self.add_class if change["new"] else self.remove_class)("rai-presenter")
        self._presenter_box.value = change["new"]
        for name in ("audit", "examples"):
            if name in self._views:
                self._views[name].presenter = change["new"]

    def clear_slice(self) -> None:
        """Follow all rows again (the "Show all rows" button)."""
        self.selected_slice = None

    # -- header ----------------------------------------------------------------------------------
    def view_model(self) -> DashboardModel:
        """The board's :class:`~rai_widgets.views.dashboard.DashboardModel` now (the summary,
        what every view follows, each view's grouping); waits until the views are built."""
        return dashboard_model(
            self.session,
            selected_slice=self.selected_slice,
            selected_row=self.selected_row,
            presenter=self.presenter,
            confidence_level=self._confidence_level,
            # the slice's rows: every view follows the slice; a query narrows the browser alone
            summary=self._sentences,
        )

    def _render_header(self) -> None:
        if not self._built.is_set():
            return
        model = self.view_model()
        self._summary.value = static.summary_html(model.summary_text)
        self._following.value = static.following_html(model.slice, model.n_rows, model.row)
        self._clear.disabled = model.slice is None

    summary_html = pane_property("_summary", "The summary box at the top, as HTML.")

    following_html = pane_property(
        "_following", "The line saying what every view follows (slice, rows, case), as HTML."
    )

    # -- sharing -------------------------------------------------------------------------------
    def static_body(self) -> str:
        """The dashboard's current state as HTML without the stylesheet (``static_html()``
        carries it once for the whole page); a view not computed yet reads "still computing",
        never a broken picture."""
        if not self.ready:
            detail = (
                self.error
                if self.status == "error"
                else f"{formatting.count(self._progress_box.bar.value)} of "
                f"{formatting.count(self.session.core.n_rows_)} rows were predicted."
            )
            return static.page_html(
                self._summary.value,
                self._following.value,
                [still_computing_html(title, detail) for title in TABS],
                presenter=self.presenter,
            )
        model = self.view_model()
        return static.model_html(model, [self._view(name).static_body() for name in model.views])

    def to_html(self, path: str | Path, **kwargs: Any) -> Any:
        """Write a self-contained offline HTML file of this session (see
        ``ModelSession.to_html``); the grouping of the fairness view and presenter mode carry
        over unless given."""
        kwargs.setdefault("presenter", self.presenter)
        kwargs.setdefault("by", self.fairness.by)
        return self.session.to_html(path, **kwargs)
