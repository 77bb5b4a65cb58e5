"""The what-if component of a session: edit a row's raw values, see the model's answer and
its explanation before and after.

:class:`WhatIfs` depends on the :class:`~rai_widgets.session.core.SessionCore` interface and on
the explanations component; before and after are predicted in one batched model call.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from rai_widgets.compute.explain import explain_rows
from rai_widgets.core.errors import ColumnNotFoundError, RaiWidgetsWarning, ValidationError
from rai_widgets.core.validation import closest_names, is_numeric
from rai_widgets.formatting import value as format_value
from rai_widgets.formatting_kinds import column_kind
from rai_widgets.readings import changes as changes_reading
from rai_widgets.session.core import SessionCore
from rai_widgets.session.explanations import Explanations

__all__ = ["WhatIf", "WhatIfs"]


@dataclass(frozen=True)
class WhatIf:
    """The outcome of editing one row.

    Attributes
    ----------
    before, after : pandas.Series
        ``prediction`` and, for classifiers, ``confidence`` and the probability of every class.
    changes : pandas.DataFrame
        Per raw feature: ``value_before``, ``value_after``, ``contribution_before``,
        ``contribution_after``, ``change`` (SHAP, in the explained output's units).
    summary : str
        One sentence: what changed and what the model says now.
    """

    before: pd.Series
    after: pd.Series
    changes: pd.DataFrame
    summary: str


class WhatIfs:
    """What-if edits of single rows.

    Parameters
    ----------
    core : SessionCore
        The session.
    explanations : Explanations
        Its explanations component (SHAP before and after the edit).
    """

    def __init__(self, core: SessionCore, explanations: Explanations) -> None:
        self._core = core
        self._explanations = explanations

    def _edited_row(self, position: int, changes: Mapping[Hashable, Any]) -> pd.DataFrame:
        edited = self._core.frame.iloc[[position]].copy()
        for column, value in changes.items():
            if column not in self._core.frame.columns:
                raise ColumnNotFoundError(
                    f"what_if: {column!r} is not a column of X."
                    f"{closest_names(column, self._core.frame.columns)}"
                )
            values = self._core.frame[column]
            if value is None or (isinstance(value, float) and np.isnan(value)):
                if pd.api.types.is_integer_dtype(values.dtype):
                    edited[column] = edited[column].astype(float)
                edited.iloc[0, edited.columns.get_loc(column)] = np.nan
                continue
            if is_numeric(values):
                if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
                    raise ValidationError(
                        f"what_if: {column!r} is numeric; got {value!r} ({type(value).__name__})."
                    )
                lo, hi = values.min(), values.max()
                if value < lo or value > hi:
                    warnings.warn(
                        f"what_if: {column}={value} is outside the values seen in X "
                        f"({lo}..{hi}); the model is extrapolating.",
                        RaiWidgetsWarning,
                        stacklevel=4,
                    )
                if pd.api.types.is_integer_dtype(values.dtype) and float(value).is_integer():
                    value = int(value)
                elif pd.api.types.is_integer_dtype(values.dtype):
                    edited[column] = edited[column].astype(float)
            else:
                known = pd.unique(values.dropna())
                if value not in set(known.tolist()):
                    raise ValidationError(
                        f"what_if: {value!r} is not a value of {column!r} the model has seen; "
                        f"known values include {sorted(map(str, known))[:8]}."
                    )
            edited.iloc[0, edited.columns.get_loc(column)] = value
        return edited

    def what_if(self, row: Hashable, changes: Mapping[Hashable, Any]) -> WhatIf:
        """Change some raw values of a row and see what the model says, and why, before/after.

        Parameters
        ----------
        row : label of X's index
            The case.
        changes : dict
            ``{column: new value}``. Unknown columns, values of the wrong type and categories the
            model never saw raise a ``ValidationError``; numbers outside the range seen in X
            warn (``RaiWidgetsWarning``).

        Returns
        -------
        WhatIf
            ``before``, ``after``, ``changes`` (per-feature SHAP before and after) and
            ``summary``.

        Examples
        --------
        >>> import rai_widgets as rw
        >>> from sklearn.ensemble import RandomForestRegressor
        >>> data = rw.datasets.load_wage()
        >>> X = data.data[["year", "age"]]
        >>> model = RandomForestRegressor(n_estimators=20, random_state=0).fit(X, data.target)
        >>> s = rw.ModelSession(model, X, data.target, random_state=0)
        >>> result = s.what_if(0, {"age": 45})
        >>> float(result.after["prediction"]) == float(model.predict(X.iloc[[0]].assign(age=45))[0])
        True
        """
        if not isinstance(changes, Mapping) or not changes:
            raise ValidationError("changes must be a non-empty dict {column: new value}.")
        position = self._core.positions_of([row], argument="row")[0]
        edited = self._edited_row(position, changes)
        both = pd.concat([self._core.frame.iloc[[position]], edited])
        both_model = self._core.as_model_input(both)
        outputs = self._core.adapter.outputs(both_model)  # one batched call for before and after
        before, after = (self._outcome(outputs, i) for i in (0, 1))
        changes_frame = self._explanation_change(position, edited)
        summary = self._what_if_sentence(changes, before, after)
        return WhatIf(before=before, after=after, changes=changes_frame, summary=summary)

    def _outcome(self, outputs, i: int) -> pd.Series:
        values: dict[str, Any] = {"prediction": outputs.y_pred[i]}
        if outputs.proba is not None:
            pred_index = self._core.class_labels().tolist().index(outputs.y_pred[i])
            values["confidence"] = float(outputs.proba[i, pred_index])
            for j, c in enumerate(self._core.class_labels()):
                values[f"proba_{c}"] = float(outputs.proba[i, j])
        return pd.Series(values)

    def _explanation_change(self, position: int, edited: pd.DataFrame) -> pd.DataFrame:
        codec = self._explanations.codec()
        f, class_labels = self._explanations.explained_output(codec, "probability")
        seed = self._core.random_state if isinstance(self._core.random_state, int) else 0
        frames = []
        for rows in (None, edited):
            inputs = self._explanations.explain_inputs(
                codec, f, class_labels, np.array([position]), seed, 50, rows=rows
            )
            frames.append(explain_rows(inputs, method="shap", n_samples=None, random_state=seed))
        before, after = frames
        keys = ["class", "feature"] if "class" in before.columns else ["feature"]
        merged = before.merge(after, on=keys, suffixes=("_before", "_after"))
        out = merged[
            [*keys, "value_before", "value_after", "contribution_before", "contribution_after"]
        ].copy()
        out["change"] = out["contribution_after"] - out["contribution_before"]
        return out.reset_index(drop=True)

    def _what_if_sentence(self, changes: Mapping, before: pd.Series, after: pd.Series) -> str:
        edits = ", ".join(
            f"{c} = {format_value(v, column_kind(c, self._core.column(c)))}"
            for c, v in changes.items()
        )
        if self._core.task_ == "regression":
            return changes_reading.what_if_amount(
                edits,
                before=float(before["prediction"]),
                after=float(after["prediction"]),
                unit=self._core.target_unit,
            )
        label = self._core.pos_label_ if self._core.task_ == "binary" else after["prediction"]
        verdict = (
            "its prediction changes from "
            f"{self._core.class_description(before['prediction'])} to "
            f"{self._core.class_description(after['prediction'])}"
            if before["prediction"] != after["prediction"]
            else f"its prediction stays {self._core.class_description(after['prediction'])}"
        )
        return changes_reading.what_if_probability(
            edits,
            subject=self._core.class_description(label),
            before=float(before[f"proba_{label}"]),
            after=float(after[f"proba_{label}"]),
            verdict=verdict,
        )
