"""ModelCard: a model card generated from a session's own numbers, never hand-written.

The sections follow Mitchell et al. (2019), "Model Cards for Model Reporting": model details,
intended use, evaluation data, metrics overall and per group, disparities, uncertainty
(calibration and conformal coverage), blind spots, limitations, ethical considerations and
caveats; after the summary, what to look at first (the findings of ``session.audit()``).
Everything the session can compute is computed once in :meth:`ModelCard.from_session` and kept
as tidy DataFrames; what only a person can know (intended use, owners ...) is an
explicit argument and reads "Not stated by the author." when left out, never invented.

This module holds the public class only; its parts each have a module of their own:
:mod:`~rai_widgets.report.card_numbers` (the numbers), :mod:`~rai_widgets.report.card_prose`
(summary and limitations), :mod:`~rai_widgets.report.card_layout` (sections as blocks) and
:mod:`~rai_widgets.report.card_render` (Markdown and HTML).

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, random_state=0)
>>> card = rw.ModelCard.from_session(s, intended_use="Teaching.")
>>> card.overall_.loc["overall", "n"]
np.int64(569)
>>> print(card.to_markdown().splitlines()[0])
# Model card: LogisticRegression
"""

from __future__ import annotations

import json
from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from rai_widgets.compute.slice_metrics import DEFAULT_MIN_SUPPORT
from rai_widgets.core.errors import RaiWidgetsError, ValidationError
from rai_widgets.core.files import write_atomically
from rai_widgets.core.validation import check_fraction, check_int
from rai_widgets.report.card_audit import audit_records
from rai_widgets.report.card_content import AUTHOR_SECTIONS
from rai_widgets.report.card_json import plain, records
from rai_widgets.report.card_layout import NOT_STATED, card_blocks
from rai_widgets.report.card_numbers import (
    author_text,
    calibration_table,
    coverage_table,
    data_summary,
    default_metrics,
    disparity_table,
    model_details,
    target_table,
    weak_slice_table,
)
from rai_widgets.report.card_prose import limitations, summary_sentences
from rai_widgets.report.card_render import card_fragment, card_page, render_markdown
from rai_widgets.report.small_groups import DEFAULT_MIN_GROUP_SIZE, mask_small_groups
from rai_widgets.session.core import check_session

__all__ = ["NOT_STATED", "ModelCard", "default_metrics"]


