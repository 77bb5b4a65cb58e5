"""Explanations of rows in raw feature space: method choice and the tidy result.

:func:`explain_rows` picks the explainer:

* ``method="shap"``: exact TreeSHAP for tree ensembles and exact linear SHAP for linear final
  steps (both on the transformed features, summed back to raw columns), each checked for
  additivity against the model's own output; anything else, or a failed check, goes to batched
  permutation SHAP over the raw columns;
* ``method="lime"``: batched LIME with fidelity (``local_r2``) and stability
  (``contribution_spread``).

It returns one tidy row per (explained row, [class,] raw feature): ``row``, ``feature``,
``value``, ``contribution``, ``base_value``, ``prediction`` (and ``class`` for multiclass;
``local_r2``, ``contribution_spread``, ``reliable`` for LIME). ``attrs`` records the explainer
used and the model evaluations per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from rai_widgets.compute.explain_exact import ADDITIVITY_TOLERANCE, linear_shap, tree_shap
from rai_widgets.compute.explain_lime import LimeSampler, lime_explain
from rai_widgets.compute.explain_model import ExplainedOutput
from rai_widgets.compute.explain_permutation import permutation_shap

__all__ = ["DEFAULT_BACKGROUND_SIZE", "ExplainInputs", "explain_rows"]

DEFAULT_BACKGROUND_SIZE = 50
DEFAULT_LIME_SAMPLES = 2000
MIN_LOCAL_R2 = 0.5  # below: the local linear model does not describe the model near the row
MAX_RELATIVE_SPREAD = 0.5  # above, for a leading feature: its weight is not stable


@dataclass(frozen=True)
class ExplainInputs:
    """What an explanation needs, prepared (and cached) by the session.

    The explained rows need not be rows of X: a what-if edit is explained the same way.

    Attributes
    ----------
    f : ExplainedOutput
        Encoded rows -> explained outputs.
    rows : pandas.DataFrame
        The explained rows, raw (their index labels and values go into the result).
    rows_model, background_model : DataFrame or array
        The explained rows and the background rows in the model's own input form
        (``background_model`` is None when there is no background: LIME needs none).
    Z_rows, Z_background : numpy.ndarray
        The same rows, encoded (``Z_background`` has no rows without a background).
    positions : numpy.ndarray
        Seed positions of the explained rows (their positions in X).
    class_labels : list
        Labels of the explained outputs (the explained classes, or [None] for regression).
    f_rows : numpy.ndarray, optional
        The explained outputs of the rows when the model has already answered for them (the
        session's own rows, once predicted: ``f.from_answers`` of its cached answers); None:
        the model is asked.
    """

    f: ExplainedOutput
    rows: pd.DataFrame
    rows_model: Any
    background_model: Any
    Z_rows: np.ndarray
    Z_background: np.ndarray
    positions: np.ndarray
    class_labels: list
    f_rows: np.ndarray | None = None


def model_rows(X_model: Any, positions: np.ndarray) -> Any:
    """Rows of the model's input (DataFrame or array) at ``positions``."""
    if isinstance(X_model, pd.DataFrame):
        return X_model.iloc[positions]
    return np.asarray(X_model)[positions]


def _exact_shap(inputs: ExplainInputs, f_rows: np.ndarray) -> tuple[Any, str] | None:
    """Exact SHAP (tree, then linear) with each row checked against the model's own output.

    Returns ``((phi, base, passed), name)``: ``base`` has shape (R, K) and ``passed`` marks
    the rows whose contributions add up to the model's output within 1e-6 (a value lying on a
    split threshold can send shap's traversal down another branch than the model's).
    """
    f = inputs.f
    rows, background = inputs.rows_model, inputs.background_model
    attempts = (
        ("tree", partial(tree_shap, perturbation="interventional")),
        ("tree", partial(tree_shap, perturbation="tree_path_dependent")),
        ("linear", linear_shap),
    )
    for name, attempt in attempts:
        result = attempt(
            f.model,
            rows,
            background,
            task=f.task,
            output=f.output,
            class_indices=f.class_indices,
        )
        if result is None:
            continue
        phi, base = result
        if phi.shape[2] != f_rows.shape[1]:
            continue
        error = np.abs(phi.sum(axis=1) + base - f_rows).max(axis=1)
        passed = error <= ADDITIVITY_TOLERANCE
        if passed.mean() >= 0.5:  # mostly exact: keep it, re-explain the others
            return (phi, np.broadcast_to(base, f_rows.shape).copy(), passed), name
    return None


def _shap_budget(n_samples: int | None, n_feat: int, n_background: int) -> tuple[int, int]:
    """(background rows, permutations) so that evaluations per row stay within n_samples."""
    steps = max(1, n_feat - 1)
    if n_samples is None:
        return n_background, 2
    n_bg = max(1, min(n_background, n_samples // (2 * steps)))
    n_perm = max(2, (n_samples // (n_bg * steps)) // 2 * 2)
    return n_bg, n_perm


def explain_rows(
    inputs: ExplainInputs,
    *,
    method: str,
    n_samples: int | None,
    random_state: int | None,
    lime_sampler: LimeSampler | None = None,
    n_jobs: int | None = None,
) -> pd.DataFrame:
    """Explain ``inputs.positions``; see the module docstring.

    Returns
    -------
    pandas.DataFrame
        The tidy explanation.
    """
    f = inputs.f
    f_rows = f.from_model_input(inputs.rows_model) if inputs.f_rows is None else inputs.f_rows
    n_feat = inputs.Z_rows.shape[1]
    extra: dict[str, np.ndarray] = {}
    if method == "lime":
        if lime_sampler is None:
            raise TypeError('explain_rows(method="lime") needs a lime_sampler; got None.')
        n = DEFAULT_LIME_SAMPLES if n_samples is None else n_samples
        result = lime_explain(
            f,
            inputs.Z_rows,
            lime_sampler,
            n_samples=n,
            random_state=random_state,
            positions=inputs.positions,
            n_jobs=n_jobs,
        )
        phi, base = result.coef, result.intercept
        extra = {"local_r2": result.local_r2, "contribution_spread": result.spread}
        explainer, evaluations = "lime", n
        extra_attrs = {}
    else:
        n_bg, n_perm = _shap_budget(n_samples, n_feat, len(inputs.Z_background))
        exact = _exact_shap(inputs, f_rows)
        if exact is not None:
            (phi, base, passed), explainer = exact
            evaluations = 0
        else:
            phi = np.zeros((len(f_rows), n_feat, f_rows.shape[1]))
            base = np.zeros_like(f_rows)
            passed = np.zeros(len(f_rows), dtype=bool)
            explainer = "permutation"
        redo = np.flatnonzero(~passed)
        if len(redo):
            phi[redo], base[redo], _ = permutation_shap(
                f,
                inputs.Z_rows[redo],
                inputs.Z_background[:n_bg],
                n_permutations=n_perm,
                random_state=random_state,
                positions=inputs.positions[redo],
                n_jobs=n_jobs,
            )
            evaluations = n_perm * n_bg * max(1, n_feat - 1)
        extra_attrs = {"rows_by_permutation": len(redo)}
    frame = _tidy(inputs, phi, base, f_rows, extra)
    frame.attrs.update(
        {
            "method": method,
            "explainer": explainer,
            "evaluations_per_row": evaluations,
            "output": f.output if f.task != "regression" else "prediction",
            **extra_attrs,
        }
    )
    return frame


def _tidy(
    inputs: ExplainInputs,
    phi: np.ndarray,
    base: np.ndarray,
    f_rows: np.ndarray,
    extra: dict[str, np.ndarray],
) -> pd.DataFrame:
    """One row per (row, class, feature), in that order."""
    n_rows, n_feat, n_out = phi.shape
    X = inputs.rows
    labels = X.index
    values = X.to_numpy(dtype=object)  # (R, M) raw values
    base = np.broadcast_to(np.asarray(base, dtype=float).reshape(-1, n_out), (n_rows, n_out))
    shape = (n_rows, n_out, n_feat)
    columns: dict[str, Any] = {
        "row": np.repeat(labels.to_numpy(dtype=object), n_out * n_feat),
        "feature": np.tile(np.asarray(X.columns, dtype=object), n_rows * n_out),
        "value": np.broadcast_to(values[:, None, :], shape).ravel(),
        "contribution": np.transpose(phi, (0, 2, 1)).ravel(),
        "base_value": np.repeat(base.ravel(), n_feat),
        "prediction": np.repeat(f_rows.ravel(), n_feat),
    }
    if inputs.f.task == "multiclass":
        classes = np.asarray(inputs.class_labels, dtype=object)
        columns["class"] = np.tile(np.repeat(classes, n_feat), n_rows)
    if extra:
        r2 = extra["local_r2"]
        spread = np.transpose(extra["contribution_spread"], (0, 2, 1))  # (R, K, M)
        coef = np.transpose(phi, (0, 2, 1))
        columns["local_r2"] = np.repeat(r2.ravel(), n_feat)
        columns["contribution_spread"] = spread.ravel()
        columns["reliable"] = np.repeat(_reliable(r2, coef, spread).ravel(), n_feat)
    frame = pd.DataFrame(columns)
    frame["row"] = pd.Series(frame["row"].to_numpy(), dtype=labels.dtype)
    return frame


def _reliable(r2: np.ndarray, coef: np.ndarray, spread: np.ndarray) -> np.ndarray:
    """Whether a LIME explanation can be read as it stands, per (row, class).

    Reliable means the local model fits (``local_r2`` >= 0.5) and the three largest
    contributions are stable (their bootstrap spread below half their size).
    """
    order = np.argsort(-np.abs(coef), axis=2)[:, :, :3]
    top = np.take_along_axis(np.abs(coef), order, axis=2)
    top_spread = np.take_along_axis(spread, order, axis=2)
    stable = (top_spread <= MAX_RELATIVE_SPREAD * np.maximum(top, 1e-12)).all(axis=2)
    return (r2 >= MIN_LOCAL_R2) & stable
