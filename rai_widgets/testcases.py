"""Pinned test cases: hand-picked rows re-run on every new model version ("poke and prod").

A :class:`TestCases` set holds rows a user pinned, each with its raw values, a note and an
optional expected outcome. It is saved as versioned JSON (never pickle, never eval) with an
atomic write, and ``run(session)`` re-runs every case on any session in one batched model call.

Examples
--------
>>> import tempfile, os
>>> import rai_widgets as rw
>>> from sklearn.ensemble import RandomForestRegressor
>>> data = rw.datasets.load_wage()
>>> X = data.data[["year", "age"]]
>>> model = RandomForestRegressor(n_estimators=10, random_state=0).fit(X, data.target)
>>> s = rw.ModelSession(model, X, data.target)
>>> cases = rw.TestCases("wage checks").pin(s, 0, note="a young worker")
>>> path = os.path.join(tempfile.mkdtemp(), "cases.json")
>>> _ = cases.save(path)
>>> rw.TestCases.load(path).run(s)["changed"].tolist()
[False]
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from rai_widgets.core.errors import ValidationError
from rai_widgets.core.files import read_json_document, write_atomically
from rai_widgets.core.validation import is_numeric

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = ["TestCases"]

FORMAT = "rai_widgets.TestCases"
SCHEMA_VERSION = 1
TOLERANCE = 1e-9  # regression predictions closer than this count as unchanged


def _plain(value: Any) -> Any:
    """A JSON-safe Python value (numpy scalars unwrapped, NaN as None)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


@dataclass
class _Case:
    row: Any
    values: dict[str, Any]
    columns: list[Any]
    note: str = ""
    expected: Any = None
    pinned_prediction: Any = None
    pinned_by: str = ""

    def to_json(self) -> dict:
        return {
            "row": _plain(self.row),
            "columns": [_plain(c) for c in self.columns],
            "values": [_plain(self.values[c]) for c in self.columns],
            "note": self.note,
            "expected": _plain(self.expected),
            "pinned_prediction": _plain(self.pinned_prediction),
            "pinned_by": self.pinned_by,
        }

    @classmethod
    def from_json(cls, data: Any, where: str) -> _Case:
        """A case from its JSON object, every field checked (errors name the field)."""
        if not isinstance(data, dict):
            raise ValidationError(f"{where} must be an object; got {type(data).__name__}.")
        for name in ("row", "columns", "values"):
            if name not in data:
                raise ValidationError(f"{where} has no field {name!r}.")
        columns, values = data["columns"], data["values"]
        for name, items in (("columns", columns), ("values", values)):
            if not isinstance(items, list):
                raise ValidationError(f"{where}.{name} must be a list; got {items!r}.")
            for i, item in enumerate(items):
                _check_scalar(item, f"{where}.{name}[{i}]")
        if len(columns) != len(values):
            raise ValidationError(
                f"{where}: columns has {len(columns)} names but values has {len(values)}."
            )
        if len(set(columns)) != len(columns):
            raise ValidationError(f"{where}.columns has duplicated names.")
        row = data["row"]
        _check_scalar(row, f"{where}.row", allow_list=True)
        for name in ("expected", "pinned_prediction"):
            _check_scalar(data.get(name), f"{where}.{name}")
        for name in ("note", "pinned_by"):
            if not isinstance(data.get(name, ""), str):
                raise ValidationError(f"{where}.{name} must be text; got {data[name]!r}.")
        return cls(
            row=tuple(row) if isinstance(row, list) else row,
            values=dict(zip(columns, values, strict=True)),
            columns=list(columns),
            note=data.get("note", ""),
            expected=data.get("expected"),
            pinned_prediction=data.get("pinned_prediction"),
            pinned_by=data.get("pinned_by", ""),
        )


def _check_scalar(value: Any, where: str, *, allow_list: bool = False) -> None:
    """A JSON scalar (text, number, true/false, null), or a list of them where allowed."""
    if isinstance(value, list) and allow_list:
        for i, item in enumerate(value):
            _check_scalar(item, f"{where}[{i}]")
        return
    if value is None or isinstance(value, (str, int, float, bool)):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValidationError(f"{where} must be a finite number; got {value!r}.")
        return
    raise ValidationError(
        f"{where} must be text, a number, true/false or null; got {type(value).__name__}."
    )


