"""Helpers of the model card: number formats, escaping, a small document model and its renderers.

A card is built as a list of blocks (:class:`Heading`, :class:`Para`, :class:`Bullets`,
:class:`Table`) holding plain text; the renderers escape every piece of text, so a column name,
category value or model name taken from data can never become Markdown or HTML markup.

Examples
--------
>>> md_escape("<img src=x onerror=alert(1)> a|b")
'&lt;img src=x onerror=alert(1)&gt; a\\\\|b'
>>> fmt_value("accuracy", 0.8612), fmt_value("mae", 23.456), fmt_value("auc", 0.91234)
('86.1%', '23.46', '0.912')
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from rai_widgets.core.validation import is_numeric

__all__ = [
    "Bullets",
    "Heading",
    "Para",
    "Strong",
    "Table",
    "describe_model",
    "fmt_bounds",
    "fmt_diff",
    "fmt_value",
    "group_text",
    "is_proportion",
    "md_escape",
    "metric_label",
    "records",
    "render_html",
    "render_markdown",
]

# -- metrics: kinds, names, formats -------------------------------------------------------------
_PROPORTION_BASES = ("selection_rate", "tpr", "fpr", "fnr", "precision", "macro_")
_LABELS = {
    "accuracy": "Accuracy",
    "selection_rate": "Selection rate",
    "tpr": "True positive rate",
    "fpr": "False positive rate",
    "fnr": "False negative rate",
    "precision": "Precision",
    "auc": "AUC",
    "brier": "Brier score",
    "macro_tpr": "Balanced accuracy (macro TPR)",
    "macro_fpr": "Macro false positive rate",
    "macro_fnr": "Macro false negative rate",
    "macro_precision": "Macro precision",
    "mae": "Mean absolute error",
    "rmse": "Root mean squared error",
    "mean_prediction": "Mean prediction",
    "mean_residual": "Mean residual (true minus predicted)",
    "coverage": "Coverage",
}
HIGHER_IS_BETTER = {"accuracy", "tpr", "precision", "auc", "macro_tpr", "macro_precision"}
LOWER_IS_BETTER = {"fpr", "fnr", "brier", "mae", "rmse", "macro_fpr", "macro_fnr"}


def _base(metric: str) -> str:
    """The metric family: "tpr_setosa" -> "tpr" (one-vs-rest rates of a multiclass task)."""
    if metric in _LABELS:
        return metric
    for base in ("selection_rate", "tpr", "fpr", "fnr", "precision"):
        if metric.startswith(base + "_"):
            return base
    return metric


def is_proportion(metric: str) -> bool:
    """Whether a metric is a share of rows (shown as a percentage)."""
    return metric in ("accuracy", "coverage") or metric.startswith(_PROPORTION_BASES)


def direction(metric: str) -> int:
    """+1 when higher is better, -1 when lower is better, 0 when neither (a rate of choices)."""
    base = _base(metric)
    return 1 if base in HIGHER_IS_BETTER else -1 if base in LOWER_IS_BETTER else 0


def metric_label(metric: str) -> str:
    """A readable name: "tpr_setosa" -> "True positive rate (setosa)"."""
    if metric in _LABELS:
        return _LABELS[metric]
    base = _base(metric)
    if base != metric and base in _LABELS:
        return f"{_LABELS[base]} ({metric[len(base) + 1 :]})"
    return metric


def _finite(value: Any) -> bool:
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def fmt_number(value: Any) -> str:
    """A value in the target's units: two decimals, three significant digits below 0.1."""
    if not _finite(value):
        return "–"
    value = float(value)
    return f"{value:,.2f}" if value == 0 or abs(value) >= 0.1 else f"{value:.3g}"


def fmt_value(metric: str, value: Any) -> str:
    """How the card writes a metric: proportions as "86.1%", AUC/Brier/ECE to 3 decimals."""
    if not _finite(value):
        return "–"
    if is_proportion(metric):
        return f"{100 * float(value):.1f}%"
    if metric in ("auc", "brier", "ece"):
        return f"{float(value):.3f}"
    return fmt_number(value)


