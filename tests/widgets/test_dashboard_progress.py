"""The Dashboard appears at once and fills in: status, wait, cancel, errors in background work,
selections made while computing; predictions through joblib, on a Dask cluster too."""

from __future__ import annotations

import threading

import ipywidgets as widgets
import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

import rai_widgets as rw
from tests.widgets.conftest import COLUMNS


def test_appears_at_once_then_fills_in(gated):
    model, s = gated()
    board = rw.Dashboard(s, progressive=True)
    assert board.status == "computing"
    assert not s.core.predictions_ready()
    assert "still computing" in board.static_html()
    assert "credit_amount" in board._tabs.children[0].value  # the data's first rows show
    # the kernel is free: other questions about the data are answered meanwhile
    assert s.core.slices("foreign_worker").sizes.sum() == s.core.n_rows_
    board.selected_slice = {"foreign_worker": "no"}  # chosen while computing
    model.gate.set()
    assert board.wait(timeout=60) == "ready"
    assert isinstance(board.examples, rw.ExampleBrowser)
    assert board.examples.slice == {"foreign_worker": "no"}  # applied once built
    assert "still computing" not in board.static_html()
    assert board.ready and board.error == ""


def test_cancel_stops_the_work_and_says_so(gated):
    model, s = gated()
    board = rw.Dashboard(s, progressive=True)
    board.cancel()
    assert board.status == "error"
    assert "Cancelled" in board.error
    model.gate.set()
    assert board.wait(timeout=60) == "error"
    with pytest.raises(rw.RaiWidgetsError, match="could not be built"):
        board.examples  # noqa: B018
    assert "rai-error" in board._tabs.children[1].value


def test_an_error_in_background_work_shows_in_the_panels(gated):
    model, s = gated(fail=True)
    board = rw.Dashboard(s, progressive=True)
    model.gate.set()
    assert board.wait(timeout=60) == "error"
    assert "predict_proba" in board.error and "server is down" in board.error
    assert all("rai-error" in pane.value for pane in board._tabs.children)
    # nothing was cached: a fixed model is asked again
    model.fail = False
    assert len(s.predictions()) == s.core.n_rows_


def test_closing_the_widget_cancels_its_work(gated):
    model, s = gated()
    board = rw.Dashboard(s, progressive=True)
    job = s.core.start_predictions()
    board.close()
    assert job.cancelled
    model.gate.set()
    assert job.wait(timeout=60)


def test_a_fast_model_draws_everything_at_once(german):
    X = german.data[COLUMNS]
    s = rw.ModelSession(LogisticRegression(max_iter=1_000).fit(X, german.target), X, german.target)
    board = rw.Dashboard(s)
    assert board.status == "ready" and board.ready
    assert board.wait(timeout=0) == "ready"


def test_bad_progressive_argument(german):
    X = german.data[COLUMNS]
    s = rw.ModelSession(LogisticRegression(max_iter=1_000).fit(X, german.target), X, german.target)
    with pytest.raises(rw.ValidationError, match="progressive"):
        rw.Dashboard(s, progressive="sometimes")


def test_predictions_on_a_dask_cluster_equal_one_process(adult, adult_model):
    distributed = pytest.importorskip("distributed")
    import joblib

    X, y = adult.data.iloc[:30_000], adult.target.iloc[:30_000]
    local = rw.ModelSession(adult_model, X, y).core.outputs()
    s = rw.ModelSession(adult_model, X, y, n_jobs=2)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster),
        joblib.parallel_config(backend="dask"),
    ):
        job = s.core.start_predictions(chunk_rows=7_000)
        assert job.wait(timeout=300) and job.error is None
    remote = s.core.outputs()
    np.testing.assert_array_equal(local.y_pred, remote.y_pred)
    np.testing.assert_allclose(local.proba, remote.proba, rtol=0, atol=0)


def test_two_local_workers_give_the_same_predictions(adult, adult_model):
    from threadpoolctl import threadpool_info

    X, y = adult.data.iloc[:20_000], adult.target.iloc[:20_000]
    one = rw.ModelSession(adult_model, X, y).core.outputs()
    pools = [(p["user_api"], p["num_threads"]) for p in threadpool_info()]
    two = rw.ModelSession(adult_model, X, y, n_jobs=2).core.start_predictions(chunk_rows=5_000)
    assert two.wait(timeout=300) and two.error is None
    # the workers' one-thread limit was theirs: the thread pools are as they were
    assert [(p["user_api"], p["num_threads"]) for p in threadpool_info()] == pools
    np.testing.assert_array_equal(one.y_pred, two.result.y_pred)
    np.testing.assert_array_equal(one.proba, two.result.proba)


