"""The uncertainty view as static HTML: one case read honestly (frequency framing, the
prediction set as "could be A or B" or why it is empty, an interval read as the method made it
and a quantile dotplot for regression), the reliability diagram per slice and the conformal
coverage per group against its promise.

Every technical term is written with :func:`~rai_widgets.readings.glossary.term_html` (its
explanation on hover, its plain words in presenter mode); every sentence comes from
:mod:`rai_widgets.readings.uncertainty`.

Examples
--------
>>> import rai_widgets as rw
>>> from rai_widgets.static_html import uncertainty
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, random_state=0)
>>> result = s.conformal(confidence_level=0.9, calibration=0.5)
>>> text, extra = uncertainty.case_reading(s, 0, conformal=result)
>>> text.startswith("Of 100 cases") and "answer set" in text and extra == ""
True
>>> uncertainty.case_reading(s, 3, conformal=result)[0]  # doctest: +NORMALIZE_WHITESPACE
"Of 100 cases the model scores like this one, about 69 would be target = 0 (69% by the
model's score). No class reaches the 90% level for this case: the model gives its best
guess, target = 0, only 69%, lower than the 82% or more it gave the true class in 90% of
the cases used to calibrate the sets. The model cannot answer this case at that level: treat
its guess as a guess."
"""

from __future__ import annotations

import html
from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from rai_widgets import formatting
from rai_widgets.display.uncertainty import CoverageDisplay, ReliabilityDisplay
from rai_widgets.readings.glossary import plain_or, term_html
from rai_widgets.readings.small_groups import not_shown_sentence
from rai_widgets.readings.uncertainty import (
    coverage_sentence,
    coverage_verdict,
    set_size_sentence,
)
from rai_widgets.readings.uncertainty_limits import (
    left_out_sentence,
    wide_sets_sentence,
)
from rai_widgets.static_html.case_uncertainty import case_group, outcome_reading
from rai_widgets.static_html.page import escape, safe
from rai_widgets.views.groupings import default_grouping
from rai_widgets.views.uncertainty import (
    MIN_CALIBRATION_ROWS,
    CalibrationModel,
    CoverageModel,
    set_spread,
)

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = [
    "calibration_display",
    "calibration_html",
    "case_html",
    "case_note",
    "case_pane",
    "case_reading",
    "coverage_display",
    "coverage_html",
    "coverage_model_html",
    "coverage_pane",
    "reliability_html",
    "reliability_pane",
    "view_html",
]


def case_reading(session: ModelSession, row: Hashable, *, conformal: Any) -> tuple[str, str]:
    """The plain-language reading of one case, and its chart.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    row : label of X's index
        The case.
    conformal : ConformalResult
        ``session.conformal(...)``: its threshold makes the prediction set or interval.

    Returns
    -------
    text, chart : str
        :func:`~rai_widgets.static_html.case_uncertainty.outcome_reading` of the case's
        answer in ``session.predictions()``.
    """
    s = session
    position = s.core.positions_of([row])[0]
    preds = s.predictions().iloc[position]
    proba = None
    if s.task_ != "regression":
        proba = {c: float(preds[f"proba_{c}"]) for c in s.core.class_labels()}
    return outcome_reading(
        s,
        s.core.frame.iloc[[position]],
        y_pred=preds["y_pred"],
        proba=proba,
        conformal=conformal,
        group=case_group(s, position, conformal),
    )


def case_note(session: ModelSession, conformal: Any) -> str:
    """What the case's set or interval is, its technical term explained on hover.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    conformal : ConformalResult
        The result the case was read with.

    Returns
    -------
    str
        HTML.
    """
    level = escape(formatting.percent(conformal.confidence_level, 0))
    n = escape(formatting.count(conformal.n_calibration))
    if session.task_ != "regression":
        return (
            '<p class="rai-note">'
            + plain_or(
                f"The {term_html('conformal set')} holds the classes the model cannot rule out at "
                f"{level}; its cut-off was set on {n} held-out cases.",
                f"The answers shown are those the model cannot rule out, at {level}; the cut-off "
                f"was set on {n} cases kept aside.",
            )
            + "</p>"
        )
    width = (
        "is wider for cases the model tends to miss by more (a model of its misses sets "
        "each case's width)"
        if conformal.adaptive
        else "has the same width for every case"
    )
    return (
        f'<p class="rai-note">The {level} {term_html("prediction interval")} {width}; its '
        f"scale was set on {n} held-out cases.</p>"
    )


