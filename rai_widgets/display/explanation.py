"""Display objects for one case's explanation: computed data in, a readable chart out.

Each follows scikit-learn's Display pattern: ``from_data`` draws a view model's data
(:mod:`rai_widgets.views.explanation`), ``from_session(...)`` computes it first, ``frame()``
returns the tidy data behind the chart, ``to_svg()`` draws it without any plotting library
(used by the widgets, the static fallback and exports), ``figure()`` builds a plotly figure for
users who want one, and ``_repr_html_`` shows the chart in a notebook. The charts across rows
(:class:`ImportanceDisplay`, :class:`DependenceDisplay`) are in
:mod:`rai_widgets.display.explanation_global`, and importable from here.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.ensemble import RandomForestRegressor
>>> data = rw.datasets.load_wage()
>>> X = data.data[["year", "age"]]
>>> model = RandomForestRegressor(n_estimators=20, random_state=0).fit(X, data.target)
>>> s = rw.ModelSession(model, X, data.target, random_state=0)
>>> display = WaterfallDisplay.from_session(s, 0)
>>> display.frame().columns.tolist()[:3], display.to_svg().startswith("<svg")
(['feature', 'value', 'contribution'], True)
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from rai_widgets.display.base import Display
from rai_widgets.display.explanation_global import DependenceDisplay, ImportanceDisplay
from rai_widgets.display.svg import paired_bar_chart, waterfall_chart
from rai_widgets.display.svg_base import escape
from rai_widgets.formatting import value
from rai_widgets.formatting_kinds import column_kind
from rai_widgets.readings.explanation import (
    AGREEMENT_TITLE,
    WATERFALL_NOTE,
    agreement_sentence,
    lime_warning,
    nothing_pushes_sentence,
    waterfall_title,
)
from rai_widgets.readings.glossary import annotate, plain_or, term_html
from rai_widgets.views.explanation import (
    AgreementData,
    CaseExplanation,
    agreement_data,
    case_explanation,
)

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = ["AgreementDisplay", "DependenceDisplay", "ImportanceDisplay", "WaterfallDisplay"]

MAX_FEATURES = 10


def _agreeing(shap: np.ndarray, lime: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per feature, whether the two explainers push it the same way, and whether by a similar
    amount (within a factor of two); a feature both move by under a hundredth of the largest
    contribution agrees on both."""
    largest = max(float(np.abs(np.concatenate([shap, lime])).max(initial=0.0)), 1e-12)
    both_small = (np.abs(shap) < largest / 100) & (np.abs(lime) < largest / 100)
    same = both_small | (np.sign(shap) == np.sign(lime))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.abs(lime) / np.abs(shap)
    similar = both_small | ((np.sign(shap) == np.sign(lime)) & (ratio >= 0.5) & (ratio <= 2))
    return same, similar


class WaterfallDisplay(Display):
    """One row's explanation as a waterfall from the average case to this case, in raw values.

    Parameters
    ----------
    explanation : pandas.DataFrame
        ``ModelSession.explain`` rows of one row (and one class).
    fmt, level_fmt : callable
        Formats of contributions and of levels (base value, prediction).
    subject : str
        What is predicted (for the title).
    max_features : int, default 10
        Features shown; the rest are summed into one bar.
    """

    def __init__(
        self,
        explanation: pd.DataFrame,
        *,
        fmt: Any,
        level_fmt: Any,
        subject: str,
        max_features: int = MAX_FEATURES,
    ) -> None:
        ordered = explanation.sort_values("contribution", key=np.abs, ascending=False)
        shown = ordered.head(max_features)
        rest = ordered.iloc[max_features:]
        frame = shown[["feature", "value", "contribution"]].copy()
        if len(rest):
            other = pd.DataFrame(
                {
                    "feature": [f"{len(rest)} other features"],
                    "value": [None],
                    "contribution": [rest["contribution"].sum()],
                }
            )
            frame = pd.concat([frame, other], ignore_index=True)
        self.frame_ = frame.reset_index(drop=True)
        self.base_value = float(explanation["base_value"].iloc[0])
        self.prediction = float(explanation["prediction"].iloc[0])
        self.fmt, self.level_fmt, self.subject = fmt, level_fmt, subject

    @classmethod
    def from_session(
        cls,
        session: ModelSession,
        row: Hashable,
        *,
        method: str = "shap",
        class_: Any = None,
        max_features: int = MAX_FEATURES,
        random_state: int | None = None,
    ) -> WaterfallDisplay:
        """Explain ``row`` with ``session`` and build the display."""
        case = case_explanation(
            session, row, method=method, class_=class_, random_state=random_state
        )
        return cls.from_explanation(case, max_features=max_features)

    @classmethod
    def from_explanation(
        cls, case: CaseExplanation, *, max_features: int = MAX_FEATURES
    ) -> WaterfallDisplay:
        """The waterfall of an explained case (``views.explanation.case_explanation``)."""
        fmt, level_fmt = case.formats()
        return cls(
            case.rows, fmt=fmt, level_fmt=level_fmt, subject=case.subject, max_features=max_features
        )

    def to_svg(self) -> str:
        """The waterfall as inline SVG."""
        labels = [
            f if v is None else f"{f} = {value(v, column_kind(f))}"
            for f, v in zip(self.frame_["feature"], self.frame_["value"], strict=True)
        ]
        return waterfall_chart(
            labels,
            self.frame_["contribution"],
            base=self.base_value,
            prediction=self.prediction,
            title=waterfall_title(self.subject),
            note=WATERFALL_NOTE,
            fmt=self.fmt,
            level_fmt=self.level_fmt,
        )

    def figure(self) -> Any:
        """A plotly waterfall of the same data."""
        go = self._plotly()
        labels = ["average", *self.frame_["feature"].astype(str), "this case"]
        measures = ["absolute", *["relative"] * len(self.frame_), "total"]
        values = [self.base_value, *self.frame_["contribution"], self.prediction]
        return go.Figure(go.Waterfall(y=labels, x=values, measure=measures, orientation="h"))