def fmt_bounds(metric: str, lo: Any, hi: Any) -> str:
    """95% bounds as "85.8% to 86.4%" ("–" when there are none)."""
    if not (_finite(lo) and _finite(hi)):
        return "–"
    return f"{fmt_value(metric, lo)} to {fmt_value(metric, hi)}"


def fmt_diff(metric: str, value: Any) -> str:
    """A signed difference: percentage points for proportions ("+3.2 pts")."""
    if not _finite(value):
        return "–"
    value = float(value)
    if is_proportion(metric):
        return f"{100 * value:+.1f} pts"
    if metric in ("auc", "brier", "ece"):
        return f"{value:+.3f}"
    sign = "+" if value >= 0 else "-"
    return sign + fmt_number(abs(value))


def fmt_count(n: Any) -> str:
    """A row count with a thousands separator."""
    return f"{int(n):,}"


def group_text(label: Any) -> str:
    """A slice label as text: intersections joined with " & ", missing values as "(missing)"."""
    if isinstance(label, tuple):
        return " & ".join(group_text(part) for part in label)
    if label is None or (isinstance(label, float) and math.isnan(label)):
        return "(missing)"
    return str(label)


# -- the model, in one line -------------------------------------------------------------------
def _column_names(columns: Any, names_in: list) -> list | None:
    """The column names a ColumnTransformer entry selects (None when it cannot tell)."""
    try:
        if isinstance(columns, (str, bytes)):
            return [columns]
        if isinstance(columns, (int, np.integer)):
            return [names_in[int(columns)]]
        if isinstance(columns, slice):
            return list(names_in[columns])
        if callable(columns):
            return None
        array = np.asarray(columns)
        if array.dtype == bool:
            return [name for name, keep in zip(names_in, array, strict=True) if keep]
        if array.dtype.kind in "iu":
            return [names_in[int(i)] for i in array]
        return list(array.tolist())
    except (IndexError, TypeError, ValueError):
        return None


def _count_columns(names: list, X: pd.DataFrame) -> str:
    n = len(names)
    known = [name for name in names if name in X.columns]
    if len(known) < n:
        return f"{n} column{'s' if n != 1 else ''}"
    numeric = sum(is_numeric(X[name]) for name in known)
    text = n - numeric
    if numeric == 0:
        return f"{n} text column{'s' if n != 1 else ''}"
    if text == 0:
        return f"{n} numeric column{'s' if n != 1 else ''}"
    return f"{n} columns ({text} text, {numeric} numeric)"


def _is_passthrough(transformer: Any) -> bool:
    return type(transformer).__name__ == "FunctionTransformer" and (
        getattr(transformer, "func", 0) is None
    )


def _describe(estimator: Any, X: pd.DataFrame, *, inner: bool = False) -> str:
    steps = getattr(estimator, "steps", None)
    if isinstance(steps, list) and steps and all(isinstance(s, tuple) for s in steps):
        parts = [
            _describe(step, X, inner=True)
            for _, step in steps
            if step is not None and step != "passthrough"
        ]
        text = " -> ".join(parts)
        return f"({text})" if inner and len(parts) > 1 else text
    fitted = getattr(estimator, "transformers_", None)
    if isinstance(fitted, list):
        names_in = list(getattr(estimator, "feature_names_in_", X.columns))
        parts = []
        for _, transformer, columns in fitted:
            names = _column_names(columns, names_in)
            if names is not None and not names:
                continue
            where = "some columns" if names is None else _count_columns(names, X)
            if _is_passthrough(transformer):  # sklearn fits "passthrough" as an identity
                transformer = "passthrough"
            if isinstance(transformer, str):
                parts.append(f"{transformer} {where}")
            else:
                parts.append(f"{_describe(transformer, X, inner=True)} on {where}")
        return f"{type(estimator).__name__}({'; '.join(parts)})"
    wrapped = getattr(estimator, "estimator", None)
    if wrapped is None:
        wrapped = getattr(estimator, "regressor", None)  # TransformedTargetRegressor
    # a wrapper (CalibratedClassifierCV ...), not an ensemble of copies (RandomForest ...)
    if hasattr(wrapped, "get_params") and not hasattr(estimator, "estimators_"):
        return f"{type(estimator).__name__}({_describe(wrapped, X, inner=True)})"
    return type(estimator).__name__


