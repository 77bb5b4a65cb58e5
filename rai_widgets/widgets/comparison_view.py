"""ComparisonView: two models on the same rows — where the new one is better, worse, different.

A plain-language summary (how often each is right, how many answers changed, how many errors
were fixed and how many new ones made), the paired difference per group with 95% bounds (a
chart and a table; low-support groups marked), and the rows where the two disagree, the most
confident disagreements first. State in traitlets: ``by`` and ``metric``.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> large = X["mean radius"].gt(15).rename("large")
>>> a = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, name="v1",
...                     sensitive_features=large)
>>> b = rw.ModelSession(LogisticRegression(C=0.001, max_iter=5000).fit(X, y), X, y, name="v2",
...                     sensitive_features=large)
>>> view = rw.ComparisonView(a, b)
>>> view.by, view.metric
('large', 'accuracy')
>>> "v2" in view.summary
True
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets
import numpy as np
import traitlets

from rai_widgets._session_comparison import COMPARABLE
from rai_widgets.compute.explain_text import format_value
from rai_widgets.core.errors import RaiWidgetsError
from rai_widgets.display.fairness import group_label
from rai_widgets.display.svg import bar_chart
from rai_widgets.widgets.fallback import StaticFallbackMixin

__all__ = ["ComparisonView"]

_STYLE = """<style>
.rai-cmp { font: 13px system-ui, -apple-system, 'Segoe UI', sans-serif; max-width: 900px; }
.rai-cmp .rai-reading { font-size: 16px; line-height: 1.5; padding: 10px 14px;
  background: #f6f8fa; border-left: 4px solid #0072b2; border-radius: 4px; }
.rai-cmp table { border-collapse: collapse; margin: 6px 0; }
.rai-cmp th, .rai-cmp td { padding: 3px 8px; border-bottom: 1px solid #eee; text-align: right; }
.rai-cmp th:first-child, .rai-cmp td:first-child { text-align: left; white-space: nowrap; }
.rai-cmp tr.rai-low td { color: #888; font-style: italic; }
.rai-cmp .rai-note { color: #666; font-size: 12px; }
.rai-error { color: #8a1c1c; background: #fdecea; padding: 8px 12px; border-radius: 4px; }
</style>"""

_WORDS = {  # what the metric says of a row, and which direction is better (None: neither)
    "accuracy": ("right", "higher"),
    "selection_rate": ("selected", None),
    "mae": ("mean absolute error", "lower"),
}


def _fmt(metric: str, value: float) -> str:
    if not np.isfinite(value):
        return "–"
    return f"{value:,.3g}" if metric == "mae" else f"{value:.1%}"


def _signed(metric: str, value: float) -> str:
    if not np.isfinite(value):
        return "–"
    return f"{value:+,.3g}" if metric == "mae" else f"{value * 100:+.1f} pts"


def _cell(column: str, value: Any) -> str:
    if str(column).startswith("confidence_"):
        return f"{value:.0%}"
    return format_value(value)


class ComparisonView(StaticFallbackMixin, widgets.VBox):
    """Model A against model B on the same rows, overall, per group and row by row.

    Parameters
    ----------
    session_a, session_b : ModelSession
        The two models on the same X (and y); A is the reference (e.g. the model in use).
    by : column name, optional
        Groups of the table and chart (default: A's first sensitive feature).
    metric : str, optional
        "accuracy" (default for classification), "selection_rate" (binary) or "mae"
        (default for regression).

    Attributes
    ----------
    by, metric : traitlets
        The view's state.
    summary : str
        The plain-language summary (read-only).
    table_ : pandas.DataFrame
        ``session_a.compare(session_b, by=by, metric=metric)``.
    """

    by = traitlets.Any(None, allow_none=True)
    metric = traitlets.Unicode("")
    summary = traitlets.Unicode("", read_only=True)

    def __init__(self, session_a: Any, session_b: Any, *, by: Any = None, metric: str = "") -> None:
        session_a._check_comparable(session_b)  # fail before drawing anything
        self.a, self.b = session_a, session_b
        sensitive = list(session_a.sensitive_features_)
        self._by_picker = widgets.Dropdown(
            options=[("all rows", None), *[(str(c), c) for c in sensitive]],
            description="Group by",
        )
        self._metric_picker = widgets.Dropdown(
            options=list(COMPARABLE[session_a.task_]), description="Compare"
        )
        self._summary = widgets.HTML()
        self._groups = widgets.HTML()
        self._rows = widgets.HTML()
        for w, css in (
            (self._summary, "rai-comparison-summary"),
            (self._groups, "rai-comparison-groups"),
            (self._rows, "rai-comparison-rows"),
        ):
            w.add_class(css)
        super().__init__(
            [
                widgets.HTML(_STYLE),
                self._summary,
                widgets.HBox([self._by_picker, self._metric_picker]),
                self._groups,
                self._rows,
            ]
        )
        self.add_class("rai-view")
        self.add_class("rai-comparison-view")
        self._by_picker.observe(lambda c: setattr(self, "by", c["new"]), names="value")
        self._metric_picker.observe(lambda c: setattr(self, "metric", c["new"]), names="value")
        with self.hold_trait_notifications():
            self.metric = metric or COMPARABLE[session_a.task_][0]
            self.by = by if by is not None else (sensitive[0] if sensitive else None)
        self._render()
        self._render_rows()

    @traitlets.observe("by", "metric")
    def _changed(self, change: dict) -> None:
        picker = self._by_picker if change["name"] == "by" else self._metric_picker
        if picker.value != change["new"]:
            if change["name"] == "by" and change["new"] not in [v for _, v in picker.options]:
                picker.options = [*picker.options, (str(change["new"]), change["new"])]
            picker.value = change["new"]
        if getattr(self, "_groups", None) is not None and self.metric:
            self._render()

    def _render(self) -> None:
        try:
            overall = self.a.compare(self.b, metric=self.metric).iloc[0]
            table = self.a.compare(self.b, by=self.by, metric=self.metric)
        except RaiWidgetsError as err:
            self._groups.value = f'<div class="rai-error">{html.escape(str(err))}</div>'
            return
        self.table_ = table
        self.set_trait("summary", self._summary_text(overall))
        self._summary.value = (
            f'<div class="rai-cmp"><div class="rai-reading">{html.escape(self.summary)}</div></div>'
        )
        m = self.metric
        labels = [group_label(k) for k in table.index]
        chart = bar_chart(
            labels,
            table["difference"],
            lo=table["difference_lo"],
            hi=table["difference_hi"],
            title=f"{self.b.name} minus {self.a.name}: {m} by group",
            note="Paired 95% bounds; bars whose bounds cross zero: no change the data can show.",
            fmt=lambda v: _signed(m, v),
            width=700,
        )
        rows = []
        for label, (_, r) in zip(labels, table.iterrows(), strict=True):
            css, note = (' class="rai-low"', " (few rows)") if r["low_support"] else ("", "")
            rows.append(
                f"<tr{css}><td>{html.escape(label)}{note}</td><td>{int(r['n']):,}</td>"
                f"<td>{_fmt(m, r['a'])}</td><td>{_fmt(m, r['b'])}</td>"
                f"<td>{_signed(m, r['difference'])} ({_signed(m, r['difference_lo'])} to "
                f"{_signed(m, r['difference_hi'])})</td><td>{r['changed']:.1%}</td></tr>"
            )
        self._groups.value = (
            f'{chart}<div class="rai-cmp"><table><tr><th>group</th><th>rows</th>'
            f"<th>{html.escape(self.a.name)}</th><th>{html.escape(self.b.name)}</th>"
            "<th>difference (95%)</th><th>answers changed</th></tr>"
            f"{''.join(rows)}</table></div>"
        )

    def _summary_text(self, overall: Any) -> str:
        m, a, b = self.metric, self.a.name, self.b.name
        word, better = _WORDS[m]
        if m == "mae":
            text = f"{b}'s {word} is {_fmt(m, overall['b'])} against {a}'s {_fmt(m, overall['a'])}"
        else:
            text = f"{b} is {word} for {_fmt(m, overall['b'])} of rows, {a} for " + _fmt(
                m, overall["a"]
            )
        d, lo, hi = overall["difference"], overall["difference_lo"], overall["difference_hi"]
        bounds = f"{_signed(m, d)}, 95% bounds {_signed(m, lo)} to {_signed(m, hi)}"
        if lo <= 0 <= hi:
            text += f" ({bounds}): a difference the data cannot tell from chance."
        else:
            text += f" ({bounds}" + (f"; {better} is better)." if better else ").")
        n = int(overall["n"])
        changed = int(np.rint(overall["changed"] * n))
        text += f" Their answers differ on {changed:,} of {n:,} rows"
        if self.a.task_ != "regression" and self.a.y is not None:
            right_a = self.a.predictions()["correct"].to_numpy(dtype=bool)
            right_b = self.b.predictions()["correct"].to_numpy(dtype=bool)
            fixed, broken = int((right_b & ~right_a).sum()), int((right_a & ~right_b).sum())
            text += f": {b} fixes {fixed:,} of {a}'s errors and makes {broken:,} new ones"
        return text + "."

    def _render_rows(self) -> None:
        try:
            rows = self.a.disagreements(self.b, n=15)
        except RaiWidgetsError as err:
            self._rows.value = f'<div class="rai-error">{html.escape(str(err))}</div>'
            return
        answer = [c for c in rows.columns if c not in self.a.X.columns]
        names = {
            "y_true": "actual",
            "y_pred_a": self.a.name,
            "y_pred_b": self.b.name,
            "confidence_a": f"{self.a.name} confidence",
            "confidence_b": f"{self.b.name} confidence",
        }
        shown = rows[answer + list(self.a.X.columns[:6])]
        head = "".join(
            f"<th>{html.escape(str(names.get(c, c)))}</th>" for c in ["row", *shown.columns]
        )
        body = "".join(
            "<tr>"
            + f"<td>{html.escape(str(label))}</td>"
            + "".join(
                f"<td>{html.escape(_cell(c, v))}</td>"
                for c, v in zip(shown.columns, row, strict=True)
            )
            + "</tr>"
            for label, row in zip(shown.index, shown.to_numpy(), strict=True)
        )
        what = (
            "the furthest apart first"
            if self.a.task_ == "regression"
            else "the most confident disagreements first"
        )
        self._rows.value = (
            f'<div class="rai-cmp"><b>Where they disagree</b> ({what}):'
            f"<table><tr>{head}</tr>{body}</table></div>"
        )

    def static_html(self) -> str:
        """The current state as self-contained HTML."""
        return _STYLE + self._summary.value + self._groups.value + self._rows.value
