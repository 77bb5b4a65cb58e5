"""The fairness tab of the single page, with its controls: the grouping ("Group by", the
FairnessView's choices, and its intersections with the next group column), the metric of the
table and the disparity chart, and for a binary model with probabilities a decision threshold
per group with the rate they compare, "Equalise it across groups" and "Back to 0.5 for all"
(the ThresholdPanel's).

The tab is drawn with the static picture's renderers from the same view models
(:class:`~rai_widgets.views.fairness.GroupsModel`,
:class:`~rai_widgets.views.fairness.BlindSpotsModel`,
:class:`~rai_widgets.views.thresholds.ThresholdModel` through
:func:`~rai_widgets.static_html.threshold.panel_html`): every number is the session's, read
from its cached predictions; a control's change calls no model.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> large = X["mean radius"].gt(15).rename("large")
>>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, random_state=0,
...                     sensitive_features=large)
>>> view = rw.SinglePageDashboard(s)
>>> view.fairness_by, view.fairness_metric, view.thresholds
('large', 'accuracy', {False: 0.5, True: 0.5})
>>> view.send_control("threshold", 0.3, place=1)  # the slider of the second group
>>> view.thresholds
{False: 0.5, True: 0.3}
>>> view.tab = 3
>>> "Decision thresholds per group" in view.sections["fairness"]
True
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

import traitlets

from rai_widgets import formatting, formatting_metrics
from rai_widgets.core.errors import ValidationError
from rai_widgets.readings.controls import CONTROL_LABELS, threshold_label, thresholds_intro
from rai_widgets.static_html import fairness, threshold
from rai_widgets.static_html.page import escape, safe
from rai_widgets.views.fairness import BlindSpotsModel, GroupsModel
from rai_widgets.views.groupings import default_fairness_grouping, fairness_columns, follow_slice
from rai_widgets.views.thresholds import equalized_thresholds, thresholds_apply
from rai_widgets.widgets.single_page_tab_controls import (
    ControlMessages,
    button_html,
    checkbox_html,
    controls_row_html,
    picker_html,
    place_of,
    slider_html,
)

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = ["FAIRNESS_STATE", "FairnessControls", "group_labels"]

#: The state the fairness tab is drawn from (a change of any redraws it).
FAIRNESS_STATE = ("fairness_by", "fairness_metric", "fairness_intersections", "thresholds", "rate")
RATES = [key for _, key in threshold.RATE_CHOICES]


def group_labels(session: ModelSession, by: Hashable | None) -> list:
    """The groups of ``by`` a threshold is set for (none for all rows).

    Examples
    --------
    >>> import rai_widgets as rw
    >>> from sklearn.linear_model import LogisticRegression
    >>> data = rw.datasets.load_german_credit()
    >>> X = data.data[["duration_in_month", "foreign_worker"]]
    >>> s = rw.ModelSession(LogisticRegression().fit(X[["duration_in_month"]], data.target),
    ...                     X[["duration_in_month"]], data.target,
    ...                     sensitive_features=X["foreign_worker"])
    >>> group_labels(s, "foreign_worker")
    ['no', 'yes']
    """
    return [] if by is None else list(session.core.slices(by).labels)


class FairnessControls(ControlMessages):
    """The fairness tab's state and controls, for a widget with a ``session``.

    Attributes
    ----------
    fairness_by : traitlets.Any
        The grouping (one of :meth:`fairness_groupings`; default: the first); a slice of one
        of them picked anywhere regroups by its column, as in the Dashboard.
    fairness_metric : traitlets.Unicode
        The metric of the table and the disparity chart (one of :meth:`fairness_metrics`).
    fairness_intersections : traitlets.Bool
        Group by ``fairness_by`` and the next grouping together.
    thresholds : traitlets.Dict
        Each group's decision threshold (binary tasks with probabilities): set to 0.5 for
        every group when the grouping changes; a dict of some groups sets those, the others
        at 0.5.
    rate : traitlets.Unicode
        The rate the thresholds compare ("selection_rate", "tpr" or "fpr").
    """

    session: ModelSession
    fairness_by = traitlets.Any(None, allow_none=True)
    fairness_metric = traitlets.Unicode("")
    fairness_intersections = traitlets.Bool(False)
    thresholds = traitlets.Dict()
    rate = traitlets.Unicode("selection_rate")

    def fairness_groupings(self) -> list[Hashable]:
        """The columns the tab can group by (the FairnessView's ``group_columns``)."""
        return list(fairness_columns(self.session.core))

    def fairness_metrics(self) -> list[str]:
        """The metrics the tab offers (the FairnessView's)."""
        return fairness.headline_metrics(self.session)

    def fairness_grouping(self) -> Any:
        """The grouping drawn: ``fairness_by``, or with intersections ``[it, the next]``."""
        return fairness.grouping(
            self.fairness_by,
            intersections=self.fairness_intersections,
            choices=self.fairness_groupings(),
        )

    @traitlets.default("fairness_by")
    def _first_grouping(self) -> Hashable | None:
        return default_fairness_grouping(self.session.core)

    @traitlets.default("fairness_metric")
    def _first_metric(self) -> str:
        return fairness.default_metric(self.session)

    @traitlets.default("thresholds")
    def _even_thresholds(self) -> dict:
        return {k: 0.5 for k in self._threshold_groups(self.fairness_by)}

    @traitlets.validate("fairness_by")
    def _check_fairness_by(self, proposal: dict) -> Any:
        value, choices = proposal["value"], self.fairness_groupings()
        if value is None and not choices:
            return value
        if value not in choices:
            raise ValidationError(
                f"fairness_by={value!r} cannot group the fairness tab; choose one of "
                f"{[str(c) for c in choices]}."
            )
        return value

    @traitlets.validate("fairness_metric")
    def _check_metric(self, proposal: dict) -> str:
        if proposal["value"] not in self.fairness_metrics():
            raise ValidationError(
                f"fairness_metric={proposal['value']!r} is not shown here; choose from "
                f"{self.fairness_metrics()}."
            )
        return proposal["value"]

    @traitlets.validate("rate")
    def _check_rate(self, proposal: dict) -> str:
        if proposal["value"] not in RATES:
            raise ValidationError(f"rate must be one of {RATES}; got {proposal['value']!r}.")
        return proposal["value"]

    @traitlets.validate("thresholds")
    def _check_thresholds(self, proposal: dict) -> dict:
        groups = self._threshold_groups(self.fairness_by)
        value = dict(proposal["value"])
        unknown = [k for k in value if k not in groups]
        if unknown:
            raise ValidationError(
                f"thresholds: {unknown!r} are not groups of {self.fairness_by!r}; its groups "
                f"are {groups!r}."
            )
        for key, threshold_ in value.items():
            if not isinstance(threshold_, (int, float)) or not 0 <= threshold_ <= 1:
                raise ValidationError(
                    f"thresholds[{key!r}] must be a number from 0 to 1; got {threshold_!r}."
                )
        return {k: float(value.get(k, 0.5)) for k in groups}

    def _threshold_groups(self, by: Hashable | None) -> list:
        if not thresholds_apply(self.session):
            return []
        return group_labels(self.session, by)

    def fairness_state_changed(self, name: str) -> None:
        """What a change of ``name`` (one of :data:`FAIRNESS_STATE`) changes in the rest of
        the state: a new grouping starts from 0.5 for every group."""
        if name == "fairness_by":
            self.thresholds = {}

    def fairness_follow(self, slice_: dict | None) -> None:
        """Regroup by the column of a slice of one of :meth:`fairness_groupings` (without
        intersections), as the Dashboard's fairness view follows a slice
        (:func:`~rai_widgets.views.groupings.follow_slice` decides); another slice leaves the
        grouping as it is."""
        following = follow_slice(slice_, fairness_columns=self.fairness_groupings())
        if following.fairness_by is not None:
            with self.hold_trait_notifications():
                self.fairness_intersections = False
                self.fairness_by = following.fairness_by

    def equalize(self, rate: str | None = None) -> None:
        """Set every group's threshold to the one that equalises ``rate`` (default: ``rate``),
        as "Equalise it across groups" does (:func:`equalized_thresholds`)."""
        if rate is not None:
            self.rate = rate
        if self.thresholds:
            self.thresholds = equalized_thresholds(
                self.session,
                self.fairness_by,
                self.rate,
                group_labels(self.session, self.fairness_by),
            )

    def reset_thresholds(self) -> None:
        """One threshold of 0.5 for every group ("Back to 0.5 for all")."""
        self.thresholds = {}

    # -- what the front end sends ----------------------------------------------------------------
    @traitlets.observe("control_clicks")
    def _fairness_control_sent(self, change: dict) -> None:
        name, value = self.control, self.control_value
        if name == "fairness_by":
            place = place_of(value, len(self.fairness_groupings()))
            if place is not None:
                self.fairness_by = self.fairness_groupings()[place]
        elif name == "fairness_metric":
            place = place_of(value, len(self.fairness_metrics()))
            if place is not None:
                self.fairness_metric = self.fairness_metrics()[place]
        elif name == "fairness_intersections":
            self.fairness_intersections = bool(value)
        elif name == "rate":
            place = place_of(value, len(RATES))
            if place is not None:
                self.rate = RATES[place]
        elif name == "equalize":
            self.equalize()
        elif name == "reset_thresholds":
            self.reset_thresholds()
        elif name == "threshold":
            groups = list(self.thresholds)
            if 0 <= self.control_place < len(groups) and value is not None and value == value:
                moved = min(max(float(value), 0.0), 1.0)
                self.thresholds = {**self.thresholds, groups[self.control_place]: moved}

    # -- drawing ---------------------------------------------------------------------------------
    def fairness_section_html(self) -> str:
        """The fairness tab in the current state: its controls, the table per group and the
        disparity chart, the blind spots, and the threshold controls over the threshold
        panel (binary tasks with probabilities).

        Returns
        -------
        str
        """
        s, words = self.session, CONTROL_LABELS
        groupings, metrics = self.fairness_groupings(), self.fairness_metrics()
        controls = []
        if groupings:
            controls.append(
                picker_html(
                    "fairness_by",
                    words["group_by"],
                    [formatting.label(c) for c in groupings],
                    groupings.index(self.fairness_by),
                )
            )
        controls.append(
            picker_html(
                "fairness_metric",
                words["metric"],
                [formatting_metrics.metric_name(m) for m in metrics],
                metrics.index(self.fairness_metric),
            )
        )
        if len(groupings) > 1:
            controls.append(
                checkbox_html(
                    "fairness_intersections", words["intersections"], self.fairness_intersections
                )
            )
        shown, metric = self.fairness_grouping(), self.fairness_metric
        parts = [
            controls_row_html(*controls),
            safe(
                lambda: fairness.groups_html(GroupsModel.from_session(s, by=shown, metric=metric))
            ),
            safe(lambda: fairness.blind_spots_html(BlindSpotsModel.from_session(s))),
        ]
        if self.thresholds:
            parts.append(self.thresholds_html())
        return "".join(parts)

    def thresholds_html(self) -> str:
        """The threshold controls (the rate compared, "Equalise it across groups", "Back to
        0.5 for all", a slider per group) over the threshold panel's curves and table
        (:func:`~rai_widgets.static_html.threshold.panel_html`).

        Returns
        -------
        str
        """
        words, by, rate = CONTROL_LABELS, self.fairness_by, self.rate
        rates = [text for text, _ in threshold.RATE_CHOICES]
        buttons = controls_row_html(
            picker_html("rate", words["rate"], rates, RATES.index(rate)),
            button_html("equalize", words["equalize"]),
            button_html("reset_thresholds", words["reset_thresholds"]),
        )
        groups = list(self.thresholds.items())
        if len(groups) > threshold.MAX_SLIDERS:
            sliders = f'<p class="rai-note">{threshold.too_many_groups_html(len(groups))}</p>'
        else:
            sliders = "".join(
                slider_html(
                    "threshold",
                    i,
                    formatting.label(group),
                    threshold_label(formatting.label(group)),
                    value,
                )
                for i, (group, value) in enumerate(groups)
            )
            sliders = f'<div class="rai-single-page-sliders">{sliders}</div>'
        panel = threshold.panel_html(self.session, by=by, thresholds=self.thresholds, rate=rate)
        return (
            f'<div class="rai-single-page-thresholds"><h4>{escape(words["thresholds"])}</h4>'
            f'<p class="rai-muted">{escape(thresholds_intro())}</p>{buttons}{sliders}'
            f"{panel}</div>"
        )
