"""Every view appears at once on a slow model and fills in: status, wait, cancel, close, an
error in background work, and a change made while computing, drawn as a view built after the
predictions would draw it."""

from __future__ import annotations

import pytest
from sklearn.linear_model import LogisticRegression

import rai_widgets as rw
from tests.widgets.conftest import COLUMNS


def _other_session(session):
    """A second, fast model on the same rows (the comparison view's other side)."""
    X, y = session.X, session.y
    model = LogisticRegression(C=0.05, max_iter=1_000).fit(X[COLUMNS], y)
    return rw.ModelSession(
        _ColumnsOnly(model), X, y, sensitive_features=["foreign_worker"], random_state=0
    )


class _ColumnsOnly:
    def __init__(self, fitted):
        self.fitted, self.classes_ = fitted, fitted.classes_

    def predict(self, X):
        return self.fitted.predict(X[COLUMNS])

    def predict_proba(self, X):
        return self.fitted.predict_proba(X[COLUMNS])


def _texts(widget) -> list[str]:
    """The HTML of every pane shown in ``widget`` (progress row included)."""
    if getattr(widget.layout, "display", None) == "none":
        return []
    texts = [widget.value] if isinstance(getattr(widget, "value", None), str) else []
    for child in getattr(widget, "children", ()):
        texts += _texts(child)
    return texts


# each view: how to build it, a change of state a user makes while it computes, and the
# panes that show the view's numbers
VIEWS = {
    "examples": (
        lambda s, **kw: rw.ExampleBrowser(s, page_size=10, **kw),
        {"sort_by": "credit_amount", "page": 3, "selected_row": 17},
        lambda v: v.table.rows,
    ),
    "explanation": (
        lambda s, **kw: rw.ExplanationView(s, max_rows=60, **kw),
        {"row": 11},
        lambda v: (v.reading, v.case_html),
    ),
    "fairness": (
        lambda s, **kw: rw.FairnessView(s, **kw),
        {"metric": "selection_rate"},
        lambda v: (v.table_html, v.chart_html, v.blind_spots_html),
    ),
    "uncertainty": (
        lambda s, **kw: rw.UncertaintyView(s, **kw),
        {"row": 5},
        lambda v: (v.reading, v.coverage_html, v.reliability_html),
    ),
    "audit": (
        lambda s, **kw: rw.AuditView(s, **kw),
        {"presenter": True},
        lambda v: (v.header_html, v.frame.to_json()),
    ),
    "comparison": (
        lambda s, **kw: rw.ComparisonView(s, _other_session(s), **kw),
        {"metric": "selection_rate"},
        lambda v: (v.summary, v.groups_html, v.disagreements_html),
    ),
}


@pytest.fixture(params=list(VIEWS))
def kind(request):
    return request.param


def test_appears_at_once_and_fills_in_with_what_was_chosen_meanwhile(gated, kind):
    make, changes, shown = VIEWS[kind]
    model, s = gated()
    view = make(s, progressive=True)
    assert view.status == "computing" and not s.core.predictions_ready()
    assert "still computing" in view.static_html()
    assert "rows were predicted" in view.static_html()
    assert view.wait(timeout=0) == "computing"
    for name, value in changes.items():  # the kernel is free: a user changes the view
        setattr(view, name, value)
    model.gate.set()
    assert view.wait(timeout=120) == "ready"
    assert view.error == ""
    assert "still computing" not in view.static_html()
    # the same view built after the predictions, with the same state, shows the same
    model2, s2 = gated()
    model2.gate.set()
    after = make(s2, progressive=False)
    for name, value in changes.items():
        setattr(after, name, value)
    assert after.status == "ready"
    assert shown(view) == shown(after)
    assert view.static_html() == after.static_html()