class ModelCard:
    """A model card computed from a :class:`~rai_widgets.ModelSession`.

    Build it with :meth:`from_session`; render it with :meth:`to_markdown`, :meth:`to_html` or
    :meth:`to_dict`. In a notebook the card shows itself.

    Attributes
    ----------
    details_ : dict
        Name, estimator, Pipeline steps, task, classes, positive class, generation time and
        rai_widgets version.
    author_ : dict
        The author's sections (``intended_use``, ``out_of_scope_uses``, ``owners``,
        ``training_data``, ``ethical_considerations``, ``caveats``); None when not stated.
    data_ : dict
        Rows, columns, numeric and text columns, sensitive features, target name.
    target_ : pandas.DataFrame
        Classification: per class ``n`` and ``share`` of true labels, ``predicted_n`` and
        ``predicted_share``. Regression: ``mean``, ``std``, quantiles of ``y_true`` and ``y_pred``.
    metrics_ : list of str
        The metrics reported.
    overall_ : pandas.DataFrame
        ``session.slice_metrics(by=None, metrics=metrics_)``.
    by_group_ : dict
        Sensitive feature -> ``session.slice_metrics(by=feature, metrics=metrics_)``.
    disparities_ : pandas.DataFrame
        One row per feature, group and metric: ``n``, ``value``, ``reference_group``,
        ``reference`` (bool), ``difference`` with ``_lo``/``_hi`` bounds, ``bounds_cross_zero``,
        ``low_support``; equal to ``session.disparities(feature, metric=metric)``.
    calibration_ : pandas.DataFrame or None
        Classification with probabilities: ``feature`` (None for all rows), ``group``, ``n``,
        ``ece``, ``mean_confidence``, ``accuracy``, ``overconfidence``.
    coverage_ : pandas.DataFrame or None
        Split-conformal coverage on held-out rows: ``feature``, ``group``, ``n``, ``coverage``
        with bounds, ``mean_set_size`` (classification) or ``mean_width`` (regression).
    weak_slices_ : pandas.DataFrame
        The significant rows of ``session.weak_slices()``, strongest first (at most
        ``max_weak_slices``).
    n_slices_tested_, n_weak_slices_ : int
        How many slices the blind-spot search tested, and how many were significant.
    summary_ : list of str
        The plain-language summary, sentence by sentence.
    limitations_ : list of str
        Limitations found in the numbers.
    audit_ : pandas.DataFrame or None
        ``session.audit().frame()``: one row per finding (``check``, ``severity``,
        ``finding``, ``estimate``, ``lo``, ``hi``, ``n``, ``slice``, ``feature``, ``view``),
        concerns first; None when the audit could not run (``notes_["audit"]`` says why).
    notes_ : dict
        Why a section could not be computed (e.g. calibration of a regression model).
    """

    def __init__(self) -> None:
        self.details_: dict[str, Any] = {}
        self.author_: dict[str, str | None] = dict.fromkeys(AUTHOR_SECTIONS)
        self.data_: dict[str, Any] = {}
        self.target_ = pd.DataFrame()
        self.metrics_: list[str] = []
        self.overall_ = pd.DataFrame()
        self.by_group_: dict[Hashable, pd.DataFrame] = {}
        self.disparities_ = pd.DataFrame()
        self.calibration_: pd.DataFrame | None = None
        self.coverage_: pd.DataFrame | None = None
        self.weak_slices_ = pd.DataFrame()
        self.n_slices_tested_ = 0
        self.n_weak_slices_ = 0
        self.confidence_level_ = 0.9
        self.min_support_ = DEFAULT_MIN_SUPPORT
        self.summary_: list[str] = []
        self.limitations_: list[str] = []
        self.notes_: dict[str, str] = {}
        self.audit_: pd.DataFrame | None = None

    @classmethod
    def from_session(
        cls,
        session: Any,
        *,
        metrics: Sequence[str] | None = None,
        sensitive_features: Sequence[Hashable] | None = None,
        confidence_level: float = 0.9,
        min_support: int = DEFAULT_MIN_SUPPORT,
        min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
        max_weak_slices: int = 10,
        intended_use: str | None = None,
        out_of_scope_uses: str | None = None,
        owners: str | None = None,
        training_data: str | None = None,
        ethical_considerations: str | None = None,
        caveats: str | None = None,
    ) -> ModelCard:
        """Compute every number of the card once, from the session's cached predictions.

        Parameters
        ----------
        session : ModelSession
            A session with ``y`` (a card is about how the model does).
        metrics : list of str, optional
            Metrics to report (see ``session.metric_names()``); the first one leads the summary
            and the limitations. Default: accuracy, selection rate, TPR, FPR and AUC (binary);
            accuracy, balanced accuracy and macro precision (multiclass); MAE, RMSE and mean
            residual (regression).
        sensitive_features : list of column names, optional
            Groups to report on; default the session's ``sensitive_features_``. Numeric columns
            with many values are cut into quartiles, as in ``slice_metrics``.
        confidence_level : float, default 0.9
            The coverage promised by the conformal sets or intervals.
        min_support : int, default 30
            Groups with fewer rows are flagged as low support.
        min_group_size : int, default 10
            Groups with fewer rows are named with their size and read "too few to report"
            instead of their metrics (in every format, ``to_dict`` included).
        max_weak_slices : int, default 10
            Blind spots listed.
        intended_use, out_of_scope_uses, owners, training_data, ethical_considerations, \
caveats : str, optional
            What only the model's author can say. Left out, the card says "Not stated by the
            author." ``training_data`` describes what the model was fitted on: without it the
            card cannot tell whether its rows were used for training.

        Returns
        -------
        ModelCard

        Raises
        ------
        ValidationError
            The session has no ``y``; an unknown metric; a bad argument.
        ColumnNotFoundError
            A sensitive feature that is not a column.

        Examples
        --------
        >>> import rai_widgets as rw
        >>> from sklearn.datasets import load_breast_cancer
        >>> from sklearn.linear_model import LogisticRegression
        >>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
        >>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y,
        ...                     sensitive_features=X["mean radius"].gt(15).rename("large"),
        ...                     random_state=0)
        >>> card = rw.ModelCard.from_session(s, metrics=["accuracy", "tpr"])
        >>> card.by_group_["large"]["n"].tolist()
        [396, 173]
        >>> card.author_["intended_use"] is None
        True
        """
        check_session(session)
        check_fraction(confidence_level, argument="confidence_level")
        if not session.has_y:
            raise ValidationError(
                "ModelCard needs a session with y (the true targets): every number on a card "
                "compares predictions with y. Create the session with ModelSession(model, X, y)."
            )
        check_int(min_support, argument="min_support", minimum=1)
        check_int(max_weak_slices, argument="max_weak_slices", minimum=0)
        check_int(min_group_size, argument="min_group_size", minimum=1)
        card = cls()
        card.min_support_ = min_support
        card.min_group_size_ = min_group_size
        card.confidence_level_ = confidence_level
        given = {
            "intended_use": intended_use,
            "out_of_scope_uses": out_of_scope_uses,
            "owners": owners,
            "training_data": training_data,
            "ethical_considerations": ethical_considerations,
            "caveats": caveats,
        }
        card.author_ = {name: author_text(value, name) for name, value in given.items()}

        available = session.metric_names()
        if metrics is None:
            chosen = default_metrics(session)
        else:
            chosen = [metrics] if isinstance(metrics, str) else list(metrics)
            unknown = [m for m in chosen if m not in available]
            if unknown or not chosen:
                raise ValidationError(
                    f"metrics {unknown or chosen!r} cannot be computed for this session; "
                    f"choose among {available}."
                )
        card.metrics_ = chosen
        features = (
            list(session.sensitive_features_)
            if sensitive_features is None
            else [sensitive_features]
            if isinstance(sensitive_features, str)
            else list(sensitive_features)
        )

        card.details_ = model_details(session)
        card.data_ = data_summary(session, features, card.details_["target"])
        card.target_ = target_table(session)
        card.overall_ = session.slice_metrics(None, metrics=chosen, min_support=min_support)
        card.by_group_ = {
            f: mask_small_groups(
                session.slice_metrics(f, metrics=chosen, min_support=min_support),
                min_group_size=min_group_size,
            )
            for f in features
        }
        card.disparities_ = disparity_table(card.by_group_, chosen)
        card.calibration_, note = calibration_table(session, features)
        if note is not None:
            card.notes_["calibration"] = note
        card.coverage_, notes = coverage_table(session, features, confidence_level)
        card.notes_.update(notes)
        card.weak_slices_, card.n_slices_tested_, card.n_weak_slices_ = weak_slice_table(
            session, min_support=min_support, max_weak_slices=max_weak_slices
        )
        try:
            card.audit_ = session.audit().frame()
        except RaiWidgetsError as err:
            card.notes_["audit"] = f"The audit could not run: {err}"
        card.summary_ = summary_sentences(card)
        card.limitations_ = limitations(card)
        return card

    # -- rendering -------------------------------------------------------------------------
    def to_markdown(self) -> str:
        """The card as Markdown; every text from data is escaped.

        Returns
        -------
        str

        Examples
        --------
        >>> import rai_widgets as rw
        >>> from sklearn.datasets import load_iris
        >>> from sklearn.linear_model import LogisticRegression
        >>> X, y = load_iris(return_X_y=True, as_frame=True)
        >>> s = rw.ModelSession(LogisticRegression(max_iter=1000).fit(X, y), X, y,
        ...                     random_state=0)
        >>> "## Intended use" in rw.ModelCard.from_session(s).to_markdown()
        True
        """
        return render_markdown(card_blocks(self))

    def to_html(self, path: str | Path | None = None) -> str:
        """The card as one self-contained HTML page: inline CSS, no script, no external resource.

        Parameters
        ----------
        path : str or Path, optional
            Where to write the page (UTF-8).

        Returns
        -------
        str
            The page.

        Examples
        --------
        >>> import rai_widgets as rw
        >>> from sklearn.datasets import load_iris
        >>> from sklearn.linear_model import LogisticRegression
        >>> X, y = load_iris(return_X_y=True, as_frame=True)
        >>> s = rw.ModelSession(LogisticRegression(max_iter=1000).fit(X, y), X, y,
        ...                     random_state=0)
        >>> page = rw.ModelCard.from_session(s).to_html()
        >>> page.startswith("<!DOCTYPE html>"), "<script" in page
        (True, False)
        """
        page = card_page(f"Model card: {self.details_['name']}", card_blocks(self))
        if path is not None:
            write_atomically(path, page)
        return page

    def to_dict(self) -> dict[str, Any]:
        """Every section as JSON-serialisable data (NaN as None, labels as text).

        Returns
        -------
        dict

        Examples
        --------
        >>> import json
        >>> import rai_widgets as rw
        >>> from sklearn.datasets import load_iris
        >>> from sklearn.linear_model import LogisticRegression
        >>> X, y = load_iris(return_X_y=True, as_frame=True)
        >>> s = rw.ModelSession(LogisticRegression(max_iter=1000).fit(X, y), X, y,
        ...                     random_state=0)
        >>> data = rw.ModelCard.from_session(s).to_dict()
        >>> data["overall"][0]["n"], len(json.dumps(data)) > 1000
        (150, True)
        """
        out = {
            "details": plain(self.details_),
            "author": dict(self.author_),
            "data": plain(self.data_),
            "target": records(self.target_),
            "metrics": list(self.metrics_),
            "overall": records(self.overall_),
            "by_group": {str(f): records(t) for f, t in self.by_group_.items()},
            "disparities": records(self.disparities_),
            "calibration": records(self.calibration_),
            "coverage": records(self.coverage_),
            "confidence_level": float(self.confidence_level_),
            "weak_slices": records(self.weak_slices_),
            "n_slices_tested": self.n_slices_tested_,
            "n_weak_slices": self.n_weak_slices_,
            "summary": list(self.summary_),
            "limitations": list(self.limitations_),
            "notes": dict(self.notes_),
            "audit": audit_records(self.audit_),
        }
        json.dumps(out, allow_nan=False)  # fail here, not in the caller's json.dump
        return out

    def _repr_html_(self) -> str:
        return card_fragment(card_blocks(self))

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def __repr__(self) -> str:
        return (
            f"ModelCard(name={self.details_.get('name')!r}, task={self.details_.get('task')!r}, "
            f"rows={self.data_.get('n_rows')}, metrics={self.metrics_})"
        )
