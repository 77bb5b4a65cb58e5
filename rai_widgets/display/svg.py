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

import html
from collections.abc import Callable, Sequence

import numpy as np

__all__ = [
    "COLORS",
    "bar_chart",
    "nice_ticks",
    "paired_bar_chart",
    "reliability_chart",
    "scatter_chart",
    "waterfall_chart",
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


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _shorten(text: object, limit: int = 33) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _frame(width: int, height: int, body: list[str], title: str, note: str = "") -> str:
    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{_e(title)}" '
        f'style="{FONT};font-size:13px;background:#fff">',
        f"<title>{_e(title)}</title>",
        f'<text x="8" y="18" font-size="15" font-weight="600" fill="{COLORS["text"]}">'
        f"{_e(title)}</text>",
    ]
    if note:
        head.append(f'<text x="8" y="36" font-size="12" fill="{COLORS["muted"]}">{_e(note)}</text>')
    return "".join([*head, *body, "</svg>"])


class _Scale:
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


def _axis(scale: _Scale, top: float, bottom: float, fmt: Callable[[float], str]) -> list[str]:
    parts = []
    for tick in nice_ticks(scale.lo, scale.hi):
        x = scale(tick)
        parts.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{bottom}" '
            f'stroke="{COLORS["grid"]}"/>'
            f'<text x="{x:.1f}" y="{bottom + 14}" text-anchor="middle" font-size="11" '
            f'fill="{COLORS["muted"]}">{_e("0" if tick == 0 else fmt(tick))}</text>'
        )
    if scale.lo < 0 < scale.hi:
        x = scale(0.0)
        parts.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{bottom}" stroke="#999"/>')
    return parts


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
) -> str:
    """Horizontal bars (with optional error bars), one row per label.

    Returns
    -------
    str
        Inline SVG.
    """
    values = np.asarray(values, dtype=float)
    top = 48 if note else 32
    height = top + ROW_HEIGHT * len(values) + 28
    bounds = [values]
    if lo is not None and hi is not None:
        lo, hi = np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)
        bounds += [lo, hi]
    stacked = np.concatenate([*bounds, [0.0]])
    finite = stacked[np.isfinite(stacked)]
    scale = _Scale(finite.min(), finite.max(), LABEL_WIDTH, width - VALUE_WIDTH)
    body = _axis(scale, top, top + ROW_HEIGHT * len(values), fmt)
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + i * ROW_HEIGHT
        body.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 16}" text-anchor="end" '
            f'fill="{COLORS["text"]}">{_e(_shorten(label))}<title>{_e(label)}</title></text>'
        )
        if not np.isfinite(value):
            body.append(f'<text x="{LABEL_WIDTH + 4}" y="{y + 16}" fill="#999">n/a</text>')
            continue
        color = COLORS["up"] if value >= 0 or not signed_colors else COLORS["down"]
        if not signed_colors:
            color = COLORS["series"][0]
        x0, x1 = sorted((scale(0.0 if scale.lo <= 0 else scale.lo), scale(value)))
        body.append(
            f'<rect x="{x0:.1f}" y="{y + 5}" width="{max(x1 - x0, 1):.1f}" height="14" '
            f'fill="{color}" rx="2"><title>{_e(label)}: {_e(fmt(value))}</title></rect>'
        )
        if lo is not None and np.isfinite(lo[i]) and np.isfinite(hi[i]):
            a, b = scale(lo[i]), scale(hi[i])
            body.append(
                f'<line x1="{a:.1f}" y1="{y + 12}" x2="{b:.1f}" y2="{y + 12}" stroke="#333"/>'
                f'<line x1="{a:.1f}" y1="{y + 8}" x2="{a:.1f}" y2="{y + 16}" stroke="#333"/>'
                f'<line x1="{b:.1f}" y1="{y + 8}" x2="{b:.1f}" y2="{y + 16}" stroke="#333"/>'
            )
        body.append(
            f'<text x="{width - VALUE_WIDTH + 6}" y="{y + 16}" fill="{COLORS["text"]}">'
            f"{_e(fmt(value))}</text>"
        )
    return _frame(width, height, body, title, note)


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
    base_label: str = "average over typical cases",
    prediction_label: str = "this case",
    width: int = 640,
) -> str:
    """A waterfall: from the base value, each contribution in turn, to the prediction.

    Returns
    -------
    str
        Inline SVG.
    """
    contributions = np.asarray(contributions, dtype=float)
    levels = base + np.concatenate([[0.0], np.cumsum(contributions)])
    top = 48 if note else 32
    n = len(contributions) + 2
    height = top + ROW_HEIGHT * n + 28
    scale = _Scale(
        min(levels.min(), prediction),
        max(levels.max(), prediction),
        LABEL_WIDTH,
        width - VALUE_WIDTH,
    )
    body = _axis(scale, top, top + ROW_HEIGHT * n, level_fmt)

    def marker(row: int, value: float, label: str) -> None:
        y = top + row * ROW_HEIGHT
        x = scale(value)
        body.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 16}" text-anchor="end" font-weight="600" '
            f'fill="{COLORS["text"]}">{_e(label)}</text>'
            f'<rect x="{x - 1.5:.1f}" y="{y + 3}" width="3" height="18" fill="{COLORS["text"]}"/>'
            f'<text x="{width - VALUE_WIDTH + 6}" y="{y + 16}" font-weight="600" '
            f'fill="{COLORS["text"]}">{_e(level_fmt(value))}</text>'
        )

    marker(0, base, base_label)
    for i, (label, c) in enumerate(zip(labels, contributions, strict=True)):
        y = top + (i + 1) * ROW_HEIGHT
        x0, x1 = sorted((scale(levels[i]), scale(levels[i + 1])))
        color = COLORS["up"] if c >= 0 else COLORS["down"]
        body.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 16}" text-anchor="end" '
            f'fill="{COLORS["text"]}">{_e(_shorten(label))}<title>{_e(label)}</title></text>'
            f'<rect x="{x0:.1f}" y="{y + 5}" width="{max(x1 - x0, 1):.1f}" height="14" '
            f'fill="{color}" rx="2"><title>{_e(label)}: {_e(fmt(c))}</title></rect>'
            f'<text x="{width - VALUE_WIDTH + 6}" y="{y + 16}" fill="{color}">'
            f"{_e(fmt(c))}</text>"
        )
    marker(n - 1, prediction, prediction_label)
    return _frame(width, height, body, title, note)


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
    scale = _Scale(finite.min(), finite.max(), LABEL_WIDTH, width - VALUE_WIDTH)
    colors = (COLORS["series"][0], COLORS["series"][4])
    legend_y = top - 8
    body = [
        f'<rect x="{LABEL_WIDTH}" y="{legend_y - 9}" width="10" height="10" fill="{colors[0]}"/>'
        f'<text x="{LABEL_WIDTH + 14}" y="{legend_y}" font-size="12">{_e(names[0])}</text>'
        f'<rect x="{LABEL_WIDTH + 110}" y="{legend_y - 9}" width="10" height="10" '
        f'fill="{colors[1]}"/>'
        f'<text x="{LABEL_WIDTH + 124}" y="{legend_y}" font-size="12">{_e(names[1])}</text>'
    ]
    body += _axis(scale, top, top + 30 * len(a), fmt)
    for i, label in enumerate(labels):
        y = top + i * 30
        body.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 19}" text-anchor="end" '
            f'fill="{COLORS["text"]}">{_e(_shorten(label))}<title>{_e(label)}</title></text>'
        )
        for k, (value, color) in enumerate(((a[i], colors[0]), (b[i], colors[1]))):
            if not np.isfinite(value):
                continue
            x0, x1 = sorted((scale(0.0), scale(value)))
            body.append(
                f'<rect x="{x0:.1f}" y="{y + 4 + 11 * k}" width="{max(x1 - x0, 1):.1f}" '
                f'height="10" fill="{color}"><title>{_e(label)} ({_e(names[k])}): '
                f"{_e(fmt(value))}</title></rect>"
            )
    return _frame(width, height, body, title, note)


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
    y = np.asarray(y, dtype=float)
    x_values = np.asarray(x, dtype=object)
    numeric = all(isinstance(v, (int, float, np.integer, np.floating)) for v in x_values)
    top = (48 if note else 32) + (20 if groups is not None else 0)
    left, right, bottom = 70, width - 20, height - 44
    rng = np.random.default_rng(0)
    if numeric:
        xf = x_values.astype(float)
        finite = xf[np.isfinite(xf)]
        xs = _Scale(
            finite.min() if len(finite) else 0, finite.max() if len(finite) else 1, left, right
        )
        px = np.array([xs(v) if np.isfinite(v) else np.nan for v in xf])
        ticks = [(xs(t), f"{t:,.4g}") for t in nice_ticks(xs.lo, xs.hi, 6)]
    else:
        categories = sorted({str(v) for v in x_values})
        step = (right - left) / max(len(categories), 1)
        where = {c: left + step * (i + 0.5) for i, c in enumerate(categories)}
        px = np.array([where[str(v)] for v in x_values]) + rng.uniform(
            -step / 4, step / 4, len(x_values)
        )
        ticks = [(where[c], _shorten(c, 14)) for c in categories]
    ys_scale = _Scale(np.nanmin(y) if len(y) else -1, np.nanmax(y) if len(y) else 1, bottom, top)
    body = []
    for t in nice_ticks(ys_scale.lo, ys_scale.hi):
        py = ys_scale(t)
        body.append(
            f'<line x1="{left}" y1="{py:.1f}" x2="{right}" y2="{py:.1f}" '
            f'stroke="{COLORS["grid"]}"/><text x="{left - 6}" y="{py + 4:.1f}" '
            f'text-anchor="end" font-size="11" fill="{COLORS["muted"]}">'
            f"{_e('0' if t == 0 else y_fmt(t))}</text>"
        )
    if ys_scale.lo < 0 < ys_scale.hi:
        body.append(
            f'<line x1="{left}" y1="{ys_scale(0):.1f}" x2="{right}" y2="{ys_scale(0):.1f}" '
            'stroke="#999"/>'
        )
    for tx, text in ticks:
        body.append(
            f'<text x="{tx:.1f}" y="{bottom + 16}" text-anchor="middle" font-size="11" '
            f'fill="{COLORS["muted"]}">{_e(text)}</text>'
        )
    if x_label:
        body.append(
            f'<text x="{(left + right) / 2:.1f}" y="{height - 8}" text-anchor="middle" '
            f'font-size="12" fill="{COLORS["text"]}">{_e(x_label)}</text>'
        )
    group_values = ["all"] * len(y) if groups is None else [str(g) for g in groups]
    names = sorted(set(group_values))
    palette = {g: COLORS["series"][i % len(COLORS["series"])] for i, g in enumerate(names)}
    for gx, gy, g, raw in zip(px, y, group_values, x_values, strict=True):
        if not (np.isfinite(gx) and np.isfinite(gy)):
            continue
        body.append(
            f'<circle cx="{gx:.1f}" cy="{ys_scale(gy):.1f}" r="3.2" fill="{palette[g]}" '
            f'fill-opacity="0.65"><title>{_e(raw)}: {_e(y_fmt(gy))} ({_e(g)})</title></circle>'
        )
    if groups is not None:
        lx = left
        for g in names[:8]:
            body.append(
                f'<rect x="{lx}" y="{top - 18}" width="10" height="10" fill="{palette[g]}"/>'
                f'<text x="{lx + 14}" y="{top - 9}" font-size="12">{_e(_shorten(g, 18))}</text>'
            )
            lx += 24 + 7 * min(len(g), 18)
    return _frame(width, height + 12, body, title, note)


