"""The feature-effect chart: one curve per group with its bootstrap band, the data's rug under a
numeric feature, points with bars for a text feature; drawn from ``ModelSession.effects``.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"feature": "age", "value": [20, 40, 60],
...     "effect": [0.1, 0.3, 0.4], "lo": [0.08, 0.27, 0.36], "hi": [0.12, 0.33, 0.44],
...     "n": 100})
>>> svg = EffectsDisplay(frame, feature="age", subject="the chance", points=True).to_svg()
>>> svg.startswith("<svg") and "How the chance moves with age" in svg
True
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from rai_widgets import formatting
from rai_widgets.display.base import Display
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
)
from rai_widgets.readings.effects import EXTRAPOLATION_NOTE
from rai_widgets.views.effects import EffectsData, effects_data, is_number

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = ["EffectsDisplay"]


class EffectsDisplay(Display):
    """How the model's answer moves as one feature moves, per group, with bands.

    Parameters
    ----------
    frame : pandas.DataFrame
        ``ModelSession.effects(feature, by=...)`` (kind "average" or "ale").
    feature : str
        The feature's name.
    subject : str
        What moves, in words (``frame.attrs["subject"]``).
    points : bool
        Whether the answer is a probability (an axis in percent).
    rug : list, optional
        A sample of the feature's values, drawn as ticks under a numeric axis.
    reading : str, optional
        The sentence under the chart.
    ice : pandas.DataFrame, optional
        ``ModelSession.effects(feature, kind="individual")``: a sample of rows' own curves,
        drawn faint behind the average (a numeric feature).
    case : pandas.DataFrame, optional
        One case's own curve (``effects(feature, kind="individual", rows=[row])``), drawn
        bold over the rest, with a dot at the case's own value.
    case_value : object, optional
        The case's own value of the feature.
    kind : {"average", "ale"}, default "average"
        What the curves are: the average answer (partial dependence), or accumulated local
        effects (changes from the average answer, 0 in the middle).
    extrapolated : list, optional
        Grid values beyond the data's values (``frame.attrs["extrapolated"]``): the part of a
        numeric axis beyond ``data_range`` is grey.
    data_range : tuple of float, optional
        The feature's smallest and largest value in the data (``frame.attrs["range"]``).

    Notes
    -----
    A numeric feature's missing value (a grid point of its own) is drawn as a point with its
    bars right of the curve, under the word "missing".
    """

    def __init__(
        self,
        frame: pd.DataFrame,
        *,
        feature: str,
        subject: str,
        points: bool,
        rug: list | None = None,
        reading: str = "",
        ice: pd.DataFrame | None = None,
        case: pd.DataFrame | None = None,
        case_value: object = None,
        kind: str = "average",
        extrapolated: list | None = None,
        data_range: tuple[float, float] | None = None,
    ) -> None:
        self.frame_ = frame.reset_index(drop=True)
        self.case = None if case is None else case.reset_index(drop=True)
        self.case_value = case_value
        self.feature, self.subject, self.points = feature, subject, points
        self.rug, self.reading, self.kind = list(rug or []), reading, kind
        self.ice = None if ice is None else ice.reset_index(drop=True)
        self.extrapolated, self.data_range = list(extrapolated or []), data_range

    @classmethod
    def from_data(cls, data: EffectsData) -> EffectsDisplay:
        """The chart of effects computed by :func:`~rai_widgets.views.effects.effects_data`."""
        return cls(
            data.frame,
            feature=data.feature,
            subject=data.subject,
            points=data.points,
            rug=data.rug,
            reading=data.reading,
            ice=data.ice,
            case=data.case,
            case_value=data.case_value,
            kind=data.kind,
            extrapolated=data.extrapolated,
            data_range=data.data_range,
        )

    @classmethod
    def from_session(
        cls,
        session: ModelSession,
        feature: Hashable,
        *,
        by: Any = None,
        kind: str = "average",
        grid_resolution: int = 20,
        n_ice: int = 30,
        random_state: int | None = None,
        row: Hashable | None = None,
        grid: Sequence[Any] | None = None,
    ) -> EffectsDisplay:
        """Compute the effects of ``feature`` (see ``ModelSession.effects``), and for the
        average of a numeric feature ``n_ice`` rows' own curves (0: none) and, with ``row``,
        that case's own curve in bold; ``grid``: the feature's values to set (values beyond
        the data are drawn in a grey part of the chart)."""
        return cls.from_data(
            effects_data(
                session,
                feature,
                by=by,
                kind=kind,
                grid_resolution=grid_resolution,
                n_ice=n_ice,
                random_state=random_state,
                row=row,
                grid=grid,
            )
        )

    def to_svg(self, width: int = 640, height: int = 320) -> str:
        """The curves (a numeric feature) or points with bars (a text feature) as inline SVG."""
        data = self.frame_
        groups = (
            [formatting.label(g) for g in data["group"]]
            if "group" in data.columns
            else ["all"] * len(data)
        )
        names = list(dict.fromkeys(groups))
        present = [v for v in data["value"] if not formatting.is_missing(v)]
        numeric = bool(present) and all(is_number(v) for v in present)
        left, right = 70, width - 20
        note = "Shaded: 95% bounds (rows resampled); ticks under the axis: the data's values."
        if self.ice is not None:
            note = (
                "Faint lines: single cases; shaded: 95% bounds (rows resampled); ticks: the "
                "data's values."
            )
        if self.case is not None:
            row = formatting.row_label(self.case["row"].iloc[0])
            note = (
                f"Dashed: case {row} (the dot: its own value); faint: other cases; shaded: the "
                "average's 95% bounds."
            )
        if self.kind == "ale":
            note = (
                "The change from the average answer, built from small local steps (honest when "
                "features are correlated); shaded: 95% bounds."
            )
        if not numeric:
            note = "Bars: 95% bounds (rows resampled)."
        missing = numeric and any(formatting.is_missing(v) for v in data["value"])
        if missing:  # the missing value's point sits right of the curve
            right -= 64
        if numeric and self.extrapolated and self.data_range is not None:
            note = f"{note.rstrip('.')}; {EXTRAPOLATION_NOTE}."
        top: float = 48
        legend: list[tuple[float, float]] = []
        if "group" in data.columns:
            legend, top, _, height = legend_layout(names[:8], left, right, note, height)
            top += 2
        bottom = height - 44
        fmt = (
            (lambda v: formatting.percent(v, 0))
            if self.points
            else (lambda v: formatting.number(v, 3))
        )
        low, high = float(np.nanmin(data["lo"])), float(np.nanmax(data["hi"]))
        for lines in (self.ice, self.case):
            if lines is not None and len(lines):
                low = min(low, float(np.nanmin(lines["effect"])))
                high = max(high, float(np.nanmax(lines["effect"])))
        ys = Scale(low, high, bottom, top)
        body = axis(ys, left, right, fmt, horizontal=True)
        palette = {g: COLORS["series"][i % len(COLORS["series"])] for i, g in enumerate(names)}
        if numeric:
            values = np.array([float(v) if is_number(v) else np.nan for v in data["value"]])
            xs = Scale(float(np.nanmin(values)), float(np.nanmax(values)), left, right)
            for t in nice_ticks(xs.lo, xs.hi, 6):
                body.append(tick_label(formatting.number(t, 4), xs(t), bottom + 16, 60))
            body += self._beyond_data(xs, top, bottom)
            for v in self.rug:
                if is_number(v) and np.isfinite(float(v)):
                    x = xs(float(v))
                    body.append(
                        f'<line x1="{x:.1f}" y1="{bottom}" x2="{x:.1f}" y2="{bottom - 5}" '
                        f'stroke="{COLORS["axis"]}" stroke-opacity="0.5"/>'
                    )
            if self.ice is not None:
                body += self._ice_lines(xs, ys, palette)
            for name in names:
                mine = [i for i, g in enumerate(groups) if g == name and np.isfinite(values[i])]
                if not mine:
                    continue
                color = palette[name]
                upper = [f"{xs(values[i]):.1f},{ys(data['hi'][i]):.1f}" for i in mine]
                lower = [f"{xs(values[i]):.1f},{ys(data['lo'][i]):.1f}" for i in reversed(mine)]
                body.append(
                    f'<polygon points="{" ".join(upper + lower)}" fill="{color}" '
                    'fill-opacity="0.18" stroke="none"/>'
                )
                line = " ".join(f"{xs(values[i]):.1f},{ys(data['effect'][i]):.1f}" for i in mine)
                body.append(
                    f'<polyline points="{line}" fill="none" stroke="{color}" stroke-width="2"/>'
                )
                for i in mine:
                    body.append(
                        f'<circle cx="{xs(values[i]):.1f}" cy="{ys(data["effect"][i]):.1f}" '
                        f'r="2.5" fill="{color}"><title>{escape(name)}: {escape(self.feature)} '
                        f"{escape(formatting.value(data['value'][i]))} -&gt; "
                        f"{escape(fmt(data['effect'][i]))} ({escape(fmt(data['lo'][i]))} to "
                        f"{escape(fmt(data['hi'][i]))})</title></circle>"
                    )
            if self.case is not None:
                body += self._case_line(xs, ys, fmt)
            if missing:
                body += self._missing_point(groups, names, palette, ys, fmt, right, (top, bottom))
        else:
            categories = list(dict.fromkeys(formatting.value(v) for v in data["value"]))
            step = (right - left) / max(len(categories), 1)
            width_each = step / (len(names) + 1)
            for c, category in enumerate(categories):
                body.append(tick_label(category, left + step * (c + 0.5), bottom + 16, step - 4))
            for k, name in enumerate(names):
                color = palette[name]
                for i, g in enumerate(groups):
                    if g != name:
                        continue
                    c = categories.index(formatting.value(data["value"][i]))
                    x = left + step * c + width_each * (k + 1)
                    body.append(
                        f'<line x1="{x:.1f}" y1="{ys(data["lo"][i]):.1f}" x2="{x:.1f}" '
                        f'y2="{ys(data["hi"][i]):.1f}" stroke="{color}" stroke-width="2"/>'
                        f'<circle cx="{x:.1f}" cy="{ys(data["effect"][i]):.1f}" r="4" '
                        f'fill="{color}"><title>{escape(name)}: '
                        f"{escape(categories[c])} -&gt; {escape(fmt(data['effect'][i]))}"
                        "</title></circle>"
                    )
        body.append(
            f'<text x="{(left + right) / 2:.1f}" y="{height + 4}" text-anchor="middle" '
            f'font-size="12" fill="{COLORS["text"]}">{escape(self.feature)}</text>'
        )
        if "group" in data.columns:
            for name, place in zip(names, legend, strict=False):
                legend_entry(body, *place, palette[name], name)
        title = f"How {self.subject} moves with {self.feature}"
        if self.kind == "ale":
            title += " (accumulated local effects)"
        return frame(width, height + 12, body, title, note)

    def _beyond_data(self, xs: Scale, top: float, bottom: float) -> list[str]:
        """Grey over the part of the axis beyond the data's values (grid values set there are
        the model extrapolating)."""
        if not self.extrapolated or self.data_range is None:
            return []
        low, high = self.data_range
        out = []
        for a, b in ((xs.lo, low), (high, xs.hi)):
            if b > a:
                out.append(
                    f'<rect class="rai-effect-extrapolated" x="{xs(a):.1f}" y="{top:.1f}" '
                    f'width="{xs(b) - xs(a):.1f}" height="{bottom - top:.1f}" '
                    f'fill="{COLORS["axis"]}" fill-opacity="0.15"><title>'
                    f"{escape(EXTRAPOLATION_NOTE)}</title></rect>"
                )
        return out

    def _missing_point(
        self,
        groups: list[str],
        names: list[str],
        palette: dict,
        ys: Scale,
        fmt: Callable[[Any], str],
        right: float,
        rows: tuple[float, float],
    ) -> list[str]:
        """Each group's answer with the feature missing: a point with its bars right of the
        curve, under the word "missing"."""
        data = self.frame_
        top, bottom = rows
        word = formatting.value(np.nan)
        centre = right + 38
        out = [
            f'<line x1="{right + 12:.1f}" y1="{top:.1f}" x2="{right + 12:.1f}" '
            f'y2="{bottom}" stroke="{COLORS["axis"]}" stroke-dasharray="3 3"/>',
            tick_label(word, centre, bottom + 16, 56),
        ]
        step = 40 / (len(names) + 1)
        for k, name in enumerate(names):
            color = palette[name]
            for i, g in enumerate(groups):
                if g != name or not formatting.is_missing(data["value"][i]):
                    continue
                x = centre - 20 + step * (k + 1)
                out.append(
                    f'<g class="rai-effect-missing"><line x1="{x:.1f}" '
                    f'y1="{ys(data["lo"][i]):.1f}" x2="{x:.1f}" y2="{ys(data["hi"][i]):.1f}" '
                    f'stroke="{color}" stroke-width="2"/><circle cx="{x:.1f}" '
                    f'cy="{ys(data["effect"][i]):.1f}" r="4" fill="{color}"><title>'
                    f"{escape(name)}: {escape(self.feature)} {escape(word)} -&gt; "
                    f"{escape(fmt(data['effect'][i]))} ({escape(fmt(data['lo'][i]))} to "
                    f"{escape(fmt(data['hi'][i]))})</title></circle></g>"
                )
        return out

    def _case_line(self, xs: Scale, ys: Scale, fmt: Callable[[Any], str]) -> list[str]:
        """The followed case's own curve, bold and dark, and a dot at its own value."""
        assert self.case is not None
        curve = self.case[[is_number(v) for v in self.case["value"]]]
        values = curve["value"].astype(float).to_numpy()
        effects = curve["effect"].astype(float).to_numpy()
        keep = np.isfinite(values) & np.isfinite(effects)
        values, effects = values[keep], effects[keep]
        if len(values) < 2:
            return []
        row = formatting.row_label(self.case["row"].iloc[0])
        points = " ".join(f"{xs(v):.1f},{ys(e):.1f}" for v, e in zip(values, effects, strict=True))
        out = [
            f'<polyline class="rai-effect-case" points="{points}" fill="none" '
            f'stroke="{COLORS["text"]}" stroke-width="2.5" stroke-dasharray="6 3">'
            f"<title>case {escape(row)}</title></polyline>"
        ]
        own = self.case_value
        if is_number(own) and np.isfinite(float(own)):  # type: ignore[arg-type]
            at = float(np.interp(float(own), values, effects))  # type: ignore[arg-type]
            out.append(
                f'<circle cx="{xs(float(own)):.1f}" cy="{ys(at):.1f}" r="5" '  # type: ignore[arg-type]
                f'fill="{COLORS["text"]}"><title>case {escape(row)}: {escape(self.feature)} '
                f"{escape(formatting.value(own))} -&gt; {escape(fmt(at))}</title></circle>"
            )
        return out

    def _ice_lines(self, xs: Scale, ys: Scale, palette: dict) -> list[str]:
        """Each sampled row's own curve, faint, in its group's colour."""
        lines = []
        assert self.ice is not None
        for _, curve in self.ice.groupby("row", sort=False):
            group = formatting.label(curve["group"].iloc[0]) if "group" in curve else "all"
            color = palette.get(group, COLORS["axis"])
            points = [
                f"{xs(float(v)):.1f},{ys(float(e)):.1f}"
                for v, e in zip(curve["value"], curve["effect"], strict=True)
                if is_number(v) and np.isfinite(float(e))
            ]
            if len(points) > 1:
                lines.append(
                    f'<polyline points="{" ".join(points)}" fill="none" stroke="{color}" '
                    'stroke-opacity="0.15" stroke-width="1"/>'
                )
        return lines
