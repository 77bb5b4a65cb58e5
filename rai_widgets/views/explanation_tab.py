"""What the explanation tab shows, computed once from the session: the case part (its reading,
waterfall, SHAP against LIME and what would change its answer), what the model relies on across
slices, and how one feature moves predictions (SHAP dependence and effects per group), with the
choices its pickers offer.

The live widget (``ExplanationView``), its static picture (``static_html.explanation``) and the
export draw an :class:`ExplanationModel`; none of them asks the session what to show. The widget
recomputes only the part whose state changed (:func:`case_part`, :func:`importance_part`,
:func:`feature_part`). Every part that can fail is kept as
:class:`~rai_widgets.views.parts.Failed`, so it shows its own error box and the rest is drawn.
Every part takes the same seed, so the reading, the waterfall and the global parts tell one
story (:func:`view_seed`).

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.ensemble import RandomForestRegressor
>>> data = rw.datasets.load_wage()
>>> X, y = data.data[["year", "age"]], data.target
>>> s = rw.ModelSession(RandomForestRegressor(n_estimators=20, random_state=0).fit(X, y), X, y,
...                     sensitive_features=data.data["race"], random_state=0)
>>> model = explanation_model(s, row=5, parts=PARTS, max_rows=50)
>>> model.case.row, model.feature.color_by, model.importance.by_name
(5, 'race', None)
>>> model.case.reading.startswith("The model predicts"), model.feature.feature in X.columns
(True, True)
"""

from __future__ import annotations

import contextlib
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from rai_widgets.core.errors import RaiWidgetsError
from rai_widgets.views.effects import EffectsData, effects_data
from rai_widgets.views.explanation import (
    AgreementData,
    CaseExplanation,
    DependenceData,
    ImportanceData,
    agreement_data,
    case_explanation,
    dependence_data,
    importance_data,
    most_important_feature,
)
from rai_widgets.views.groupings import default_grouping
from rai_widgets.views.parts import Failed, attempt
from rai_widgets.views.recourse import RecourseModel, recourse_model
from rai_widgets.views.scores import without_scores

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = [
    "MAX_SLICES_EXPLAINED",
    "PARTS",
    "CasePart",
    "ExplanationChoices",
    "ExplanationModel",
    "FeaturePart",
    "case_part",
    "explanation_choices",
    "explanation_model",
    "feature_part",
    "importance_part",
    "representative_row",
    "shared_file_model",
    "view_seed",
]

#: The parts of the view, in the order of its tabs.
PARTS = ("case", "importance", "dependence")

#: What the view cannot show for a classifier without scores (the subject of its one note).
UNEXPLAINED = "how much each feature moved its answer"


def view_seed(session: ModelSession) -> int:
    """The seed every part of a view shares: the session's ``random_state`` when it is an int,
    else a fresh one (so one view still tells one story).

    Examples
    --------
    >>> import rai_widgets as rw
    >>> from sklearn.linear_model import LinearRegression
    >>> data = rw.datasets.load_wage()
    >>> X = data.data[["year", "age"]]
    >>> s = rw.ModelSession(LinearRegression().fit(X, data.target), X, random_state=7)
    >>> view_seed(s)
    7
    """
    seed = session.core.random_state
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
        seed = int(np.random.SeedSequence().generate_state(1)[0] % (2**31 - 1))
    return int(seed)


@dataclass(frozen=True)
class ExplanationChoices:
    """What the view's pickers offer, each as ``(label, value)``.

    Attributes
    ----------
    slices : list of (str, object)
        "Compare slices of": the whole data (""), the sensitive features, then X's columns.
    features : list of (str, object)
        "Feature": X's columns.
    colours : list of (str, object)
        "Colour by": nothing (""), the sensitive features, then X's columns.
    """

    slices: list[tuple[str, Hashable]]
    features: list[tuple[str, Hashable]]
    colours: list[tuple[str, Hashable]]


def explanation_choices(session: ModelSession) -> ExplanationChoices:
    """The pickers' options (X's original column names: a column may be called 3).

    Parameters
    ----------
    session : ModelSession
        The model and data.

    Returns
    -------
    ExplanationChoices
    """
    columns = list(session.X.columns)
    sensitive = list(session.sensitive_features_)
    first_sensitive = list(dict.fromkeys(sensitive + [c for c in columns if c not in sensitive]))
    return ExplanationChoices(
        slices=[("whole data", ""), *((str(c), c) for c in first_sensitive)],
        features=[(str(c), c) for c in columns],
        colours=[("nothing", ""), *((str(c), c) for c in dict.fromkeys(sensitive + columns))],
    )


