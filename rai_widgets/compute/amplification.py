"""Selection amplification: does a binary model widen (or narrow) a gap its labels already have?

:func:`selection_amplification` compares a group with a reference group twice: the ratio of the
model's selection rates (the disparate-impact ratio) and the same ratio in the favourable
labels. Their quotient, the amplification, is the factor by which the model changes the data's
own ratio: 1 when the model keeps it, below 1 when it lowers it (for a group the labels already
favour less, the model widens the gap). The ratios have MOVER bounds built from Wilson bounds
of each rate; the amplification has paired bootstrap bounds, since the model's and the labels'
ratios come from the same rows.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> in_group = np.arange(4000) < 2000
>>> label = rng.random(4000) < np.where(in_group, 0.2, 0.4)
>>> selected = label & ((rng.random(4000) < 0.5) | ~in_group)  # drops half the group's positives
>>> result = selection_amplification(selected, label, in_group, ~in_group)
>>> round(result.amplification, 1), result.widens, result.narrows
(0.5, True, False)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rai_widgets.compute.intervals import mover_ratio, wilson_interval
from rai_widgets.core.errors import ValidationError

__all__ = ["Amplification", "selection_amplification"]


@dataclass(frozen=True)
class Amplification:
    """The model's and the labels' selection-rate ratios of a group against a reference group.

    Rates are shares of the favourable decision (``model_*``) or label (``label_*``); ratios
    are group over reference with bounds at ``confidence``; ``amplification`` is
    ``model_ratio / label_ratio``. A value is NaN where its denominator is 0 (see
    :func:`selection_amplification`).

    Examples
    --------
    >>> result = selection_amplification(
    ...     np.array([1, 0, 1, 1]), np.array([1, 0, 1, 1]),
    ...     np.array([1, 1, 0, 0], bool), np.array([0, 0, 1, 1], bool), n_boot=50,
    ... )
    >>> result.model_ratio, result.label_ratio, result.amplification
    (0.5, 0.5, 1.0)
    """

    model_rate_group: float
    model_rate_reference: float
    model_ratio: float
    model_ratio_lo: float
    model_ratio_hi: float
    label_rate_group: float
    label_rate_reference: float
    label_ratio: float
    label_ratio_lo: float
    label_ratio_hi: float
    amplification: float
    amplification_lo: float
    amplification_hi: float
    n_group: int
    n_reference: int
    confidence: float

    @property
    def widens(self) -> bool:
        """The model measurably moves the ratio further from 1 than the labels do: bounds of
        ``amplification`` entirely below 1 when ``label_ratio < 1``, entirely above 1 when
        ``label_ratio > 1``; False when either is NaN."""
        if self.label_ratio < 1.0:
            return bool(self.amplification_hi < 1.0)
        if self.label_ratio > 1.0:
            return bool(self.amplification_lo > 1.0)
        return False

    @property
    def narrows(self) -> bool:
        """The model measurably moves the ratio towards 1 (or past it): bounds of
        ``amplification`` entirely above 1 when ``label_ratio < 1``, entirely below 1 when
        ``label_ratio > 1``; False when either is NaN."""
        if self.label_ratio < 1.0:
            return bool(self.amplification_lo > 1.0)
        if self.label_ratio > 1.0:
            return bool(self.amplification_hi < 1.0)
        return False


def _as_bool(values: np.ndarray, name: str) -> np.ndarray:
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValidationError(f"{name} must be 1-D (one value per row), not shape {array.shape}.")
    if array.dtype == bool:
        return array
    if array.dtype.kind in "iuf" and np.isin(array, (0, 1)).all():
        return array.astype(bool)
    raise ValidationError(
        f"{name} must hold booleans or 0/1 per row, not {array.dtype} values such as "
        f"{array[:3].tolist()}; threshold scores first (e.g. scores >= 0.5)."
    )


def _ratio(
    k_group: int, n_group: int, k_ref: int, n_ref: int, confidence: float
) -> tuple[float, float, float]:
    """Rate ratio with MOVER-R bounds from Wilson bounds; NaN when the reference rate is 0."""
    if k_ref == 0:
        return np.nan, np.nan, np.nan
    a, b = k_group / n_group, k_ref / n_ref
    a_lo, a_hi = wilson_interval(np.array([k_group]), np.array([n_group]), confidence)
    b_lo, b_hi = wilson_interval(np.array([k_ref]), np.array([n_ref]), confidence)
    lo, hi = mover_ratio(np.array([a]), a_lo, a_hi, b, float(b_lo[0]), float(b_hi[0]))
    return a / b, float(lo[0]), float(hi[0])


def _cell_counts(selected: np.ndarray, label: np.ndarray) -> np.ndarray:
    """Counts of the four (selected, label) cells: 00, 01, 10, 11."""
    return np.bincount(2 * selected.astype(np.int64) + label, minlength=4)


def selection_amplification(
    y_selected: np.ndarray,
    y_label: np.ndarray,
    in_group: np.ndarray,
    in_reference: np.ndarray,
    *,
    confidence: float = 0.95,
    n_boot: int = 1000,
    random_state: int | None = 0,
) -> Amplification:
    """How much a binary model changes a group's selection-rate ratio against a reference,
    compared with the ratio its labels already have.

    Parameters
    ----------
    y_selected : numpy.ndarray
        Per row, whether the model gives the favourable decision (bool or 0/1).
    y_label : numpy.ndarray
        Per row, whether the label is the favourable one (bool or 0/1).
    in_group, in_reference : numpy.ndarray
        Boolean masks of the group's rows and of the reference group's rows; they must not
        overlap. Rows in neither are ignored.
    confidence : float, default 0.95
        Coverage of every interval.
    n_boot : int, default 1000
        Bootstrap replicates of the amplification.
    random_state : int or None, default 0
        Seed of the bootstrap.

    Returns
    -------
    Amplification
        The two rates and their ratio for the model and for the labels, each ratio with MOVER
        bounds from the rates' Wilson bounds (the group and the reference are independent
        samples), and ``amplification = model_ratio / label_ratio`` with paired percentile
        bootstrap bounds: each replicate resamples rows within the group and within the
        reference, the same rows for the model and the labels (drawn as multinomial counts of
        the four (decision, label) cells, which is the same resampling). ``widens`` and
        ``narrows`` say whether those bounds exclude 1 away from or towards 1.

    Raises
    ------
    rai_widgets.core.errors.ValidationError
        If the arrays differ in length, are not boolean, or the masks overlap or select no row.

    Notes
    -----
    Zero denominators. A ratio is NaN (with NaN bounds) when the reference's rate is 0; the
    amplification is NaN when either ratio is NaN or the label ratio is 0. Its bounds are NaN
    when it is NaN or when any bootstrap replicate has a zero denominator: counts that small
    cannot bound a ratio.

    Examples
    --------
    The model selects nobody in the reference group: no ratio, and no crash.

    >>> label = np.array([1, 0, 1, 0, 1, 1], bool)
    >>> group = np.array([1, 1, 1, 0, 0, 0], bool)
    >>> result = selection_amplification(group, label, group, ~group, n_boot=100)
    >>> result.model_ratio, result.amplification, result.amplification_lo
    (nan, nan, nan)
    """
    selected = _as_bool(y_selected, "y_selected")
    label = _as_bool(y_label, "y_label")
    group = _as_bool(in_group, "in_group")
    reference = _as_bool(in_reference, "in_reference")
    n = len(selected)
    for name, array in (("y_label", label), ("in_group", group), ("in_reference", reference)):
        if len(array) != n:
            raise ValidationError(
                f"{name} has {len(array)} rows but y_selected has {n}; pass one value per row."
            )
    overlap = int((group & reference).sum())
    if overlap:
        raise ValidationError(
            f"in_group and in_reference overlap in {overlap} rows; pass disjoint masks "
            f"(e.g. in_reference & ~in_group)."
        )
    for name, mask in (("in_group", group), ("in_reference", reference)):
        if not mask.any():
            raise ValidationError(f"{name} selects no row; pass a mask with at least one True.")
    if not 0.0 < confidence < 1.0:
        raise ValidationError(f"confidence must lie in (0, 1), not {confidence}.")
    if n_boot < 2:
        raise ValidationError(f"n_boot must be at least 2, not {n_boot}.")

    cells_g = _cell_counts(selected[group], label[group])
    cells_r = _cell_counts(selected[reference], label[reference])
    n_g, n_r = int(cells_g.sum()), int(cells_r.sum())
    model_g, model_r = int(cells_g[2] + cells_g[3]), int(cells_r[2] + cells_r[3])
    label_g, label_r = int(cells_g[1] + cells_g[3]), int(cells_r[1] + cells_r[3])
    model_ratio = _ratio(model_g, n_g, model_r, n_r, confidence)
    label_ratio = _ratio(label_g, n_g, label_r, n_r, confidence)

    amp, amp_lo, amp_hi = np.nan, np.nan, np.nan
    if np.isfinite(model_ratio[0]) and np.isfinite(label_ratio[0]) and label_ratio[0] > 0:
        amp = model_ratio[0] / label_ratio[0]
        rng = np.random.default_rng(random_state)
        boot_g = rng.multinomial(n_g, cells_g / n_g, size=n_boot)
        boot_r = rng.multinomial(n_r, cells_r / n_r, size=n_boot)
        numerator = (boot_g[:, 2] + boot_g[:, 3]) * (boot_r[:, 1] + boot_r[:, 3])
        denominator = (boot_r[:, 2] + boot_r[:, 3]) * (boot_g[:, 1] + boot_g[:, 3])
        if (denominator > 0).all():
            tail = (1.0 - confidence) / 2.0
            amp_lo, amp_hi = np.quantile(numerator / denominator, [tail, 1.0 - tail])

    return Amplification(
        model_rate_group=model_g / n_g,
        model_rate_reference=model_r / n_r,
        model_ratio=model_ratio[0],
        model_ratio_lo=model_ratio[1],
        model_ratio_hi=model_ratio[2],
        label_rate_group=label_g / n_g,
        label_rate_reference=label_r / n_r,
        label_ratio=label_ratio[0],
        label_ratio_lo=label_ratio[1],
        label_ratio_hi=label_ratio[2],
        amplification=float(amp),
        amplification_lo=float(amp_lo),
        amplification_hi=float(amp_hi),
        n_group=n_g,
        n_reference=n_r,
        confidence=confidence,
    )
