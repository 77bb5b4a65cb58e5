"""AuditView: what to look at first, each finding a click away from its evidence.

The concerns (then the notes) of ``session.audit()`` as items, each with a "Show evidence"
button (CSS class ``rai-audit-finding``); clicking one sets :attr:`AuditView.selected_finding`
to the finding's row in :attr:`AuditView.frame`. What passed is collapsed below. In a
:class:`~rai_widgets.Dashboard` the click selects the finding's slice and opens the tab that
shows it. Presenter mode shows the concerns only.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> large = X["mean radius"].gt(15).rename("large")
>>> model = LogisticRegression(max_iter=5000).fit(X, y)
>>> view = rw.AuditView(rw.ModelSession(model, X, y, random_state=0, sensitive_features=large))
>>> view.selected_finding
-1
>>> "What to look at first" in view.static_html()
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import pandas as pd
import traitlets

from rai_widgets.compute.audit import Audit
from rai_widgets.core.errors import Cancelled, RaiWidgetsError, ValidationError
from rai_widgets.session.checks.registry import CHECKS
from rai_widgets.session.model_session import check_session
from rai_widgets.static_html import audit as static
from rai_widgets.static_html.page import error_box, style_tag
from rai_widgets.views.audit import AuditModel
from rai_widgets.widgets.audit_evidence import show_evidence
from rai_widgets.widgets.fallback import StaticFallbackMixin
from rai_widgets.widgets.panes import html_pane, pane_property
from rai_widgets.widgets.progressive import ProgressiveView, check_progressive, slow_to_predict

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = ["AuditView"]

#: A finding's row, as made once: severity, its HTML, its evidence text, which of equal ones.
Key = tuple[str, str, str, int]


class AuditView(StaticFallbackMixin, ProgressiveView, widgets.VBox):
    """The audit's findings, ranked, each a click away from the view that shows it.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    presenter : bool, default False
        The concerns only (for a stakeholder meeting).
    audit : Audit, optional
        An audit already run (default: ``session.audit()``).
    run : bool, default True
        Run the audit now. With False (and no ``audit``) the view starts empty, saying the
        checks are running, and :meth:`fill_in` runs them, showing each check's findings as it
        ends (the Dashboard does so in its background work).
    progressive : bool, "auto" or "later", default "auto"
        With ``run``: show the view at once and run the audit in the background, check by
        check, once the model's answers are in ("auto": when predicting every row would keep
        you waiting). See :attr:`status`, :meth:`wait` and :meth:`cancel`. "later": as
        ``run=False``.

    Attributes
    ----------
    selected_finding : traitlets.Int
        The row of :attr:`frame` last clicked; -1: none.
    presenter : traitlets.Bool
        Presenter mode, switchable at any time.
    audit : Audit or None
        The audit shown (None if it could not run: the view shows why).
    frame : pandas.DataFrame
        ``audit.frame()``: one row per finding, concerns first (so far, while filling in).
    complete : bool
        Whether every check has run (False while :meth:`fill_in` is running).
    header_html, passed_html : str
        The heading with the counts, and what passed (read-only properties).
    buttons : dict of int to ipywidgets.Button
        The "Show evidence" button of each clickable finding, by its row in :attr:`frame`.
    status : str
        "computing", "ready" or "error" (read-only); :meth:`wait` blocks until it is not
        "computing".
    """

    selected_finding = traitlets.Int(-1)
    presenter = traitlets.Bool(False)

    def __init__(
        self,
        session: ModelSession,
        *,
        presenter: bool = False,
        audit: Any = None,
        run: bool = True,
        progressive: bool | str = "auto",
    ) -> None:
        check_session(session)
        check_progressive(progressive)
        if audit is not None and not isinstance(audit, Audit):
            raise ValidationError(
                f"audit must be the result of session.audit() (an Audit) or None; got "
                f"{type(audit).__name__}: {audit!r:.60}."
            )
        if progressive == "later":  # the view's own fill_in() runs the checks
            run, progressive = False, False
        if audit is not None or not run:
            progressive = False
        elif progressive == "auto":
            progressive = not session.core.predictions_ready() and slow_to_predict(session)
        run = run and not progressive  # in the background instead
        self.session = session
        self._error = ""
        self.audit: Audit | None = None
        self.model = AuditModel(checks_total=len(CHECKS))
        if audit is not None or run:
            try:
                self.audit = audit if audit is not None else session.audit()
                self.model = AuditModel.from_audit(self.audit)
            except RaiWidgetsError as err:  # shown in the view; the other tabs still work
                self._error = str(err)
                self.model = AuditModel()
        self._header = html_pane("rai-audit-header")
        self._passed = html_pane("rai-audit-passed-pane")
        self.buttons: dict[int, widgets.Button] = {}
        self._rows: dict[int, widgets.HBox] = {}
        self._more: dict[str, widgets.Button] = {}
        # each finding's row, made once (see _row_box), and its place in frame
        self._made: dict[Key, widgets.HBox] = {}
        self._in_use: set[Key] = set()
        self._row_of: dict[widgets.HBox, int] = {}
        self._concerns = widgets.VBox(self._items("concern"))
        self._notes = widgets.VBox(self._items("note"))
        self._unclear = widgets.VBox(self._items("unclear"))
        self._passed.value = static.passed_html(self.frame)
        super().__init__(
            [
                widgets.HTML(style_tag()),
                self._header,
                self._concerns,
                self._notes,
                self._unclear,
                self._passed,
            ]
        )
        self.add_class("rai-view")
        self.add_class("rai-audit-view")
        self.presenter = presenter
        self._render()
        self.start_filling_in(
            [session],
            [self.fill_in] if progressive else [],
            [self._header],
            progressive=progressive,
            title="What to look at first",
        )

    def _items(self, severity: str) -> list[widgets.Widget]:
        rows = self.frame[self.frame["severity"] == severity]
        if rows.empty:
            return []
        title = static.severity_heading(severity)
        items: list[widgets.Widget] = [
            widgets.HTML(f'<h4 class="rai-audit-heading">{title} ({len(rows)})</h4>')
        ]
        for i, row in rows.iterrows():
            box = self._row_box(severity, row, self._in_use)
            if isinstance(box.children[0], widgets.Button):  # its "Show evidence"
                self.buttons[int(i)] = box.children[0]
            self._rows[int(i)] = box
            self._row_of[box] = int(i)
            items.append(box)
        if len(rows) > static.MAX_SHOWN:  # the largest first; the rest one click away
            head = static.MAX_SHOWN + 1
            more = widgets.VBox(items[head:], layout={"display": "none"})
            label = static.more_text(len(rows) - static.MAX_SHOWN, severity)
            toggle = widgets.Button(
                description=label, layout={"width": "auto", "align_self": "flex-start"}
            )
            toggle.add_class("rai-audit-more")

            def flip(_: Any, more: widgets.VBox = more, label: str = label) -> None:
                shown = more.layout.display != "none"
                more.layout.display = "none" if shown else None
                toggle.description = label if shown else "Show fewer"

            toggle.on_click(flip)
            self._more[severity] = toggle
            items = [*items[:head], more, toggle]  # "Show fewer" ends the list it opened
        return items

    def _row_box(self, severity: str, row: pd.Series, in_use: set[Key]) -> widgets.HBox:
        """A finding's row: made once, and the same widget each time the findings are shown
        again while the audit fills in (a check's findings do not change once it has run).
        ``in_use`` gets its key (two findings that read the same get two rows)."""
        html, evidence = static.item_html(row, unit=self.model.unit), static.evidence_text(row)
        key = (severity, html, evidence, 0)
        while key in in_use:
            key = (*key[:3], key[3] + 1)
        in_use.add(key)
        box = self._made.get(key)
        if box is not None:
            return box
        children: list[widgets.Widget] = [widgets.HTML(html, layout={"flex": "1 1 auto"})]
        box = widgets.HBox()
        if evidence:
            button = widgets.Button(
                description="Show evidence",
                tooltip=evidence,
                layout={"width": "130px", "min_width": "130px"},
            )
            button.add_class("rai-audit-finding")
            button.on_click(lambda _, box=box: self.select(self._row_of[box]))
            children.insert(0, button)
        box.children = tuple(children)
        box.add_class("rai-audit-row")
        box.add_class(f"rai-audit-{severity}")
        self._made[key] = box
        return box

    def fill_in(self) -> None:
        """Run the audit (when the view was made with ``run=False``), showing each check's
        findings as soon as it ends; does nothing once complete.

        Examples
        --------
        >>> import rai_widgets as rw
        >>> from sklearn.datasets import load_breast_cancer
        >>> from sklearn.linear_model import LogisticRegression
        >>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
        >>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y)
        >>> view = rw.AuditView(s, run=False)
        >>> "checks are running" in view.header_html, view.complete
        (True, False)
        >>> view.fill_in()
        >>> view.complete, "What to look at first" in view.header_html
        (True, True)
        """
        if self.complete:
            return
        try:
            final = self.session.audit(progress=self._show)
        except RaiWidgetsError as err:
            self._error = str(err)
            final = None
        if final is None:
            self.model = AuditModel(self.model.frame, self.model.headline)
        self._show(final)

    def _show(self, audit: Audit | None) -> None:
        """Show an audit (the one so far while filling in), keeping no stale selection."""
        if self.status == "error" and not self.complete:  # cancelled: stop at the next check
            raise Cancelled("Cancelled: the audit was stopped.")
        if audit is not None:
            self.audit = audit
            total = max(len(CHECKS), len(audit.checks))
            self.model = AuditModel.from_audit(audit, checks_total=total)
        if self.selected_finding != -1:
            self.selected_finding = -1
        self.buttons, self._rows, self._more, self._in_use = {}, {}, {}, set()
        self._concerns.children = self._items("concern")
        self._notes.children = self._items("note")
        self._unclear.children = self._items("unclear")
        for key in set(self._made) - self._in_use:  # a finding no longer shown: its widgets go
            box = self._made.pop(key)
            for widget in (*box.children, box):
                widget.close()
            self._row_of.pop(box, None)
        self._passed.value = static.passed_html(self.frame)
        self._render()

    def show_all(self) -> None:
        """Show every finding (the "Show N more" buttons), e.g. before a screenshot."""
        for toggle in self._more.values():
            if toggle.description != "Show fewer":
                toggle.click()

    def select(self, i: int) -> None:
        """Select finding ``i`` (a click on its button), even if it was selected already.

        Parameters
        ----------
        i : int
            Its row in :attr:`frame`.
        """
        if self.selected_finding == i:
            self.selected_finding = -1  # so that observers hear a second click
        self.selected_finding = i

    def finding(self, i: int | None = None) -> pd.Series | None:
        """A finding (default: the selected one) as a row of :attr:`frame`, or None.

        Parameters
        ----------
        i : int, optional
            Its row in :attr:`frame`.

        Returns
        -------
        pandas.Series or None
        """
        i = self.selected_finding if i is None else i
        return None if i < 0 else self.frame.iloc[i]

    @traitlets.validate("selected_finding")
    def _check_finding(self, proposal: dict) -> int:
        i = proposal["value"]
        if i < -1 or i >= len(self.frame):
            raise traitlets.TraitError(
                f"selected_finding must be -1 or a row of the audit (0 to "
                f"{len(self.frame) - 1}); got {i}."
            )
        return i

    @traitlets.observe("selected_finding")
    def _finding_changed(self, change: dict) -> None:
        for i, box in self._rows.items():
            if i == change["new"]:
                box.add_class("rai-audit-selected")
            else:
                box.remove_class("rai-audit-selected")
            show_evidence(box, self.audit, self.frame.iloc[i] if i == change["new"] else None)

    @traitlets.observe("presenter")
    def _presenter_changed(self, change: dict) -> None:
        if getattr(self, "_header", None) is not None:
            self._render()

    def _render(self) -> None:
        if self._error:
            self._header.value = error_box(self._error)
        elif self.complete:
            self._header.value = static.header_html(
                self.frame, presenter=self.presenter, headline=self.model.headline
            )
        else:
            self._header.value = static.running_html(
                self.frame, done=self.model.checks_done, total=self.model.checks_total
            )
        hidden = "none" if self.presenter else None
        self._notes.layout.display = hidden
        self._unclear.layout.display = hidden
        self._passed.layout.display = hidden

    header_html = pane_property("_header", "The heading and the count of findings, as HTML.")
    passed_html = pane_property("_passed", "What passed, collapsed, as HTML.")

    def static_body(self) -> str:
        """The current state as HTML, without the stylesheet (``static_html()`` adds it
        once)."""
        pending = self.computing_picture()
        if pending is not None and (self.status == "error" or self.model.checks_done == 0):
            return pending
        if self._error:
            return error_box(self._error)
        if not self.complete:  # the findings so far, never a run of the audit here
            return self._header.value
        return static.model_html(self.model, presenter=self.presenter)

    @property
    def frame(self) -> pd.DataFrame:
        """``audit.frame()``: one row per finding, concerns first (so far, while filling
        in)."""
        return self.model.frame

    @property
    def complete(self) -> bool:
        """Whether every check has run (False while :meth:`fill_in` is running)."""
        return self.model.complete