def _unit_axes(xs: _Scale, ys: _Scale, height: int, *, x_label: str, y_label: str) -> list[str]:
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
        f'font-size="12">{_e(x_label)}</text>'
        f'<text x="14" y="{middle:.1f}" font-size="12" text-anchor="middle" '
        f'transform="rotate(-90 14 {middle:.1f})">{_e(y_label)}</text>'
    )
    return body


def _legend_layout(
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


def _legend_entry(body: list[str], x: float, y: float, color: str, label: object) -> None:
    """Append a legend swatch and its label at (x, y)."""
    body.append(
        f'<rect x="{x}" y="{y}" width="10" height="10" fill="{color}"/>'
        f'<text x="{x + 14}" y="{y + 9}" font-size="12">{_e(_shorten(label, 18))}'
        f"<title>{_e(label)}</title></text>"
    )


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
        Label -> (x, y) arrays.
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
    legend, top, bottom, height = _legend_layout(series, left, right, note, height)
    xs, ys = _Scale(0.0, 1.0, left, right), _Scale(0.0, 1.0, bottom, top)
    body = _unit_axes(xs, ys, height, x_label=x_label, y_label=y_label)
    for i, (label, (x, y)) in enumerate(series.items()):
        color = COLORS["series"][i % len(COLORS["series"])]
        _legend_entry(body, *legend[i], color, label)
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
                f'stroke-width="2.5"><title>{_e(label)}: {_e(x_label)} {a:.2f} -&gt; '
                f"{b:.0%}</title></circle>"
            )
    return _frame(width, height, body, title, note)


