"""Small models that predict one column from one other column, cross-validated: the
measuring stick of the audit's ``proxy`` and ``leakage`` checks, and the seeded row samples the
audit shares.

A feature is coded (text values as they are, the rarest pooled; numbers in quantile bins;
missing values as their own code) and predicts from the class frequencies (or the mean) of each
code, fitted on two folds and scored on the third, so a feature with many values cannot score
by memorising them.

Examples
--------
>>> import numpy as np
>>> f = folds(6, 0)
>>> sorted(np.bincount(f).tolist())
[2, 2, 2]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = [
    "EXPLAINED_ROWS",
    "balanced_accuracy",
    "binned",
    "codes",
    "cv_classes",
    "cv_means",
    "explained_rows",
    "folds",
    "r2",
    "sample_positions",
    "seed_of",
]

FOLDS = 3
MAX_ROWS = 20_000  # rows sampled for the one-feature models
BINS = 32  # quantile bins of a numeric feature
MAX_CODES = 64  # the rarer values of a text feature are pooled beyond this many
EXPLAINED_ROWS = 40


def seed_of(session: ModelSession) -> int:
    """The audit's seed: the session's ``random_state`` if an int, else 0.

    Parameters
    ----------
    session : ModelSession
        The session (a Generator as its seed is never drawn from by the audit).

    Returns
    -------
    int
    """
    seed = session.core.random_state
    return int(seed) if isinstance(seed, (int, np.integer)) else 0


def sample_positions(session: ModelSession, size: int) -> np.ndarray:
    """Sorted positions of a seeded sample of at most ``size`` rows of the session's data."""
    n = len(session.core.frame)
    rng = np.random.default_rng(seed_of(session))
    return np.sort(rng.choice(n, size=min(size, n), replace=False))


def explained_rows(session: ModelSession) -> list:
    """Row labels of the seeded sample the audit explains (shared, so SHAP runs once).

    Parameters
    ----------
    session : ModelSession
        The session.

    Returns
    -------
    list
        At most :data:`EXPLAINED_ROWS` labels of X's index, in row order.
    """
    return session.core.frame.index[sample_positions(session, EXPLAINED_ROWS)].tolist()


def codes(values: pd.Series) -> np.ndarray:
    """A feature as integer codes 0..k-1: text values (the rarest pooled), numbers binned."""
    missing = values.isna().to_numpy()
    numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
    if numeric and values.nunique() > BINS:
        x = values.to_numpy(dtype=float)
        edges = np.unique(np.nanquantile(x[~missing], np.linspace(0, 1, BINS + 1)[1:-1]))
        codes = np.searchsorted(edges, np.where(missing, 0.0, x), side="right")
    else:
        codes, uniques = pd.factorize(values, sort=False)
        if len(uniques) > MAX_CODES:
            counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
            rank = np.empty(len(uniques), dtype=int)
            rank[np.argsort(-counts, kind="stable")] = np.arange(len(uniques))
            codes = np.where(codes >= 0, np.minimum(rank[np.maximum(codes, 0)], MAX_CODES), 0)
    codes = np.asarray(codes, dtype=np.int64)
    top = int(codes.max(initial=0)) + 1
    return np.where(missing, top, codes)


def folds(n: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).permutation(n) % FOLDS


def cv_classes(x: np.ndarray, t: np.ndarray, folds: np.ndarray, *, balanced: bool) -> np.ndarray:
    """Held-out predictions of class ``t`` from code ``x`` (per-code class frequencies).

    ``balanced`` divides by the class shares, the rule that maximises balanced accuracy.
    """
    k, codes = int(t.max()) + 1, int(x.max()) + 1
    predicted = np.empty(len(t), dtype=np.int64)
    for fold in range(FOLDS):
        train, test = folds != fold, folds == fold
        counts = np.bincount(x[train] * k + t[train], minlength=codes * k).reshape(codes, k)
        prior = np.bincount(t[train], minlength=k) + 1.0
        score = counts + prior / prior.sum()  # smoothed towards the class shares
        if balanced:
            score = score / prior
        predicted[test] = np.argmax(score[x[test]], axis=1)
    return predicted


def binned(values: pd.Series) -> np.ndarray | None:
    """The values as floats when :func:`_codes` bins them (a numeric feature), else None."""
    numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
    return values.to_numpy(dtype=float) if numeric and values.nunique() > BINS else None


def cv_means(
    x: np.ndarray, t: np.ndarray, folds: np.ndarray, raw: np.ndarray | None = None
) -> np.ndarray:
    """Held-out predictions of a number ``t`` from code ``x`` (per-code means, shrunk).

    For a binned numeric feature (``raw`` its values), the bin means are joined by straight
    lines through each bin's mean value, so a smooth relation is not cut into steps.
    """
    codes = int(x.max()) + 1
    predicted = np.empty(len(t))
    for fold in range(FOLDS):
        train, test = folds != fold, folds == fold
        mean = float(t[train].mean())
        total = np.bincount(x[train], weights=t[train], minlength=codes)
        count = np.bincount(x[train], minlength=codes)
        means = (total + mean) / (count + 1.0)
        predicted[test] = means[x[test]]
        if raw is not None:
            seen = train & ~np.isnan(raw)
            sums = np.bincount(x[seen], weights=raw[seen], minlength=codes)
            filled = np.bincount(x[seen], minlength=codes) > 0
            centers = sums[filled] / np.bincount(x[seen], minlength=codes)[filled]
            inside = test & ~np.isnan(raw)
            if filled.sum() >= 2:
                predicted[inside] = np.interp(raw[inside], centers, means[filled])
    return predicted


def balanced_accuracy(t: np.ndarray, p: np.ndarray, z: float) -> tuple[float, float, float]:
    """Balanced accuracy (mean recall over classes) with a normal bound (Agresti-Caffo)."""
    k = int(t.max()) + 1
    n = np.bincount(t, minlength=k).astype(float)
    right = np.bincount(t[t == p], minlength=k).astype(float)
    present = n > 0
    recall = right[present] / n[present]
    adjusted = (right[present] + 2) / (n[present] + 4)
    se = np.sqrt(np.sum(adjusted * (1 - adjusted) / (n[present] + 4))) / present.sum()
    estimate = float(recall.mean())
    return estimate, max(0.0, estimate - z * se), min(1.0, estimate + z * se)


def r2(t: np.ndarray, p: np.ndarray, z: float) -> tuple[float, float, float]:
    """Held-out R^2 = 1 - SSE / SST with a delta-method bound on the ratio."""
    err = (t - p) ** 2
    dev = (t - t.mean()) ** 2
    if dev.sum() <= 0:
        return np.nan, np.nan, np.nan
    ratio = err.mean() / dev.mean()
    se = float(np.std(err - ratio * dev, ddof=1) / np.sqrt(len(t)) / dev.mean())
    return 1 - ratio, 1 - ratio - z * se, 1 - ratio + z * se
