"""How much of a group's higher error rate comes from its mix of outcomes.

A group can be wrong more often only because more of its rows have the outcome that is harder
to get right (more men than women earn over 50K in the census, and the model errs more on
those who do). The gap in error rates between a group and the other rows splits exactly into
a part from the outcome mix and a part from the error rates within each outcome (the
symmetric Kitagawa decomposition)::

    gap = sum_c (p_g(c) - p_r(c)) * (e_g(c) + e_r(c)) / 2      <- mix
        + sum_c (e_g(c) - e_r(c)) * (p_g(c) + p_r(c)) / 2      <- within each outcome

where ``p`` is the share of rows with outcome ``c`` and ``e`` the error rate among them, in the
group (g) and in the other rows (r). It is arithmetic, not a causal claim: it says how much of
the gap the outcome mix accounts for, holding each outcome's error rate at its average.

Examples
--------
>>> import numpy as np
>>> y = np.array(["hi"] * 4 + ["lo"] * 6 + ["hi"] * 1 + ["lo"] * 9)
>>> wrong = np.array([1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0], bool)
>>> group = np.arange(20) < 10
>>> mix = outcome_mix(y, wrong, group)
>>> round(mix.gap, 2), round(mix.from_mix, 2), mix.harder
(0.2, 0.2, 'hi')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from rai_widgets.core.errors import ValidationError

__all__ = ["OutcomeMix", "outcome_mix"]


@dataclass(frozen=True)
class OutcomeMix:
    """A group's error rate against the other rows', split by the outcome mix.

    Attributes
    ----------
    error, rest_error : float
        The error rate of the group and of the other rows.
    gap : float
        ``error - rest_error``.
    from_mix : float
        The part of ``gap`` the outcome mix accounts for (``gap - from_mix`` comes from the
        error rates within each outcome).
    share, rest_share : dict
        Per outcome, its share of the group's rows and of the other rows.
    outcome_error : dict
        Per outcome, the error rate among all rows with it (group and rest together).
    harder : object or None
        The outcome the mix part is most about: more common in the group and wrong more often
        than the rows overall (None when no outcome is both).
    """

    error: float
    rest_error: float
    gap: float
    from_mix: float
    share: dict[Any, float]
    rest_share: dict[Any, float]
    outcome_error: dict[Any, float]
    harder: Any

    @property
    def mix_fraction(self) -> float:
        """``from_mix / gap`` (NaN when there is no gap)."""
        return self.from_mix / self.gap if self.gap != 0 else float("nan")


def outcome_mix(y_true: Any, wrong: Any, mask: Any) -> OutcomeMix:
    """Split a group's gap in error rate against the other rows into the part its outcome
    mix accounts for and the rest.

    Parameters
    ----------
    y_true : array-like
        The actual outcome of every row (classes).
    wrong : array-like of bool
        Whether the model's answer for the row is wrong.
    mask : array-like of bool
        The group's rows.

    Returns
    -------
    OutcomeMix

    Raises
    ------
    ValidationError
        When the three differ in length, or the group or the other rows are empty.
    """
    # a pandas column is factorized as it is: an object copy of 10,000,000 text labels would
    # make as many Python strings
    pandas_like = (pd.Series, pd.Index, pd.api.extensions.ExtensionArray)
    y = y_true if isinstance(y_true, pandas_like) else np.asarray(y_true, dtype=object)
    w = np.asarray(wrong, dtype=bool)
    m = np.asarray(mask, dtype=bool)
    if not len(y) == len(w) == len(m):
        raise ValidationError(
            f"y_true, wrong and mask must have one value per row; got {len(y)}, {len(w)} and "
            f"{len(m)}."
        )
    if m.all() or not m.any():
        raise ValidationError("mask must select some rows and leave some out.")
    # one factorization, then counts: no copy of the outcomes per part (10,000,000 rows)
    codes, found = pd.factorize(y)  # missing outcomes -1, left out as groupby does
    uniques = np.asarray(found, dtype=object)  # one per outcome
    outcomes = (  # as they come
        list(uniques) if codes.min() >= 0 else list(pd.unique(np.asarray(y, dtype=object)))
    )
    errors = _means(codes, w, uniques)
    share, rest_share = _shares(codes[m], uniques), _shares(codes[~m], uniques)
    group_errors, rest_errors = _means(codes[m], w[m], uniques), _means(codes[~m], w[~m], uniques)
    from_mix = 0.0
    for c in outcomes:
        e_g = float(group_errors.get(c, rest_errors.get(c, 0.0)))
        e_r = float(rest_errors.get(c, e_g))
        from_mix += (float(share.get(c, 0.0)) - float(rest_share.get(c, 0.0))) * (e_g + e_r) / 2
    overall = float(w.mean())
    terms = {
        c: (float(share.get(c, 0.0)) - float(rest_share.get(c, 0.0))) * (float(errors[c]) - overall)
        for c in outcomes
    }
    candidates = [
        c
        for c in outcomes
        if share.get(c, 0.0) > rest_share.get(c, 0.0) and errors[c] > overall and terms[c] > 0
    ]
    harder = max(candidates, key=lambda c: terms[c]) if candidates else None
    error, rest_error = float(w[m].mean()), float(w[~m].mean())
    return OutcomeMix(
        error=error,
        rest_error=rest_error,
        gap=error - rest_error,
        from_mix=from_mix,
        share={c: float(share.get(c, 0.0)) for c in outcomes},
        rest_share={c: float(rest_share.get(c, 0.0)) for c in outcomes},
        outcome_error={c: float(errors[c]) for c in outcomes},
        harder=harder,
    )


def _counts(codes: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(codes[codes >= 0], minlength=n)


def _shares(codes: np.ndarray, uniques: np.ndarray) -> dict[Any, float]:
    """Per outcome present, its share of the rows (``value_counts(normalize=True)``)."""
    counts = _counts(codes, len(uniques))
    return {uniques[k]: counts[k] / counts.sum() for k in np.flatnonzero(counts)}


def _means(codes: np.ndarray, values: np.ndarray, uniques: np.ndarray) -> dict[Any, float]:
    """Per outcome present, the mean of ``values`` (a groupby's mean)."""
    present = codes >= 0
    counts = np.bincount(codes[present], minlength=len(uniques))
    sums = np.bincount(codes[present], weights=values[present], minlength=len(uniques))
    return {uniques[k]: sums[k] / counts[k] for k in np.flatnonzero(counts)}
