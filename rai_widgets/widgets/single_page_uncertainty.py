"""The uncertainty tab of the single page, with its controls: the promised coverage (the
UncertaintyView's ``confidence_level``) and the grouping of its charts (its ``by``).

The tab is the static picture's (:func:`rai_widgets.static_html.uncertainty.view_html`: the
case read at that level, the reliability diagram and the coverage per group); the conformal
step at a level is the session's, computed once from the cached predictions, so a control's
change calls no model.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, random_state=0)
>>> view = rw.SinglePageDashboard(s)
>>> [label for label, _ in view.confidence_choices()]
['80%', '90%', '95%']
>>> view.send_control("confidence_level", 2)  # what a pick of "95%" sends
>>> view.confidence_level
0.95
>>> view.tab = 4
>>> "Promised 95%" in view.sections["uncertainty"]
True
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

import traitlets

from rai_widgets import formatting
from rai_widgets.core.arguments import check_fraction
from rai_widgets.readings.controls import CONTROL_LABELS
from rai_widgets.static_html import uncertainty
from rai_widgets.static_html.dashboard import slice_text
from rai_widgets.views.groupings import default_grouping, fairness_columns, follow_slice
from rai_widgets.widgets.single_page_tab_controls import (
    ControlMessages,
    controls_row_html,
    picker_html,
    place_of,
)

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = ["LEVELS", "UNCERTAINTY_STATE", "UncertaintyControls", "level_text"]

#: The state the uncertainty tab is drawn from (a change of any redraws it).
UNCERTAINTY_STATE = ("uncertainty_by", "confidence_level")
#: The promised coverages the picker offers (with the one set from Python, if another).
LEVELS = (0.8, 0.9, 0.95)


def level_text(level: float) -> str:
    """A promised coverage as the picker shows it: whole percents, else one decimal.

    Examples
    --------
    >>> level_text(0.9), level_text(0.975)
    ('90%', '97.5%')
    """
    whole = round(level * 100) == round(level * 100, 6)
    return formatting.percent(level, 0 if whole else 1)


class UncertaintyControls(ControlMessages):
    """The uncertainty tab's state and controls, for a widget with a ``session``.

    Attributes
    ----------
    uncertainty_by : traitlets.Any
        The grouping of the reliability diagram and the coverage chart (None: all rows;
        default: the first sensitive feature); a slice of one column picked anywhere regroups
        by it, as in the Dashboard.
    confidence_level : traitlets.Float
        The coverage the prediction sets or intervals promise (also the what-if's).
    """

    session: ModelSession
    uncertainty_by = traitlets.Any(None, allow_none=True)
    confidence_level = traitlets.Float(0.9)

    @traitlets.default("uncertainty_by")
    def _first_uncertainty_grouping(self) -> Hashable | None:
        return default_grouping(self.session.core)

    @traitlets.validate("uncertainty_by")
    def _check_uncertainty_by(self, proposal: dict) -> Any:
        if proposal["value"] is not None:  # an unknown column raises ColumnNotFoundError
            self.session.core.column(proposal["value"])
        return proposal["value"]

    @traitlets.validate("confidence_level")
    def _check_level(self, proposal: dict) -> float:
        check_fraction(proposal["value"], argument="confidence_level")
        return proposal["value"]

    def uncertainty_groupings(self) -> list[tuple[str, Hashable | None]]:
        """The picker's groupings, ``(label, column)``: all rows, the fairness tab's
        groupings, and the one followed now when it is none of them (a slice's column)."""
        choices: list[tuple[str, Hashable | None]] = [(slice_text(None), None)]
        choices += [(formatting.label(c), c) for c in fairness_columns(self.session.core)]
        if self.uncertainty_by not in [c for _, c in choices]:
            choices.append((formatting.label(self.uncertainty_by), self.uncertainty_by))
        return choices

    def confidence_choices(self) -> list[tuple[str, float]]:
        """The picker's promised coverages, ``(label, level)``, in order (with the level set
        now when it is none of :data:`LEVELS`)."""
        levels = sorted({*LEVELS, float(self.confidence_level)})
        return [(level_text(level), level) for level in levels]

    def uncertainty_follow(self, slice_: dict | None) -> None:
        """Regroup by the column of a slice of one column, as the Dashboard's uncertainty
        view follows a slice (:func:`~rai_widgets.views.groupings.follow_slice` decides);
        another slice leaves the grouping as it is."""
        columns = fairness_columns(self.session.core)
        following = follow_slice(slice_, fairness_columns=columns)
        if following.uncertainty_by is not None:
            self.uncertainty_by = following.uncertainty_by

    @traitlets.observe("control_clicks")
    def _uncertainty_control_sent(self, change: dict) -> None:
        if self.control == "uncertainty_by":
            choices = self.uncertainty_groupings()
            place = place_of(self.control_value, len(choices))
            if place is not None:
                self.uncertainty_by = choices[place][1]
        elif self.control == "confidence_level":
            levels = self.confidence_choices()
            place = place_of(self.control_value, len(levels))
            if place is not None:
                self.confidence_level = levels[place][1]

    def uncertainty_section_html(self, row: Hashable | None) -> str:
        """The uncertainty tab in the current state: its controls, then the static picture's
        view (:func:`~rai_widgets.static_html.uncertainty.view_html`) of ``row``.

        Parameters
        ----------
        row : label of X's index or None
            The case read (None: the first row).

        Returns
        -------
        str
        """
        groupings, levels = self.uncertainty_groupings(), self.confidence_choices()
        by, level = self.uncertainty_by, float(self.confidence_level)
        controls = controls_row_html(
            picker_html(
                "confidence_level",
                CONTROL_LABELS["confidence_level"],
                [text for text, _ in levels],
                [v for _, v in levels].index(level),
            ),
            picker_html(
                "uncertainty_by",
                CONTROL_LABELS["group_by"],
                [text for text, _ in groupings],
                [c for _, c in groupings].index(by),
            ),
        )
        view = uncertainty.view_html(self.session, row=row, by=by, confidence_level=level)
        return controls + view