@dataclass
class TestCases:
    """A named set of pinned rows with notes and expected outcomes.

    Parameters
    ----------
    name : str
        A name for the set (e.g. "credit policy checks").
    """

    __test__ = False  # not a pytest test class

    name: str
    cases: list[_Case] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.cases)

    def pin(
        self, session: ModelSession, row: Hashable, *, note: str = "", expected: Any = None
    ) -> TestCases:
        """Pin a row of ``session``'s data, with a note and an optional expected outcome.

        Parameters
        ----------
        session : ModelSession
            The session the row comes from; its current prediction is recorded.
        row : label of X's index
            The row.
        note : str, optional
            Why this case matters.
        expected : optional
            The outcome the model should give (a class label, or a number for regression).

        Returns
        -------
        TestCases
            ``self``, so pins can be chained.
        """
        position = session.core.positions_of([row])[0]
        if expected is not None and session.task_ != "regression":
            classes = session.core.class_labels().tolist()
            if expected not in classes:
                raise ValidationError(
                    f"expected={expected!r} is not one of the model's classes {classes}."
                )
        values = session.core.frame.iloc[position]
        prediction = session.predictions()["y_pred"].iloc[position]
        self.cases.append(
            _Case(
                row=row,
                values={c: _plain(values[c]) for c in session.core.frame.columns},
                columns=list(session.core.frame.columns),
                note=note,
                expected=_plain(expected),
                pinned_prediction=_plain(prediction),
                pinned_by=session.name,
            )
        )
        return self

    # -- persistence -----------------------------------------------------------------------
    def to_json(self) -> dict:
        """The JSON document (schema version 1)."""
        return {
            "format": FORMAT,
            "version": SCHEMA_VERSION,
            "name": self.name,
            "cases": [case.to_json() for case in self.cases],
        }

    def save(self, path: str | os.PathLike) -> Path:
        """Write the set to ``path`` as JSON, atomically: a failed save leaves the old file.

        Parameters
        ----------
        path : str or path-like
            The file; its folder must exist.

        Returns
        -------
        pathlib.Path

        Raises
        ------
        ValidationError
            ``path`` is a folder or its folder does not exist.
        """
        text = json.dumps(self.to_json(), indent=2, ensure_ascii=False, allow_nan=False)
        return write_atomically(path, text)

    @classmethod
    def load(cls, path: str | os.PathLike) -> TestCases:
        """Read a set saved by :meth:`save`, validating every field against schema version 1.

        Parameters
        ----------
        path : str or path-like
            The file.

        Returns
        -------
        TestCases

        Raises
        ------
        ValidationError
            The file does not exist, is not valid JSON, is not a TestCases file, was written
            by a newer version, or a field has the wrong type (the error names the field,
            e.g. ``cases[2].values[0]``).
        """
        data = read_json_document(path, format=FORMAT, max_version=SCHEMA_VERSION)
        name = data.get("name", "")
        if not isinstance(name, str):
            raise ValidationError(f"{path}: field 'name' must be text; got {name!r}.")
        cases = data.get("cases", [])
        if not isinstance(cases, list):
            raise ValidationError(f"{path}: field 'cases' must be a list; got {cases!r}.")
        try:
            parsed = [_Case.from_json(c, f"cases[{i}]") for i, c in enumerate(cases)]
        except ValidationError as err:
            raise ValidationError(f"{path}: {err}") from None
        return cls(name=name, cases=parsed)

    # -- re-running --------------------------------------------------------------------------
    def _frame_for(self, session: ModelSession) -> pd.DataFrame:
        columns = list(session.core.frame.columns)
        records = []
        for case in self.cases:
            missing = [c for c in columns if c not in case.values]
            if missing:
                raise ValidationError(
                    f"test case {case.row!r} has no value for column(s) {missing[:5]} of this "
                    "session's X; the model takes other columns than when it was pinned."
                )
            records.append({c: case.values[c] for c in columns})
        frame = pd.DataFrame.from_records(records, columns=columns)
        for column in columns:  # the dtypes the model was given
            dtype = session.core.frame[column].dtype
            try:
                frame[column] = frame[column].astype(dtype)
                continue
            except (TypeError, ValueError):
                pass
            if not is_numeric(session.core.frame[column]):
                frame[column] = frame[column].astype(object)
                continue
            numbers = pd.to_numeric(frame[column], errors="coerce")
            wrong = numbers.isna() & frame[column].notna()
            if wrong.any():
                i = int(np.flatnonzero(wrong.to_numpy())[0])
                raise ValidationError(
                    f"test case {self.cases[i].row!r} has {frame[column].iloc[i]!r} in column "
                    f"{column!r}, which holds numbers in this session's X: fix the case's value "
                    "(or pin the case again)."
                )
            frame[column] = numbers.astype(float)
        return frame

    def run(self, session: ModelSession) -> pd.DataFrame:
        """Re-run every case on ``session`` (e.g. a new model version) in one batched call.

        Returns
        -------
        pandas.DataFrame
            One row per case: ``row``, ``note``, ``pinned_prediction``, ``prediction``,
            ``confidence`` (classifiers), ``changed``, ``expected``, ``meets_expected``.
        """
        if not self.cases:
            return pd.DataFrame(
                columns=[
                    "row",
                    "note",
                    "pinned_prediction",
                    "prediction",
                    "changed",
                    "expected",
                    "meets_expected",
                ]
            )
        frame = self._frame_for(session)
        model_input = session.core.as_model_input(frame)
        outputs = session.core.adapter.outputs(model_input)
        predictions = [_plain(p) for p in outputs.y_pred]
        out = pd.DataFrame(
            {
                "row": [c.row for c in self.cases],
                "note": [c.note for c in self.cases],
                "pinned_prediction": [c.pinned_prediction for c in self.cases],
                "prediction": predictions,
            }
        )
        if outputs.proba is not None:
            index = pd.Index(session.classes_).get_indexer(outputs.y_pred)
            out["confidence"] = outputs.proba[np.arange(len(index)), index]
        out["changed"] = [
            _differs(a, b) for a, b in zip(out["pinned_prediction"], predictions, strict=True)
        ]
        out["expected"] = [c.expected for c in self.cases]
        out["meets_expected"] = [
            None if c.expected is None else not _differs(c.expected, p)
            for c, p in zip(self.cases, predictions, strict=True)
        ]
        return out


def _differs(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(float(a) - float(b)) > TOLERANCE
    return a != b
