"""Small dependency-free SVG charts, escaped, readable without JavaScript.

Every chart is a string of inline SVG: it renders in a live widget (an ``ipywidgets.HTML``), in
the static ``text/html`` fallback of a saved notebook, and in an exported HTML file, with no
plotting library, no script and no network. All text that came from data is escaped.

Examples
--------
>>> svg = bar_chart(["age", "<b>x</b>"], [0.2, -0.1], title="Effect")
>>> svg.startswith("<svg") and "&lt;b&gt;x&lt;/b&gt;" in svg and "<b>x</b>" not in svg
True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from rai_widgets.display.svg_base import (
    COLORS,
    LABEL_WIDTH,
    ROW_HEIGHT,
    VALUE_WIDTH,
    Scale,
    axis,
    escape,
    frame,
    nice_ticks,
    row_label,
    shorten_keeping_value,
    whisker,
)
from rai_widgets.display.svg_plots import (
    dotplot_chart,
    line_chart,
    reliability_chart,
    scatter_chart,
)

__all__ = [
    "COLORS",
    "bar_chart",
    "dotplot_chart",
    "line_chart",
    "nice_ticks",
    "paired_bar_chart",
    "reliability_chart",
    "scatter_chart",
    "waterfall_chart",
]


def bar_chart(
    labels: Sequence[object],
    values: Sequence[float],
    *,
    lo: Sequence[float] | None = None,
    hi: Sequence[float] | None = None,
    title: str = "",
    note: str = "",
    fmt: Callable[[float], str] = lambda v: f"{v:+.3f}",
    width: int = 640,
    signed_colors: bool = True,
    better: int | None = None,
) -> str:
    """Horizontal bars (with optional error bars), one row per label.

    ``better`` colours bars by meaning instead of sign, so a colour means the same on every
    metric: +1 (higher is better) or -1 (lower is better) gives better bars blue, worse bars
    orange and bars whose bounds hold zero grey (said in the note); 0 (a metric with no
    better side, such as a selection rate) gives every bar grey. None (default) keeps colours
    by sign (``signed_colors``), for charts where the sign is the meaning (a push up or down of
    a prediction).

    Returns
    -------
    str
        Inline SVG.
    """
    numbers = np.asarray(values, dtype=float)
    if better:
        note = (note + " " if note else "") + "Blue: better; orange: worse; grey: cannot tell."
    top = 48 if note else 32
    height = top + ROW_HEIGHT * len(numbers) + 28
    bounds = [numbers]
    low = high = None  # arrays when both bounds are given
    if lo is not None and hi is not None:
        low, high = np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)
        bounds += [low, high]
    stacked = np.concatenate([*bounds, [0.0]])
    finite = stacked[np.isfinite(stacked)]
    scale = Scale(finite.min(), finite.max(), LABEL_WIDTH, width - VALUE_WIDTH)
    body = axis(scale, top, top + ROW_HEIGHT * len(numbers), fmt)
    for i, (label, value) in enumerate(zip(labels, numbers, strict=True)):
        y = top + i * ROW_HEIGHT
        body.append(row_label(label, y + 16))
        if not np.isfinite(value):
            body.append(
                f'<text x="{LABEL_WIDTH + 4}" y="{y + 16}" fill="{COLORS["axis"]}">n/a</text>'
            )
            continue
        color = COLORS["up"] if value >= 0 or not signed_colors else COLORS["down"]
        if not signed_colors:
            color = COLORS["series"][0]
        if better is not None:
            gain = better * value
            if low is not None and high is not None and low[i] <= 0 <= high[i]:
                gain = 0  # bounds that hold zero: no better or worse the data can show
            color = (
                COLORS["better"] if gain > 0 else COLORS["worse"] if gain < 0 else COLORS["neutral"]
            )
        x0, x1 = sorted((scale(0.0 if scale.lo <= 0 else scale.lo), scale(value)))
        body.append(
            f'<rect x="{x0:.1f}" y="{y + 5}" width="{max(x1 - x0, 1):.1f}" height="14" '
            f'fill="{color}" rx="2"><title>{escape(label)}: {escape(fmt(value))}</title></rect>'
        )
        if low is not None and high is not None and np.isfinite(low[i]) and np.isfinite(high[i]):
            a, b = scale(low[i]), scale(high[i])
            body.append(whisker(a, b, y + 12))
        body.append(
            f'<text x="{width - VALUE_WIDTH + 6}" y="{y + 16}" fill="{COLORS["text"]}">'
            f"{escape(fmt(value))}</text>"
        )
    return frame(width, height, body, title, note)


def waterfall_chart(
    labels: Sequence[object],
    contributions: Sequence[float],
    *,
    base: float,
    prediction: float,
    title: str = "",
    note: str = "",
    fmt: Callable[[float], str] = lambda v: f"{v:+.3f}",
    level_fmt: Callable[[float], str] = lambda v: f"{v:.3f}",
    base_label: str = "average over these cases",
    prediction_label: str = "this case",
    width: int = 640,
) -> str:
    """A waterfall: from the base value, each contribution in turn, to the prediction.

    Returns
    -------
    str
        Inline SVG.
    """
    amounts = np.asarray(contributions, dtype=float)
    levels = base + np.concatenate([[0.0], np.cumsum(amounts)])
    top = 48 if note else 32
    n = len(amounts) + 2
    height = top + ROW_HEIGHT * n + 28
    scale = Scale(
        min(levels.min(), prediction),
        max(levels.max(), prediction),
        LABEL_WIDTH,
        width - VALUE_WIDTH,
    )
    body = axis(scale, top, top + ROW_HEIGHT * n, level_fmt)

    def marker(row: int, value: float, label: str) -> None:
        y = top + row * ROW_HEIGHT
        x = scale(value)
        body.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 16}" text-anchor="end" font-weight="600" '
            f'fill="{COLORS["text"]}">{escape(label)}</text>'
            f'<rect x="{x - 1.5:.1f}" y="{y + 3}" width="3" height="18" fill="{COLORS["text"]}"/>'
            f'<text x="{width - VALUE_WIDTH + 6}" y="{y + 16}" font-weight="600" '
            f'fill="{COLORS["text"]}">{escape(level_fmt(value))}</text>'
        )

    marker(0, base, base_label)
    for i, (label, c) in enumerate(zip(labels, amounts, strict=True)):
        y = top + (i + 1) * ROW_HEIGHT
        x0, x1 = sorted((scale(levels[i]), scale(levels[i + 1])))
        color = COLORS["up"] if c >= 0 else COLORS["down"]
        body.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 16}" text-anchor="end" '
            f'fill="{COLORS["text"]}">{escape(shorten_keeping_value(label))}<title>{escape(label)}</title></text>'
            f'<rect x="{x0:.1f}" y="{y + 5}" width="{max(x1 - x0, 1):.1f}" height="14" '
            f'fill="{color}" rx="2"><title>{escape(label)}: {escape(fmt(c))}</title></rect>'
            f'<text x="{width - VALUE_WIDTH + 6}" y="{y + 16}" fill="{COLORS["text"]}">'
            f"{escape(fmt(c))}</text>"
        )
    marker(n - 1, prediction, prediction_label)
    return frame(width, height, body, title, note)


def paired_bar_chart(
    labels: Sequence[object],
    first: Sequence[float],
    second: Sequence[float],
    *,
    names: tuple[str, str],
    title: str = "",
    note: str = "",
    fmt: Callable[[float], str] = lambda v: f"{v:+.3f}",
    width: int = 640,
) -> str:
    """Two bars per label (e.g. SHAP and LIME), with a legend.

    Returns
    -------
    str
        Inline SVG.
    """
    a, b = np.asarray(first, dtype=float), np.asarray(second, dtype=float)
    top = (48 if note else 32) + 18
    height = top + 30 * len(a) + 28
    stacked = np.concatenate([a, b, [0.0]])
    finite = stacked[np.isfinite(stacked)]
    scale = Scale(finite.min(), finite.max(), LABEL_WIDTH, width - VALUE_WIDTH)
    colors = (COLORS["series"][0], COLORS["series"][4])
    legend_y = top - 8
    body = [
        f'<rect x="{LABEL_WIDTH}" y="{legend_y - 9}" width="10" height="10" fill="{colors[0]}"/>'
        f'<text x="{LABEL_WIDTH + 14}" y="{legend_y}" font-size="12">{escape(names[0])}</text>'
        f'<rect x="{LABEL_WIDTH + 110}" y="{legend_y - 9}" width="10" height="10" '
        f'fill="{colors[1]}"/>'
        f'<text x="{LABEL_WIDTH + 124}" y="{legend_y}" font-size="12">{escape(names[1])}</text>'
    ]
    body += axis(scale, top, top + 30 * len(a), fmt)
    for i, label in enumerate(labels):
        y = top + i * 30
        body.append(row_label(label, y + 19))
        for k, (value, color) in enumerate(((a[i], colors[0]), (b[i], colors[1]))):
            if not np.isfinite(value):
                continue
            x0, x1 = sorted((scale(0.0), scale(value)))
            body.append(
                f'<rect x="{x0:.1f}" y="{y + 4 + 11 * k}" width="{max(x1 - x0, 1):.1f}" '
                f'height="10" fill="{color}"><title>{escape(label)} ({escape(names[k])}): '
                f"{escape(fmt(value))}</title></rect>"
            )
    return frame(width, height, body, title, note)
