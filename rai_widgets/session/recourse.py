"""The recourse component of a session: what would have to be different for the model to
answer otherwise (counterfactuals), every answer checked by the model.

:class:`Recourse` turns the user's arguments into the search's constraints and targets, runs
:func:`~rai_widgets.compute.counterfactuals.search_counterfactuals` with the model called
through the session's codec (raw columns, Pipelines, category columns) in a few batched
calls, and returns a :class:`Counterfactuals` result.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from rai_widgets import formatting
from rai_widgets.compute.counterfactual_types import Constraints, Found
from rai_widgets.compute.counterfactuals import search_counterfactuals
from rai_widgets.core.arguments import check_int, check_seed
from rai_widgets.core.cache import argument_key
from rai_widgets.core.codec import TabularCodec
from rai_widgets.core.errors import ColumnNotFoundError, ModelError, ValidationError
from rai_widgets.core.outputs import ModelOutputs
from rai_widgets.core.validation import closest_names
from rai_widgets.formatting_kinds import column_kind
from rai_widgets.readings.recourse import counterfactual_sentence, no_counterfactual_sentence
from rai_widgets.readings.units import amount
from rai_widgets.session.core import SessionCore
from rai_widgets.session.counterfactuals_result import Counterfactuals, Target
from rai_widgets.session.examples import Examples
from rai_widgets.session.explanations import Explanations
from rai_widgets.session.recourse_rows import CodedPool, coded_pool, distance_columns

__all__ = ["Counterfactuals", "Recourse", "Target"]


#: Real rows with one target that the search starts from and plausibility is judged against
#: (a seeded sample beyond this many).
POOL_ROWS = 5_000

_DIRECTIONS = {"increase": 1, "decrease": -1}


class Recourse:
    """Counterfactual recourse for a session's cases.

    Parameters
    ----------
    core : SessionCore
        The session.
    explanations : Explanations
        Its explanations component (the codec the model is called through).
    examples : Examples
        Its examples component (X coded for distances).
    """

    def __init__(self, core: SessionCore, explanations: Explanations, examples: Examples) -> None:
        self._core = core
        self._explanations = explanations
        self._examples = examples

    def counterfactuals(
        self,
        rows: Any,
        *,
        n: int = 3,
        target: Any = None,
        immutable: Any = None,
        ranges: Mapping[Hashable, tuple[float | None, float | None]] | None = None,
        monotone: Mapping[Hashable, str] | None = None,
        max_changes: int | None = None,
        random_state: int | None = None,
    ) -> Counterfactuals:
        """What would have to be different for the model to answer otherwise: for each case,
        up to ``n`` small, valid, plausible changes among values real cases have.

        The search starts from the nearest real cases with the target answer, keeps the
        features that may not change, takes back every change the target does not need and
        moves changed numbers back towards the case's own as far as the target holds; the
        model is called on every answer (a few batched calls for all cases together). See
        :mod:`rai_widgets.compute.counterfactuals` for the method and its guarantees.

        Parameters
        ----------
        rows : label or list of labels of X's index
            The cases.
        n : int, default 3
            Most counterfactuals per case: each changes another set of features (fewer when
            the real cases offer no other set).
        target : optional
            The answer wanted. Binary: a class (default: the other class than the case's
            prediction). Multiclass: a class (default: any class but the case's prediction).
            Regression: ``(low, high)``, either None for open (default: above the median
            prediction, or below it when the session's ``favorable`` is "lower").
        immutable : str or list, optional
            Features that may not change, added to the default: the sensitive features that
            are columns of X, and columns that hold a calendar year (the year of a survey or
            a sale is no one's to change; identifier columns never reach the model).
        ranges : dict, optional
            ``{feature: (low, high)}`` bounds of numeric features (either may be None).
        monotone : dict, optional
            ``{feature: "increase" | "decrease"}``: the only way a numeric feature may move.
        max_changes : int, optional
            Most features one counterfactual may change.
        random_state : int, optional
            Seed of the sample of real cases used on large data (default: the session's).

        Returns
        -------
        Counterfactuals
            ``cases()``, ``frame()``, ``summary()``, ``reading(row)``.

        Raises
        ------
        ValidationError, ColumnNotFoundError
            Naming the argument: an unknown column, a direction other than "increase" or
            "decrease", a range with low > high, a target class the model does not know.

        Examples
        --------
        >>> import rai_widgets as rw
        >>> from sklearn.linear_model import LogisticRegression
        >>> data = rw.datasets.load_german_credit()
        >>> X = data.data[["duration_in_month", "credit_amount", "age_in_years"]]
        >>> model = LogisticRegression(max_iter=1000).fit(X, data.target)
        >>> s = rw.ModelSession(model, X, data.target, random_state=0)
        >>> bad = s.predictions().query("y_pred == 'bad'").index[:2]
        >>> cf = s.counterfactuals(list(bad), n=2, immutable="age_in_years")
        >>> bool((model.predict(cf.cases()[X.columns]) == "good").all())
        True
        """
        core = self._core
        check_int(n, argument="n", minimum=1)
        if max_changes is not None:
            check_int(max_changes, argument="max_changes", minimum=1)
        check_seed(random_state)
        labels = list(rows) if isinstance(rows, (list, tuple, np.ndarray, pd.Index)) else [rows]
        positions = core.positions_of(labels, argument="rows")
        seed = random_state if random_state is not None else core.random_state
        seed = seed if isinstance(seed, int) else 0
        state = core.state()
        asked = (n, target, immutable, ranges, monotone, max_changes, seed)
        key = ("counterfactuals", state.model, state.data, argument_key((labels, *asked)))
        return core.cache.get_or_compute(
            key,
            lambda: self._search(
                labels, positions, n, target, immutable, ranges, monotone, max_changes, seed
            ),
            cacheable=key[-1] is not None,
        )

    def _search(
        self,
        labels: list[Any],
        positions: np.ndarray,
        n: int,
        target: Any,
        immutable: Any,
        ranges: Mapping[Hashable, tuple[float | None, float | None]] | None,
        monotone: Mapping[Hashable, str] | None,
        max_changes: int | None,
        seed: int,
    ) -> Counterfactuals:
        core = self._core
        codec = self._explanations.codec()
        state = core.state()
        columns = core.cache.get_or_compute(
            ("distance_columns", state.data), lambda: distance_columns(core.frame, codec)
        )
        constraints = self._constraints(
            columns.whole, columns.categorical, immutable, ranges, monotone, max_changes
        )
        outputs = core.outputs()
        y_pred = outputs.y_pred
        targets = [self._target(target, y_pred[p]) for p in positions]
        specs = list(dict.fromkeys(targets))

        def coded(spec: Target) -> Callable[[], CodedPool]:
            return lambda: coded_pool(
                core.frame, codec, self._pool(spec.holds(y_pred), seed), columns, random_state=seed
            )

        # only the pools' rows and the cases are coded, never every row
        coded_pools = [
            core.cache.get_or_compute(
                ("recourse_pool", state.model, state.data, spec, seed), coded(spec)
            )
            for spec in specs
        ]
        Z_pool = np.concatenate([p.Z for p in coded_pools])
        ends = np.cumsum([len(p.Z) for p in coded_pools])
        pools = [np.arange(end - len(p.Z), end) for p, end in zip(coded_pools, ends, strict=True)]
        radius = [p.radius for p in coded_pools]
        Z_cases = codec.encode(core.frame.iloc[positions])
        case_pool = np.array([specs.index(t) for t in targets])
        already = np.array(
            [t.holds(y_pred[[p]])[0] for t, p in zip(targets, positions, strict=True)]
        )
        todo = np.flatnonzero(~already)
        todo_pool = case_pool[todo]  # the target of each case searched

        said: list[np.ndarray] = []  # the predictions of judge's last call

        def judge(Zc: np.ndarray, owner: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            out, answered = self._answers(codec.decode(Zc))
            said[:] = [out.y_pred]
            ok = np.zeros(len(Zc), bool)
            score = np.full(len(Zc), np.nan)
            for k, spec in enumerate(specs):
                mine = todo_pool[owner] == k
                ok[mine] = spec.holds(out.y_pred[mine])
                score[mine] = self._score(
                    spec, out.y_pred[mine], None if out.proba is None else out.proba[mine]
                )
            return ok & answered, score

        found_todo = (
            search_counterfactuals(
                Z_cases[todo],
                Z_pool,
                judge=judge,
                categorical=columns.categorical,
                scale=columns.scale,
                constraints=constraints,
                n=n,
                pools=pools,
                case_pool=todo_pool,
                radius=radius,
            )
            if len(todo)
            else []
        )
        found: list[Found | None] = [None] * len(positions)
        for k, result in zip(todo, found_todo, strict=True):
            found[k] = result
        # what the model said of each answer, in the call that checked it
        said_all = [said[0][r.judged] for r in found if r is not None and len(r.Z)]
        return self._result(labels, positions, targets, found, codec, Z_cases, said_all)

    def _answers(self, X: Any) -> tuple[ModelOutputs, np.ndarray]:
        """The model's outputs on searched rows, and which rows it answered: a model that
        answers NaN for rows it has not seen (a lookup table, a service) gets those rows
        counted as not reaching the target, never an answer built on them."""
        adapter = self._core.adapter
        try:
            return adapter.outputs(X, progress=_quiet), np.ones(len(X), bool)
        except ModelError:
            out = adapter.outputs_of_chunk(X)
        answered = np.ones(len(X), bool)
        for values in (out.proba, out.decision):
            if values is not None:
                finite = np.isfinite(np.asarray(values, dtype=float))
                answered &= finite.all(axis=1) if finite.ndim == 2 else finite
        if self._core.task_ == "regression":
            answered &= np.isfinite(np.asarray(out.y_pred, dtype=float))
        return out, answered

    # -- arguments -------------------------------------------------------------------------
    def _column_index(self, name: Any, argument: str) -> int:
        columns = list(self._core.frame.columns)
        if name not in columns:
            raise ColumnNotFoundError(
                f"{argument}: {name!r} is not a column of X.{closest_names(name, columns)}"
            )
        return columns.index(name)

    def _constraints(
        self,
        whole: np.ndarray,
        categorical: np.ndarray,
        immutable: Any,
        ranges: Mapping[Hashable, tuple[float | None, float | None]] | None,
        monotone: Mapping[Hashable, str] | None,
        max_changes: int | None,
    ) -> Constraints:
        columns = list(self._core.frame.columns)
        c = Constraints.free(len(columns))
        mutable, direction, low, high = (
            c.mutable.copy(),
            c.direction.copy(),
            c.low.copy(),
            c.high.copy(),
        )
        for name in self._core.sensitive_features_:
            if name in columns:
                mutable[columns.index(name)] = False
        for j, name in enumerate(columns):  # a calendar year (of a survey, a sale) is fixed
            if column_kind(name, self._core.frame[name]) == "year":
                mutable[j] = False
        if immutable is not None:
            names = [immutable] if isinstance(immutable, (str, int)) else list(immutable)
            for name in names:
                mutable[self._column_index(name, "immutable")] = False
        for name, way in (monotone or {}).items():
            j = self._column_index(name, "monotone")
            if way not in _DIRECTIONS:
                raise ValidationError(
                    f'monotone: {name!r} must be "increase" or "decrease"; got {way!r}.'
                )
            if categorical[j]:
                raise ValidationError(
                    f"monotone: {name!r} is not numeric, so it has no direction; list it in "
                    "immutable= to keep it, or leave it out."
                )
            direction[j] = _DIRECTIONS[way]
        for name, bounds in (ranges or {}).items():
            j = self._column_index(name, "ranges")
            if categorical[j]:
                raise ValidationError(
                    f"ranges: {name!r} is not numeric; list it in immutable= to keep it."
                )
            if not isinstance(bounds, (tuple, list)) or len(bounds) != 2:
                raise ValidationError(f"ranges: {name!r} needs (low, high); got {bounds!r}.")
            lo = -np.inf if bounds[0] is None else float(bounds[0])
            hi = np.inf if bounds[1] is None else float(bounds[1])
            if lo > hi:
                raise ValidationError(f"ranges: {name!r} has low {lo:g} above high {hi:g}.")
            low[j], high[j] = lo, hi
        return Constraints(mutable, direction, low, high, whole, max_changes)

    def _target(self, target: Any, prediction: Any) -> Target:
        core = self._core
        if core.task_ == "regression":
            if target is None:
                median = float(np.median(core.outputs().y_pred))
                if core.favorable_ == "lower":
                    return Target("range", low=-np.inf, high=median)
                return Target("range", low=median, high=np.inf)
            if not isinstance(target, (tuple, list)) or len(target) != 2:
                raise ValidationError(
                    "target of a regression is (low, high), either None for open, such as "
                    f"(30, None); got {target!r}."
                )
            lo = -np.inf if target[0] is None else float(target[0])
            hi = np.inf if target[1] is None else float(target[1])
            if lo > hi:
                raise ValidationError(f"target: low {lo:g} is above high {hi:g}.")
            return Target("range", low=lo, high=hi)
        classes = core.class_labels()
        if target is None:
            if core.task_ == "binary":
                other = classes[0] if prediction == classes[1] else classes[1]
                return Target("class", label=other)
            return Target("not", label=prediction)
        known = classes.tolist()
        if not isinstance(target, Hashable) or target not in known:
            raise ValidationError(f"target={target!r} is not one of the model's classes {known}.")
        return Target("class", label=classes[known.index(target)])

    def _pool(self, mask: np.ndarray, seed: int) -> np.ndarray:
        members = np.flatnonzero(mask)
        if len(members) > POOL_ROWS:
            rng = np.random.default_rng(seed)
            members = np.sort(rng.choice(members, POOL_ROWS, replace=False))
        return members

    def _score(self, spec: Target, y_pred: np.ndarray, proba: np.ndarray | None) -> np.ndarray:
        if spec.kind == "range":
            return y_pred.astype(float)
        if proba is None:
            return np.full(len(y_pred), np.nan)
        j = self._core.class_labels().tolist().index(spec.label)
        return proba[:, j] if spec.kind == "class" else 1.0 - proba[:, j]

    # -- the result ------------------------------------------------------------------------
    def _answer(self, spec: Target) -> str:
        core = self._core
        if spec.kind == "class":
            return f"say {core.class_description(spec.label)}"
        if spec.kind == "not":
            return f"say something other than {core.class_description(spec.label)}"
        unit = core.target_unit
        if np.isfinite(spec.low) and np.isfinite(spec.high):
            return f"predict between {amount(spec.low, None)} and {amount(spec.high, unit)}"
        if np.isfinite(spec.low):
            return f"predict {amount(spec.low, unit)} or more"
        return f"predict {amount(spec.high, unit)} or less"

    def _said(self, spec: Target, prediction: Any, score: float) -> tuple[str, str | None]:
        """What the model would say about a counterfactual, and its score as it reads."""
        core = self._core
        if spec.kind == "range":
            return f"predict {amount(float(prediction), core.target_unit, digits=3)}", None
        said = f"say {core.class_description(prediction)}"
        return said, (
            formatting.chance(score) if np.isfinite(score) and spec.kind == "class" else None
        )

    def _result(
        self,
        labels: list,
        positions: np.ndarray,
        targets: list[Target],
        found: list[Found | None],
        codec: TabularCodec,
        Z_cases: np.ndarray,
        predicted: list[np.ndarray],
    ) -> Counterfactuals:
        core = self._core
        columns = list(core.frame.columns)
        kinds = {c: column_kind(c, core.column(c)) for c in columns}
        raw = TabularCodec(columns=codec.columns, as_array=False)
        outputs = core.outputs()
        answers = [r.Z for r in found if r is not None and len(r.Z)]
        every = np.concatenate(answers) if answers else np.empty((0, len(codec.columns)))
        said_all = np.concatenate(predicted) if predicted else every[:, 0]
        decoded = raw.decode(every)  # every answer's raw values, in one pass
        values = decoded.to_numpy(dtype=object)
        offset = 0
        cases, changes, summary = [], [], []
        for k, (label, position, spec, result) in enumerate(
            zip(labels, positions, targets, found, strict=True)
        ):
            proba = None if outputs.proba is None else outputs.proba[[position]]
            before = self._score(spec, outputs.y_pred[[position]], proba)[0]
            prediction, answer = outputs.y_pred[position], self._answer(spec)
            reason = "it already gets that answer" if result is None else result.reason
            if result is None or len(result.Z) == 0:
                reading = no_counterfactual_sentence(answer, reason)
                summary.append((label, prediction, answer, 0, reason, reading))
                continue
            answer_values = values[offset : offset + len(result.Z)]
            after = said_all[offset : offset + len(result.Z)]
            offset += len(result.Z)
            readings = []
            case_values = core.frame.iloc[position].to_numpy(dtype=object)
            for rank in range(len(result.Z)):
                moved = np.flatnonzero(
                    ~(
                        (result.Z[rank] == Z_cases[k])
                        | (np.isnan(result.Z[rank]) & np.isnan(Z_cases[k]))
                    )
                )
                edits = [
                    (
                        columns[j],
                        case_values[j],
                        answer_values[rank, j],
                        (
                            str(columns[j]),
                            formatting.value(case_values[j], kinds[columns[j]]),
                            formatting.value(answer_values[rank, j], kinds[columns[j]]),
                        ),
                    )
                    for j in moved
                ]
                changes += [(label, rank + 1, *edit[:3]) for edit in edits]
                said, score = self._said(spec, after[rank], float(result.score[rank]))
                readings.append(counterfactual_sentence([e[3] for e in edits], said, score=score))
                cases.append(
                    (
                        label,
                        rank + 1,
                        int(result.n_changed[rank]),
                        float(result.distance[rank]),
                        before,
                        float(result.score[rank]),
                        after[rank],
                        bool(result.plausible[rank]),
                    )
                )
            summary.append((label, prediction, answer, len(result.Z), "", readings[0]))
        return self._frames(cases, changes, summary, decoded if answers else None)

    def _frames(
        self, cases: list, changes: list, summary: list, decoded: pd.DataFrame | None
    ) -> Counterfactuals:
        info = pd.DataFrame(
            cases,
            columns=[
                "row",
                "rank",
                "n_changed",
                "distance",
                "score_before",
                "score_after",
                "prediction_after",
                "plausible",
            ],
        )
        empty = self._core.frame.iloc[:0].reset_index(drop=True)
        values = empty if decoded is None else decoded  # every answer, in order
        cases_frame = pd.concat([values, info.drop(columns=["row", "rank"])], axis=1)
        cases_frame.index = pd.MultiIndex.from_frame(info[["row", "rank"]])
        return Counterfactuals(
            cases_frame,
            pd.DataFrame(changes, columns=["row", "rank", "feature", "before", "after"]),
            pd.DataFrame(
                summary, columns=["row", "prediction", "target", "found", "reason", "reading"]
            ).set_index("row"),
        )


def _quiet(done: int) -> None:
    """No progress bar: these calls are parts of one answer, not a prediction of the data."""