@dataclass(frozen=True)
class CasePart:
    """The "This case" part: one case explained.

    Attributes
    ----------
    row : label of X's index
        The case.
    note : str or None
        The one sentence shown instead of the explanation for a classifier that gives labels
        only (its reading, waterfall and agreement are then None).
    reading : str, Failed or None
        The explanation in plain words (``ModelSession.explain_text``).
    explanation : CaseExplanation, Failed or None
        What the waterfall draws.
    agreement : AgreementData, Failed or None
        SHAP against LIME on this case.
    recourse : RecourseModel or Failed
        What would change the model's answer.
    """

    row: Hashable
    note: str | None
    reading: str | Failed | None
    explanation: CaseExplanation | Failed | None
    agreement: AgreementData | Failed | None
    recourse: RecourseModel | Failed


def case_part(session: ModelSession, row: Hashable, *, random_state: int) -> CasePart:
    """Compute the "This case" part.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    row : label of X's index
        The case.
    random_state : int
        The view's seed.

    Returns
    -------
    CasePart
    """
    s, seed = session, random_state
    note = without_scores(s, UNEXPLAINED)
    if note is not None:  # said once, not in every pane
        recourse = attempt(lambda: recourse_model(s, row, random_state=seed))
        return CasePart(row, note, None, None, None, recourse)
    reading = attempt(lambda: s.explain_text(row, random_state=seed))
    explanation = attempt(lambda: case_explanation(s, row, random_state=seed))
    agreement = attempt(lambda: agreement_data(s, row, random_state=seed))
    return CasePart(
        row=row,
        note=None,
        reading=reading,
        explanation=explanation,
        agreement=agreement,
        recourse=attempt(lambda: recourse_model(s, row, random_state=seed)),
    )


def importance_part(
    session: ModelSession, slice_by: Hashable, *, max_rows: int, random_state: int
) -> ImportanceData | Failed:
    """Compute the "Across slices" part: importance per slice of ``slice_by`` ("" or None:
    the whole data).

    Parameters
    ----------
    session : ModelSession
        The model and data.
    slice_by : column name or ""
        The slices.
    max_rows : int
        Rows explained.
    random_state : int
        The view's seed.

    Returns
    -------
    ImportanceData or Failed
    """
    by = None if slice_by == "" else slice_by
    return attempt(
        lambda: importance_data(session, by, max_rows=max_rows, random_state=random_state)
    )


@dataclass(frozen=True)
class FeaturePart:
    """The "One feature" part: how one feature moves predictions.

    Attributes
    ----------
    feature : column name or None
        The feature shown (the most important one when none was asked; None when that could
        not be found: both charts then hold the error).
    color_by : column name or None
        The colouring of the dependence plot and the groups of the effects.
    dependence : DependenceData or Failed
        Each row's SHAP contribution against its value.
    effects : EffectsData or Failed
        How the answer moves as the feature moves, per group, with bands.
    """

    feature: Hashable | None
    color_by: Hashable | None
    dependence: DependenceData | Failed
    effects: EffectsData | Failed


def feature_part(
    session: ModelSession,
    feature: Hashable,
    *,
    color_by: Hashable,
    max_rows: int,
    random_state: int,
) -> FeaturePart:
    """Compute the "One feature" part.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    feature : column name, "" or None
        The feature ("" or None: the most important one).
    color_by : column name or ""
        Colouring and groups ("": none).
    max_rows : int
        Rows explained for the dependence plot (and for finding the most important feature).
    random_state : int
        The view's seed.

    Returns
    -------
    FeaturePart
    """
    s, seed = session, random_state
    colour = None if color_by == "" else color_by
    shown = feature
    if feature == "" or feature is None:
        found = attempt(lambda: most_important_feature(s, max_rows=max_rows, random_state=seed))
        if isinstance(found, Failed):
            return FeaturePart(None, colour, found, found)
        shown = found
    return FeaturePart(
        feature=shown,
        color_by=colour,
        dependence=attempt(
            lambda: dependence_data(s, shown, color_by=colour, max_rows=max_rows, random_state=seed)
        ),
        effects=attempt(
            lambda: effects_data(s, shown, by=colour, grid_resolution=12, random_state=seed)
        ),
    )