def describe_model(model: Any, X: pd.DataFrame) -> str:
    """The model in one line: Pipeline steps joined by "->", a ColumnTransformer's parts.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn.compose import make_column_transformer
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import OneHotEncoder
    >>> X = pd.DataFrame({"a": ["x", "y", "x", "y"], "b": [1.0, 2.0, 3.0, 4.0]})
    >>> pre = make_column_transformer((OneHotEncoder(), ["a"]), remainder="passthrough")
    >>> print(describe_model(make_pipeline(pre, LogisticRegression()).fit(X, [0, 1, 0, 1]), X))
    ColumnTransformer(OneHotEncoder on 1 text column; passthrough 1 numeric column) -> ...
    """
    try:
        return _describe(model, X)
    except Exception:  # a duck-typed model with odd attributes: its class name is enough
        return type(model).__name__


def final_estimator(model: Any) -> Any:
    """The last step of a Pipeline (the model itself otherwise)."""
    steps = getattr(model, "steps", None)
    if isinstance(steps, list) and steps and isinstance(steps[-1], tuple):
        return steps[-1][1]
    return model


# -- JSON ----------------------------------------------------------------------------------------
def plain(value: Any) -> Any:
    """A JSON-safe Python value: numpy scalars unwrapped, NaN/inf as None, labels as text."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(float(value)) else None
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray, pd.Index)):
        return [plain(v) for v in value]
    if isinstance(value, pd.DataFrame):
        return records(value)
    return group_text(value)


def records(frame: pd.DataFrame | None) -> list[dict]:
    """A tidy frame as JSON-safe records; index levels become leading columns."""
    if frame is None:
        return []
    out = frame.copy()
    if not isinstance(out.index, pd.RangeIndex):
        names = [n if n is not None else "group" for n in out.index.names]
        out.index = out.index.set_names([str(n) for n in names])
        out = out.reset_index()
    rows = []
    for row in out.to_dict(orient="records"):
        rows.append({str(k): _cell(v) for k, v in row.items()})
    return rows


def _cell(value: Any) -> Any:
    if isinstance(value, (str, bool, np.bool_, int, np.integer, float, np.floating)):
        return plain(value)
    if value is None:
        return None
    return group_text(value)


# -- the document model --------------------------------------------------------------------------
@dataclass(frozen=True)
class Strong:
    """Text shown in bold."""

    text: str


Segment = str | Strong


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Para:
    segments: tuple[Segment, ...]
    style: str = ""  # "", "muted" (an absent author section, a note) or "summary"

    @classmethod
    def of(cls, *segments: Segment, style: str = "") -> Para:
        return cls(tuple(segments), style=style)


@dataclass(frozen=True)
class Bullets:
    items: tuple[tuple[Segment, ...], ...]


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    muted: tuple[bool, ...] = field(default=())  # rows shown in grey (low support)
    text_columns: tuple[int, ...] = (0,)  # left-aligned columns; the others hold numbers


Block = Heading | Para | Bullets | Table

# -- Markdown ------------------------------------------------------------------------------------
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]|$~#])")
_ENTITY_START = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# a list item ("- x", "+ x", "1. x", "2) x") or a setext underline ("===") at a line's start
_MD_LEADING = re.compile(r"^(\s*)([-+](?=\s|$)|\d{1,9}(?=[.)](?:\s|$))|[=-]+\s*$)")


def md_escape(text: Any) -> str:
    """Text that Markdown shows as it is, on one line.

    ``<``/``>`` become entities (so no raw tag survives), ``|`` and the other characters that
    start emphasis, code, links, math or headings get a backslash, and a leading list or heading
    marker is neutralised. Newlines become spaces, so a table row cannot be split.
    """
    text = " ".join(str(text).splitlines())
    text = _ENTITY_START.sub("&amp;", text)
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    match = _MD_LEADING.match(text)
    if match:  # "- x", "+ x", "1. x" at the start of a line would make a list
        at = match.end(2) if match.group(2)[0].isdigit() else match.end(1)
        text = text[:at] + "\\" + text[at:]
    return text


def _md_segments(segments: Sequence[Segment]) -> str:
    parts = []
    for segment in segments:
        if isinstance(segment, Strong):
            parts.append(f"**{md_escape(segment.text)}**")
        else:
            parts.append(md_escape(segment))
    return "".join(parts)


def render_markdown(blocks: Sequence[Block]) -> str:
    """Blocks as GitHub-flavoured Markdown (every text escaped)."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            out.append(f"{'#' * block.level} {md_escape(block.text)}")
        elif isinstance(block, Para):
            text = _md_segments(block.segments)
            out.append(f"*{text}*" if block.style == "muted" and text else text)
        elif isinstance(block, Bullets):
            out.append("\n".join(f"- {_md_segments(item)}" for item in block.items))
        elif isinstance(block, Table):
            header = "| " + " | ".join(md_escape(h) for h in block.header) + " |"
            rule = "|" + "|".join("---" for _ in block.header) + "|"
            body = ["| " + " | ".join(md_escape(c) for c in row) + " |" for row in block.rows]
            out.append("\n".join([header, rule, *body]))
    return "\n\n".join(out) + "\n"


