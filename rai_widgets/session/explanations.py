"""The explanations component of a session: ``explain``, ``feature_importance``,
``explain_text`` and ``dependence``.

:class:`Explanations` depends on the :class:`~rai_widgets.session.core.SessionCore` interface
only. ModelSession exposes its public methods under the same names (``s.explain`` ...).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from rai_widgets.compute.background import background_positions
from rai_widgets.compute.explain import (
    DEFAULT_BACKGROUND_SIZE,
    ExplainInputs,
    explain_rows,
    model_rows,
)
from rai_widgets.compute.explain_lime import LimeSampler
from rai_widgets.compute.explain_model import OUTPUTS, ExplainedOutput
from rai_widgets.core.arguments import check_fraction, check_int, check_n_jobs, check_seed
from rai_widgets.core.cache import is_cacheable_seed
from rai_widgets.core.codec import TabularCodec
from rai_widgets.core.errors import ModelError, ValidationError
from rai_widgets.core.fingerprint import array_fingerprint
from rai_widgets.formatting import row_label
from rai_widgets.session.core import SessionCore

__all__ = ["Explanations", "int_seed"]


def int_seed(random_state: Any) -> int | None:
    """An int seed (per-row seeds derive from it): ints pass, a Generator draws one."""
    if random_state is None or is_cacheable_seed(random_state):
        return random_state
    if isinstance(random_state, (np.random.Generator, np.random.RandomState)):
        return int(
            random_state.integers(0, 2**31 - 1)
            if hasattr(random_state, "integers")
            else random_state.randint(0, 2**31 - 1)
        )
    raise ValidationError(
        f"random_state must be None, an int or a Generator; got {random_state!r}."
    )


METHODS = ("shap", "lime")
LIME_STATS_ROWS = 20_000  # rows the LIME sampler learns quartiles and frequencies from


class Explanations:
    """Explanations of a session's rows, in the raw columns of X.

    Parameters
    ----------
    core : SessionCore
        The session whose model and data are explained.
    """

    def __init__(self, core: SessionCore) -> None:
        self._core = core

    # -- shared with the examples component (what-if explains edited rows) ----------------
    def codec(self) -> TabularCodec:
        """The integer coding of X's raw columns that explainers perturb (cached)."""
        as_array = not self._core.model_takes_frame
        return self._core.cache.get_or_compute(
            ("codec", self._core.state().data),
            lambda: TabularCodec.fit(self._core.frame, as_array=as_array),
        )

    def _lime_sampler(self, codec: TabularCodec) -> LimeSampler:
        def fit() -> LimeSampler:
            n = len(self._core.frame)
            take = np.arange(n)
            if n > LIME_STATS_ROWS:  # statistics from a fixed, evenly spread subset
                take = np.linspace(0, n - 1, LIME_STATS_ROWS).astype(np.int64)
            Z = codec.encode(self._core.frame.iloc[take])
            return LimeSampler.fit(Z, categorical=codec.categorical)

        return self._core.cache.get_or_compute(("lime_sampler", self._core.state().data), fit)

    def explained_output(self, codec: TabularCodec, output: str) -> tuple[ExplainedOutput, list]:
        """The model output explained (per class) and the labels of the explained classes."""
        task = self._core.task_
        if task == "regression":
            return ExplainedOutput(self._core.model, codec, task=task), [None]
        classes = self._core.class_labels().tolist()
        if task == "binary":
            indices = [classes.index(self._core.pos_label_)]
        else:
            indices = list(range(len(classes)))
        f = ExplainedOutput(
            self._core.model, codec, task=task, class_indices=indices, output=output
        )
        return f, [classes[i] for i in indices]

    def explain_inputs(
        self,
        codec: TabularCodec,
        f: ExplainedOutput,
        class_labels: list,
        positions: np.ndarray,
        seed: int | None,
        background_size: int,
        rows: pd.DataFrame | None = None,
    ) -> ExplainInputs:
        """Rows of X at ``positions`` (or the given edited ``rows``) with a seeded background
        of ``background_size`` rows (0 for none: LIME samples from training statistics)."""
        f_rows = None
        if rows is None:
            rows = self._core.frame.iloc[positions]
            rows_model = model_rows(self._core.model_input, positions)
            f_rows = self._known_outputs(f, positions)
        else:
            rows_model = rows if self._core.model_takes_frame else rows.to_numpy()
        Z_rows = codec.encode(rows)
        background_model, Z_background = None, Z_rows[:0]
        if background_size:
            bg_positions = background_positions(self._core.predictions(), background_size, seed)
            background_model = model_rows(self._core.model_input, bg_positions)
            Z_background = codec.encode(self._core.frame.iloc[bg_positions])
        return ExplainInputs(
            f=f,
            rows=rows,
            rows_model=rows_model,
            background_model=background_model,
            Z_rows=Z_rows,
            Z_background=Z_background,
            positions=positions,
            class_labels=class_labels,
            f_rows=f_rows,
        )

    def _known_outputs(self, f: ExplainedOutput, positions: np.ndarray) -> np.ndarray | None:
        """The explained outputs of X's rows at ``positions`` from the session's predictions,
        when they are computed (an explanation never predicts them twice); else None."""
        core = self._core
        if not core.predictions_ready():
            return None
        outputs = core.outputs()
        answers = outputs.y_pred if core.task_ == "regression" else outputs.proba
        return None if answers is None else f.from_answers(answers[positions])

    def _sample_rows(self, max_rows: int, seed: int | None) -> list:
        """A seeded sample of row labels for the global views (the same rows for every view)."""
        rng = np.random.default_rng(seed)
        n = len(self._core.frame)
        take = np.sort(rng.choice(n, size=min(max_rows, n), replace=False))
        return self._core.frame.index[take].tolist()

    # -- public ----------------------------------------------------------------------------
    def explain(
        self,
        rows: Any = None,
        *,
        method: str = "shap",
        n_samples: int | None = None,
        output: str = "probability",
        background_size: int = DEFAULT_BACKGROUND_SIZE,
        random_state: int | None = None,
        n_jobs: int | None = None,
    ) -> pd.DataFrame:
        """Explain rows in the raw columns of X: how much each value moved the prediction.

        Parameters
        ----------
        rows : label or list of labels of X's index, optional
            Rows to explain; None explains every row (with a progress bar).
        method : {"shap", "lime"}, default "shap"
            SHAP: exact for tree ensembles and linear models (on the transformed features,
            summed back to raw columns), batched permutation sampling for any other model;
            contributions add up to ``prediction - base_value``. LIME: a weighted local linear
            model, with its fidelity and stability.
        n_samples : int, optional
            Model evaluations per explained row for the sampling explainers (permutation SHAP,
            LIME), the stability estimate included. Default: 2 permutations over
            ``background_size`` rows for SHAP; 2,000 for LIME.
        output : {"probability", "log_odds"}, default "probability"
            What classifier contributions are measured in (probability points of the explained
            class, or log-odds). Ignored for regression.
        background_size : int, default 50
            Rows of X drawn as the reference: ``base_value`` is the model's average over them.
        random_state : int, optional
            Seed (default: the session's). Each row draws from (seed, its position): the same
            seed gives the same explanation, whichever rows are explained with it. Results are
            cached only for an int seed.
        n_jobs : int, optional
            joblib ``n_jobs`` for the batches; ``joblib.parallel_config`` applies (e.g. a Dask
            cluster).

        Returns
        -------
        pandas.DataFrame
            One row per (explained row, [class,] raw feature): ``row``, ``feature``, ``value``,
            ``contribution``, ``base_value``, ``prediction``; ``class`` for multiclass (every
            class is explained); LIME adds ``local_r2``, ``contribution_spread`` and
            ``reliable``. ``attrs["explainer"]`` says which explainer ran.

        Raises
        ------
        RowNotFoundError
            A label is not in X's index.
        ModelError
            A classifier without ``predict_proba``; a model that answers NaN or infinity for
            the changed rows an explainer asks about (naming the method and the rows).

        Examples
        --------
        >>> import rai_widgets as rw
        >>> from sklearn.ensemble import RandomForestRegressor
        >>> data = rw.datasets.load_wage()
        >>> X = data.data[["year", "age"]]
        >>> model = RandomForestRegressor(n_estimators=20, random_state=0).fit(X, data.target)
        >>> s = rw.ModelSession(model, X, data.target, random_state=0)
        >>> e = s.explain([0, 1])
        >>> e.attrs["explainer"], e.columns.tolist()[:4]
        ('tree', ['row', 'feature', 'value', 'contribution'])
        >>> total = e.groupby("row")["contribution"].sum() + e.groupby("row")["base_value"].first()
        >>> bool((total - e.groupby("row")["prediction"].first()).abs().max() < 1e-6)
        True
        """
        if method not in METHODS:
            raise ValidationError(f"method must be one of {METHODS}; got {method!r}.")
        if output not in OUTPUTS:
            raise ValidationError(f"output must be one of {OUTPUTS}; got {output!r}.")
        if n_samples is not None:
            check_int(n_samples, argument="n_samples", minimum=2)
        check_int(background_size, argument="background_size", minimum=1)
        n_jobs = check_n_jobs(n_jobs)
        check_seed(random_state)
        seed = int_seed(self._core.random_state if random_state is None else random_state)
        positions = self._core.positions_of(rows)
        key = self._explain_key(positions, method, n_samples, output, background_size, seed)

        def compute() -> pd.DataFrame:
            codec = self.codec()
            f, class_labels = self.explained_output(codec, output)
            n_background = 0 if method == "lime" else background_size  # LIME uses none
            inputs = self.explain_inputs(codec, f, class_labels, positions, seed, n_background)
            sampler = self._lime_sampler(codec) if method == "lime" else None
            try:
                return explain_rows(
                    inputs,
                    method=method,
                    n_samples=n_samples,
                    random_state=seed,
                    lime_sampler=sampler,
                    n_jobs=n_jobs,
                )
            except ModelError as err:
                named = _rows_named(self._core.frame.index[positions])
                raise ModelError(f"{method.upper()} could not explain {named}: {err}") from err

        result = self._core.cache.get_or_compute(key, compute, cacheable=is_cacheable_seed(seed))
        copy = result.copy()
        copy.attrs = dict(result.attrs)
        return copy

    def _explain_key(self, positions: np.ndarray, *options: Any) -> tuple:
        state = self._core.state()
        return ("explain", state.model, state.data, array_fingerprint(positions), *options)

    def cached_explanation(self, rows: Any = None, *, max_rows: int = 500) -> pd.DataFrame | None:
        """What ``explain(rows)`` returns with its defaults if it is cached, else None: it
        never explains anything (for views that use an explanation only when it is free).

        Parameters
        ----------
        rows : label or list of labels of X's index, optional
            The rows; None: the seeded sample of ``max_rows`` rows that
            :meth:`feature_importance` explains by default.
        max_rows : int, default 500
            Size of that sample.

        Returns
        -------
        pandas.DataFrame or None
            None as well when the session's ``random_state`` is not an int (nothing cached).
        """
        seed = self._core.random_state
        if not isinstance(seed, int) or not is_cacheable_seed(seed):
            return None
        rows = self._sample_rows(max_rows, seed) if rows is None else rows
        positions = self._core.positions_of(rows)
        key = self._explain_key(
            positions, "shap", None, "probability", DEFAULT_BACKGROUND_SIZE, seed
        )
        return self.explain(rows, random_state=seed) if key in self._core.cache else None

    def feature_importance(
        self,
        by: Any = None,
        *,
        method: str = "shap",
        rows: Sequence[Hashable] | None = None,
        max_rows: int = 500,
        ci: float = 0.95,
        random_state: int | None = None,
    ) -> pd.DataFrame:
        """Mean absolute contribution of each raw feature, per slice, with bounds.

        Parameters
        ----------
        by : grouping, optional
            As in ``slice_metrics``; None gives one slice, "overall".
        method : {"shap", "lime"}, default "shap"
            The explainer, as in :meth:`explain`.
        rows : list of labels, optional
            Rows to average over; default a seeded sample of ``max_rows`` rows of X.
        max_rows : int, default 500
            Size of that sample (explanations cost model evaluations).
        ci : float, default 0.95
            Coverage of the bootstrap bounds (rows resampled within each slice).
        random_state : int, optional
            Seed of the sample, the explanations and the bootstrap.

        Returns
        -------
        pandas.DataFrame
            One row per (slice, [class,] feature): ``importance``, ``importance_lo``,
            ``importance_hi``, ``n`` (explained rows in the slice), sorted by importance within
            each slice.
        """
        from rai_widgets.compute.importance import grouped_importance

        check_int(max_rows, argument="max_rows", minimum=1)
        check_fraction(ci, argument="ci")
        seed = int_seed(self._core.random_state if random_state is None else random_state)
        if rows is None:
            rows = self._sample_rows(max_rows, seed)
        explanation = self.explain(rows, method=method, random_state=seed)
        positions = self._core.positions_of(rows)
        slices = self._core.slices(by)
        codes = pd.Series(slices.codes[positions], index=self._core.frame.index[positions])
        return grouped_importance(explanation, codes, slices.labels, ci=ci, random_state=seed)

    def explain_text(
        self,
        row: Hashable,
        *,
        method: str = "shap",
        output: str = "probability",
        top: int = 3,
        random_state: int | None = None,
    ) -> str:
        """Read one row's explanation in plain language, with a caveat when it is shaky.

        Parameters
        ----------
        row : label of X's index
            The row.
        method : {"shap", "lime"}, default "shap"
            As in :meth:`explain`.
        output : {"probability", "log_odds"}, default "probability"
            As in :meth:`explain`.
        top : int, default 3
            Values named on each side.
        random_state : int, optional
            As in :meth:`explain`.

        Returns
        -------
        str
            E.g. "The model gives >50K a 72% chance (on average over these cases it gives
            about 24%). Pushing up most: capital-gain = 15,024 (+31 points) ...". Multiclass
            sessions read the predicted class.

        Examples
        --------
        >>> import rai_widgets as rw
        >>> from sklearn.ensemble import RandomForestRegressor
        >>> data = rw.datasets.load_wage()
        >>> X = data.data[["year", "age"]]
        >>> model = RandomForestRegressor(n_estimators=20, random_state=0).fit(X, data.target)
        >>> s = rw.ModelSession(model, X, data.target, random_state=0)
        >>> s.explain_text(0).startswith("The model predicts")
        True
        """
        from rai_widgets.compute.explain_text import plain_reading

        check_int(top, argument="top", minimum=1)
        self._core.positions_of([row], argument="row")  # an unknown row: an error naming it
        explanation = self.explain([row], method=method, output=output, random_state=random_state)
        subject: Any = None
        if self._core.task_ == "binary":
            subject = self._core.class_description(self._core.pos_label_)
        elif self._core.task_ == "multiclass":
            position = self._core.positions_of([row], argument="row")[0]
            predicted = self._core.predictions()["y_pred"].iloc[position]
            explanation = explanation[explanation["class"] == predicted]
            subject = self._core.class_description(predicted)
        caveat = ""
        if method == "lime" and not bool(explanation["reliable"].iloc[0]):
            r2 = float(explanation["local_r2"].iloc[0])
            if r2 < 0.5:
                caveat = (
                    f"Read this with care: LIME's simple local model matches the model poorly "
                    f"around this case (local fit R\u00b2 = {r2:.2f})."
                )
            else:
                caveat = (
                    "Read this with care: the leading LIME weights change a lot when the "
                    "perturbed samples are resampled, so their order is not settled."
                )
        out_kind = "prediction" if self._core.task_ == "regression" else output
        baseline = "on average over these cases it gives about"
        if method == "lime":
            baseline = "LIME's local model gives cases unlike this one about"
        return plain_reading(
            explanation,
            task=self._core.task_,
            subject=subject,
            output=out_kind,
            top=top,
            caveat=caveat,
            baseline=baseline,
            target_unit=self._core.target_unit,
        )

    def dependence(
        self,
        feature: Hashable,
        *,
        color_by: Hashable | None = None,
        method: str = "shap",
        rows: Sequence[Hashable] | None = None,
        max_rows: int = 500,
        random_state: int | None = None,
    ) -> pd.DataFrame:
        """How one feature's contribution varies with its value, coloured by another column.

        Parameters
        ----------
        feature : column name
            The feature whose contributions are plotted against its values.
        color_by : column name, optional
            A column of X or a sensitive feature that colours the points (e.g. "sex"), so a
            feature that acts differently for different groups shows as separate clouds.
        method : {"shap", "lime"}, default "shap"
            As in :meth:`explain`.
        rows : list of labels, optional
            Rows to use; default a seeded sample of ``max_rows`` rows.
        max_rows : int, default 500
            Size of that sample.
        random_state : int, optional
            Seed of the sample and the explanations.

        Returns
        -------
        pandas.DataFrame
            One row per explained row: ``row``, ``value``, ``contribution`` (and ``class`` for
            multiclass), and ``color`` with the ``color_by`` value when given.

        Examples
        --------
        >>> import rai_widgets as rw
        >>> from sklearn.ensemble import RandomForestRegressor
        >>> data = rw.datasets.load_wage()
        >>> X = data.data[["year", "age"]]
        >>> model = RandomForestRegressor(n_estimators=20, random_state=0).fit(X, data.target)
        >>> s = rw.ModelSession(model, X, data.target, random_state=0,
        ...                     sensitive_features=data.data["race"])
        >>> s.effects("age", kind="shap", by="race", n_ice=50).columns.tolist()
        ['row', 'value', 'contribution', 'color']
        """
        if feature not in self._core.frame.columns:
            self._core.column(feature)  # raises ColumnNotFoundError with a suggestion
            raise ValidationError(
                f"{feature!r} is a sensitive feature the model does not see; it has no "
                "contribution. Pass a column of X."
            )
        check_int(max_rows, argument="max_rows", minimum=1)
        seed = int_seed(self._core.random_state if random_state is None else random_state)
        if rows is None:
            rows = self._sample_rows(max_rows, seed)
        explanation = self.explain(rows, method=method, random_state=seed)
        part = explanation[explanation["feature"] == feature]
        keep = ["row", "value", "contribution", *(["class"] if "class" in part else [])]
        out = part[keep].reset_index(drop=True)
        if color_by is not None:
            colors = self._core.column(color_by)
            positions = self._core.positions_of(out["row"].tolist())
            out["color"] = colors.to_numpy()[positions]
        return out


def _rows_named(labels: pd.Index) -> str:
    """ "row 3", "rows 3, 7 and 12", "rows 3, 7, 12 and 40 more"."""
    shown = [row_label(label) for label in labels[:3]]
    if len(labels) == 1:
        return f"row {shown[0]}"
    if len(labels) <= 3:
        return f"rows {', '.join(shown[:-1])} and {shown[-1]}"
    return f"rows {', '.join(shown)} and {len(labels) - 3:,} more"
