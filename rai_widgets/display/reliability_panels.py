"""The reliability diagram as small multiples: one panel per group, readable with many groups.

Three or more groups' curves on one chart cross each other and their bounds overlap, so no
curve can be followed (the How sure tab on Wage or Adult by race). Each panel here draws one
group in its colour, with every point's 95% bounds and hover text, and the other groups' curves
faint and grey behind it: nothing of the one-chart diagram is dropped, and each group can be
read against the dashed line of honest scores and against the others. One or two groups stay
on one chart (:func:`~rai_widgets.display.svg_plots.reliability_chart`), which reads well.

Examples
--------
>>> series = {g: ([0.2, 0.5, 0.8], [0.25, 0.5, 0.7], [0.2, 0.4, 0.6], [0.3, 0.6, 0.8])
...           for g in ("a", "b", "c")}
>>> svg = reliability_panels(series, title="Does the model mean what it says?")
>>> svg.count('class="rai-reliability-panel"'), svg.count("<polyline")
(3, 9)
>>> 'class="rai-reliability-panel"' in reliability_panels({"a": series["a"]})
False
"""

from __future__ import annotations

import numpy as np

from rai_widgets import formatting
from rai_widgets.display.svg_base import COLORS, Scale, escape, frame, wrap_text
from rai_widgets.display.svg_plots import reliability_chart

__all__ = ["MIN_PANELS", "panel_columns", "reliability_panels"]

MIN_PANELS = 3
"""Groups from which the diagram is drawn as one panel per group."""

OTHERS = COLORS["others"]  # the other groups behind a panel's own
HEAD_CHAR = 6.9  # width of a character of a 12px heading, generously (px)
HEAD_LINE = 15  # pixels per line of a panel's heading
MARGIN_LEFT, MARGIN_BOTTOM, GAP = 46, 34, 14


def panel_columns(n: int) -> int:
    """Panels per row: 2 for 4 groups (a square), else 3.

    Examples
    --------
    >>> [panel_columns(n) for n in (3, 4, 5, 9)]
    [3, 2, 3, 3]
    """
    return 2 if n == 4 else 3


def _finite_points(xs: Scale, ys: Scale, p: np.ndarray, o: np.ndarray) -> str:
    return " ".join(f"{xs(a):.1f},{ys(b):.1f}" for a, b in zip(p, o, strict=True) if np.isfinite(b))


def _axes(xs: Scale, ys: Scale) -> list[str]:
    """Grid at 0, 50 and 100%, their labels, the axis names and the dashed honest line."""
    left, right, top, bottom = xs(0.0), xs(1.0), ys(1.0), ys(0.0)
    body = []
    for t in (0.0, 0.5, 1.0):
        body.append(
            f'<line x1="{xs(t):.1f}" y1="{top:.1f}" x2="{xs(t):.1f}" y2="{bottom:.1f}" '
            f'stroke="{COLORS["grid"]}"/><line x1="{left:.1f}" y1="{ys(t):.1f}" '
            f'x2="{right:.1f}" y2="{ys(t):.1f}" stroke="{COLORS["grid"]}"/>'
            f'<text x="{xs(t):.1f}" y="{bottom + 13:.1f}" text-anchor="middle" font-size="10" '
            f'fill="{COLORS["muted"]}">{t:.0%}</text>'
            f'<text x="{left - 4:.1f}" y="{ys(t) + 3:.1f}" text-anchor="end" font-size="10" '
            f'fill="{COLORS["muted"]}">{t:.0%}</text>'
        )
    middle = (top + bottom) / 2
    body.append(
        f'<text x="{(left + right) / 2:.1f}" y="{bottom + 27:.1f}" text-anchor="middle" '
        f'font-size="11">the model said</text>'
        f'<text x="{left - 32:.1f}" y="{middle:.1f}" font-size="11" text-anchor="middle" '
        f'transform="rotate(-90 {left - 32:.1f} {middle:.1f})">it happened</text>'
        f'<line x1="{xs(0):.1f}" y1="{ys(0):.1f}" x2="{xs(1):.1f}" y2="{ys(1):.1f}" '
        f'stroke="{COLORS["axis"]}" stroke-dasharray="4 3"><title>perfect calibration</title>'
        "</line>"
    )
    return body