# -- HTML ----------------------------------------------------------------------------------------
CSS = """
.rai-card { font: 14px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
  color: #1f2328; max-width: 980px; }
.rai-card h1 { font-size: 1.6em; margin: 0.4em 0; }
.rai-card h2 { font-size: 1.25em; margin: 1.4em 0 0.4em; border-bottom: 1px solid #d8dee4;
  padding-bottom: 0.2em; }
.rai-card h3 { font-size: 1.05em; margin: 1em 0 0.3em; }
.rai-card table { border-collapse: collapse; margin: 0.4em 0 0.8em; }
.rai-card th, .rai-card td { padding: 3px 10px; border-bottom: 1px solid #e5e7eb;
  text-align: right; vertical-align: top; }
.rai-card th { background: #f6f8fa; }
.rai-card th.rai-text, .rai-card td.rai-text { text-align: left; }
.rai-card td:not(.rai-text) { white-space: nowrap; }
.rai-card tr.rai-low td { color: #777; font-style: italic; }
.rai-card p.rai-muted { color: #666; font-style: italic; }
.rai-card .rai-summary { background: #f6f8fa; border-left: 4px solid #57606a;
  padding: 0.5em 1em; }
"""


def _html_segments(segments: Sequence[Segment]) -> str:
    parts = []
    for segment in segments:
        if isinstance(segment, Strong):
            parts.append(f"<strong>{html.escape(segment.text)}</strong>")
        else:
            parts.append(html.escape(str(segment)))
    return "".join(parts)


def render_html(blocks: Sequence[Block]) -> str:
    """Blocks as an HTML fragment (every text escaped); no script, no external resource."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            level = min(max(block.level, 1), 6)
            out.append(f"<h{level}>{html.escape(block.text)}</h{level}>")
        elif isinstance(block, Para):
            css = f' class="rai-{block.style}"' if block.style else ""
            out.append(f"<p{css}>{_html_segments(block.segments)}</p>")
        elif isinstance(block, Bullets):
            items = "".join(f"<li>{_html_segments(item)}</li>" for item in block.items)
            out.append(f"<ul>{items}</ul>")
        elif isinstance(block, Table):
            left = [' class="rai-text"' if k in block.text_columns else "" for k in range(99)]
            head = "".join(
                f"<th{left[k]}>{html.escape(h)}</th>" for k, h in enumerate(block.header)
            )
            rows = []
            for j, row in enumerate(block.rows):
                low = j < len(block.muted) and block.muted[j]
                css = ' class="rai-low"' if low else ""
                cells = "".join(f"<td{left[k]}>{html.escape(c)}</td>" for k, c in enumerate(row))
                rows.append(f"<tr{css}>{cells}</tr>")
            out.append(
                f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            )
    return "\n".join(out)


def label_list(names: Sequence[Hashable], limit: int = 30) -> str:
    """Names joined by commas, the rest counted ("a, b and 12 more")."""
    names = [str(n) for n in names]
    if not names:
        return "none"
    if len(names) > limit:
        return ", ".join(names[:limit]) + f" and {len(names) - limit} more"
    return ", ".join(names)
