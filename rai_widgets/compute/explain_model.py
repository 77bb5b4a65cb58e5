"""The model as explainers see it: a function from encoded raw rows to the explained output.

:class:`ExplainedOutput` decodes an encoded matrix back to the user's columns and dtypes (see
:class:`~rai_widgets.core.codec.TabularCodec`), calls the model in chunks, and returns the output
being explained:

* classifiers, ``output="probability"``: the probability of the explained class(es), so
  contributions read as probability points;
* classifiers, ``output="log_odds"``: the log-odds of the same probabilities;
* regressors: the prediction.

Binary tasks explain ``pos_label`` (one output); multiclass tasks explain every class.

Examples
--------
>>> import pandas as pd
>>> from sklearn.linear_model import LogisticRegression
>>> from rai_widgets.core.codec import TabularCodec
>>> X = pd.DataFrame({"x": [0.0, 1.0, 2.0, 3.0]})
>>> model = LogisticRegression().fit(X, [0, 0, 1, 1])
>>> f = ExplainedOutput(model, TabularCodec.fit(X), task="binary", class_indices=[1])
>>> f(X.to_numpy()).shape
(4, 1)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from rai_widgets.core.codec import TabularCodec
from rai_widgets.core.errors import ModelError, ValidationError

__all__ = ["OUTPUTS", "ExplainedOutput"]

OUTPUTS = ("probability", "log_odds")
_CHUNK_ROWS = 100_000
_EPS = 1e-12


class ExplainedOutput:
    """Picklable callable: encoded rows (n, M) -> explained outputs (n, K).

    Parameters
    ----------
    model : object
        The fitted model.
    codec : TabularCodec
        Decodes the encoded rows to the model's input.
    task : {"binary", "multiclass", "regression"}
    class_indices : sequence of int, optional
        Columns of ``predict_proba`` to explain (classification).
    output : {"probability", "log_odds"}, default "probability"
        For classifiers.
    """

    def __init__(
        self,
        model: Any,
        codec: TabularCodec,
        *,
        task: str,
        class_indices: Sequence[int] | None = None,
        output: str = "probability",
    ) -> None:
        if output not in OUTPUTS:
            raise ValidationError(f"output must be one of {OUTPUTS}; got {output!r}.")
        if task != "regression" and not callable(getattr(model, "predict_proba", None)):
            raise ModelError(
                f"{type(model).__name__} has no predict_proba, so its output cannot be "
                "explained in probability or log-odds terms. Use a classifier with "
                "probabilities (e.g. CalibratedClassifierCV around it)."
            )
        self.model = model
        self.codec = codec
        self.task = task
        self.class_indices = None if class_indices is None else list(class_indices)
        self.output = output

    @property
    def n_outputs(self) -> int:
        """Number of explained outputs K."""
        if self.task == "regression":
            return 1
        if self.class_indices is None:
            raise TypeError(f"A {self.task} output needs class_indices; got None.")
        return len(self.class_indices)

    def from_model_input(self, X: Any) -> np.ndarray:
        """Explained outputs for data already in the model's input form.

        Raises
        ------
        ModelError
            The model answered NaN or infinity for some rows (a lookup-table or
            service-backed model does so for rows it has not seen, and explainers ask about
            changed copies of the explained rows).
        """
        if self.task == "regression":
            return self.from_answers(self.model.predict(X))
        return self.from_answers(self.model.predict_proba(X))

    def from_answers(self, answers: Any) -> np.ndarray:
        """Explained outputs from the model's own answers: its predictions (regression) or
        its ``predict_proba`` (classifiers), for rows already predicted (never predicted
        twice).

        Parameters
        ----------
        answers : array-like
            ``predict`` (n,) for a regression, ``predict_proba`` (n, classes) otherwise.

        Returns
        -------
        numpy.ndarray
            Shape (n, K).

        Raises
        ------
        ModelError
            Some answers are NaN or infinity.

        Examples
        --------
        >>> import pandas as pd
        >>> from sklearn.linear_model import LogisticRegression
        >>> from rai_widgets.core.codec import TabularCodec
        >>> X = pd.DataFrame({"x": [0.0, 1.0, 2.0, 3.0]})
        >>> model = LogisticRegression().fit(X, [0, 0, 1, 1])
        >>> f = ExplainedOutput(model, TabularCodec.fit(X), task="binary", class_indices=[1])
        >>> bool((f.from_answers(model.predict_proba(X)) == f.from_model_input(X)).all())
        True
        """
        if self.task == "regression":
            out = np.asarray(answers, dtype=float).reshape(-1, 1)
            return self._finite(out, "predict")
        proba = np.asarray(answers, dtype=float)[:, self.class_indices]
        self._finite(proba, "predict_proba")
        if self.output == "log_odds":
            proba = np.clip(proba, _EPS, 1 - _EPS)
            return np.log(proba / (1.0 - proba))
        return proba

    def _finite(self, out: np.ndarray, method: str) -> np.ndarray:
        bad = ~np.isfinite(out).all(axis=1)
        if bad.any():
            raise ModelError(
                f"{type(self.model).__name__}.{method} returned NaN or infinity for "
                f"{int(bad.sum()):,} of the {len(out):,} rows it was asked about while being "
                "explained. SHAP and LIME ask about changed copies of the explained rows; a "
                "model that answers only for rows it has seen cannot be explained this way. "
                "Make the model answer for any row, or read its predictions without "
                "explanations."
            )
        return out

    def __call__(self, Z: np.ndarray) -> np.ndarray:
        parts = [
            self.from_model_input(self.codec.decode(Z[start : start + _CHUNK_ROWS]))
            for start in range(0, len(Z), _CHUNK_ROWS)
        ]
        return np.concatenate(parts) if parts else np.empty((0, self.n_outputs))
