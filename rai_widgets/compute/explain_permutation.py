"""Model-agnostic SHAP values by antithetic permutation sampling, batched across rows.

For an explained row x, a background row b and a permutation of the raw columns, the columns are
switched from b's values to x's one at a time; each column's contribution is the change of the
model output at its step. Over one permutation the contributions add up to f(x) - f(b) exactly,
so the averages over permutations and background rows add up to f(x) - mean f(background): the
explanation is additive by construction, for any model. Each permutation is paired with its
reverse (antithetic sampling), which cancels much of the sampling noise.

The hybrid rows of many explained rows go to the model together, in a few large calls, so the
cost stays close to the model's own time to predict them. Seeds derive from (``random_state``,
row position): a row's explanation does not depend on which other rows are explained with it.

Examples
--------
>>> import numpy as np
>>> f = lambda Z: (2 * Z[:, :1] + Z[:, 1:2] * Z[:, 2:3])  # any function of the coded columns
>>> bg = np.zeros((4, 3))
>>> phi, base, fx = permutation_shap(f, np.array([[1.0, 1.0, 1.0]]), bg, n_permutations=2,
...                                  random_state=0)
>>> np.round(phi[0, :, 0], 6).tolist(), base.tolist(), fx.tolist()
([2.0, 0.5, 0.5], [0.0], [[3.0]])
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

import numpy as np

from rai_widgets.compute.batching import DEFAULT_TARGET_ROWS, row_batches, run_batches

__all__ = ["permutation_shap", "row_seed"]

PredictFn = Callable[[np.ndarray], np.ndarray]


def row_seed(random_state: int | None, position: int) -> np.random.Generator:
    """The random generator of one explained row: from (``random_state``, row position)."""
    if random_state is None:
        return np.random.default_rng()
    return np.random.default_rng([int(random_state), int(position)])


def _permutations(rng: np.random.Generator, n_features: int, n_permutations: int) -> np.ndarray:
    """Orders of the features: all of them when the budget allows (exact Shapley values),
    else ``n_permutations`` random ones, each paired with its reverse."""
    if math.factorial(n_features) <= n_permutations:
        return np.array(list(itertools.permutations(range(n_features))))
    half = max(1, n_permutations // 2)
    forward = np.stack([rng.permutation(n_features) for _ in range(half)])
    return np.concatenate([forward, forward[:, ::-1]])


class _Batch:
    """Explain a batch of rows: one model call over all their hybrid rows (picklable)."""

    def __init__(self, predict_fn, rows, background, f_background, f_rows, perms):
        self.predict_fn = predict_fn
        self.rows = rows
        self.background = background
        self.f_background = f_background
        self.f_rows = f_rows
        self.perms = perms

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        x = self.rows[batch]  # (R, M)
        perms = self.perms[batch]  # (R, P, M)
        n_rows, n_perm, n_feat = perms.shape
        n_bg = len(self.background)
        # step j (1..M-1) of permutation p takes features perms[p, :j] from x
        rank = np.argsort(perms, axis=2)  # rank[r, p, feature] = its step - 1
        steps = np.arange(1, n_feat)
        take_x = rank[:, :, None, :] < steps[None, None, :, None]  # (R, P, M-1, M)
        hybrid = np.where(
            take_x[:, :, None, :, :],  # (R, P, 1, M-1, M)
            x[:, None, None, None, :],
            self.background[None, None, :, None, :],
        )  # (R, P, B, M-1, M)
        outputs = self.predict_fn(hybrid.reshape(-1, n_feat))
        n_out = outputs.shape[1]
        middle = outputs.reshape(n_rows, n_perm, n_bg, n_feat - 1, n_out)
        start = np.broadcast_to(
            self.f_background[None, None, :, None, :], (n_rows, n_perm, n_bg, 1, n_out)
        )
        end = np.broadcast_to(
            self.f_rows[batch][:, None, None, None, :], (n_rows, n_perm, n_bg, 1, n_out)
        )
        path = np.concatenate([start, middle, end], axis=3)  # (R, P, B, M+1, K)
        gains = np.diff(path, axis=3).mean(axis=2)  # (R, P, M, K): gain of step j
        phi = np.zeros((n_rows, n_feat, n_out))
        r_idx = np.arange(n_rows)[:, None, None]
        np.add.at(phi, (r_idx, perms), gains)  # credit step j to feature perms[p, j]
        return phi / n_perm


def permutation_shap(
    predict_fn: PredictFn,
    rows: np.ndarray,
    background: np.ndarray,
    *,
    n_permutations: int = 2,
    random_state: int | None = None,
    positions: np.ndarray | None = None,
    n_jobs: int | None = None,
    target_rows: int = DEFAULT_TARGET_ROWS,
    progress: bool | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """SHAP values of every row, in batches of about ``target_rows`` model evaluations.

    Parameters
    ----------
    predict_fn : callable
        Maps an encoded matrix (n, M) to model outputs (n, K).
    rows : numpy.ndarray
        Encoded rows to explain, shape (R, M).
    background : numpy.ndarray
        Encoded background rows, shape (B, M): the reference the contributions are measured
        from (the base value is the mean output over them).
    n_permutations : int, default 2
        Permutations per row (rounded to an even number, at least 2: pairs with their reverse).
        When the number of features is small enough that all M! orders fit in this budget, all
        are used and the values are the exact Shapley values for this background.
    random_state : int or None
        Seed; each row draws from (random_state, its position).
    positions : numpy.ndarray, optional
        Positions of the rows in the session's data, for seeding (default 0..R-1).
    n_jobs : int, optional
        joblib ``n_jobs``.
    target_rows : int
        Model evaluations per batch.
    progress : bool, optional
        Progress bar (default: when there is more than one batch).

    Returns
    -------
    phi : numpy.ndarray
        Contributions, shape (R, M, K).
    base : numpy.ndarray
        Base value per output, shape (K,).
    f_rows : numpy.ndarray
        The model's outputs for the rows, shape (R, K); ``phi.sum(1) + base == f_rows``.
    """
    rows = np.asarray(rows, dtype=float)
    background = np.asarray(background, dtype=float)
    n_rows, n_feat = rows.shape
    positions = np.arange(n_rows) if positions is None else np.asarray(positions)
    f_background = np.asarray(predict_fn(background), dtype=float)
    f_rows = np.asarray(predict_fn(rows), dtype=float)
    base = f_background.mean(axis=0)
    if n_feat == 1:
        return (f_rows - base)[:, None, :], base, f_rows
    perms = np.stack(
        [_permutations(row_seed(random_state, int(p)), n_feat, n_permutations) for p in positions]
    )
    evaluations = perms.shape[1] * len(background) * (n_feat - 1)
    batches = row_batches(n_rows, rows_per_item=evaluations, target_rows=target_rows)
    work = _Batch(predict_fn, rows, background, f_background, f_rows, perms)
    parts = run_batches(work, batches, desc="SHAP", n_jobs=n_jobs, progress=progress)
    return np.concatenate(parts), base, f_rows
