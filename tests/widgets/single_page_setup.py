"""What the marimo single page's tests share: a model and session on German credit, and a
click on a row as the front end sends it."""

from __future__ import annotations

from collections.abc import Sequence

from sklearn.linear_model import LogisticRegression

import rai_widgets as rw
from rai_widgets.widgets.single_page import SinglePageDashboard
from tests.conftest import raw_column_pipeline

SENSITIVE = "personal_status_and_sex"


def credit_model_and_session(german, sensitive: Sequence[str] = (SENSITIVE,)):
    """A logistic regression on German credit's raw columns and its seeded session."""
    model = raw_column_pipeline(LogisticRegression(max_iter=1000)).fit(german.data, german.target)
    session = rw.ModelSession(
        model, german.data, german.target, sensitive_features=list(sensitive), random_state=0
    )
    return model, session


def click(view: SinglePageDashboard, place: int) -> None:
    """What the front end sends for a click on the example row at ``place`` of the page."""
    view.row_position, view.row_clicks = place, view.row_clicks + 1
