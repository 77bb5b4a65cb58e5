"""ModelCard: a model card generated from a session's own numbers, never hand-written.

Every section of Mitchell et al. (2019), "Model Cards for Model Reporting", in its order. What
the session can compute is computed once in :meth:`ModelCard.from_session`; what only a person
can know (intended use, owners ...) is an argument, "Not stated by the author." when left out.

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
from typing import TYPE_CHECKING, Any

import pandas as pd

from rai_widgets.compute.slice_metrics import DEFAULT_MIN_SUPPORT
from rai_widgets.core.arguments import check_fraction, check_int
from rai_widgets.core.errors import RaiWidgetsError, ValidationError
from rai_widgets.core.files import read_json, write_atomically
from rai_widgets.report.card.as_dict import card_dict, card_state
from rai_widgets.report.card.build import fill_card
from rai_widgets.report.card.content import AUTHOR_SECTIONS, SCHEMA_VERSION, SECTIONS
from rai_widgets.report.card.layout import NOT_STATED, card_blocks
from rai_widgets.report.card.numbers import author_text, default_metrics
from rai_widgets.report.card.render import card_fragment, card_page, render_markdown
from rai_widgets.report.small_groups import DEFAULT_MIN_GROUP_SIZE
from rai_widgets.session.model_session import check_session

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = ["NOT_STATED", "SCHEMA_VERSION", "SECTIONS", "ModelCard", "default_metrics"]


class ModelCard:
    """A model card computed from a :class:`~rai_widgets.ModelSession`.

    Build it with :meth:`from_session` (or load one with :meth:`from_dict` /
    :meth:`from_json`); render it with :meth:`to_markdown`, :meth:`to_html`, :meth:`to_dict` or
    :meth:`to_json`. In a notebook the card shows itself (:class:`~rai_widgets.ModelCardView`
    previews it section by section).

    Attributes
    ----------
    details_ : dict
        Name, estimator, steps, task, classes, positive class, time and version.
    author_, data_ : dict
        The author's parts (None when not stated); rows, columns, sensitive features, target.
    target_ : pandas.DataFrame
        Classification: per class ``n`` and ``share`` of true labels, ``predicted_n`` and
        ``predicted_share``. Regression: ``mean``, ``std``, quantiles of ``y_true`` and ``y_pred``.
    metrics_ : list of str
        The metrics reported.
    overall_ : pandas.DataFrame
        ``session.slice_metrics(by=None, metrics=metrics_)``.
    by_group_ : dict
        Sensitive feature -> ``session.slice_metrics(by=feature, metrics=metrics_)`` (the
        unitary results).
    intersectional_ : dict
        (feature a, feature b) -> ``session.slice_metrics(by=[a, b], metrics=metrics_)`` for
        every pair of sensitive features (the intersectional results).
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
    recourse_ : pandas.DataFrame or None
        The cost of recourse per group (``report.card.recourse.RECOURSE_TABLE_COLUMNS``).
    training_, training_facts_ : pandas.DataFrame or None, dict
        With ``train=``: group shares of the training rows, and how many rows.
    n_slices_tested_, n_weak_slices_ : int
        Slices the blind-spot search tested, and how many were significant.
    group_tests_ : dict
        Feature -> ``(session.weak_slices(features=[f], max_order=1), groups not tested)``.
    summary_ : list of str
        The opening for a stakeholder: what the model predicts, then the Dashboard's summary.
    in_numbers_ : list of str
        The summary in numbers, with bounds and tests (it opens Quantitative analyses).
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
        self.intersectional_: dict[tuple, pd.DataFrame] = {}
        self.disparities_ = pd.DataFrame()
        self.calibration_: pd.DataFrame | None = None
        self.coverage_: pd.DataFrame | None = None
        self.weak_slices_ = pd.DataFrame()
        self.recourse_: pd.DataFrame | None = None
        self.training_: pd.DataFrame | None = None
        self.training_facts_: dict[str, Any] = {}
        self.group_tests_: dict = {}
        self.n_slices_tested_ = 0
        self.n_weak_slices_ = 0
        self.confidence_level_ = 0.9
        self.min_support_ = DEFAULT_MIN_SUPPORT
        self.min_group_size_ = DEFAULT_MIN_GROUP_SIZE
        self.summary_: list[str] = []
        self.in_numbers_: list[str] = []
        self.limitations_: list[str] = []
        self.notes_: dict[str, str] = {}
        self.audit_: pd.DataFrame | None = None

    @classmethod
    def from_session(
        cls,
        session: ModelSession,
        *,
        metrics: Sequence[str] | None = None,
        sensitive_features: Sequence[Hashable] | None = None,
        confidence_level: float = 0.9,
        min_support: int = DEFAULT_MIN_SUPPORT,
        min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
        max_weak_slices: int = 10,
        intersectional: bool = True,
        intended_use: str | None = None,
        out_of_scope_uses: str | None = None,
        owners: str | None = None,
        evaluation_data: str | None = None,
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
        intersectional : bool, default True
            Report every pair of sensitive features too (Quantitative analyses).
        owners, intended_use, out_of_scope_uses, evaluation_data, training_data, \
ethical_considerations, caveats : str, optional
            What only the model's author can say: ``owners`` (Model details),
            ``intended_use`` and ``out_of_scope_uses`` (Intended use), ``evaluation_data``
            (where the session's rows came from), ``training_data`` (what the model was fitted
            on: without it the card cannot tell whether its rows were used for training),
            ``ethical_considerations``, ``caveats`` (Caveats and recommendations). Left out,
            the card says "Not stated by the author." and lists it under "What the author has
            not stated yet".

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
        if not session.core.has_y:
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
            "owners": owners,
            "intended_use": intended_use,
            "out_of_scope_uses": out_of_scope_uses,
            "evaluation_data": evaluation_data,
            "training_data": training_data,
            "ethical_considerations": ethical_considerations,
            "caveats": caveats,
        }
        card.author_ = {name: author_text(value, name) for name, value in given.items()}

        fill_card(
            card,
            session,
            metrics=metrics,
            sensitive_features=sensitive_features,
            max_weak_slices=max_weak_slices,
            intersectional=intersectional,
        )
        return card

    # -- loading ---------------------------------------------------------------------------
    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelCard:
        """A card from its JSON data (the output of :meth:`to_dict`), checked against the schema.

        Parameters
        ----------
        data : dict
            ``card.to_dict()``, e.g. read back with ``json.load``.

        Returns
        -------
        ModelCard
            Renders as the card that wrote ``data``.

        Raises
        ------
        ValidationError
            ``data["schema_version"]`` is missing or is not the version this rai_widgets
            reads (:data:`SCHEMA_VERSION`), or ``data`` does not follow
            ``model_card.schema.json``.

        Examples
        --------
        >>> import rai_widgets as rw
        >>> from sklearn.datasets import load_iris
        >>> from sklearn.linear_model import LogisticRegression
        >>> X, y = load_iris(return_X_y=True, as_frame=True)
        >>> s = rw.ModelSession(LogisticRegression(max_iter=1000).fit(X, y), X, y,
        ...                     random_state=0)
        >>> card = rw.ModelCard.from_session(s)
        >>> rw.ModelCard.from_dict(card.to_dict()).to_markdown() == card.to_markdown()
        True
        """
        card = cls()
        try:
            for name, value in card_state(data).items():
                setattr(card, name, value)
            card.to_markdown()  # a card that loads can be shown: a field it needs is there
        except RaiWidgetsError:
            raise
        except (KeyError, IndexError, TypeError, ValueError, AttributeError) as err:
            raise ValidationError(
                f"This model card cannot be shown: {type(err).__name__} {err} (a field the "
                "card needs is missing or of the wrong type). Pass the unchanged output of "
                "ModelCard.to_dict() (or the file of ModelCard.to_json())."
            ) from None
        return card

    @classmethod
    def from_json(cls, path: str | Path) -> ModelCard:
        """A card from a JSON file written by :meth:`to_json` (see :meth:`from_dict`).

        Parameters
        ----------
        path : str or Path
            The file (UTF-8).

        Returns
        -------
        ModelCard

        Raises
        ------
        ValidationError
            The file cannot be read as JSON (missing, truncated, too deep; see
            :func:`rai_widgets.core.files.read_json`), or is not a card this version reads.

        Examples
        --------
        >>> ModelCard.from_json("no-such-card.json")
        Traceback (most recent call last):
        ...
        rai_widgets.core.errors.ValidationError: 'no-such-card.json' does not exist.
        """
        data = read_json(path, what="a model card written by ModelCard.to_json")
        try:
            return cls.from_dict(data)
        except ValidationError as err:
            raise ValidationError(f"{str(path)!r}: {err}") from None

    # -- rendering -------------------------------------------------------------------------
    @staticmethod
    def sections() -> dict[str, str]:
        """The card's sections in order: ``to_dict()`` key -> Markdown heading (Mitchell et al.).

        Returns
        -------
        dict

        Examples
        --------
        >>> import rai_widgets as rw
        >>> list(rw.ModelCard.sections().values())[-1]
        'Caveats and recommendations'
        """
        return dict(SECTIONS)

    def _section(self, section: str | None) -> str | None:
        if section is None or section in SECTIONS:
            return section
        raise ValidationError(
            f"section {section!r} is not a section of the card; choose among "
            f"{list(SECTIONS)} (or None for the whole card)."
        )

    def to_markdown(self, section: str | None = None) -> str:
        """The card (or one section) as Markdown; every text from data is escaped.

        Parameters
        ----------
        section : str, optional
            A key of :meth:`sections`, e.g. ``"factors"``: that section only.

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
        >>> card = rw.ModelCard.from_session(s)
        >>> "## Intended use" in card.to_markdown()
        True
        >>> card.to_markdown(section="training_data").splitlines()[0]
        '## Training data'
        """
        return render_markdown(card_blocks(self, self._section(section)))

    def to_html(
        self, path: str | Path | None = None, *, section: str | None = None, fragment: bool = False
    ) -> str:
        """The card as one self-contained HTML page: inline CSS, no script, no external resource.

        Parameters
        ----------
        path : str or Path, optional
            Where to write the page (UTF-8).
        section : str, optional
            A key of :meth:`sections`: that section only.
        fragment : bool, default False
            An HTML fragment for a notebook (the card's style sheet, then the card) instead of
            a whole page.

        Returns
        -------
        str
            The page (or fragment).

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
        blocks = card_blocks(self, self._section(section))
        if fragment:
            out = card_fragment(blocks)
        else:
            out = card_page(f"Model card: {self.details_['name']}", blocks)
        if path is not None:
            write_atomically(path, out)
        return out

    def to_dict(self) -> dict[str, Any]:
        """Every section as JSON-serialisable data that follows ``model_card.schema.json``.

        The keys are the sections in snake_case (``model_details``, ``intended_use``,
        ``factors``, ``metrics``, ``evaluation_data``, ``training_data``,
        ``quantitative_analyses``, ``ethical_considerations``,
        ``caveats_and_recommendations``), plus ``schema_version``, ``title``, ``summary``,
        ``not_stated`` and ``notes``. NaN is None, groups are named as text.

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
        >>> data["schema_version"], data["quantitative_analyses"]["overall"][0]["n"]
        ('1.0', 150)
        >>> len(json.dumps(data)) > 1000
        True
        """
        return card_dict(self)

    def to_json(self, path: str | Path | None = None, *, indent: int | None = 2) -> str:
        """:meth:`to_dict` as JSON text (no NaN); :meth:`from_json` reads it back.

        Parameters
        ----------
        path : str or Path, optional
            Where to write it (UTF-8).
        indent : int or None, default 2
            As ``json.dumps``.

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
        >>> rw.ModelCard.from_session(s).to_json().startswith('{\\n  "schema_version": "1.0"')
        True
        """
        text = json.dumps(self.to_dict(), indent=indent, allow_nan=False, ensure_ascii=False)
        if path is not None:
            write_atomically(path, text + "\n")
        return text

    def _repr_html_(self) -> str:
        return card_fragment(card_blocks(self))

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def __repr__(self) -> str:
        return (
            f"ModelCard(name={self.details_.get('name')!r}, task={self.details_.get('task')!r}, "
            f"rows={self.data_.get('n_rows')}, metrics={self.metrics_})"
        )
