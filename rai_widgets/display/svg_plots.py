"""SVG charts of points and lines: scatter (dependence), lines on the unit square (threshold
curves), reliability diagrams and quantile dotplots. Escaped, no script, no network.

Examples
--------
>>> svg = line_chart({"<g>": ([0.0, 1.0], [0.0, 1.0])}, x_label="t", y_label="rate")
>>> svg.startswith("<svg") and "&lt;g&gt;" in svg
True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from rai_widgets import formatting
from rai_widgets.display.svg_base import (
    COLORS,
    Scale,
    axis,
    escape,
    frame,
    legend_entry,
    legend_layout,
    nice_ticks,
    tick_label,
    unit_axes,
)

__all__ = ["dotplot_chart", "line_chart", "reliability_chart", "scatter_chart"]


def scatter_chart(
    x: Sequence[object],
    y: Sequence[float],
    *,
    groups: Sequence[object] | None = None,
    title: str = "",
    note: str = "",
    x_label: str = "",
    y_fmt: Callable[[float], str] = lambda v: f"{v:+.2f}",
    width: int = 640,
    height: int = 320,
) -> str:
    """Points of (x, y), coloured by group; a text x is spread over its categories.

    Returns
    -------
    str
        Inline SVG.
    """
    y_values = np.asarray(y, dtype=float)
    x_values = np.asarray(x, dtype=object)
    numeric = all(isinstance(v, (int, float, np.integer, np.floating)) for v in x_values)
    left, right = 70, width - 20
    top: float = 48 if note else 32
    legend: list[tuple[float, float]] = []
    group_values = (
        ["all"] * len(y_values) if groups is None else [formatting.label(g) for g in groups]
    )
    names = sorted(set(group_values))
    if groups is not None:  # legend rows that wrap; the plot keeps its size below them
        legend, top, _, height = legend_layout(names[:8], left, right, note, height)
        top += 2
    bottom = height - 44
    rng = np.random.default_rng(0)
    if numeric:
        xf = x_values.astype(float)
        finite = xf[np.isfinite(xf)]
        xs = Scale(
            finite.min() if len(finite) else 0, finite.max() if len(finite) else 1, left, right
        )
        px = np.array([xs(v) if np.isfinite(v) else np.nan for v in xf])
        ticks = [(xs(t), formatting.number(t, 4)) for t in nice_ticks(xs.lo, xs.hi, 6)]
    else:
        categories = sorted({formatting.label(v) for v in x_values})
        step = (right - left) / max(len(categories), 1)
        where = {c: left + step * (i + 0.5) for i, c in enumerate(categories)}
        px = np.array([where[formatting.label(v)] for v in x_values]) + rng.uniform(
            -step / 4, step / 4, len(x_values)
        )
        ticks = [(where[c], c) for c in categories]
    ys_scale = Scale(
        np.nanmin(y_values) if len(y_values) else -1,
        np.nanmax(y_values) if len(y_values) else 1,
        bottom,
        top,
    )
    body = axis(ys_scale, left, right, y_fmt, horizontal=True)
    room = (right - left) / max(len(ticks), 1) - 4  # the width each tick label may take
    for tx, text in ticks:
        body.append(tick_label(text, tx, bottom + 16, room))
    if x_label:
        body.append(
            f'<text x="{(left + right) / 2:.1f}" y="{height + 4}" text-anchor="middle" '
            f'font-size="12" fill="{COLORS["text"]}">{escape(x_label)}</text>'
        )
    palette = {g: COLORS["series"][i % len(COLORS["series"])] for i, g in enumerate(names)}
    for gx, gy, g, raw in zip(px, y_values, group_values, x_values, strict=True):
        if not (np.isfinite(gx) and np.isfinite(gy)):
            continue
        body.append(
            f'<circle cx="{gx:.1f}" cy="{ys_scale(gy):.1f}" r="3.2" fill="{palette[g]}" '
            f'fill-opacity="0.65"><title>{escape(raw)}: {escape(y_fmt(gy))} '
            f"({escape(g)})</title></circle>"
        )
    for g, place in zip(names, legend, strict=False):
        legend_entry(body, *place, palette[g], g)
    return frame(width, height + 12, body, title, note)


def line_chart(
    series: dict,
    *,
    markers: dict | None = None,
    x_label: str,
    y_label: str,
    title: str = "",
    note: str = "",
    width: int = 460,
    height: int = 340,
) -> str:
    """Lines on the unit square (both axes 0-100%), one colour per label, with optional markers.

    Parameters
    ----------
    series : dict
        Label -> (x, y) arrays, both in [0, 1] (a point with a non-finite y is skipped).
    markers : dict, optional
        Label -> (x, y) of one point to mark on that label's line (e.g. the chosen threshold).
    x_label, y_label, title, note : str
        Axis titles, heading and the line under it.
    width, height : int
        Size in pixels.

    Returns
    -------
    str
        Inline SVG.
    """
    left, right = 56, width - 16
    legend, top, bottom, height = legend_layout(series, left, right, note, height)
    xs, ys = Scale(0.0, 1.0, left, right), Scale(0.0, 1.0, bottom, top)
    body = unit_axes(xs, ys, height, x_label=x_label, y_label=y_label)
    for i, (label, (x, y)) in enumerate(series.items()):
        color = COLORS["series"][i % len(COLORS["series"])]
        legend_entry(body, *legend[i], color, label)
        points = [(xs(a), ys(b)) for a, b in zip(x, y, strict=True) if np.isfinite(b)]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            body.append(
                f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2"/>'
            )
        if markers and label in markers and np.isfinite(markers[label][1]):
            a, b = markers[label]
            body.append(
                f'<circle cx="{xs(a):.1f}" cy="{ys(b):.1f}" r="5" fill="white" stroke="{color}" '
                f'stroke-width="2.5"><title>{escape(label)}: {escape(x_label)} '
                f"{formatting.number(a, decimals=2)} -&gt; "
                f"{formatting.percent(b, 0)}</title></circle>"
            )
    return frame(width, height, body, title, note)


def reliability_chart(series: dict, *, title: str = "", note: str = "", width: int = 460) -> str:
    """Predicted probability against observed frequency, one colour per slice, with bounds.

    Parameters
    ----------
    series : dict
        Slice label -> (mean_predicted, observed, observed_lo, observed_hi) arrays: the
        observed frequency with its bounds at each bin's mean predicted probability.
    title, note : str
        Heading and the line under it.
    width : int, default 460
        Width in pixels; the height follows from the legend (380 pixels and up).

    Returns
    -------
    str
        Inline SVG.
    """
    left, right = 56, width - 16
    legend, top, bottom, height = legend_layout(series, left, right, note, 380)
    xs = Scale(0.0, 1.0, left, right)
    ys = Scale(0.0, 1.0, bottom, top)
    body = unit_axes(xs, ys, height, x_label="the model said", y_label="it happened")
    body.append(
        f'<line x1="{xs(0):.1f}" y1="{ys(0):.1f}" x2="{xs(1):.1f}" y2="{ys(1):.1f}" '
        f'stroke="{COLORS["axis"]}" stroke-dasharray="4 3">'
        "<title>perfect calibration</title></line>"
    )
    for i, (label, (p, o, lo, hi)) in enumerate(series.items()):
        color = COLORS["series"][i % len(COLORS["series"])]
        legend_entry(body, *legend[i], color, label)
        points = [(xs(a), ys(b)) for a, b in zip(p, o, strict=True) if np.isfinite(b)]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            body.append(
                f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="1.5"/>'
            )
        for a, b, c, d in zip(p, o, lo, hi, strict=True):
            if not np.isfinite(b):
                continue
            body.append(
                f'<line x1="{xs(a):.1f}" y1="{ys(c):.1f}" x2="{xs(a):.1f}" y2="{ys(d):.1f}" '
                f'stroke="{color}" stroke-opacity="0.6"/>'
                f'<circle cx="{xs(a):.1f}" cy="{ys(b):.1f}" r="3.5" fill="{color}">'
                f"<title>{escape(label)}: said {formatting.percent(a, 0)}, "
                f"happened {formatting.percent(b, 0)} "
                f"({formatting.bounds(c, d, kind='percent', digits=0, sep='–')})"
                "</title></circle>"
            )
    return frame(width, height, body, title, note)


def dotplot_chart(
    values: Sequence[float],
    *,
    title: str,
    note: str = "Each dot is one of 20 equally likely outcomes for this case.",
    width: int = 640,
    fmt: Callable[[float], str] = formatting.value,
) -> str:
    """A quantile dotplot: one dot per equally likely outcome, stacked where they meet.

    Examples
    --------
    >>> svg = dotplot_chart([1.0, 1.1, 2.0], title="Likely <outcomes>")
    >>> svg.count("<circle"), "Likely &lt;outcomes&gt;" in svg
    (3, True)
    """
    outcomes = np.asarray(values, dtype=float)
    left, right, base = 30, width - 30, 120
    scale = Scale(float(outcomes.min()), float(outcomes.max()), left, right)
    body = []
    stacks: dict[int, int] = {}
    for v in outcomes:
        column = round((scale(v) - left) / 12)
        level = stacks.get(column, 0)
        stacks[column] = level + 1
        x = left + column * 12
        body.append(
            f'<circle cx="{x:.1f}" cy="{base - 6 - level * 12}" r="5" '
            f'fill="{COLORS["series"][0]}"><title>{escape(fmt(v))}</title></circle>'
        )
    for t in nice_ticks(scale.lo, scale.hi, 5):
        body.append(
            f'<text x="{scale(t):.1f}" y="{base + 16}" text-anchor="middle" '
            f'font-size="11" fill="{COLORS["muted"]}">{escape(fmt(t))}</text>'
        )
    body.append(
        f'<line x1="{left}" y1="{base}" x2="{right}" y2="{base}" stroke="{COLORS["axis"]}"/>'
    )
    return frame(width, base + 30, body, title, note)