class AgreementDisplay(Display):
    """SHAP and LIME side by side for one row, with how far they agree.

    Parameters
    ----------
    shap_rows, lime_rows : pandas.DataFrame
        ``ModelSession.explain`` rows of one row (and one class) by each explainer; with
        ``base_value`` and ``prediction`` in ``shap_rows``, the reading can say when a LIME
        contribution is larger than the whole move SHAP's contributions add up to.
    fmt : callable
        How a contribution reads on the chart.
    unit : str, optional
        The regression target's unit, added to the numbers of the reading.

    Attributes
    ----------
    rank_correlation : float
        Spearman correlation of the two sets of contributions.
    sign_agreement : float
        Share of the five strongest SHAP features (the main features) that LIME pushes the
        same way (a feature both hardly move counts as agreeing).
    size_agreement : float
        Share of them that LIME pushes the same way by a similar amount (within a factor of
        two, or both under a hundredth of the largest contribution).
    largest_disagreement : (str, float, float) or None
        ``(feature, lime, shap)`` of the feature, main or not, whose two contributions differ
        the most among those not of a similar size; None when the reading has none to name
        (every main feature agrees in size and no other differs by as much as the weakest main
        feature moves).
    move : float or None
        The prediction minus SHAP's base value (None without those columns).
    shap_sizes : float
        The sum of the sizes of SHAP's contributions (every feature's, up and down).
    shap_adds_up : bool
        Whether SHAP's contributions add up to ``move`` (within a hundredth of it).
    """

    def __init__(
        self,
        shap_rows: pd.DataFrame,
        lime_rows: pd.DataFrame,
        *,
        fmt: Any,
        unit: str | None = None,
    ) -> None:
        merged = shap_rows[["feature", "value", "contribution"]].merge(
            lime_rows[["feature", "contribution", "contribution_spread", "reliable", "local_r2"]],
            on="feature",
            suffixes=("_shap", "_lime"),
        )
        merged = merged.sort_values("contribution_shap", key=np.abs, ascending=False)
        self.frame_ = merged.reset_index(drop=True)
        self.fmt, self.unit = fmt, unit
        a, b = self.frame_["contribution_shap"], self.frame_["contribution_lime"]
        self.rank_correlation = float(a.rank().corr(b.rank())) if len(a) > 2 else float("nan")
        same, similar = _agreeing(a.to_numpy(dtype=float), b.to_numpy(dtype=float))
        shown = min(5, len(self.frame_))
        self.sign_agreement = float(same[:shown].mean()) if shown else float("nan")
        self.size_agreement = float(similar[:shown].mean()) if shown else float("nan")
        self.largest_disagreement = self._largest(similar, shown)
        self.move: float | None = None
        self.shap_sizes = float(shap_rows["contribution"].abs().sum())
        self.shap_adds_up = False
        if {"base_value", "prediction"} <= set(shap_rows.columns) and len(shap_rows):
            self.move = float(shap_rows["prediction"].iloc[0] - shap_rows["base_value"].iloc[0])
            total = float(shap_rows["contribution"].sum())
            self.shap_adds_up = abs(total - self.move) <= 1e-9 + 0.01 * abs(self.move)
        self.lime_reliable = bool(lime_rows["reliable"].iloc[0])
        self.local_r2 = float(lime_rows["local_r2"].iloc[0])

    def _largest(self, similar: np.ndarray, shown: int) -> tuple[str, float, float] | None:
        """The feature the reading names: see :attr:`largest_disagreement`."""
        frame = self.frame_
        apart = (frame["contribution_lime"] - frame["contribution_shap"]).abs().to_numpy()
        candidates = np.flatnonzero(~similar)
        if not len(candidates) or not shown:
            return None
        worst = int(candidates[np.argmax(apart[candidates])])
        weakest_main = float(frame["contribution_shap"].abs().iloc[:shown].min())
        if similar[:shown].all() and apart[worst] < weakest_main:
            return None  # every main feature agrees and no other differs by as much
        row = frame.iloc[worst]
        return str(row["feature"]), float(row["contribution_lime"]), float(row["contribution_shap"])

    @classmethod
    def from_session(
        cls,
        session: ModelSession,
        row: Hashable,
        *,
        class_: Any = None,
        random_state: int | None = None,
    ) -> AgreementDisplay:
        """Explain ``row`` with both methods and build the display."""
        return cls.from_data(agreement_data(session, row, class_=class_, random_state=random_state))

    @classmethod
    def from_data(cls, data: AgreementData) -> AgreementDisplay:
        """The chart of :func:`~rai_widgets.views.explanation.agreement_data`."""
        return cls(data.shap_rows, data.lime_rows, fmt=data.format(), unit=data.unit)

    def _nothing_pushes(self) -> bool:
        """Neither explainer gives any feature a contribution (a constant model, say)."""
        both = self.frame_[["contribution_shap", "contribution_lime"]].to_numpy(dtype=float)
        return not (np.abs(both) > 1e-12).any()

    def _with_unit(self, v: float) -> str:
        """A contribution as the reading writes it: the chart's format, and the unit."""
        return f"{self.fmt(v)} {self.unit}" if self.unit else str(self.fmt(v))

    def agreement(self, *, plain: bool = False) -> str:
        """How far the two explanations agree on the main features, the feature they disagree
        on most, and which to prefer when LIME's number is off the scale of the prediction
        (:func:`~rai_widgets.readings.explanation.agreement_sentence`).

        Parameters
        ----------
        plain : bool, default False
            The sentence for presenter mode.

        Returns
        -------
        str
        """
        if self._nothing_pushes():
            return nothing_pushes_sentence(plain=plain)
        shown = min(5, len(self.frame_))
        return agreement_sentence(
            shown,
            round(self.sign_agreement * shown),
            round(self.size_agreement * shown),
            largest=self.largest_disagreement,
            move=self.move,
            shap_sizes=self.shap_sizes,
            shap_adds_up=self.shap_adds_up,
            fmt=self._with_unit,
            plain=plain,
        )

    def warning(self) -> str:
        """Why LIME should not be trusted on this case ("" when it can be)."""
        return lime_warning(self.lime_reliable, self.local_r2)

    def summary(self) -> str:
        """How far the two explanations agree, and the warning when LIME is unreliable."""
        return " ".join(t for t in (self.agreement(), self.warning()) if t)

    def reading_html(self) -> str:
        """:meth:`summary` as HTML that wraps: every technical term with its explanation on
        hover, and plain sentences in presenter mode; the warning in its own box
        (``rai-lime-warning``).

        Examples
        --------
        >>> import pandas as pd
        >>> shap = pd.DataFrame({"feature": ["a", "b", "c"], "value": [1, 2, 3],
        ...                      "contribution": [0.3, -0.2, 0.1]})
        >>> lime = shap.assign(contribution=[0.2, -0.1, 0.05], contribution_spread=0.01,
        ...                    reliable=False, local_r2=0.31)
        >>> html = AgreementDisplay(shap, lime, fmt=str).reading_html()
        >>> "rai-lime-warning" in html and "R² 0.31" in html and "31%" in html
        True
        """
        technical = annotate(escape(self.agreement()))
        plain = self.agreement(plain=True)
        parts = [f'<div class="rai-agreement-reading">{plain_or(technical, plain)}</div>']
        technical = lime_warning(self.lime_reliable, self.local_r2, term=term_html)
        if technical:
            plain = lime_warning(self.lime_reliable, self.local_r2, plain=True)
            parts.append(f'<div class="rai-lime-warning">{plain_or(technical, plain)}</div>')
        return "".join(parts)

    def to_svg(self, max_features: int = MAX_FEATURES, *, note: str | None = None) -> str:
        """Paired bars as inline SVG; ``note`` (default :meth:`summary`) under the title."""
        top = self.frame_.head(max_features)
        return paired_bar_chart(
            top["feature"],
            top["contribution_shap"],
            top["contribution_lime"],
            names=("SHAP", "LIME"),
            title=AGREEMENT_TITLE,
            note=self.summary() if note is None else note,
            fmt=self.fmt,
        )
