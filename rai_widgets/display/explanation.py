"""Display objects for explanations: computed data in, a readable chart out.

Each follows scikit-learn's Display pattern: ``from_session(...)`` computes, ``frame()`` returns
the tidy data behind the chart, ``to_svg()`` draws it without any plotting library (used by the
widgets, the static fallback and exports), ``figure()`` builds a plotly figure for users who
want one, and ``_repr_html_`` shows the chart in a notebook.

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
from rai_widgets.display.svg import bar_chart, paired_bar_chart, scatter_chart, waterfall_chart
from rai_widgets.display.svg_base import escape
from rai_widgets.formatting import MISSING, is_missing, number, percent, points, value
from rai_widgets.formatting_kinds import column_kind
from rai_widgets.readings.explanation import agreement_sentence
from rai_widgets.readings.glossary import annotate, plain_or, term_html
from rai_widgets.views.explanation import (
    CaseExplanation,
    case_explanation,
    contribution_formats,
    dependence_of_predicted_class,
    row_explanation,
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
            title=f"Why this case: {self.subject}",
            note=(
                "Each bar is how much that value moved the prediction (SHAP): dark bars push it "
                "up, light bars push it down."
            ),
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
        shap_rows, _ = row_explanation(
            session, row, method="shap", class_=class_, random_state=random_state
        )
        if "class" in shap_rows.columns and len(shap_rows):
            class_ = shap_rows["class"].iloc[0]  # the class SHAP explained: LIME explains it too
        lime_rows, _ = row_explanation(
            session, row, method="lime", class_=class_, random_state=random_state
        )
        both = [*shap_rows["contribution"], *lime_rows["contribution"]]
        fmt, _, _ = contribution_formats(session.task_, contributions=both)
        unit = session.target_unit if session.task_ == "regression" else None
        return cls(shap_rows, lime_rows, fmt=fmt, unit=unit)

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
            if plain:
                return "Neither explainer finds a feature that moves this prediction."
            return "Neither SHAP nor LIME finds a feature that moves this prediction."
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
        if not self.lime_reliable and self.local_r2 < 0.5:
            return f"LIME's local fit is weak here (R² {self.local_r2:.2f}): trust SHAP more."
        if not self.lime_reliable:
            return "LIME's leading weights are unstable here: trust SHAP more."
        return ""

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
        if not self.lime_reliable and self.local_r2 < 0.5:
            technical = (
                f"{term_html('LIME')}'s {term_html('local fit')} is weak here "
                f"(R² {self.local_r2:.2f}): trust {term_html('SHAP')} more."
            )
            plain = (
                "The simple model fitted around this case matches the model poorly (it explains "
                f"{percent(max(self.local_r2, 0.0), 0)} of the model's answers near it): trust "
                "the feature contributions more."
            )
        elif not self.lime_reliable:
            technical = (
                f"{term_html('LIME')}'s leading weights are unstable here: "
                f"trust {term_html('SHAP')} more."
            )
            plain = (
                "The simple-model explanation changes from one run to the next here: trust the "
                "feature contributions more."
            )
        else:
            return "".join(parts)
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
            title="Two explainers, side by side",
            note=self.summary() if note is None else note,
            fmt=self.fmt,
        )


class ImportanceDisplay(Display):
    """Which features matter most, per slice: mean absolute contribution with 95% bounds."""

    def __init__(self, table: pd.DataFrame, *, by_name: str | None, fmt: Any) -> None:
        self.frame_ = table.reset_index(drop=True)
        self.by_name, self.fmt = by_name, fmt

    @classmethod
    def from_session(
        cls,
        session: ModelSession,
        by: Any = None,
        *,
        method: str = "shap",
        max_rows: int = 300,
        random_state: int | None = None,
    ) -> ImportanceDisplay:
        """Compute feature importance per slice of ``by``."""
        table = session.feature_importance(
            by, method=method, max_rows=max_rows, random_state=random_state
        )
        if "class" in table.columns:  # multiclass: the mean over classes
            keys = [
                c
                for c in table.columns
                if c not in ("class", "n", "importance", "importance_lo", "importance_hi")
            ]
            table = (
                table.groupby(keys, sort=False, dropna=False)
                .agg(n=("n", "first"), importance=("importance", "mean"))
                .reset_index()
            )
            # the mean over classes: per-class bounds do not carry over to it
            table["importance_lo"] = np.nan
            table["importance_hi"] = np.nan
        fmt = (
            (lambda v: points(v, signed=False))
            if session.task_ != "regression"
            else (lambda v: number(v, 3))
        )
        by_name = None if by is None else str(by)
        return cls(table, by_name=by_name, fmt=fmt)

    def to_svg(self, max_features: int = 8) -> str:
        """Bars per (feature, slice) as inline SVG."""
        table = self.frame_
        slice_cols = [
            c
            for c in table.columns
            if c not in ("feature", "n", "importance", "importance_lo", "importance_hi")
        ]
        overall = table.groupby("feature")["importance"].mean().sort_values(ascending=False)
        features = overall.index[:max_features]
        shown = table[table["feature"].isin(features)].copy()
        shown["order"] = shown["feature"].map({f: i for i, f in enumerate(features)})
        shown = shown.sort_values(["order", *slice_cols], kind="stable")
        if slice_cols and shown[slice_cols[0]].nunique() > 1:
            labels = [
                f"{f} · {' & '.join(str(r[c]) for c in slice_cols)} (n={r['n']})"
                for f, (_, r) in zip(shown["feature"], shown.iterrows(), strict=True)
            ]
        else:
            labels = list(shown["feature"])
        where = f" by {self.by_name}" if self.by_name else ""
        return bar_chart(
            labels,
            shown["importance"],
            lo=shown["importance_lo"],
            hi=shown["importance_hi"],
            title=f"What the model relies on{where}",
            note="Average size of each feature's effect, with 95% bounds.",
            fmt=self.fmt,
            signed_colors=False,
            width=720,
        )


class DependenceDisplay(Display):
    """One feature's effect against its value, coloured by a (sensitive) column."""

    def __init__(
        self, frame: pd.DataFrame, *, feature: str, color_by: str | None, fmt: Any
    ) -> None:
        self.frame_ = frame.reset_index(drop=True)
        self.feature, self.color_by, self.fmt = feature, color_by, fmt

    @classmethod
    def from_session(
        cls,
        session: ModelSession,
        feature: Hashable,
        *,
        color_by: Hashable | None = None,
        max_rows: int = 300,
        random_state: int | None = None,
    ) -> DependenceDisplay:
        """Compute the dependence data of ``feature``."""
        frame = dependence_of_predicted_class(
            session, feature, color_by=color_by, max_rows=max_rows, random_state=random_state
        )
        fmt, _, _ = contribution_formats(session.task_)
        return cls(
            frame,
            feature=str(feature),
            color_by=None if color_by is None else str(color_by),
            fmt=fmt,
        )

    def to_svg(self) -> str:
        """A scatter of value against contribution as inline SVG."""
        colored = f", coloured by {self.color_by}" if self.color_by else ""
        groups = self.frame_["color"] if "color" in self.frame_.columns else None
        return scatter_chart(
            [MISSING if is_missing(v) else v for v in self.frame_["value"]],
            self.frame_["contribution"],
            groups=groups,
            title=f"How {self.feature} moves predictions{colored}",
            note="Each dot is one case; above the line the value raised the prediction.",
            x_label=self.feature,
            y_fmt=self.fmt,
        )
