"""LIME's local surrogate: weighted ridge regressions of the model's output on the binary
"keeps the row's value" representation, solved for many rows at once, with the sandwich (HC0)
standard error of every coefficient.

:func:`weighted_ridge` solves the normal equations for a batch; :func:`local_fit` gives the
same answer from per-pattern sums when there are few features (at most 256 binary patterns).

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> X = rng.integers(0, 2, (200, 3)).astype(float)
>>> y = (X @ np.array([1.0, 0.0, -2.0]))[:, None]
>>> coef, intercept, r2, spread = weighted_ridge(X, y, np.ones(200), alpha=1e-9)
>>> np.round(coef[:, 0], 3).tolist(), round(float(r2[0]), 6)
([1.0, 0.0, -2.0], 1.0)
"""

from __future__ import annotations

import numpy as np

__all__ = ["MAX_PATTERN_FEATURES", "RIDGE_ALPHA", "local_fit", "weighted_ridge"]

RIDGE_ALPHA = 1.0
MAX_PATTERN_FEATURES = 8  # up to 256 binary patterns: fits from per-pattern sums


def weighted_ridge(
    X: np.ndarray, y: np.ndarray, w: np.ndarray, alpha: float = RIDGE_ALPHA
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Weighted ridge regressions with an unpenalised intercept, solved for a batch at once.

    Same solution as ``sklearn.linear_model.Ridge(alpha).fit(X, y, sample_weight=w)``, with
    the heteroscedasticity-robust (sandwich, HC0) standard error of every coefficient: the
    spread the coefficients would show over resamples of the same perturbations, without
    refitting.

    Parameters
    ----------
    X : numpy.ndarray
        Shape (..., n, M).
    y : numpy.ndarray
        Shape (..., n, K).
    w : numpy.ndarray
        Shape (..., n).
    alpha : float
        Ridge penalty.

    Returns
    -------
    coef : numpy.ndarray
        Shape (..., M, K).
    intercept : numpy.ndarray
        Shape (..., K).
    r2 : numpy.ndarray
        Weighted R^2 of each fit, shape (..., K).
    spread : numpy.ndarray
        Standard error of each coefficient, shape (..., M, K).
    """
    ones = np.ones((*X.shape[:-1], 1))
    A = np.concatenate([ones, X], axis=-1)  # intercept column first, not penalised
    Aw = A * w[..., None]
    At = np.swapaxes(A, -1, -2)
    penalty = alpha * np.eye(A.shape[-1])
    penalty[0, 0] = 0.0
    gram = At @ Aw + penalty
    beta = np.linalg.solve(gram, np.swapaxes(Aw, -1, -2) @ y)  # (..., M+1, K)
    residual = y - A @ beta
    w_sum = w.sum(axis=-1)[..., None]
    y_mean = (w[..., None] * y).sum(axis=-2) / w_sum
    ss_res = (w[..., None] * residual**2).sum(axis=-2)
    ss_tot = (w[..., None] * (y - y_mean[..., None, :]) ** 2).sum(axis=-2)
    with np.errstate(invalid="ignore", divide="ignore"):
        r2 = np.where(ss_tot > 0, 1.0 - ss_res / ss_tot, np.where(ss_res > 0, 0.0, 1.0))
    inverse = np.linalg.inv(gram)
    spread = np.empty(beta.shape)
    for k in range(y.shape[-1]):
        scaled = A * (w * residual[..., k])[..., None]
        meat = np.swapaxes(scaled, -1, -2) @ scaled
        covariance = inverse @ meat @ inverse
        spread[..., k] = np.sqrt(np.clip(np.diagonal(covariance, axis1=-2, axis2=-1), 0, None))
    return beta[..., 1:, :], beta[..., 0, :], r2, spread[..., 1:, :]


def local_fit(
    binary: np.ndarray, matches: np.ndarray, y: np.ndarray, kernel: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """LIME's weighted ridge fits for a batch of rows, as :func:`weighted_ridge` returns them.

    The weight of a perturbation depends only on how many features keep the row's own bin
    or category. With few features (at most ``MAX_PATTERN_FEATURES``, and several
    perturbations per pattern) the fits are solved from per-pattern sums: every perturbation
    with the same binary pattern has the same row of the design matrix and the same weight,
    so counts, sums and within-pattern sums of squares give the same normal equations,
    R^2 and sandwich standard errors as the perturbation-level computation, in one pass
    over the outputs.

    Parameters
    ----------
    binary : numpy.ndarray
        Bool, shape (R, n, M): which features keep the row's bin or category.
    matches : numpy.ndarray
        Shape (R, n): number of kept features of each perturbation.
    y : numpy.ndarray
        Model outputs, shape (R, n, K).
    kernel : numpy.ndarray
        Weight by number of kept features, shape (M + 1,).

    Returns
    -------
    coef, intercept, r2, spread : numpy.ndarray
        As :func:`weighted_ridge`.
    """
    n_rows, n_samples, n_feat = binary.shape
    n_patterns = 1 << n_feat
    if n_feat > MAX_PATTERN_FEATURES or 4 * n_patterns > n_samples:
        return weighted_ridge(binary.astype(float), y, kernel[matches])
    code: np.ndarray = np.zeros((n_rows, n_samples), dtype=np.intp)  # 2-d, then raveled
    for j in range(n_feat):
        code += binary[:, :, j] * (1 << j)
    code += (np.arange(n_rows) * n_patterns)[:, None]
    code = code.ravel()
    size = n_rows * n_patterns
    bits = (np.arange(n_patterns)[:, None] >> np.arange(n_feat)) & 1
    design = np.column_stack([np.ones(n_patterns), bits])  # (P, M + 1)
    w = kernel[bits.sum(axis=1)]  # weight of each pattern, (P,)
    count = np.bincount(code, minlength=size).reshape(n_rows, n_patterns).astype(float)
    # centred on each row's own output (exact for a constant model)
    centred = (y - y[:, :1, :]).reshape(n_rows * n_samples, -1)
    n_out = centred.shape[1]
    total = np.empty((n_rows, n_patterns, n_out))
    within = np.empty((n_rows, n_patterns, n_out))
    for k in range(n_out):
        total[:, :, k] = np.bincount(code, centred[:, k], minlength=size).reshape(total.shape[:2])
    mean = total / np.maximum(count, 1.0)[:, :, None]  # per-pattern mean output
    deviation = centred - mean.reshape(size, n_out)[code]
    for k in range(n_out):
        within[:, :, k] = np.bincount(code, deviation[:, k] ** 2, minlength=size).reshape(
            within.shape[:2]
        )
    penalty = RIDGE_ALPHA * np.eye(n_feat + 1)
    penalty[0, 0] = 0.0
    gram = (design.T * (count * w)[:, None, :]) @ design + penalty  # (R, M+1, M+1)
    beta = np.linalg.solve(gram, design.T @ (w[:, None] * total))  # (R, M+1, K)
    fitted = design @ beta  # (R, P, K)
    residual_ss = within + count[:, :, None] * (mean - fitted) ** 2  # per pattern
    w_sum = (count * w).sum(axis=1)[:, None]
    y_mean = (w[:, None] * total).sum(axis=1) / w_sum
    ss_res = (w[:, None] * residual_ss).sum(axis=1)
    ss_tot = (w[:, None] * (within + count[:, :, None] * (mean - y_mean[:, None, :]) ** 2)).sum(
        axis=1
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        r2 = np.where(ss_tot > 0, 1.0 - ss_res / ss_tot, np.where(ss_res > 0, 0.0, 1.0))
    inverse = np.linalg.inv(gram)
    spread = np.empty(beta.shape)
    for k in range(n_out):
        meat = (design.T * (w**2 * residual_ss[:, :, k])[:, None, :]) @ design
        covariance = inverse @ meat @ inverse
        spread[..., k] = np.sqrt(np.clip(np.diagonal(covariance, axis1=-2, axis2=-1), 0, None))
    intercept = beta[:, 0, :] + y[:, 0, :]
    return beta[:, 1:, :], intercept, r2, spread[:, 1:, :]
