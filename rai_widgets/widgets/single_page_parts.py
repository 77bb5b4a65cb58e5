"""The parts of the single page's state beside its tabs, pages and slices, as one mixin: the
example rows' query, the fairness tab's and the uncertainty tab's controls, the case's what-if
and the cases pinned; and what a change of a tab's state changes in the rest of the page.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> large = X["mean radius"].gt(15).rename("large")
>>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, random_state=0,
...                     sensitive_features=large)
>>> view = rw.SinglePageDashboard(s)
>>> isinstance(view, PageControls), view.tab_of_state("confidence_level")
(True, 'uncertainty')
"""

from __future__ import annotations

from rai_widgets.widgets.single_page_fairness import FAIRNESS_STATE, FairnessControls
from rai_widgets.widgets.single_page_pins import PinControls
from rai_widgets.widgets.single_page_query import QueryControls
from rai_widgets.widgets.single_page_uncertainty import UNCERTAINTY_STATE
from rai_widgets.widgets.single_page_what_if import WhatIfControls

__all__ = ["TAB_STATE", "PageControls"]

#: The state of the fairness and uncertainty tabs (a change of any redraws its tab).
TAB_STATE = (*FAIRNESS_STATE, *UNCERTAINTY_STATE)


class PageControls(QueryControls, FairnessControls, WhatIfControls, PinControls):
    """The query, the fairness and uncertainty tabs' controls (the uncertainty tab's through
    the what-if, whose answers are read at its promised coverage), the what-if and the pins.

    Attributes
    ----------
    regroups_by_slice : bool
        Whether a slice picked regroups the fairness and uncertainty tabs here (True); the
        live view of a Dashboard leaves it to the board, whose views it is linked to and
        which regroup them in their own order.
    """

    regroups_by_slice = True

    def tab_of_state(self, name: str) -> str:
        """The tab drawn from ``name`` (one of :data:`TAB_STATE`)."""
        return "fairness" if name in FAIRNESS_STATE else "uncertainty"

    def tab_state_changed(self, name: str) -> str:
        """Change what a change of ``name`` (one of :data:`TAB_STATE`) changes beside its
        tab: a new grouping of the fairness tab starts its thresholds at 0.5, a new promised
        coverage reads the what-if's answers at it.

        Returns
        -------
        str
            The tab to draw again.
        """
        if name in FAIRNESS_STATE:
            self.fairness_state_changed(name)
        elif name == "confidence_level" and self.what_if_changes:
            self.what_if_html = self.what_if_panel_html()
        return self.tab_of_state(name)

    def follow_slice_groupings(self, slice_: dict | None) -> None:
        """Regroup the fairness and the uncertainty tabs by a slice's column, as the
        Dashboard's views do (:meth:`fairness_follow`, :meth:`uncertainty_follow`), unless
        the board does it (``regroups_by_slice``)."""
        if not self.regroups_by_slice:
            return
        self.fairness_follow(slice_)
        self.uncertainty_follow(slice_)