def test_cancel_stops_the_work_and_says_so(gated, kind):
    make, _, _ = VIEWS[kind]
    model, s = gated()
    view = make(s, progressive=True)
    job = s.core.start_predictions()
    view.cancel()
    assert view.status == "error" and "Cancelled" in view.error
    assert job.cancelled
    model.gate.set()
    assert view.wait(timeout=60) == "error"
    assert "Cancelled" in view.static_html()
    assert any("Cancelled" in text for text in _texts(view))  # in the view, not only the picture


def test_an_error_in_background_work_shows_in_the_view(gated, kind):
    make, _, _ = VIEWS[kind]
    model, s = gated(fail=True)
    view = make(s, progressive=True)
    model.gate.set()
    assert view.wait(timeout=60) == "error"
    assert "predict_proba" in view.error and "server is down" in view.error
    assert "server is down" in view.static_html()
    assert sum("server is down" in text for text in _texts(view)) == 1  # said once


def test_closing_the_view_stops_its_work(gated, kind):
    make, _, _ = VIEWS[kind]
    model, s = gated()
    view = make(s, progressive=True)
    job = s.core.start_predictions()
    view.close()
    assert job.cancelled and view.status == "error"
    model.gate.set()
    assert job.wait(timeout=60)


def test_a_fast_model_draws_at_once(gated, kind):
    make, _, _ = VIEWS[kind]
    model, s = gated()
    model.gate.set()
    view = make(s)  # "auto": the probe says predicting is quick
    assert view.status == "ready" and view.wait(timeout=0) == "ready"
    assert len(view.children) == len(make(s, progressive=False).children)  # no progress row


def test_progress_shows_rows_and_the_data_shows_first(gated):
    model, s = gated()
    browser = rw.ExampleBrowser(s, progressive=True)
    row = browser.children[1]
    assert isinstance(row, rw.widgets.progressive.ProgressRow)
    assert "0 of 1,000 rows" in row.text.value
    assert "credit_amount" in browser._status.value  # the first rows of the data itself
    model.gate.set()
    assert browser.wait(timeout=60) == "ready"
    assert row.layout.display == "none"
    assert browser.n_rows == 1_000


@pytest.mark.parametrize("bad", ["sometimes", 1, None])
def test_bad_progressive_argument(gated, kind, bad):
    make, _, _ = VIEWS[kind]
    _, s = gated()
    with pytest.raises(rw.ValidationError, match="progressive"):
        make(s, progressive=bad)


def test_a_change_made_while_the_panes_fill_in_is_drawn(gated):
    """A row picked (from the kernel's thread) while the background is drawing the panes:
    the view draws again once it is done, so it shows the row picked, not the first one."""
    import threading

    model, s = gated()
    real_conformal = s.conformal
    picked = []

    def conformal(*args, **kwargs):
        if not picked:  # first call: the case pane is being drawn for row 0
            picked.append(True)
            user = threading.Thread(target=lambda: setattr(view, "row", 5))
            user.start()
            user.join()
        return real_conformal(*args, **kwargs)

    s.conformal = conformal
    view = rw.UncertaintyView(s, progressive=True)
    model.gate.set()
    assert view.wait(timeout=120) == "ready"
    assert picked and view.row == 5
    model2, s2 = gated()
    model2.gate.set()
    assert view.reading == rw.UncertaintyView(s2, row=5).reading
    assert view.reading != rw.UncertaintyView(s2, row=0).reading


def test_later_shows_the_controls_and_draws_on_fill_in(gated, kind):
    """What the Dashboard does: the view on screen first, its panes drawn when it says."""
    make, _, shown = VIEWS[kind]
    model, s = gated()
    model.gate.set()
    view = make(s, progressive="later")
    if kind == "audit":  # "later" is run=False: the audit's own fill_in runs the checks
        assert not view.complete
    else:
        assert view.status == "computing"
        shown_now = "".join(_texts(view))
        assert "Waiting" in shown_now or "rai-data-preview" in shown_now
    view.fill_in()
    assert view.wait(timeout=0) == "ready"
    assert shown(view) == shown(make(s, progressive=False))
    view.fill_in()  # once only