def case_html(text: str, chart: str = "", note: str = "") -> str:
    """A case's reading in its box, the note on its set or interval (HTML), then its chart
    (see :func:`case_reading`)."""
    return f'<div class="rai-unc"><div class="rai-reading">{escape(text)}</div>{note}{chart}</div>'


def case_pane(session: ModelSession, row: Hashable, *, conformal: Any) -> tuple[str, str]:
    """The case's reading (plain text) and its whole pane (HTML)."""
    text, chart = case_reading(session, row, conformal=conformal)
    return text, case_html(text, chart, case_note(session, conformal))


def _small_note(too_few: dict, min_group_size: int | None, *, rows: str = "rows") -> str:
    """The note naming the groups a shared file leaves out ("" for none)."""
    if not too_few or min_group_size is None:
        return ""
    sentence = not_shown_sentence(too_few, min_group_size=min_group_size, what="shown", rows=rows)
    return escape(sentence)


def reliability_pane(
    session: ModelSession, by: Hashable | None, *, min_group_size: int | None = None
) -> tuple[Any, str]:
    """The reliability display per group of ``by`` and its pane (None and "" for
    regression), from its :class:`~rai_widgets.views.uncertainty.CalibrationModel`."""
    if session.task_ == "regression":
        return None, ""
    model = CalibrationModel.from_session(session, by, min_group_size=min_group_size)
    return calibration_display(model), calibration_html(model)


def calibration_display(model: CalibrationModel) -> ReliabilityDisplay:
    """The reliability diagram of a :class:`CalibrationModel`."""
    return ReliabilityDisplay(model.bins, model.summary, what=model.what)


def calibration_html(model: CalibrationModel) -> str:
    """The diagram, then the calibration error of each group; the groups too small to draw
    (under :data:`~rai_widgets.views.uncertainty.MIN_CALIBRATION_ROWS` rows) and, for a shared
    file, the groups left out, with their sizes."""
    errors = ", ".join(
        f"{escape(formatting.label(g))} {escape(formatting.number(e, decimals=2))}"
        for g, e in model.summary["ece"].items()
    )
    note = (
        '<p class="rai-note">'
        + plain_or(
            f"{term_html('calibration', 'Calibration', 'Calibration')} per group: what the "
            f"model said against how often it happened. {term_html('ECE')}: {errors}.",
            "Per group: what the model said against how often it happened. How far its scores "
            f"are from what came true, on average: {html.unescape(errors)}.",
        )
        + "</p>"
    )
    for sentence in (
        escape(left_out_sentence(model.left_out, minimum=MIN_CALIBRATION_ROWS)),
        _small_note(model.too_few, model.min_group_size),
    ):
        if sentence:
            note += f'<p class="rai-note">{sentence}</p>'
    return f'<div class="rai-unc">{calibration_display(model).to_svg()}{note}</div>'


def reliability_html(
    session: ModelSession, by: Hashable | None, *, min_group_size: int | None = None
) -> str:
    """The reliability diagram per group of ``by`` with its note ("" for regression)."""
    return reliability_pane(session, by, min_group_size=min_group_size)[1]


def coverage_pane(
    conformal: Any,
    by: Hashable | None,
    *,
    min_group_size: int | None = None,
    unit: str | None = None,
) -> tuple[Any, str]:
    """The coverage display per group of ``by`` and its pane, from its
    :class:`~rai_widgets.views.uncertainty.CoverageModel` (see :func:`coverage_model_html`);
    ``unit``: the target's, for the widths (regression)."""
    model = CoverageModel.from_conformal(conformal, by, min_group_size=min_group_size, unit=unit)
    return coverage_display(model), coverage_model_html(model)


def coverage_display(model: CoverageModel) -> CoverageDisplay:
    """The coverage chart of a :class:`CoverageModel`."""
    spread = set_spread(model.conformal)
    return CoverageDisplay(
        model.groups,
        confidence_level=model.conformal.confidence_level,
        unit=model.unit,
        n_classes=None if spread is None else spread.n_classes,
    )


