"""The uncertainty view's model: calibration and coverage per group, computed once.

The live widget, its static picture and the export render these objects. For a shared file
(``min_group_size``) a group whose numbers rest on fewer rows is taken out and named with its
size (``too_few``).

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, random_state=0,
...                     sensitive_features=X["mean radius"].gt(15).rename("large"))
>>> calibration = CalibrationModel.from_session(s, "large")
>>> sorted(calibration.summary.index.tolist()), calibration.too_few
([False, True], {})
>>> coverage = CoverageModel.from_conformal(s.conformal(confidence_level=0.9), "large")
>>> bool(coverage.groups["n"].sum() > 0)
True
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from rai_widgets.compute.small_groups import split_small_groups

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = ["N_BINS", "CalibrationModel", "CoverageModel"]

N_BINS = 8  # bins of the reliability diagram


@dataclass(frozen=True)
class CalibrationModel:
    """Does a score come true as often as it says, per group of ``by`` (classifiers).

    Attributes
    ----------
    by : column name or None
        The grouping.
    bins : pandas.DataFrame
        The diagram's points per group (``session.calibration``'s bins), without ``too_few``.
    summary : pandas.DataFrame
        Each group's calibration error, n, mean confidence and accuracy, without ``too_few``.
    what : str
        What the scores are ("P(>50K)", or "confidence" for multiclass).
    too_few : dict
        ``{group: rows}`` left out for a shared file.
    min_group_size : int or None
        For a shared file: the smallest group shown.
    """

    by: Hashable | None
    bins: pd.DataFrame
    summary: pd.DataFrame
    what: str
    too_few: dict = field(default_factory=dict)
    min_group_size: int | None = None

    @classmethod
    def from_session(
        cls, session: ModelSession, by: Hashable | None, *, min_group_size: int | None = None
    ) -> CalibrationModel:
        """Compute the model (a cached session call).

        Parameters
        ----------
        session : ModelSession
            A classifier's session.
        by : column name or None
            The grouping.
        min_group_size : int, optional
            For a shared file (see the module's notes).

        Returns
        -------
        CalibrationModel
        """
        bins, summary = session.calibration(by, n_bins=N_BINS)
        summary, too_few = split_small_groups(summary, min_group_size=min_group_size)
        if too_few:
            bins = bins[~bins[bins.columns[0]].isin(list(too_few))]
        what = (
            f"P({session.core.class_description(session.pos_label_)})"
            if session.task_ == "binary"
            else "confidence"
        )
        return cls(by, bins, summary, what, too_few, min_group_size)


@dataclass(frozen=True)
class CoverageModel:
    """How often the promised coverage held on held-out rows, per group of ``by``.

    Attributes
    ----------
    by : column name or None
        The grouping.
    groups : pandas.DataFrame
        Each group's coverage with bounds, n and set size or width (``conformal.frame``),
        without ``too_few``.
    conformal : ConformalResult
        The sets or intervals measured.
    too_few : dict
        ``{group: held-out rows}`` left out for a shared file.
    min_group_size : int or None
        For a shared file: the smallest group shown.
    """

    by: Hashable | None
    groups: pd.DataFrame
    conformal: Any
    too_few: dict = field(default_factory=dict)
    min_group_size: int | None = None

    @classmethod
    def from_conformal(
        cls, conformal: Any, by: Hashable | None, *, min_group_size: int | None = None
    ) -> CoverageModel:
        """Measure the coverage per group of ``by``.

        Parameters
        ----------
        conformal : ConformalResult
            ``session.conformal(...)``.
        by : column name or None
            The grouping.
        min_group_size : int, optional
            For a shared file (see the module's notes).

        Returns
        -------
        CoverageModel
        """
        kept, too_few = split_small_groups(conformal.frame(by=by), min_group_size=min_group_size)
        return cls(by, kept, conformal, too_few, min_group_size)