class AsksAfterAnswers:
    """A classifier whose calls after the session has all its answers (explanations, the
    audit's checks) wait for ``later``; ``reached`` says one has begun."""

    def __init__(self, fitted):
        self.fitted, self.classes_ = fitted, fitted.classes_
        self.session = None
        self.reached, self.later = threading.Event(), threading.Event()
        self.calls_after = 0

    def predict(self, X):
        return self.fitted.predict(X[COLUMNS])

    def predict_proba(self, X):
        if self.session is not None and self.session.core.predictions_ready():
            self.reached.set()
            self.later.wait(60)
            self.calls_after += 1
        return self.fitted.predict_proba(X[COLUMNS])


def test_cancel_while_the_views_are_built_builds_nothing_more(german):
    X = german.data[[*COLUMNS, "foreign_worker"]]
    model = AsksAfterAnswers(LogisticRegression(max_iter=1_000).fit(X[COLUMNS], german.target))
    s = rw.ModelSession(model, X, german.target, sensitive_features=["foreign_worker"])
    model.session = s
    board = rw.Dashboard(s, progressive=True)
    assert model.reached.wait(60)  # the answers are in; a view is asking the model more
    board.cancel()
    assert board.status == "error" and "Cancelled" in board.error
    model.later.set()
    assert board.wait(timeout=120) == "error"  # and the step under way has returned
    calls = model.calls_after
    built = [c for c in board._tabs.children if not isinstance(c, widgets.HTML)]
    assert len(built) <= 1, "views were built after cancel()"
    assert all("Cancelled" in pane.value for pane in board._tabs.children if pane not in built)
    board.close()  # closing a cancelled dashboard asks nothing more either
    assert model.calls_after == calls


def test_answers_already_in_still_build_in_the_background(german):
    # the predictions are cached before the Dashboard asks: its constructor must still return
    # at once and leave the views' further model calls to a background thread
    X = german.data[[*COLUMNS, "foreign_worker"]]
    model = AsksAfterAnswers(LogisticRegression(max_iter=1_000).fit(X[COLUMNS], german.target))
    s = rw.ModelSession(model, X, german.target, sensitive_features=["foreign_worker"])
    s.core.outputs()
    model.session = s
    board = rw.Dashboard(s, progressive=True)
    assert model.reached.wait(60)
    assert board.status == "computing"  # the constructor returned while the model was asked
    model.later.set()
    assert board.wait(timeout=120) == "ready"


def test_the_first_tab_is_ready_before_the_others(gated, monkeypatch):
    from rai_widgets.views.dashboard import VIEWS

    held = threading.Event()
    fill_in = rw.ExampleBrowser.fill_in

    def held_fill_in(self):
        assert held.wait(timeout=60)
        fill_in(self)

    monkeypatch.setattr(rw.ExampleBrowser, "fill_in", held_fill_in)
    model, s = gated()
    board = rw.Dashboard(s, progressive=True)
    seen = []
    board.observe(lambda change: seen.append(change["new"]), names="tabs_ready")
    assert board.wait(timeout=0, tab="audit") == "computing"
    model.gate.set()
    assert board.wait(timeout=60, tab=0) == "ready"
    assert board.tabs_ready == ("audit",)
    first = board.children[-1].children[0]  # what the first tab shows now
    assert isinstance(first, rw.AuditView) and first.complete and len(first.frame) > 0
    assert board.wait(timeout=0) == "computing"  # the example browser is held
    assert board.wait(timeout=0, tab="Examples") == "computing"
    held.set()
    assert board.wait(timeout=60) == "ready"
    assert board.tabs_ready == tuple(VIEWS)  # the visible tab first, then in order
    assert seen[0] == ("audit",) and seen[-1] == tuple(VIEWS)
    assert board.wait(timeout=0, tab="uncertainty") == "ready"


def test_waiting_on_a_tab_of_a_failed_board_says_error(gated):
    model, s = gated(fail=True)
    board = rw.Dashboard(s, progressive=True)
    model.gate.set()
    assert board.wait(timeout=60, tab="fairness") == "error"
    with pytest.raises(rw.ValidationError, match="tab must be"):
        board.wait(tab="nonsense")
