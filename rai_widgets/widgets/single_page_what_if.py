"""The what-if editor of the single page's case: change one or more of the selected case's
values and see the model's new answer beside the old, each with how sure the model is of it
as the uncertainty tab reads a case.

The answer is the session's (:meth:`ModelSession.what_if`: before and after in one model call);
the case as it is is read by :func:`~rai_widgets.static_html.uncertainty.case_reading` (the
uncertainty tab's own reading) and the changed case by
:func:`~rai_widgets.static_html.case_uncertainty.outcome_reading` of the new answer, with the
same conformal result. The editor is Python-drawn HTML (every string escaped); the front end
sends numbers only: a column's place, a number typed or a value's place among a column's
values, a change's place to remove.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> model = LogisticRegression(max_iter=5000).fit(X, y)
>>> s = rw.ModelSession(model, X, y, random_state=0)
>>> view = rw.SinglePageDashboard(s, selected_row=3)
>>> view.what_if_changes = {"mean radius": 20.0}
>>> edited = X.iloc[[3]].assign(**{"mean radius": 20.0})
>>> after = view.what_if_result().after["proba_1"]
>>> bool(abs(after - model.predict_proba(edited)[0, 1]) < 1e-12)
True
>>> "With mean radius = 20" in view.what_if_html
True
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd
import traitlets

from rai_widgets import formatting
from rai_widgets.compute.conformal import ConformalResult
from rai_widgets.core.errors import RaiWidgetsWarning
from rai_widgets.core.validation import is_numeric
from rai_widgets.formatting_kinds import column_kind
from rai_widgets.readings.controls import (
    CONTROL_LABELS,
    number_needed,
    too_many_values,
    what_if_change,
    what_if_intro,
)
from rai_widgets.static_html import uncertainty
from rai_widgets.static_html.case_uncertainty import case_group, outcome_reading
from rai_widgets.static_html.page import error_box, escape, note_box, safe
from rai_widgets.widgets.single_page_uncertainty import UncertaintyControls

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession
    from rai_widgets.session.what_if import WhatIf

__all__ = ["MAX_LISTED_VALUES", "WhatIfControls", "listed_values", "what_if_answer_html"]

#: The most values a text column's picker lists (a column with more is set from Python).
MAX_LISTED_VALUES = 200


def listed_values(session: ModelSession, column: Hashable) -> list | None:
    """The values the editor offers for a column: the values of X's column (the only ones the
    model has seen, which ``what_if`` accepts) sorted as text; None for a numeric column (a
    number is typed).

    Parameters
    ----------
    session : ModelSession
        The model and data.
    column : column name
        A column of X.

    Returns
    -------
    list or None

    Examples
    --------
    >>> import rai_widgets as rw
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import OneHotEncoder
    >>> data = rw.datasets.load_german_credit()
    >>> X = data.data[["housing", "age_in_years"]]
    >>> model = make_pipeline(OneHotEncoder(handle_unknown="ignore"), LogisticRegression())
    >>> s = rw.ModelSession(model.fit(X, data.target), X, data.target)
    >>> listed_values(s, "housing"), listed_values(s, "age_in_years")
    (['for free', 'own', 'rent'], None)
    """
    values = session.core.frame[column]
    if is_numeric(values):
        return None
    return sorted(pd.unique(values.dropna()).tolist(), key=str)


def _edited(session: ModelSession, position: int, changes: Mapping) -> pd.DataFrame:
    """The case's raw features with the changes made (its interval's width may depend on them)."""
    edited = session.core.frame.iloc[[position]].copy()
    for column, value in changes.items():
        edited[column] = [value]
    return edited


def what_if_answer_html(
    session: ModelSession,
    row: Hashable,
    changes: Mapping,
    result: WhatIf,
    conformal: ConformalResult,
) -> str:
    """The model's answer to the changed case beside its answer to the case as it is: the
    what-if's sentence, then each answer read as the uncertainty tab reads a case.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    row : label of X's index
        The case.
    changes : mapping
        ``{column: value}`` tried.
    result : WhatIf
        ``session.what_if(row, changes)``.
    conformal : ConformalResult
        The conformal result both answers are read with (the uncertainty tab's).

    Returns
    -------
    str

    Examples
    --------
    >>> import rai_widgets as rw
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.linear_model import LogisticRegression
    >>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    >>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, random_state=0)
    >>> changes = {"mean radius": 20.0}
    >>> html = what_if_answer_html(s, 3, changes, s.what_if(3, changes), s.conformal())
    >>> html.count('class="rai-what-if-side"'), "With mean radius = 20" in html
    (2, True)
    """
    s = session
    position = int(s.core.positions_of([row])[0])

    def before() -> str:
        text, chart = uncertainty.case_reading(s, row, conformal=conformal)
        return uncertainty.case_html(text, chart)

    def after() -> str:
        group = case_group(s, position, conformal)
        if conformal.mondrian_by in changes:
            group = changes[conformal.mondrian_by]
        proba = None
        if s.task_ != "regression":
            proba = {c: float(result.after[f"proba_{c}"]) for c in s.core.class_labels()}
        text, chart = outcome_reading(
            s,
            _edited(s, position, changes),
            y_pred=result.after["prediction"],
            proba=proba,
            conformal=conformal,
            group=group,
        )
        return uncertainty.case_html(text, chart)

    sides = "".join(
        f'<div class="rai-what-if-side"><h5>{escape(CONTROL_LABELS[word])}</h5>{safe(draw)}</div>'
        for word, draw in (("as_it_is", before), ("changed", after))
    )
    note = safe(lambda: uncertainty.case_note(s, conformal))
    return (
        f'<div class="rai-verdict rai-what-if-summary">{escape(result.summary)}</div>'
        f'<div class="rai-what-if-pair">{sides}</div>{note}'
    )


class WhatIfControls(UncertaintyControls):
    """The what-if editor of the selected case, for a widget with a ``session`` and a
    ``selected_row`` (a new case starts with no change); its answers are read at the
    uncertainty tab's ``confidence_level``.

    Attributes
    ----------
    what_if_changes : traitlets.Dict
        ``{column: value}`` tried on the selected case ({}: none); set it from Python to try
        values the pickers do not offer.
    what_if_html : traitlets.Unicode
        The editor and the answer, as HTML ("" while no case is selected).
    what_if_column, what_if_value, what_if_clicks : traitlets
        What the front end sends for "Try it": the place of the column picked among X's
        columns, the number typed (a numeric column) or the place of the value picked among
        :func:`listed_values` (None: no number), and a click counter.
    what_if_remove, what_if_remove_clicks : traitlets.Int
        What it sends to take a change back: its place in ``what_if_changes`` (-1: all).
    """

    session: ModelSession
    selected_row: Any
    _what_if_cache: tuple | None = None  # (row and changes, WhatIf, warnings' messages)
    _what_if_conformal: tuple | None = None  # (model state and level, ConformalResult)
    _what_if_message = ""  # an error of the last "Try it", as HTML
    what_if_changes = traitlets.Dict()
    what_if_html = traitlets.Unicode("").tag(sync=True)
    what_if_column = traitlets.Int(0).tag(sync=True)
    what_if_value = traitlets.Float(None, allow_none=True).tag(sync=True)
    what_if_clicks = traitlets.Int(0).tag(sync=True)
    what_if_remove = traitlets.Int(-1).tag(sync=True)
    what_if_remove_clicks = traitlets.Int(0).tag(sync=True)

    def what_if_result(self) -> WhatIf | None:
        """The session's what-if of the selected case with ``what_if_changes`` (None: no case,
        or no change).

        Returns
        -------
        WhatIf or None
        """
        row = self.selected_row
        changes = dict[Hashable, Any](self.what_if_changes.items())
        if row is None or not changes:
            return None
        key = (row, tuple(changes.items()))
        cached = self._what_if_cache
        if cached is None or cached[0] != key:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", RaiWidgetsWarning)
                result = self.session.what_if(row, changes)
            notes = [str(w.message) for w in caught if issubclass(w.category, RaiWidgetsWarning)]
            cached = (key, result, notes)
            self._what_if_cache = cached
        return cached[1]

    def _conformal(self) -> ConformalResult:
        level = self.confidence_level
        with self.session.core.consistent() as state:
            cached = self._what_if_conformal
            if cached is None or cached[0] != (state.model, level):
                result = self.session.conformal(confidence_level=level, calibration=0.5)
                cached = ((state.model, level), result)
                self._what_if_conformal = cached
        return cached[1]

    # -- what the front end sends ----------------------------------------------------------------
    @traitlets.observe("what_if_clicks")
    def _what_if_tried(self, change: dict) -> None:
        columns = list(self.session.core.frame.columns)
        if self.selected_row is None or not 0 <= self.what_if_column < len(columns):
            return
        column, sent = columns[self.what_if_column], self.what_if_value
        listed = listed_values(self.session, column)
        if sent is None or not math.isfinite(sent):
            self._what_if_message = error_box(number_needed(str(column)))
            self.what_if_html = self.what_if_panel_html()
            return
        if listed is not None:
            if not 0 <= int(sent) < len(listed):
                return
            value: Any = listed[int(sent)]
        else:
            value = int(sent) if float(sent).is_integer() else float(sent)
        self.what_if_changes = {**self.what_if_changes, column: value}

    @traitlets.observe("what_if_remove_clicks")
    def _what_if_removed(self, change: dict) -> None:
        kept = list(self.what_if_changes.items())
        if self.what_if_remove < 0:
            kept = []
        elif self.what_if_remove < len(kept):
            del kept[self.what_if_remove]
        self.what_if_changes = dict(kept)

    @traitlets.observe("what_if_column")
    def _what_if_column_picked(self, change: dict) -> None:
        self._what_if_message = ""
        self.what_if_html = self.what_if_panel_html()

    @traitlets.observe("selected_row")
    def _what_if_new_case(self, change: dict) -> None:
        self._what_if_message = ""
        if self.what_if_changes:
            self.what_if_changes = {}  # redraws
        else:
            self.what_if_html = self.what_if_panel_html()

    @traitlets.observe("what_if_changes")
    def _what_if_changed(self, change: dict) -> None:
        self._what_if_message = ""
        self.what_if_html = self.what_if_panel_html()

    # -- drawing ---------------------------------------------------------------------------------
    def what_if_panel_html(self) -> str:
        """The editor (the column picker, the value, "Try it"), the changes tried, and the
        model's answer beside its answer to the case as it is.

        Returns
        -------
        str
            "" while no case is selected.
        """
        row = self.selected_row
        if row is None:
            return ""
        s = self.session
        parts = [
            '<div class="rai-single-page-what-if">',
            f"<h4>{escape(CONTROL_LABELS['what_if'])}</h4>",
            f'<p class="rai-muted">{escape(what_if_intro(formatting.row_label(row)))}</p>',
            self._editor_html(),
            self._what_if_message,
            self._changes_html(),
        ]
        if self.what_if_changes:

            def answer() -> str:
                result = self.what_if_result()
                if result is None or self._what_if_cache is None:
                    return ""
                notes = "".join(note_box(note) for note in self._what_if_cache[2])
                changes = dict(self.what_if_changes)
                return notes + what_if_answer_html(s, row, changes, result, self._conformal())

            parts.append(safe(answer))
        parts.append("</div>")
        return "".join(parts)

    def _editor_html(self) -> str:
        s = self.session
        columns = list(s.core.frame.columns)
        place = min(max(self.what_if_column, 0), len(columns) - 1)
        column = columns[place]
        position = int(s.core.positions_of([self.selected_row])[0])
        current = self.what_if_changes.get(column, s.core.frame[column].iloc[position])
        options = "".join(
            f'<option value="{i}"{" selected" if i == place else ""}>{escape(str(c))}</option>'
            for i, c in enumerate(columns)
        )
        listed = listed_values(s, column)
        words = CONTROL_LABELS
        button = (
            '<button type="button" class="rai-single-page-step" data-rai-what-if="try">'
            f"{escape(words['try'])}</button>"
        )
        if listed is None:
            text = "" if formatting.is_missing(current) else _number_text(current)
            value = (
                f'<input type="number" step="any" data-rai-what-if="number" value="{escape(text)}">'
            )
        elif len(listed) > MAX_LISTED_VALUES:
            value, button = note_box(too_many_values(str(column), len(listed))), ""
        else:
            value = (
                '<select data-rai-what-if="choice">'
                + "".join(
                    f'<option value="{i}"{" selected" if v == current else ""}>'
                    f"{escape(formatting.label(v))}</option>"
                    for i, v in enumerate(listed)
                )
                + "</select>"
            )
        return (
            '<div class="rai-single-page-what-if-editor">'
            f"<label>{escape(words['change'])} "
            f'<select data-rai-what-if="column">{options}</select></label>'
            f"<label>{escape(words['to'])} {value}</label>{button}</div>"
        )

    def _changes_html(self) -> str:
        s = self.session
        if not self.what_if_changes:
            return ""
        position = int(s.core.positions_of([self.selected_row])[0])
        items = []
        for i, (column, value) in enumerate(self.what_if_changes.items()):
            kind = column_kind(column, s.core.column(column))
            text = what_if_change(
                str(column),
                formatting.value(s.core.frame[column].iloc[position], kind),
                formatting.value(value, kind),
            )
            items.append(
                f'<li>{escape(text)} <button type="button" class="rai-single-page-step" '
                f'data-rai-what-if-remove="{i}">{escape(CONTROL_LABELS["remove"])}</button></li>'
            )
        undo = (
            '<button type="button" class="rai-single-page-step" data-rai-what-if-remove="-1">'
            f"{escape(CONTROL_LABELS['undo'])}</button>"
        )
        return f'<ul class="rai-what-if-changes">{"".join(items)}</ul>{undo}'


def _number_text(value: Any) -> str:
    """A number as the number box shows it (no separators: the box reads it back)."""
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)