@dataclass(frozen=True)
class ExplanationModel:
    """The explanation tab: what each of its parts shows.

    Attributes
    ----------
    seed : int
        The seed every part shares.
    row : label of X's index
        The case of "This case".
    choices : ExplanationChoices
        What the pickers offer.
    case : CasePart, Failed or None
        "This case" (None: not computed).
    importance : ImportanceData, Failed or None
        "Across slices" (None: not computed, as the widget leaves a tab not yet opened).
    feature : FeaturePart or None
        "One feature" (None: not computed).
    """

    seed: int
    row: Hashable
    choices: ExplanationChoices
    case: CasePart | Failed | None = None
    importance: ImportanceData | Failed | None = None
    feature: FeaturePart | None = None


def explanation_model(
    session: ModelSession,
    *,
    row: Hashable | None = None,
    slice_by: Hashable = "",
    feature: Hashable = "",
    color_by: Hashable | None = None,
    max_rows: int = 300,
    random_state: int | None = None,
    parts: Sequence[str] = ("case",),
) -> ExplanationModel:
    """Compute the explanation tab.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    row : label of X's index, optional
        The case (default: the first row).
    slice_by : column name, default ""
        Slices of the importance chart ("" for the whole data).
    feature : column name, default ""
        Feature of the "One feature" part ("" for the most important one).
    color_by : column name, optional
        Its colouring (default: the first sensitive feature; "" for none).
    max_rows : int, default 300
        Rows explained for the global parts.
    random_state : int, optional
        The seed of every part (default: :func:`view_seed`).
    parts : sequence of {"case", "importance", "dependence"}, default ("case",)
        The parts computed (the others are None); the widget computes a global part when its
        tab is first opened.

    Returns
    -------
    ExplanationModel

    Raises
    ------
    ValueError
        A part that is not one of :data:`PARTS`.
    """
    unknown = [p for p in parts if p not in PARTS]
    if unknown:
        raise ValueError(f"parts must be among {PARTS}; got {unknown}.")
    seed = view_seed(session) if random_state is None else random_state
    row = session.core.frame.index[0] if row is None else row
    if color_by is None:
        first = default_grouping(session.core)
        color_by = "" if first is None else first
    case = None
    if "case" in parts:
        case = attempt(lambda: case_part(session, row, random_state=seed))
    importance = None
    if "importance" in parts:
        importance = importance_part(session, slice_by, max_rows=max_rows, random_state=seed)
    shown = None
    if "dependence" in parts:
        shown = feature_part(
            session, feature, color_by=color_by, max_rows=max_rows, random_state=seed
        )
    return ExplanationModel(
        seed=seed,
        row=row,
        choices=explanation_choices(session),
        case=case,
        importance=importance,
        feature=shown,
    )


#: With more slices, a shared file shows feature importance over the whole data, not per slice.
MAX_SLICES_EXPLAINED = 3


def representative_row(session: ModelSession) -> Hashable:
    """A typical row of the most common prediction, else the first row.

    Examples
    --------
    >>> import rai_widgets as rw
    >>> from sklearn.linear_model import LinearRegression
    >>> data = rw.datasets.load_wage()
    >>> X = data.data[["year", "age"]]
    >>> s = rw.ModelSession(LinearRegression().fit(X, data.target), X, random_state=0)
    >>> representative_row(s) == X.index[0]
    True
    """
    with contextlib.suppress(RaiWidgetsError, ValueError, KeyError):
        if session.core.has_y:
            typical = session.examples("typical", n=1)
            if len(typical):
                return typical.index[0]
    return session.core.frame.index[0]


def shared_file_model(
    session: ModelSession, *, by: Hashable | None, n_slices: int, min_group_size: int
) -> ExplanationModel:
    """The explanation tab of a shared file (the export): every part, for a typical row
    (:func:`representative_row`); importance per slice of ``by`` only for a few slices
    (:data:`MAX_SLICES_EXPLAINED`) of at least ``min_group_size`` rows each; the dependence
    plot coloured by the first sensitive feature unless one of its groups is smaller than
    that (a labelled point would read as that group's number).

    Parameters
    ----------
    session : ModelSession
        The model and data.
    by : column name or None
        The grouping of the file's slice picker, when it is one column.
    n_slices : int
        Slices of that picker.
    min_group_size : int
        The fewest rows a group's numbers are written for.

    Returns
    -------
    ExplanationModel
    """
    few = by is not None and by in session.core.frame.columns and n_slices <= MAX_SLICES_EXPLAINED
    few = few and int(session.core.slices(by).sizes.min()) >= min_group_size
    first = default_grouping(session.core)
    colour: Hashable = "" if first is None else first
    if colour != "" and int(session.core.slices(colour).sizes.min()) < min_group_size:
        colour = ""
    return explanation_model(
        session,
        row=representative_row(session),
        slice_by=by if few and by is not None else "",
        color_by=colour,
        parts=PARTS,
    )
