"""A battery of hostile inputs across every public entry point and widget constructor.

Each case is named for what it tries. It must give a correct result (checked where a direct
computation exists) or a ``RaiWidgetsError`` whose message names the culprit; never another
exception type, never a silently wrong number.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression, LogisticRegression

import rai_widgets as rw

COLUMNS = ["duration_in_month", "credit_amount", "age_in_years"]


@dataclass
class World:
    X: pd.DataFrame
    y: pd.Series
    model: Any
    s: Any
    reg: Any
    tmp: Any


@pytest.fixture(scope="module")
def world(german, wage, tmp_path_factory):
    X = german.data[COLUMNS].copy()
    X["foreign_worker"] = german.data["foreign_worker"]
    model = LogisticRegression(max_iter=1_000).fit(X[COLUMNS], german.target)

    class OnColumns:  # a duck model that ignores the extra column
        classes_ = model.classes_

        def predict(self, Z):
            return model.predict(pd.DataFrame(Z)[COLUMNS])

        def predict_proba(self, Z):
            return model.predict_proba(pd.DataFrame(Z)[COLUMNS])

    s = rw.ModelSession(
        OnColumns(), X, german.target, sensitive_features=["foreign_worker"], random_state=0
    )
    Xw = wage.data[["year", "age"]]
    reg = rw.ModelSession(LinearRegression().fit(Xw, wage.target), Xw, wage.target)
    return World(X, german.target, OnColumns(), s, reg, tmp_path_factory.mktemp("hostile"))


class BadProba:
    """A classifier whose probabilities are broken in a chosen way."""

    def __init__(self, fitted, how):
        self.fitted, self.how = fitted, how
        self.classes_ = fitted.classes_

    def predict(self, X):
        return self.fitted.predict(X)

    def predict_proba(self, X):
        p = self.fitted.predict_proba(X).copy()
        if self.how == "nan":
            p[3, 0] = np.nan
        elif self.how == "sum":
            p[5] = [0.9, 0.8]
        elif self.how == "range":
            p[7] = [1.5, -0.5]
        elif self.how == "shape":
            p = p[:, :1]
        elif self.how == "rows":
            p = p[:-1]
        return p


class BadPredict:
    def __init__(self, fitted, how):
        self.fitted, self.how = fitted, how
        if how != "regression":
            self.classes_ = fitted.classes_

    def predict(self, X):
        out = self.fitted.predict(X)
        if self.how == "label":
            out = out.astype(object)
            out[2] = "maybe"
        elif self.how == "length":
            out = out[:-2]
        elif self.how == "regression":
            out = out.astype(float)
            out[4] = np.inf
        return out


def _fitted(world):
    return LogisticRegression(max_iter=1_000).fit(world.X[COLUMNS], world.y)


def _with(world, column, values):
    X = world.X[COLUMNS].copy()
    X[column] = values
    return X


ERROR = "error"
CASES: list[tuple[str, Callable[[World], Any], str, str | None]] = [
    # -- construction --------------------------------------------------------------------
    (
        "init: X is a Series",
        lambda w: rw.ModelSession(w.model, w.X["age_in_years"], w.y),
        ERROR,
        "Series",
    ),
    (
        "init: X has no rows",
        lambda w: rw.ModelSession(w.model, w.X.iloc[:0], w.y.iloc[:0]),
        ERROR,
        "no rows",
    ),
    (
        "init: X 1-D array",
        lambda w: rw.ModelSession(w.model, np.zeros(5), np.zeros(5)),
        ERROR,
        "2-D",
    ),
    ("init: y shorter than X", lambda w: rw.ModelSession(w.model, w.X, w.y.iloc[:-1]), ERROR, "y"),
    (
        "init: NaN in y",
        lambda w: rw.ModelSession(w.model, w.X, w.y.where(w.y.index != 3)),
        ERROR,
        "y has 1 missing",
    ),
    (
        "init: unseen label in y",
        lambda w: rw.ModelSession(w.model, w.X, w.y.replace({"good": "great"})),
        ERROR,
        "great",
    ),
    (
        "init: model without predict",
        lambda w: rw.ModelSession(object(), w.X, w.y),
        ERROR,
        "predict",
    ),
    (
        "init: unknown sensitive feature",
        lambda w: rw.ModelSession(w.model, w.X, w.y, sensitive_features=["sexx"]),
        ERROR,
        "sexx",
    ),
    ("init: bad task", lambda w: rw.ModelSession(w.model, w.X, w.y, task="ranking"), ERROR, "task"),
    (
        "init: pos_label not a class",
        lambda w: rw.ModelSession(w.model, w.X, w.y, pos_label="excellent"),
        ERROR,
        "excellent",
    ),
    (
        "init: random_state text",
        lambda w: rw.ModelSession(w.model, w.X, w.y, random_state="seed"),
        ERROR,
        "random_state",
    ),
    (
        "init: negative cache bound",
        lambda w: rw.ModelSession(w.model, w.X, w.y, cache_max_bytes=-1),
        ERROR,
        "cache_max_bytes",
    ),
    (
        "init: +inf in a feature",
        lambda w: rw.ModelSession(
            _fitted(w),
            _with(w, "credit_amount", np.r_[np.inf, w.X["credit_amount"].to_numpy()[1:]]),
            w.y,
        ),
        ERROR,
        "credit_amount",
    ),
    (
        "init: -inf in a feature",
        lambda w: rw.ModelSession(
            _fitted(w),
            _with(w, "age_in_years", np.r_[w.X["age_in_years"].to_numpy()[:-1], -np.inf]),
            w.y,
        ),
        ERROR,
        "age_in_years",
    ),
    (
        "init: inf in a regression target",
        lambda w: rw.ModelSession(w.reg.model, w.reg.X, w.reg.y.where(w.reg.y.index != 0, np.inf)),
        ERROR,
        "y column",
    ),
    (
        "init: inf in a sensitive feature given as values",
        lambda w: rw.ModelSession(
            w.model,
            w.X,
            w.y,
            sensitive_features=pd.Series(
                np.r_[np.inf, np.zeros(len(w.X) - 1)], index=w.X.index, name="score"
            ),
        ),
        ERROR,
        "sensitive_features column 'score'",
    ),
    (
        "init: duplicated column names",
        lambda w: rw.ModelSession(w.model, pd.concat([w.X, w.X["age_in_years"]], axis=1), w.y),
        ERROR,
        "duplicated",
    ),
    (
        "init: identifier column unknown",
        lambda w: rw.ModelSession(w.model, w.X, w.y, identifier_columns=["id"]),
        ERROR,
        "'id'",
    ),
    (
        "init: identifier is also sensitive",
        lambda w: rw.ModelSession(
            w.model,
            w.X,
            w.y,
            identifier_columns="foreign_worker",
            sensitive_features=["foreign_worker"],
        ),
        ERROR,
        "foreign_worker",
    ),
    # -- model outputs ---------------------------------------------------------------------
    (
        "outputs: NaN probability",
        lambda w: rw.ModelSession(BadProba(_fitted(w), "nan"), w.X[COLUMNS], w.y).predictions(),
        ERROR,
        "predict_proba.*row 3",
    ),
    (
        "outputs: probabilities not summing to 1",
        lambda w: rw.ModelSession(BadProba(_fitted(w), "sum"), w.X[COLUMNS], w.y).slice_metrics(),
        ERROR,
        "sum to 1.*row 5",
    ),
    (
        "outputs: probability outside [0, 1]",
        lambda w: rw.ModelSession(BadProba(_fitted(w), "range"), w.X[COLUMNS], w.y).predictions(),
        ERROR,
        r"outside \[0, 1\].*row 7",
    ),
    (
        "outputs: proba of the wrong shape",
        lambda w: rw.ModelSession(BadProba(_fitted(w), "shape"), w.X[COLUMNS], w.y).predictions(),
        ERROR,
        "shape",
    ),
    (
        "outputs: proba missing rows",
        lambda w: rw.ModelSession(BadProba(_fitted(w), "rows"), w.X[COLUMNS], w.y).predictions(),
        ERROR,
        "shape",
    ),
    (
        "outputs: a label the model does not have",
        lambda w: rw.ModelSession(
            BadPredict(_fitted(w), "label"), w.X[COLUMNS], w.y, task="binary"
        ).predictions(),
        ERROR,
        "'maybe'.*row 2",
    ),
    (
        "outputs: predictions of the wrong length",
        lambda w: rw.ModelSession(
            BadPredict(_fitted(w), "length"), w.X[COLUMNS], w.y, task="binary"
        ).predictions(),
        ERROR,
        "shape",
    ),
    (
        "outputs: infinite regression prediction",
        lambda w: rw.ModelSession(
            BadPredict(w.reg.model, "regression"), w.reg.X, w.reg.y, task="regression"
        ).predictions(),
        ERROR,
        "non-finite.*row 4",
    ),
    # -- slice metrics and disparities ------------------------------------------------------
    ("slice_metrics: unknown column", lambda w: w.s.slice_metrics(by="sexx"), ERROR, "sexx"),
    ("slice_metrics: unknown metric", lambda w: w.s.slice_metrics(metrics=["f1"]), ERROR, "f1"),
    ("slice_metrics: ci above 1", lambda w: w.s.slice_metrics(ci=1.5), ERROR, "ci"),
    ("slice_metrics: ci as text", lambda w: w.s.slice_metrics(ci="95%"), ERROR, "ci"),
    ("slice_metrics: ci as True", lambda w: w.s.slice_metrics(ci=True), ERROR, "ci"),
    (
        "slice_metrics: negative min_support",
        lambda w: w.s.slice_metrics(min_support=-3),
        ERROR,
        "min_support",
    ),
    ("slice_metrics: n_boot 0", lambda w: w.s.slice_metrics(n_boot=0), ERROR, "n_boot"),
    ("slice_metrics: max_groups 0", lambda w: w.s.slice_metrics(max_groups=0), ERROR, "max_groups"),
    (
        "slice_metrics: too many groups",
        lambda w: w.s.slice_metrics(
            by=pd.Series(np.arange(len(w.X)), index=w.X.index).astype(str), max_groups=10
        ),
        ERROR,
        "max_groups",
    ),
    (
        "slice_metrics: mask of the wrong length",
        lambda w: w.s.slice_metrics(by=np.ones(5, dtype=bool)),
        ERROR,
        "length|rows",
    ),
    ("slice_metrics: numeric bins", lambda w: w.s.slice_metrics(by="age_in_years"), "ok", None),
    (
        "disparities: metric list",
        lambda w: w.s.disparities("foreign_worker", metric=["accuracy"]),
        ERROR,
        "metric",
    ),
    (
        "disparities: unknown reference",
        lambda w: w.s.disparities("foreign_worker", metric="accuracy", reference="maybe"),
        ERROR,
        "maybe",
    ),
    # -- rows -------------------------------------------------------------------------------
    ("explain: unknown row", lambda w: w.s.explain([10**9]), ERROR, "1000000000"),
    ("explain: a position-like string", lambda w: w.s.explain(["0"]), ERROR, "'0'"),
    ("explain: empty row list", lambda w: w.s.explain([]), ERROR, "rows is empty"),
    ("explain: bad method", lambda w: w.s.explain([0], method="anchors"), ERROR, "method"),
    ("explain: bad output", lambda w: w.s.explain([0], output="logit"), ERROR, "output"),
    ("explain: n_samples 1", lambda w: w.s.explain([0], n_samples=1), ERROR, "n_samples"),
    (
        "explain: background 0",
        lambda w: w.s.explain([0], background_size=0),
        ERROR,
        "background_size",
    ),
    ("explain_text: unknown row", lambda w: w.s.explain_text("nobody"), ERROR, "nobody"),
    ("explain_text: top 0", lambda w: w.s.explain_text(0, top=0), ERROR, "top"),
    (
        "feature_importance: max_rows 0",
        lambda w: w.s.feature_importance(max_rows=0),
        ERROR,
        "max_rows",
    ),
    (
        "feature_importance: ci 2",
        lambda w: w.s.feature_importance(ci=2.0, max_rows=20),
        ERROR,
        "ci",
    ),
    ("effects: unknown feature", lambda w: w.s.effects("height"), ERROR, "height"),
    (
        "effects shap: unknown feature",
        lambda w: w.s.effects("height", kind="shap"),
        ERROR,
        "height",
    ),
    (
        "effects shap: a column of X",
        lambda w: w.s.effects("foreign_worker", kind="shap"),
        "ok",
        None,
    ),
    ("effects: n_ice -1", lambda w: w.s.effects("age_in_years", n_ice=-1), ERROR, "n_ice"),
    ("effects: kind unknown", lambda w: w.s.effects("age_in_years", kind="pdp"), ERROR, "kind"),
    (
        "effects: grid_resolution 1",
        lambda w: w.s.effects("age_in_years", grid_resolution=1),
        ERROR,
        "grid_resolution",
    ),
    (
        "effects: ale of a text feature",
        lambda w: w.s.effects("foreign_worker", kind="ale"),
        ERROR,
        "ALE",
    ),
    ("effects: unknown class", lambda w: w.s.effects("age_in_years", cls="nope"), ERROR, "cls"),
    # -- examples ----------------------------------------------------------------------------
    ("examples: unknown kind", lambda w: w.s.examples("weird"), ERROR, "kind"),
    ("examples: n 0", lambda w: w.s.examples("typical", n=0), ERROR, "n"),
    ("examples: target 2", lambda w: w.s.examples("confidence_near", target=2.0), ERROR, "target"),
    ("examples: threshold 7", lambda w: w.s.examples("ambiguous", threshold=7), ERROR, "threshold"),
    (
        "examples: slice of unknown column",
        lambda w: w.s.examples("typical", slice={"sexx": "F"}),
        ERROR,
        "sexx",
    ),
    (
        "examples: slice of a value nobody has",
        lambda w: w.s.examples("typical", slice={"foreign_worker": "maybe"}),
        "ok",
        "empty",
    ),
    (
        "examples: regression kind on a classifier",
        lambda w: w.s.examples("large_errors"),
        ERROR,
        "large_errors",
    ),
    ("similar: n 0", lambda w: w.s.similar(0, n=0), ERROR, "n"),
    ("similar: unknown row", lambda w: w.s.similar(-5), ERROR, "-5"),
    (
        "similar(prediction='other'): regression",
        lambda w: w.reg.similar(0, prediction="other"),
        ERROR,
        "classifier",
    ),
    ("what_if: empty change", lambda w: w.s.what_if(0, {}), ERROR, "changes"),
    ("what_if: unknown column", lambda w: w.s.what_if(0, {"height": 2}), ERROR, "height"),
    (
        "what_if: text into a number",
        lambda w: w.s.what_if(0, {"age_in_years": "old"}),
        ERROR,
        "age_in_years",
    ),
    (
        "what_if: unseen category",
        lambda w: w.s.what_if(0, {"foreign_worker": "maybe"}),
        ERROR,
        "maybe",
    ),
    # -- fairness and uncertainty -----------------------------------------------------------
    ("weak_slices: alpha 0", lambda w: w.s.weak_slices(alpha=0), ERROR, "alpha"),
    ("weak_slices: max_order 3", lambda w: w.s.weak_slices(max_order=3), ERROR, "max_order"),
    ("weak_slices: unknown feature", lambda w: w.s.weak_slices(features=["sexx"]), ERROR, "sexx"),
    (
        "threshold_tradeoffs: threshold 1.5",
        lambda w: w.s.threshold_tradeoffs("foreign_worker", thresholds=1.5),
        ERROR,
        "threshold",
    ),
    (
        "threshold_tradeoffs: unknown group",
        lambda w: w.s.threshold_tradeoffs("foreign_worker", thresholds={"maybe": 0.4}),
        ERROR,
        "maybe",
    ),
    (
        "equalizing_thresholds: unknown rate",
        lambda w: w.s.equalizing_thresholds("foreign_worker", rate="f1"),
        ERROR,
        "rate",
    ),
    ("threshold_tradeoffs: regression", lambda w: w.reg.threshold_tradeoffs(None), ERROR, "binary"),
    (
        "conformal: level 1.2",
        lambda w: w.s.conformal(confidence_level=1.2),
        ERROR,
        "confidence_level",
    ),
    (
        "conformal: level as percent text",
        lambda w: w.s.conformal(confidence_level="90%"),
        ERROR,
        "confidence_level",
    ),
    ("conformal: calibration 0", lambda w: w.s.conformal(calibration=0.0), ERROR, "calibration"),
    (
        "conformal: calibration of another schema",
        lambda w: w.s.conformal(calibration=(w.X.iloc[:50], w.y.iloc[:60])),
        ERROR,
        "y_cal",
    ),
    ("calibration: n_bins 1", lambda w: w.s.calibration(n_bins=1), ERROR, "n_bins"),
    ("calibration: strategy", lambda w: w.s.calibration(strategy="kmeans"), ERROR, "strategy"),
    # -- comparison --------------------------------------------------------------------------
    ("compare: not a session", lambda w: w.s.compare("model b"), ERROR, "ModelSession"),
    (
        "compare: other rows",
        lambda w: w.s.compare(rw.ModelSession(w.model, w.X.iloc[:100], w.y.iloc[:100])),
        ERROR,
        "same rows",
    ),
    ("compare: other task", lambda w: w.s.compare(w.reg), ERROR, "task"),
    ("disagreements: n 0", lambda w: w.s.disagreements(w.s, n=0), ERROR, "n"),
    # -- files -------------------------------------------------------------------------------
    (
        "to_html: missing folder",
        lambda w: w.s.to_html(w.tmp / "no" / "r.html"),
        ERROR,
        "does not exist",
    ),
    ("to_html: a folder", lambda w: w.s.to_html(w.tmp), ERROR, "directory"),
    ("to_html: unknown view", lambda w: w.s.to_html(w.tmp / "r.html", views=["map"]), ERROR, "map"),
    (
        "to_html: tiny budget",
        lambda w: w.s.to_html(w.tmp / "r.html", max_bytes=10),
        ERROR,
        "max_bytes|budget",
    ),
    (
        "TestCases.load: a list",
        lambda w: rw.TestCases.load(_write(w, "[1, 2]")),
        ERROR,
        "TestCases",
    ),
    (
        "TestCases.load: values of another schema",
        lambda w: rw.TestCases.load(
            _write(
                w,
                json.dumps(
                    {
                        "format": "rai_widgets.TestCases",
                        "version": 1,
                        "name": "x",
                        "cases": [{"row": 0, "columns": ["a"], "values": [{"b": 1}]}],
                    }
                ),
            )
        ),
        ERROR,
        r"values\[0\]",
    ),
    (
        "TestCases.save: missing folder",
        lambda w: rw.TestCases("x").save(w.tmp / "none" / "c.json"),
        ERROR,
        "does not exist",
    ),
    (
        "TestCases.run: another model's columns",
        lambda w: rw.TestCases("x").pin(w.s, 0).run(w.reg),
        ERROR,
        "column",
    ),
    (
        "ModelCard: confidence_level 1.5",
        lambda w: rw.ModelCard.from_session(w.s, confidence_level=1.5),
        ERROR,
        "confidence_level",
    ),
    (
        "ModelCard: to_html missing folder",
        lambda w: rw.ModelCard.from_session(w.s).to_html(w.tmp / "no" / "c.html"),
        ERROR,
        "does not exist",
    ),
    # -- widgets -----------------------------------------------------------------------------
    ("Dashboard: not a session", lambda w: rw.Dashboard("session"), ERROR, "ModelSession"),
    (
        "Dashboard: confidence_level 0",
        lambda w: rw.Dashboard(w.s, confidence_level=0),
        ERROR,
        "confidence_level",
    ),
    (
        "ExampleBrowser: page_size 0",
        lambda w: rw.ExampleBrowser(w.s, page_size=0),
        ERROR,
        "page_size",
    ),
    (
        "ExplanationView: unknown row",
        lambda w: rw.ExplanationView(w.s, row="nobody"),
        ERROR,
        "nobody",
    ),
    (
        "ExplanationView: max_rows 0",
        lambda w: rw.ExplanationView(w.s, max_rows=0),
        ERROR,
        "max_rows",
    ),
    ("FairnessView: unknown column", lambda w: rw.FairnessView(w.s, by="sexx"), ERROR, "sexx"),
    ("FairnessView: unknown metric", lambda w: rw.FairnessView(w.s, metric="f1"), ERROR, "f1"),
    (
        "UncertaintyView: level 2",
        lambda w: rw.UncertaintyView(w.s, confidence_level=2),
        ERROR,
        "confidence_level",
    ),
    ("ComparisonView: other task", lambda w: rw.ComparisonView(w.s, w.reg), ERROR, "task"),
]


def _write(world, text):
    path = world.tmp / "file.json"
    path.write_text(text)
    return path


def test_the_battery_is_large():
    assert len(CASES) >= 60
    assert len({name for name, *_ in CASES}) == len(CASES)


@pytest.mark.parametrize(("name", "call", "expect", "pattern"), CASES, ids=[c[0] for c in CASES])
def test_hostile_input(world, name, call, expect, pattern):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if expect == ERROR:
            with pytest.raises(rw.RaiWidgetsError, match=pattern):
                call(world)
        else:
            result = call(world)
            assert result is not None