def reliability_chart(
    series: dict,
    *,
    title: str = "",
    note: str = "",
    width: int = 460,
    height: int = 380,
) -> str:
    """Predicted probability against observed frequency, one colour per slice, with bounds.

    Parameters
    ----------
    series : dict
        Slice label -> (mean_predicted, observed, observed_lo, observed_hi) arrays.
    title, note : str
        Heading and the line under it.
    width, height : int
        Size in pixels.

    Returns
    -------
    str
        Inline SVG.
    """
    left, right = 56, width - 16
    legend, top, bottom, height = _legend_layout(series, left, right, note, height)
    xs = _Scale(0.0, 1.0, left, right)
    ys = _Scale(0.0, 1.0, bottom, top)
    body = _unit_axes(xs, ys, height, x_label="the model said", y_label="it happened")
    body.append(
        f'<line x1="{xs(0):.1f}" y1="{ys(0):.1f}" x2="{xs(1):.1f}" y2="{ys(1):.1f}" '
        'stroke="#999" stroke-dasharray="4 3"><title>perfect calibration</title></line>'
    )
    for i, (label, (p, o, lo, hi)) in enumerate(series.items()):
        color = COLORS["series"][i % len(COLORS["series"])]
        _legend_entry(body, *legend[i], color, label)
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
                f"<title>{_e(label)}: said {a:.0%}, happened {b:.0%} ({c:.0%}–{d:.0%})"
                "</title></circle>"
            )
    return _frame(width, height, body, title, note)
