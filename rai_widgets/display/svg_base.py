"""The building blocks of the SVG charts: colours, escaping, scales, axes, legends, the frame.

Examples
--------
>>> scale = Scale(0.0, 1.0, 0, 100)
>>> round(scale(0.5), 1), escape("<b>")
(50.0, '&lt;b&gt;')
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable

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
    "legend_width",
    "nice_ticks",
    "row_label",
    "shorten",
    "shorten_keeping_value",
    "tick_label",
    "unit_axes",
    "whisker",
    "wrap_text",
]

# colour-blind-safe pair (blue / orange) and neutrals. Blue and orange mean better and worse
# on every chart, so a push up or down of a prediction (a sign, not a judgement) is drawn in
# the neutral pair: dark up, light down (tokens.css: --rai-push-up, --rai-push-down).
COLORS = {
    "up": "#444444",
    "down": "#b0b0b0",
    "neutral": "#7f7f7f",
    "better": "#0072b2",  # blue: better, on every metric (bar_chart(better=...))
    "worse": "#d55e00",  # orange: worse
    "grid": "#e5e5e5",
    "text": "#222222",
    "muted": "#666666",
    "axis": "#999999",  # axes, reference lines, "n/a"
    "ink": "#333333",  # interval whiskers
    "paper": "#ffffff",
    "others": "#bdbdbd",  # the other groups, faint behind a panel's own (reliability panels)
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


def shorten_keeping_value(text: object, limit: int = 33) -> str:
    """``shorten`` a "feature = value" label by its feature name, so the value stays whole.

    Examples
    --------
    >>> shorten_keeping_value("od280/od315_of_diluted_wines = 3.16")
    'od280/od315_of_diluted_wi… = 3.16'
    >>> shorten_keeping_value("age = 43")
    'age = 43'
    >>> shorten_keeping_value("marital-status = Married-civ-spouse")
    'marital-sta… = Married-civ-spouse'
    """
    text = str(text)
    name, sep, value = text.rpartition(" = ")
    # the value stays whole while the name keeps at least 6 characters
    if len(text) <= limit or not sep or len(value) > limit - len(sep) - 6:
        return shorten(text, limit)
    return f"{shorten(name, limit - len(sep) - len(value))}{sep}{value}"


def row_label(label: object, y: float, *, limit: int = 33) -> str:
    """A row's label, right-aligned left of the bars, with its baseline at ``y``: on two
    smaller lines (broken at a space or a slash near the middle) when it is longer than
    ``limit`` characters, so a long group name is read whole; cut with "…" only when even two
    lines cannot hold it. The whole label is its hover text.

    Examples
    --------
    >>> row_label("sex = Female", 20).count("<tspan")
    0
    >>> two = row_label("female : divorced/separated/married", 20)
    >>> two.count("<tspan"), "divorced/" in two and "married<" in two
    (2, True)
    """
    text = str(label)
    hover = f"<title>{escape(text)}</title>"
    start = f'<text x="{LABEL_WIDTH - 8}" text-anchor="end" fill="{COLORS["text"]}"'
    if len(text) <= limit:
        return f'{start} y="{y}">{escape(text)}{hover}</text>'
    breaks = [i + 1 for i, c in enumerate(text) if c in " /" and 0 < i < len(text) - 1]
    if not breaks:
        return f'{start} y="{y}">{escape(shorten(text, limit))}{hover}</text>'
    cut = min(breaks, key=lambda i: abs(i - len(text) / 2))
    wide = int(limit * 13 / 11)  # the two lines are drawn at 11px instead of 13px
    first, second = (shorten(part.strip(), wide) for part in (text[:cut], text[cut:]))
    x = LABEL_WIDTH - 8
    return (
        f'{start} y="{y - 6}" font-size="11"><tspan x="{x}">{escape(first)}</tspan>'
        f'<tspan x="{x}" dy="11">{escape(second)}</tspan>{hover}</text>'
    )


TITLE_CHAR = 8.6  # width of a character of a 15px bold title, generously (px)
NOTE_CHAR = 6.7  # width of a character of a 12px note, generously (px)


def wrap_text(text: str, width: float, char_width: float) -> list[str]:
    """Split ``text`` into lines that fit ``width`` pixels, breaking between words.

    A word longer than a line keeps its own line (never cut mid-word).

    Examples
    --------
    >>> wrap_text("one two three four", 70, 7)
    ['one two', 'three four']
    >>> wrap_text("", 100, 7)
    []
    """
    per_line = max(int(width // char_width), 8)
    lines: list[str] = []
    for word in str(text).split():
        if lines and len(lines[-1]) + 1 + len(word) <= per_line:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def frame(width: int, height: int, body: list[str], title: str, note: str = "") -> str:
    """The ``<svg>`` around ``body``: the title and the note under it, each wrapped onto more
    lines when it is wider than the chart; the chart grows by those lines (the body moves
    down) so that nothing is cut at the right edge.

    Examples
    --------
    >>> svg = frame(200, 100, ["<rect/>"], "A title", "a note long enough to need two lines")
    >>> 'height="115"' in svg, svg.count('font-size="12"')
    (True, 2)
    """
    titles = wrap_text(title, width - 16, TITLE_CHAR) or [""]
    notes = wrap_text(note, width - 16, NOTE_CHAR)
    extra = 19 * (len(titles) - 1) + 15 * max(len(notes) - 1, 0)
    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + extra}" '
        f'viewBox="0 0 {width} {height + extra}" role="img" aria-label="{escape(title)}" '
        f'style="{FONT};font-size:13px;background:{COLORS["paper"]}">',
        f"<title>{escape(title)}</title>",
    ]
    for i, line in enumerate(titles):
        head.append(
            f'<text x="8" y="{18 + 19 * i}" font-size="15" font-weight="600" '
            f'fill="{COLORS["text"]}">{escape(line)}</text>'
        )
    below = 19 * (len(titles) - 1)
    for i, line in enumerate(notes):
        head.append(
            f'<text x="8" y="{36 + below + 15 * i}" font-size="12" fill="{COLORS["muted"]}">'
            f"{escape(line)}</text>"
        )
    if extra:
        body = [f'<g transform="translate(0,{extra})">', *body, "</g>"]
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
        parts.append(f'{line(scale(0.0))}stroke="{COLORS["axis"]}"/>')
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


TICK_CHAR = 6.4  # width of a character of an 11px tick label, generously (px)


def tick_label(text: object, x: float, y: float, width: float) -> str:
    """A category's label under an axis, centred at ``x``: on two lines (broken at spaces or
    hyphens) when it is wider than ``width`` pixels; the whole label is its hover text.

    Examples
    --------
    >>> svg = tick_label("Married-civ-spouse", 100, 20, 90)
    >>> svg.count("<tspan"), "Married-civ-" in svg, "<title>Married-civ-spouse</title>" in svg
    (2, True, True)
    """
    full = str(text)
    per_line = max(int(width // TICK_CHAR), 6)
    lines = wrap_text(full.replace("-", "- "), width, TICK_CHAR)
    lines = [line.replace("- ", "-") for line in lines] or [""]
    if len(lines) > 2:
        lines = [lines[0], " ".join(lines[1:]).replace("- ", "-")]
    lines = [shorten(line, per_line) for line in lines]
    spans = "".join(
        f'<tspan x="{x:.1f}" dy="{0 if i == 0 else 12}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return (
        f'<text x="{x:.1f}" y="{y}" text-anchor="middle" font-size="11" '
        f'fill="{COLORS["muted"]}">{spans}<title>{escape(full)}</title></text>'
    )


# characters of a legend label shown (the whole label is its hover text): as many as fit one
# row of the narrowest chart (440 pixels)
LEGEND_LIMIT = 54


def legend_width(label: object) -> float:
    """Pixels a legend entry (swatch, label, gap) takes.

    Examples
    --------
    >>> legend_width("Female")
    70.8
    """
    return 30 + 6.8 * len(shorten(label, LEGEND_LIMIT))


def legend_layout(
    labels: Iterable[object], left: float, right: float, note: str, height: int
) -> tuple[list[tuple[float, float]], float, float, int]:
    """Place legend entries in rows that wrap at ``right`` instead of running off the edge.

    Returns the (x, y) of each entry, the plot's top and bottom, and the chart's new height
    (taller by the extra legend rows, so the plot keeps its size).

    Examples
    --------
    >>> places, top, bottom, height = legend_layout(["a" * 30] * 3, 50, 450, "", 300)
    >>> [y for _, y in places], height
    ([34, 52, 70], 336)
    """
    first = (48 if note else 32) + 2
    places: list[tuple[float, float]] = []
    x, y = left, first
    for label in labels:
        entry = legend_width(label)
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
        f'<text x="{x + 14}" y="{y + 9}" font-size="12">'
        f"{escape(shorten(label, LEGEND_LIMIT))}<title>{escape(label)}</title></text>"
    )


def whisker(a: float, b: float, y: float) -> str:
    """An interval from ``a`` to ``b`` at height ``y``: a line with end ticks.

    Examples
    --------
    >>> whisker(10, 50, 12).count("<line")
    3
    """
    ink = COLORS["ink"]
    return (
        f'<line x1="{a:.1f}" y1="{y}" x2="{b:.1f}" y2="{y}" stroke="{ink}"/>'
        f'<line x1="{a:.1f}" y1="{y - 4}" x2="{a:.1f}" y2="{y + 4}" stroke="{ink}"/>'
        f'<line x1="{b:.1f}" y1="{y - 4}" x2="{b:.1f}" y2="{y + 4}" stroke="{ink}"/>'
    )