def coverage_model_html(model: CoverageModel) -> str:
    """The chart, then whether the answer sets hold so many classes that they say little
    (:func:`~rai_widgets.readings.uncertainty_limits.wide_sets_sentence`), each group's
    coverage against the promise with its bounds, why an average set size is below 1, and how
    to give each group its own promise when one falls short; for a shared file, the groups
    left out with their sizes."""
    display, conformal, by = coverage_display(model), model.conformal, model.by
    too_few, min_group_size = model.too_few, model.min_group_size
    f = display.frame()
    level = conformal.confidence_level
    what = "prediction interval" if conformal.sets is None else "conformal set"
    plain_what = "the range it gives" if conformal.sets is None else "the answers it gives"
    spread = set_spread(conformal)
    wide = (
        ""
        if spread is None
        else wide_sets_sentence(
            spread.mean_size,
            spread.n_classes,
            n_few_ruled_out=spread.n_few_ruled_out,
            n=spread.n,
            level=level,
        )
    )
    lines = [f'<strong class="rai-wide-sets">{escape(wide)}</strong>'] if wide else []
    lines.append(
        plain_or(
            f"The {term_html('coverage')} of the {term_html(what)} per group, on rows not "
            "used to calibrate:",
            f"How often the truth was inside {plain_what}, per group, on cases kept aside:",
        )
    )

    def coverage_of(g: object, r: pd.Series) -> tuple[object, float, float, float, float]:
        who = g if by is not None else "all rows not used to calibrate"
        return who, r["coverage"], r["coverage_lo"], r["coverage_hi"], level

    lines += [
        plain_or(
            escape(coverage_sentence(*coverage_of(g, r), n=int(r["n"]))),
            coverage_sentence(*coverage_of(g, r), n=int(r["n"]), plain=True),
        )
        for g, r in f.iterrows()
    ]
    if conformal.sets is not None:
        size = set_size_sentence(
            float(np.mean(conformal.size)), int((conformal.size == 0).sum()), len(conformal.size)
        )
        if size:
            lines.append(escape(size))
    below = [
        g
        for g, r in f.iterrows()
        if coverage_verdict(r["coverage_lo"], r["coverage_hi"], level) == "below"
    ]
    if too_few:
        lines.append(_small_note(too_few, min_group_size, rows="held-out rows"))
    if conformal.mondrian_by is not None:
        lines.append(
            plain_or(
                f"Calibrated per group of {escape(formatting.label(conformal.mondrian_by))} "
                f"({term_html('Mondrian')}): each group has its own threshold.",
                f"Each group of {formatting.label(conformal.mondrian_by)} has its own cut-off, "
                "so each gets its own promise.",
            )
        )
    elif below and by is not None:
        lines.append(
            plain_or(
                f"To give each group its own promise, calibrate per group "
                f"({term_html('Mondrian')}): <code>s.conformal(mondrian_by="
                f"{escape(repr(by))})</code>.",
                "Setting the cut-off for each group on its own would give each group its own "
                "promise.",
            )
        )
    notes = "".join(f"<li>{line}</li>" for line in lines)
    return f'<div class="rai-unc">{display.to_svg()}<ul class="rai-note">{notes}</ul></div>'


def coverage_html(
    conformal: Any,
    by: Hashable | None,
    *,
    min_group_size: int | None = None,
    unit: str | None = None,
) -> str:
    """How often the promised coverage held, per group of ``by``, with its reading."""
    return coverage_pane(conformal, by, min_group_size=min_group_size, unit=unit)[1]


def view_html(
    session: ModelSession,
    *,
    row: Hashable | None = None,
    by: Hashable | None = None,
    confidence_level: float = 0.9,
    min_group_size: int | None = None,
) -> str:
    """The uncertainty view as static HTML.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    row : label of X's index, optional
        The case read (default: the first row).
    by : column name, optional
        Groups of the reliability diagram and coverage chart (default: the first sensitive
        feature).
    confidence_level : float, default 0.9
        The coverage promised by the prediction sets or intervals.
    min_group_size : int, optional
        For a shared file (an export): groups whose numbers rest on fewer rows are left out
        of the charts and named with their size. None (the live view) shows every group.

    Returns
    -------
    str
        What ``UncertaintyView(session, ...).static_html()`` shows in the same state; a part
        that fails shows its error box.

    Examples
    --------
    >>> import rai_widgets as rw
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.linear_model import LogisticRegression
    >>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    >>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, random_state=0)
    >>> page = view_html(s, row=3, confidence_level=0.8)
    >>> "Promised 80%" in page and page.count("<svg") == 2
    True
    """
    by = by if by is not None else default_grouping(session.core)
    row = session.core.frame.index[0] if row is None else row
    conformal: list = []

    def result() -> Any:
        if not conformal:
            conformal.append(session.conformal(confidence_level=confidence_level, calibration=0.5))
        return conformal[0]

    return "".join(
        [
            safe(lambda: case_pane(session, row, conformal=result())[1]),
            safe(lambda: reliability_html(session, by, min_group_size=min_group_size)),
            safe(
                lambda: coverage_html(
                    result(), by, min_group_size=min_group_size, unit=session.target_unit
                )
            ),
        ]
    )
