"""Computing a model card: every number, once, from the session's cached predictions.

:func:`fill_card` sets the attributes of a card (:class:`~.card_content.CardContent`) that
``ModelCard.from_session`` has created and checked the arguments of; the numbers come from
:mod:`~rai_widgets.report.card.numbers`, the words from :mod:`~rai_widgets.report.card.prose`.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, random_state=0)
>>> card = rw.ModelCard()
>>> fill_card(card, s, metrics=["accuracy"])
>>> card.overall_["n"].tolist(), card.intersectional_
([569], {})
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, cast

from rai_widgets.core.errors import RaiWidgetsError, ValidationError
from rai_widgets.report.card.content import CardContent
from rai_widgets.report.card.numbers import (
    calibration_table,
    coverage_table,
    data_summary,
    default_metrics,
    disparity_table,
    intersection_tables,
    model_details,
    target_table,
    weak_slice_table,
)
from rai_widgets.report.card.prose import limitations, numbers_sentences, opening_sentences
from rai_widgets.report.card.recourse import recourse_table
from rai_widgets.report.card.training import training_numbers
from rai_widgets.report.small_groups import mask_small_groups
from rai_widgets.views.audit import AuditModel
from rai_widgets.views.summary import summary_sentences

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = ["fill_card"]


def fill_card(
    card: CardContent,
    session: ModelSession,
    *,
    metrics: Sequence[str] | str | None = None,
    sensitive_features: Sequence[Hashable] | Hashable | None = None,
    max_weak_slices: int = 10,
    intersectional: bool = True,
) -> None:
    """Compute every section of ``card`` from ``session``.

    ``card.min_support_``, ``card.min_group_size_``, ``card.confidence_level_`` and
    ``card.author_`` are read, every other attribute is set.

    Parameters
    ----------
    card : CardContent
        A fresh :class:`~rai_widgets.ModelCard`.
    session : ModelSession
        A session with ``y``.
    metrics, sensitive_features, max_weak_slices, intersectional
        As ``ModelCard.from_session``.

    Raises
    ------
    ValidationError
        An unknown metric.
    """
    min_support, min_group_size = card.min_support_, card.min_group_size_
    confidence_level = card.confidence_level_
    card.notes_ = {}
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
    features: list[Hashable]
    if sensitive_features is None:
        features = list(session.sensitive_features_)
    elif isinstance(sensitive_features, str):
        features = [sensitive_features]
    else:  # a sequence of column names
        features = list(cast(Sequence[Hashable], sensitive_features))

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
    if intersectional:
        card.intersectional_, note = intersection_tables(
            session, features, chosen, min_support=min_support, min_group_size=min_group_size
        )
        if note is not None:
            card.notes_["intersectional"] = note
    else:
        card.notes_["intersectional"] = "Not computed: intersectional=False was passed."
    card.disparities_ = disparity_table(card.by_group_, chosen)
    card.calibration_, note = calibration_table(session, features)
    if note is not None:
        card.notes_["calibration"] = note
    card.coverage_, notes = coverage_table(session, features, confidence_level)
    card.notes_.update(notes)
    # a card is shared: no number about a group resting on fewer than min_group_size rows
    if card.calibration_ is not None:
        card.calibration_ = mask_small_groups(card.calibration_, min_group_size=min_group_size)
    if card.coverage_ is not None:
        card.coverage_ = mask_small_groups(card.coverage_, min_group_size=min_group_size)
    card.weak_slices_, card.n_slices_tested_, card.n_weak_slices_ = weak_slice_table(
        session,
        min_support=min_support,
        max_weak_slices=max_weak_slices,
        min_group_size=min_group_size,
    )
    try:
        card.audit_ = AuditModel.from_session(session, min_group_size=min_group_size).frame
    except RaiWidgetsError as err:
        card.notes_["audit"] = f"The audit could not run: {err}"
    card.training_, card.training_facts_ = training_numbers(session, min_group_size=min_group_size)
    card.recourse_, note = recourse_table(session, min_group_size=min_group_size)
    if note:
        card.notes_["recourse"] = note
    card.group_tests_ = {}
    for f in features if session.core.has_y else []:
        tested = session.weak_slices(features=[f], max_order=1, min_support=min_support)
        untested = max(session.core.column(f).nunique(dropna=False) - len(tested), 0)
        card.group_tests_[f] = (tested, untested)
    # the opening reads like the Dashboard's summary (it is that summary); the numbers behind
    # it, with their bounds and tests, open the Quantitative analyses
    name = None if session.name == type(session.model).__name__ else session.name
    summary = summary_sentences(session, features=features)
    card.summary_ = opening_sentences(card, summary, name=name)
    card.in_numbers_ = numbers_sentences(card)
    card.limitations_ = limitations(card)
