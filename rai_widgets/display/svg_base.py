"""The building blocks of the SVG charts: colours, escaping, scales, axes, legends, the frame.

Examples
--------
>>> scale = Scale(0.0, 1.0, 0, 100)
>>> round(scale(0.5), 1), escape("<b>")
(50.0, '&lt;b&gt;')
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

import numpy as np

__all__ = [
    "COLORS",
    "FONT",
    "LABEL_WIDTH",
    "ROW_HEIGHT",
    "VALUE_WIDTH",
    "Scale",
    "axis",
    "escape",
    "frame",
    "legend_entry",
    "legend_layout",
    "nice_ticks",
    "shorten",
    "unit_axes",
]

# colour-blind-safe pair (blue / orange) and neutrals
COLORS = {
    "up": "#d55e00",
    "down": "#0072b2",
    "neutral": "#7f7f7f",
    "grid": "#e5e5e5",
    "text": "#222222",
    "muted": "#666666",
    "series": ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#999999"],
}
FONT = "font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif"
ROW_HEIGHT = 24
LABEL_WIDTH = 260
VALUE_WIDTH = 70


def escape(text: object) -> str:
    return html.escape(str(text), quote=True)


def shorten(text: object, limit: int = 33) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def frame(width: int, height: int, body: list[str], title: str, note: str = "") -> str:
    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'style="{FONT};font-size:13px;background:#fff">',
        f"<title>{escape(title)}</title>",
        f'<text x="8" y="18" font-size="15" font-weight="600" fill="{COLORS["text"]}">'
        f"{escape(title)}</text>",
    ]
    if note:
        head.append(
            f'<text x="8" y="36" font-size="12" fill="{COLORS["muted"]}">{escape(note)}</text>'
        )
    return "".join([*head, *body, "</svg>"])


class Scale:
    """Linear map from data values to x pixels."""

    def __init__(self, lo: float, hi: float, left: float, right: float) -> None:
        if not np.isfinite(lo) or not np.isfinite(hi) or lo == hi:
            lo, hi = (lo - 1, hi + 1) if np.isfinite(lo) else (-1.0, 1.0)
        pad = (hi - lo) * 0.04
        self.lo, self.hi = lo - pad, hi + pad
        self.left, self.right = left, right

    def __call__(self, value: float) -> float:
        return self.left + (value - self.lo) / (self.hi - self.lo) * (self.right - self.left)


def nice_ticks(lo: float, hi: float, count: int = 4) -> np.ndarray:
    """Round tick values (steps of 1, 2, 2.5 or 5 times a power of ten) inside [lo, hi].

    Examples
    --------
    >>> nice_ticks(-0.129, 0.088).tolist()
    [-0.1, -0.05, 0.0, 0.05]
    >>> nice_ticks(17, 90).tolist()
    [20.0, 40.0, 60.0, 80.0]
    """
    if not (np.isfinite(lo) and np.isfinite(hi)) or hi <= lo:
        return np.array([])
    raw = (hi - lo) / count
    power = 10.0 ** np.floor(np.log10(raw))
    steps = [m * power for m in (1, 2, 2.5, 5, 10)]
    step = min(steps, key=lambda st: abs((hi - lo) / st - count))
    first = np.ceil(lo / step - 1e-9) * step
    ticks = np.arange(first, hi + step * 1e-9, step)
    return np.round(np.round(ticks / step) * step, 12) + 0.0  # + 0.0: no "-0" labels


def axis(
    scale: Scale, start: float, end: float, fmt: Callable[[float], str], *, horizontal=False
) -> list[str]:
    """Grid lines at nice ticks with their labels, and a darker line at zero.

    ``horizontal=False``: an x axis, vertical lines from y=start to y=end labelled below;
    ``horizontal=True``: a y axis, horizontal lines from x=start to x=end labelled on the left.
    """

    def line(at: float) -> str:
        if horizontal:
            return f'<line x1="{start}" y1="{at:.1f}" x2="{end}" y2="{at:.1f}" '
        return f'<line x1="{at:.1f}" y1="{start}" x2="{at:.1f}" y2="{end}" '

    parts = []
    for tick in nice_ticks(scale.lo, scale.hi):
        at = scale(tick)
        place = (
            f'x="{start - 6}" y="{at + 4:.1f}" text-anchor="end"'
            if horizontal
            else f'x="{at:.1f}" y="{end + 14}" text-anchor="middle"'
        )
        parts.append(
            f'{line(at)}stroke="{COLORS["grid"]}"/><text {place} font-size="11" '
            f'fill="{COLORS["muted"]}">{escape("0" if tick == 0 else fmt(tick))}</text>'
        )
    if scale.lo < 0 < scale.hi:
        parts.append(f'{line(scale(0.0))}stroke="#999"/>')
    return parts


def unit_axes(xs: Scale, ys: Scale, height: int, *, x_label: str, y_label: str) -> list[str]:
    """Grid, 0-100% ticks and axis titles of a chart whose axes both run from 0 to 1."""
    left, right, top, bottom = xs(0.0), xs(1.0), ys(1.0), ys(0.0)
    body = []
    for t in (0.0, 0.25, 0.5, 0.75, 1.0):
        body.append(
            f'<line x1="{xs(t):.1f}" y1="{top}" x2="{xs(t):.1f}" y2="{bottom}" '
            f'stroke="{COLORS["grid"]}"/><line x1="{left}" y1="{ys(t):.1f}" x2="{right}" '
            f'y2="{ys(t):.1f}" stroke="{COLORS["grid"]}"/>'
            f'<text x="{xs(t):.1f}" y="{bottom + 14}" text-anchor="middle" font-size="11" '
            f'fill="{COLORS["muted"]}">{t:.0%}</text><text x="{left - 6}" y="{ys(t) + 4:.1f}" '
            f'text-anchor="end" font-size="11" fill="{COLORS["muted"]}">{t:.0%}</text>'
        )
    middle = (top + bottom) / 2
    body.append(
        f'<text x="{(left + right) / 2:.1f}" y="{height - 6}" text-anchor="middle" '
        f'font-size="12">{escape(x_label)}</text>'
        f'<text x="14" y="{middle:.1f}" font-size="12" text-anchor="middle" '
        f'transform="rotate(-90 14 {middle:.1f})">{escape(y_label)}</text>'
    )
    return body


def legend_layout(
    labels: Sequence[object], left: float, right: float, note: str, height: int
) -> tuple[list[tuple[float, float]], float, float, int]:
    """Place legend entries in rows that wrap at ``right`` instead of running off the edge.

    Returns the (x, y) of each entry, the plot's top and bottom, and the chart's new height
    (taller by the extra legend rows, so the plot keeps its size).
    """
    first = (48 if note else 32) + 2
    places, x, y = [], left, first
    for label in labels:
        entry = 30 + 7 * min(len(str(label)), 18)
        if x + entry > right and x > left:
            x, y = left, y + 18
        places.append((x, y))
        x += entry
    extra = y - first
    return places, y + 18, height - 40 + extra, height + extra


def legend_entry(body: list[str], x: float, y: float, color: str, label: object) -> None:
    """Append a legend swatch and its label at (x, y)."""
    body.append(
        f'<rect x="{x}" y="{y}" width="10" height="10" fill="{color}"/>'
        f'<text x="{x + 14}" y="{y + 9}" font-size="12">{escape(shorten(label, 18))}'
        f"<title>{escape(label)}</title></text>"
    )