def _panel(
    series: dict, label: object, color: str, x0: float, y0: float, size: float, heading: list
) -> str:
    """One group's panel: its heading, the others in grey, then the group with its bounds."""
    xs = Scale(0.0, 1.0, x0 + MARGIN_LEFT, x0 + MARGIN_LEFT + size)
    top = y0 + HEAD_LINE * len(heading) + 6
    ys = Scale(0.0, 1.0, top + size, top)
    body = [f'<g class="rai-reliability-panel"><title>{escape(label)}</title>']
    for i, line in enumerate(heading):
        if not line:
            continue
        weight = ' font-weight="600"' if i == 0 else ""
        body.append(
            f'<text x="{x0 + 8:.1f}" y="{y0 + 12 + HEAD_LINE * i:.1f}" font-size="12"'
            f'{weight} fill="{COLORS["text"] if i == 0 else COLORS["muted"]}">'
            f"{escape(line)}</text>"
        )
    body += _axes(xs, ys)
    for other, (p, o, _, _) in series.items():
        path = _finite_points(xs, ys, np.asarray(p, float), np.asarray(o, float))
        if other != label and path.count(",") > 1:
            body.append(
                f'<polyline points="{path}" fill="none" stroke="{OTHERS}" stroke-width="1">'
                f"<title>{escape(other)}</title></polyline>"
            )
    p, o, lo, hi = (np.asarray(v, dtype=float) for v in series[label])
    path = _finite_points(xs, ys, p, o)
    if path.count(",") > 1:
        body.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2"/>')
    for a, b, c, d in zip(p, o, lo, hi, strict=True):
        if not np.isfinite(b):
            continue
        body.append(
            f'<line x1="{xs(a):.1f}" y1="{ys(c):.1f}" x2="{xs(a):.1f}" y2="{ys(d):.1f}" '
            f'stroke="{color}" stroke-opacity="0.7"/>'
            f'<circle cx="{xs(a):.1f}" cy="{ys(b):.1f}" r="3.5" fill="{color}">'
            f"<title>{escape(label)}: said {formatting.percent(a, 0)}, "
            f"happened {formatting.percent(b, 0)} "
            f"({formatting.bounds(c, d, kind='percent', digits=0, sep='–')})"
            "</title></circle>"
        )
    body.append("</g>")
    return "".join(body)


def _heading(label: object, width: float) -> list[str]:
    """A panel's heading: the group on its first line(s), "(calibration error 0.03)" below."""
    text = str(label)
    name, sep, rest = text.partition(" (")
    lines = wrap_text(name, width, HEAD_CHAR) or [""]
    if sep:
        lines += wrap_text(f"({rest}", width, HEAD_CHAR)
    return lines


def reliability_panels(series: dict, *, title: str = "", note: str = "", width: int = 640) -> str:
    """The reliability diagram: one panel per group from :data:`MIN_PANELS` groups on, else
    one chart.

    Parameters
    ----------
    series : dict
        Group label -> (mean_predicted, observed, observed_lo, observed_hi) arrays, as
        :func:`~rai_widgets.display.svg_plots.reliability_chart` takes them.
    title, note : str
        Heading and the line under it.
    width : int, default 640
        Width in pixels of the panels together (one chart keeps its own 460).

    Returns
    -------
    str
        Inline SVG.
    """
    if len(series) < MIN_PANELS:
        return reliability_chart(series, title=title, note=note)
    columns = panel_columns(len(series))
    cell = (width - 16) / columns
    size = cell - MARGIN_LEFT - GAP
    headings = {label: _heading(label, cell - 16) for label in series}
    lines = max(len(h) for h in headings.values())
    cell_height = HEAD_LINE * lines + 6 + size + MARGIN_BOTTOM + GAP
    top = 52 if note else 32
    rows = -(-len(series) // columns)
    body = []
    for i, label in enumerate(series):
        row, column = divmod(i, columns)
        heading = headings[label] + [""] * (lines - len(headings[label]))
        color = COLORS["series"][i % len(COLORS["series"])]
        x0, y0 = 8 + column * cell, top + row * cell_height
        body.append(_panel(series, label, color, x0, y0, size, heading))
    return frame(width, int(top + rows * cell_height), body, title, note)
