"""The dashboard as static HTML: the plain-language summary, what every view follows, and the
audit ("What to look at first") then the four views (examples, explanation, fairness,
uncertainty) one under the other.

Drawn from the dashboard's view model (:class:`~rai_widgets.views.dashboard.DashboardModel`):
which grouping, slice and case each view follows, and what the summary says, are decided
there (:func:`section_html` draws one view as the model says; the live widget and the marimo
single page use the same functions).

Examples
--------
>>> import rai_widgets as rw
>>> from rai_widgets.static_html import dashboard
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, random_state=0,
...                     sensitive_features=X["mean radius"].gt(15).rename("large"))
>>> text = dashboard.summary_text(s, by="large")
>>> text.startswith("The model is right for") and "bounds" not in text
True
>>> dashboard.slice_text({"sex": "Female", "race": float("nan")})
'sex = Female & race = missing'
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING

from rai_widgets import formatting
from rai_widgets.core.errors import ValidationError
from rai_widgets.readings.glossary import annotate
from rai_widgets.static_html import audit, examples, explanation, fairness, uncertainty
from rai_widgets.static_html.page import escape, style_tag
from rai_widgets.views.dashboard import TABS, VIEWS, DashboardModel, dashboard_model
from rai_widgets.views.summary import summary_sentences

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = [
    "TABS",
    "VIEWS",
    "following_html",
    "model_html",
    "page_html",
    "section_html",
    "slice_text",
    "summary_html",
    "summary_text",
    "view_html",
]


def slice_text(slice_: dict | None) -> str:
    """A slice as text: "sex = Female & race = Black", or "all rows"."""
    if not slice_:
        return "all rows"
    return " & ".join(f"{column} = {formatting.label(v)}" for column, v in slice_.items())


def summary_text(session: ModelSession, *, by: Hashable | None = None) -> str:
    """One line of how often the model is right (or how far off it is) beside the trivial
    answer, and the group it does measurably worse for, or that none stands out (see
    :func:`rai_widgets.views.summary.summary_sentences`): the numbers with their bounds and
    tests are in the audit below it.

    A group is named only when a test supports it (each group against the rest, with
    Benjamini-Hochberg control over the groups compared), with how much of its gap its mix of
    outcomes accounts for; when no group stands out against the rest but the audit finds a gap
    between two groups, the sentence says both. The Dashboard's own summary is its view
    model's (:func:`rai_widgets.views.dashboard.dashboard_summary`, which groups by the
    fairness view's first grouping when no sensitive feature is named).

    Parameters
    ----------
    session : ModelSession
        The model and data.
    by : column name, optional
        The groups compared when the session names no sensitive feature (groups or rests
        under 30 rows are not tested).

    Returns
    -------
    str
    """
    return " ".join(summary_sentences(session, by=by))


def summary_html(text: str) -> str:
    """The summary (:func:`summary_text`) in its box."""
    return f'<div class="rai-dashboard-summary">{annotate(escape(text))}</div>'


def following_html(slice_: dict | None, n_rows: int, row: Hashable | None = None) -> str:
    """The line saying what every view follows: a slice (with its rows) and a case (its label
    as :func:`~rai_widgets.formatting.row_label` writes it everywhere)."""
    return (
        f"Every view follows: <b>{escape(slice_text(slice_))}</b> ({formatting.count(n_rows)} rows)"
        + ("" if row is None else f" · case <b>{escape(formatting.row_label(row))}</b>")
    )


def page_html(
    summary: str, following: str, sections: Sequence[str], *, presenter: bool = False
) -> str:
    """The dashboard page around its parts.

    Parameters
    ----------
    summary, following : str
        HTML of :func:`summary_html` and :func:`following_html`.
    sections : sequence of str
        Each view's static HTML, in the order of :data:`TABS`.
    presenter : bool, default False
        Presenter mode: larger type, technical columns hidden.

    Returns
    -------
    str
        Without the stylesheet (the page around it carries it once).
    """
    # the audit's own heading ("What to look at first") heads its section: no second one
    body = "".join(
        section if view == "audit" else f"<h3>{escape(title)}</h3>{section}"
        for view, title, section in zip(VIEWS, TABS, sections, strict=True)
    )
    css = "rai-dashboard rai-dashboard-static" + (" rai-presenter" if presenter else "")
    return (
        f'<div class="{css}">{summary}'
        f'<div class="rai-dashboard-following">{following}</div>{body}</div>'
    )


def model_html(model: DashboardModel, sections: Sequence[str]) -> str:
    """The dashboard page of a view model around its views' HTML: the summary, the line
    saying what every view follows, and the sections.

    Parameters
    ----------
    model : DashboardModel
        The dashboard's state (:func:`rai_widgets.views.dashboard.dashboard_model`).
    sections : sequence of str
        Each view's static HTML, in the order of ``model.views``.

    Returns
    -------
    str
        Without the stylesheet (the page around it carries it once).
    """
    return page_html(
        summary_html(model.summary_text),
        following_html(model.slice, model.n_rows, model.row),
        sections,
        presenter=model.presenter,
    )


def section_html(session: ModelSession, model: DashboardModel, view: str) -> str:
    """One view's static HTML in the state of ``model``: the grouping, slice and case it
    follows are the model's.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    model : DashboardModel
        The dashboard's state.
    view : str
        One of :data:`VIEWS`.

    Returns
    -------
    str

    Raises
    ------
    ValidationError
        ``view`` is not one of :data:`VIEWS`.
    """
    m = model
    if view == "audit":
        return audit.view_html(session, presenter=m.presenter)
    if view == "examples":
        return examples.view_html(session, slice=m.slice, selected_row=m.row, presenter=m.presenter)
    if view == "explanation":
        return explanation.view_html(session, row=m.row, slice_by=m.explanation_slice_by)
    if view == "fairness":
        return fairness.view_html(session, by=m.fairness_by)
    if view == "uncertainty":
        return uncertainty.view_html(
            session, row=m.row, by=m.uncertainty_by, confidence_level=m.confidence_level
        )
    raise ValidationError(f"view must be one of {', '.join(VIEWS)}; got {view!r}.")


def view_html(
    session: ModelSession,
    *,
    selected_row: Hashable | None = None,
    selected_slice: dict | None = None,
    presenter: bool = False,
    confidence_level: float = 0.9,
) -> str:
    """The dashboard as static HTML.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    selected_row : label of X's index, optional
        The case every view shows (default: none; the views read their first row).
    selected_slice : dict, optional
        ``{column: value}`` of the rows every view follows (default: all rows).
    presenter : bool, default False
        Presenter mode.
    confidence_level : float, default 0.9
        The coverage promised by the uncertainty view.

    Returns
    -------
    str
        What ``Dashboard(session).static_html()`` shows in the same state.

    Examples
    --------
    >>> import rai_widgets as rw
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.linear_model import LogisticRegression
    >>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    >>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, random_state=0,
    ...                     sensitive_features=X["mean radius"].gt(15).rename("large"))
    >>> page = view_html(s, selected_slice={"large": True}, presenter=True)
    >>> "large = True" in page and "rai-presenter" in page and page.count("<h3>") == 4
    True
    >>> page.count("What to look at first")
    1
    """
    model = dashboard_model(
        session,
        selected_slice=selected_slice,
        selected_row=selected_row,
        presenter=presenter,
        confidence_level=confidence_level,
    )
    sections = [section_html(session, model, view) for view in model.views]
    return style_tag() + model_html(model, sections)
