"""The feature-effects component of a session: how the model's answer moves as one feature
moves (partial dependence, ICE, ALE, SHAP dependence), per group, with bootstrap bounds.

:class:`Effects` codes the session's rows once (the explanations' codec), calls the model in
batches of grid values (raw columns, Pipelines, category columns; the rows decoded once, only
the feature's column set per batch, one model method per call: see
:mod:`rai_widgets.session.effects_model`) and returns a tidy frame; the numbers come from
:mod:`rai_widgets.compute.effects`, the reading from :mod:`rai_widgets.readings.effects`.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from rai_widgets.compute.effects import (
    ale_effects,
    ale_grid,
    average_effects,
    effect_grid,
    grid_predictions,
)
from rai_widgets.core.arguments import check_int, check_seed
from rai_widgets.core.codec import TabularCodec
from rai_widgets.core.errors import ColumnNotFoundError, ValidationError
from rai_widgets.core.validation import closest_names
from rai_widgets.formatting import value as format_value
from rai_widgets.formatting_kinds import column_kind
from rai_widgets.readings.effects import effect_sentence, extrapolation_sentence
from rai_widgets.session.core import SessionCore
from rai_widgets.session.effects_model import GridInputs, ModelAnswer
from rai_widgets.session.explanations import Explanations

__all__ = ["KINDS", "Effects"]

#: The kinds of effect ``effects`` computes.
KINDS = ("average", "individual", "ale", "shap")

#: Bootstrap resamples behind every band.
N_BOOT = 200

#: Values of the feature kept as the rug under a chart (a seeded sample beyond this many).
RUG_ROWS = 300


class Effects:
    """Feature effects of a session's model.

    Parameters
    ----------
    core : SessionCore
        The session.
    explanations : Explanations
        Its explanations component (the codec, and SHAP for ``kind="shap"``).
    """

    def __init__(self, core: SessionCore, explanations: Explanations) -> None:
        self._core = core
        self._explanations = explanations

    def effects(
        self,
        feature: Hashable | tuple[Hashable, Hashable],
        *,
        by: Any = None,
        kind: str = "average",
        grid: Sequence[Any] | None = None,
        grid_resolution: int = 20,
        cls: Any = None,
        n_ice: int = 50,
        random_state: int | None = None,
        rows: Sequence[Hashable] | None = None,
    ) -> pd.DataFrame:
        """How the model's answer moves as ``feature`` moves, per group, with bounds.

        Parameters
        ----------
        feature : column name, or a pair of them
            The feature; two give the two-way surface (``kind="average"``).
        by : grouping, optional
            A sensitive feature, a column of X (numeric columns by their bins) or any grouping
            ``slice_metrics`` takes: one curve per group, bounds resampled within each group.
        kind : {"average", "individual", "ale", "shap"}, default "average"
            "average": partial dependence, the mean answer with the feature set to each grid
            value; "individual": ICE, ``n_ice`` rows' own curves; "ale": accumulated local
            effects (Apley and Zhu), honest when features are correlated (numeric features);
            "shap": each of ``n_ice`` rows' SHAP contribution of the feature against its value,
            coloured by ``by`` (the dependence plot).
        grid : sequence, optional
            The feature's values to set, in its raw values (default: its quantiles, or every
            value when it has ``grid_resolution`` or fewer, and missing as its own point when
            it has missing values). Values outside the data's range are allowed and marked
            (``attrs["extrapolated"]``).
        grid_resolution : int, default 20
            Most grid points (ALE: bins) of a numeric feature; at least 2.
        cls : class label, optional
            Multiclass: the class whose probability moves (default: the most predicted).
        n_ice : int, default 50
            Rows drawn for ``"individual"`` and ``"shap"``.
        random_state : int, optional
            Seed of the bootstrap and of the rows drawn (default: the session's).
        rows : list of row labels, optional
            ``kind="individual"``: these cases' own curves instead of ``n_ice`` drawn ones
            (the case a view follows, say).

        Returns
        -------
        pandas.DataFrame
            ``feature``, ``value`` (raw grid values; categories for a text column),
            ``group`` (with ``by``), ``effect`` (the mean probability of the positive class,
            of ``cls`` for multiclass, or the mean prediction), ``lo``, ``hi`` (95% bootstrap
            bounds over rows), ``n``; ICE rows carry ``row`` (and no bounds); ``"shap"``: the
            dependence frame (``row``, ``value``, ``contribution`` ...). ``attrs``: ``subject``
            (what moves, in words), ``rug`` (a sample of the feature's values), ``rise`` (per
            group, the change from the first grid value to the last, with bounds),
            ``reading`` (that change in one sentence, naming a difference between groups only
            when their bounds do not overlap, Bonferroni-corrected over the pairs) and
            ``extrapolated`` (grid values outside the data, which the reading names) and
            ``range`` (a numeric feature's smallest and largest value in the data).

        Raises
        ------
        ValidationError, ColumnNotFoundError
            Naming the argument: a feature not in X, an unknown ``kind``, ALE of a text
            feature, ``grid_resolution`` < 2, a class the model does not know.

        Examples
        --------
        >>> import rai_widgets as rw
        >>> from sklearn.linear_model import Ridge
        >>> data = rw.datasets.load_wage()
        >>> X = data.data[["year", "age"]]
        >>> s = rw.ModelSession(Ridge().fit(X, data.target), X, data.target, random_state=0)
        >>> frame = s.effects("age", grid_resolution=5)
        >>> frame.columns.tolist()
        ['feature', 'value', 'effect', 'lo', 'hi', 'n']
        >>> frame.attrs["reading"].startswith("Between age 18 and 80 the prediction rises")
        True
        """
        core = self._core
        if kind not in KINDS:
            raise ValidationError(f"kind must be one of {list(KINDS)}; got {kind!r}.")
        check_int(grid_resolution, argument="grid_resolution", minimum=2)
        check_int(n_ice, argument="n_ice", minimum=1)
        chosen = None if rows is None else core.positions_of(list(rows), argument="rows")
        if chosen is not None and kind != "individual":
            raise ValidationError(
                f'rows= picks the cases of kind="individual" (their own curves); got kind={kind!r}.'
            )
        check_seed(random_state)
        features = list(feature) if isinstance(feature, tuple) else [feature]
        for name in features:
            if name not in core.frame.columns:
                raise ColumnNotFoundError(
                    f"effects: feature {name!r} is not a column of X."
                    f"{closest_names(name, core.frame.columns)}"
                )
        if len(features) > 2:
            raise ValidationError("feature takes one column, or a pair for the two-way surface.")
        if len(features) == 2 and kind != "average":
            raise ValidationError('Two features give the two-way surface of kind="average" only.')
        seed = random_state if random_state is not None else core.random_state
        seed = int(seed) if isinstance(seed, (int, np.integer)) else 0
        if kind == "shap":
            return self._explanations.dependence(
                features[0], color_by=by, max_rows=n_ice, random_state=seed
            )
        codec = self._explanations.codec()
        predict, subject, points = self._answer(cls)

        def compute() -> pd.DataFrame:
            return self._compute(
                codec, features, by, kind, grid, grid_resolution, n_ice, seed, predict, subject,
                points, chosen,
            )  # fmt: skip

        if random_state is None and not isinstance(core.random_state, int):
            return compute()
        state = core.state()
        key = (
            "effects", state.model, state.data, tuple(features), repr(by), kind,
            None if grid is None else tuple(map(repr, grid)), grid_resolution, repr(cls),
            n_ice, seed, None if chosen is None else tuple(chosen.tolist()),
        )  # fmt: skip
        return core.cache.get_or_compute(key, compute).copy()

    # -- what moves ------------------------------------------------------------------------
    def _answer(self, cls: Any) -> tuple[ModelAnswer, str, bool]:
        """The model's answer on model input, what it is in words, and whether it is a
        probability (said in points)."""
        core = self._core
        model = core.model  # one thread per call: the grid's chunks run side by side
        if core.task_ == "regression":
            if cls is not None:
                raise ValidationError("cls applies to classifiers; this is a regression.")
            unit = core.target_unit
            subject = "the prediction" + (f" (in {unit})" if unit else "")
            return ModelAnswer(model, "predict"), subject, False
        classes = core.class_labels().tolist()
        if core.task_ == "binary":
            if cls is not None and cls not in classes:
                raise ValidationError(f"cls={cls!r} is not one of the model's classes {classes}.")
            target = core.pos_label_ if cls is None else cls
        else:
            if cls is None:
                predicted = pd.Series(core.outputs().y_pred).value_counts()
                target = predicted.index[0]
            elif cls in classes:
                target = core.class_labels()[classes.index(cls)]
            else:
                raise ValidationError(f"cls={cls!r} is not one of the model's classes {classes}.")
        words = core.class_description(target)
        if not callable(getattr(model, "predict_proba", None)):  # the share given the class
            answer = ModelAnswer(model, "predict", target=target)
            return answer, f"the share predicted {words}", True
        answer = ModelAnswer(model, "predict_proba", column=classes.index(target))
        return answer, f"the predicted chance of {words}", True

    # -- the numbers -----------------------------------------------------------------------
    def _compute(
        self,
        codec: TabularCodec,
        features: list[Hashable],
        by: Any,
        kind: str,
        grid: Sequence[Any] | None,
        resolution: int,
        n_ice: int,
        seed: int,
        predict: ModelAnswer,
        subject: str,
        points: bool,
        chosen: np.ndarray | None = None,
    ) -> pd.DataFrame:
        core = self._core
        Z = codec.encode(core.frame)
        columns = [list(core.frame.columns).index(f) for f in features]
        categorical = codec.categorical
        groups, labels = None, None
        rise_alpha = 0.05
        if by is not None:
            slices = core.slices(by)
            groups, labels = np.asarray(slices.codes), list(slices.labels)
            pairs = len(labels) * (len(labels) - 1) // 2
            rise_alpha = 0.05 / max(1, pairs)  # Bonferroni over the pairs of groups compared
        grids = []
        for f, j in zip(features, columns, strict=True):
            given = (
                None if grid is None or len(features) > 1 else self._coded_grid(codec, f, j, grid)
            )
            if kind == "ale":
                if categorical[j]:
                    raise ValidationError(
                        f'kind="ale": {f!r} is not numeric; ALE needs ordered values. Use '
                        'kind="average" for a text feature.'
                    )
                grids.append(ale_grid(Z[:, j], resolution) if given is None else given)
            else:
                grids.append(
                    effect_grid(
                        Z[:, j], categorical=bool(categorical[j]), resolution=resolution, grid=given
                    )
                )
        if kind == "ale":
            table = ale_effects(
                Z, columns[0], grids[0], predict.coded(codec), groups=groups, labels=labels,
                n_boot=N_BOOT,
                rise_alpha=rise_alpha, random_state=seed,
            )  # fmt: skip
            points_grid = grids[0][:, None]
        elif kind == "individual":
            rng = np.random.default_rng(seed)
            take = (
                np.sort(rng.choice(len(Z), min(n_ice, len(Z)), replace=False))
                if chosen is None
                else np.asarray(chosen)
            )
            P = grid_predictions(
                Z[take], columns[0], grids[0], predict,
                inputs=GridInputs(codec, Z[take], [columns[0]]), n_jobs=self._workers(),
            )  # fmt: skip
            return self._ice_frame(
                codec, features[0], columns[0], grids[0], P, take, groups, labels, subject
            )
        else:
            if len(features) == 2:
                a, b = np.meshgrid(grids[0], grids[1], indexing="ij")
                points_grid = np.column_stack([a.ravel(), b.ravel()])
            else:
                points_grid = grids[0][:, None]
            P = grid_predictions(
                Z, tuple(columns), points_grid, predict, inputs=GridInputs(codec, Z, columns),
                n_jobs=self._workers(),
            )  # fmt: skip
            table = average_effects(
                P, groups=groups, labels=labels, n_boot=N_BOOT, rise_alpha=rise_alpha,
                random_state=seed,
            )  # fmt: skip
        return self._frame(
            codec, features, columns, points_grid, table, by, Z, seed, subject, points
        )

    def _workers(self) -> int:
        """Threads for the chunks of grid values: the session's ``n_jobs``, or every core (the
        model's own OpenMP would take them all anyway; each thread runs it on one)."""
        from joblib import cpu_count

        n_jobs = self._core.n_jobs
        return cpu_count() if n_jobs is None else n_jobs

    def _coded_grid(
        self, codec: TabularCodec, feature: Hashable, j: int, grid: Sequence[Any]
    ) -> np.ndarray:
        """The user's grid in codes: numbers as they are (a number between an integer column's
        values is a point of its effect too); a category the data does not have is refused."""
        if not codec.categorical[j]:
            try:
                return np.asarray([np.nan if pd.isna(g) else float(g) for g in grid], dtype=float)
            except (TypeError, ValueError) as err:
                raise ValidationError(
                    f"grid: {list(grid)[:5]} are not numbers, as {feature!r} holds ({err})."
                ) from err
        values = pd.DataFrame(
            {c: [self._core.frame[c].iloc[0]] * len(grid) for c in self._core.frame.columns}
        )
        try:
            values[feature] = pd.Series(list(grid), dtype=self._core.frame[feature].dtype)
        except (TypeError, ValueError) as err:
            raise ValidationError(
                f"grid: {list(grid)[:5]} are not values of {feature!r} ({err})."
            ) from err
        coded = codec.encode(values)[:, j]
        unknown = [g for g, c in zip(grid, coded, strict=True) if np.isnan(c) and not pd.isna(g)]
        if unknown:
            raise ValidationError(
                f"grid: {unknown[:5]} are not values of {feature!r} the data has; a text "
                "feature's grid takes its categories."
            )
        return coded

    def _raw(self, codec: TabularCodec, j: int, coded: np.ndarray) -> list:
        """Coded values of column ``j`` back in their raw form."""
        raw = TabularCodec(columns=codec.columns, as_array=False)
        Zg = np.zeros((len(coded), len(codec.columns)))
        Zg[:, j] = coded
        return list(raw.decode(Zg).iloc[:, j])

    def _frame(
        self,
        codec: TabularCodec,
        features: list[Hashable],
        columns: list[int],
        points_grid: np.ndarray,
        table: pd.DataFrame,
        by: Any,
        Z: np.ndarray,
        seed: int,
        subject: str,
        points: bool,
    ) -> pd.DataFrame:
        core = self._core
        raw = [self._raw(codec, j, points_grid[:, c]) for c, j in enumerate(columns)]
        values = list(zip(*raw, strict=True)) if len(features) == 2 else raw[0]
        frame = pd.DataFrame(
            {
                "feature": [features[0] if len(features) == 1 else tuple(features)] * len(table),
                "value": [values[k] for k in table["grid"]],
            }
        )
        if by is not None:
            frame["group"] = table["group"].to_numpy()
        for name in ("effect", "lo", "hi", "n"):
            frame[name] = table[name].to_numpy()
        rise = table.groupby("group", sort=False, dropna=False)[
            ["rise", "rise_lo", "rise_hi", "n"]
        ].first()
        frame.attrs["subject"] = subject
        frame.attrs["rise"] = rise.reset_index()
        j = columns[0]
        rng = np.random.default_rng(seed)
        take = np.sort(rng.choice(len(Z), min(RUG_ROWS, len(Z)), replace=False))
        frame.attrs["rug"] = list(core.frame.iloc[take, j])
        present = Z[:, j][~np.isnan(Z[:, j])]
        grid_codes = points_grid[:, 0]
        outside = ~codec.categorical[j] & (
            (grid_codes < present.min()) | (grid_codes > present.max())
        )
        frame.attrs["extrapolated"] = [v for v, o in zip(raw[0], outside, strict=True) if o]
        frame.attrs["range"] = (
            None
            if codec.categorical[j] or len(present) == 0
            else (float(present.min()), float(present.max()))
        )
        reading = (
            self._reading(features[0], raw[0], points_grid, rise, by is not None, subject, points)
            if len(features) == 1
            else ""
        )
        if frame.attrs["extrapolated"] and frame.attrs["range"] is not None:
            kind = column_kind(features[0], core.column(features[0]))
            beyond = extrapolation_sentence(
                str(features[0]),
                [format_value(v, kind) for v in frame.attrs["extrapolated"]],
                *(format_value(v, kind) for v in frame.attrs["range"]),
            )
            reading = f"{reading} {beyond}".strip()
        frame.attrs["reading"] = reading
        return frame

    def _reading(
        self,
        feature: Hashable,
        raw: list,
        points_grid: np.ndarray,
        rise: pd.DataFrame,
        grouped: bool,
        subject: str,
        points: bool,
    ) -> str:
        finite = np.flatnonzero(~np.isnan(points_grid[:, 0]))
        if len(finite) < 2:
            return ""
        kind = column_kind(feature, self._core.column(feature))
        first, last = format_value(raw[finite[0]], kind), format_value(raw[finite[-1]], kind)
        rows = [
            (
                None if not grouped else str(label),
                float(r["rise"]),
                float(r["rise_lo"]),
                float(r["rise_hi"]),
            )
            for label, r in rise.iterrows()
            if np.isfinite(r["rise"])
        ]
        differs = False
        if len(rows) >= 2:
            differs = self._rises_differ(rise)
        return effect_sentence(
            str(feature), first, last, subject, rows, points=points, differs=differs,
            unit=self._core.target_unit,
        )  # fmt: skip

    @staticmethod
    def _rises_differ(rise: pd.DataFrame) -> bool:
        """Whether the largest rise's lower bound is above the smallest rise's upper bound (more
        than rounding apart)."""
        finite = rise[np.isfinite(rise["rise"])]
        top, bottom = finite["rise"].idxmax(), finite["rise"].idxmin()
        return bool(finite.loc[top, "rise_lo"] > finite.loc[bottom, "rise_hi"] + 1e-9)

    def _ice_frame(
        self,
        codec: TabularCodec,
        feature: Hashable,
        j: int,
        grid: np.ndarray,
        P: np.ndarray,
        take: np.ndarray,
        groups: np.ndarray | None,
        labels: list | None,
        subject: str,
    ) -> pd.DataFrame:
        raw = self._raw(codec, j, grid)
        index = self._core.frame.index
        frame = pd.DataFrame(
            {
                "feature": feature,
                "row": np.repeat(index[take].to_numpy(), len(grid)),
                "value": raw * len(take),
                "effect": P.ravel(),
            }
        )
        if groups is not None and labels is not None:
            codes = np.repeat(groups[take], len(grid))
            frame.insert(3, "group", [labels[c] if c >= 0 else None for c in codes])
        frame.attrs["subject"] = subject
        return frame
