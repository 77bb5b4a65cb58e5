"""The same inputs and seed give identical randomised results in two separate processes:
LIME, sampled (permutation) SHAP, bootstrap bounds, conformal splits and blind spots."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = r"""
import hashlib, json, sys, warnings
import numpy as np
warnings.filterwarnings("ignore")
import rai_widgets as rw
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.compose import make_column_transformer
from sklearn.preprocessing import OneHotEncoder, StandardScaler

data = rw.datasets.load_german_credit()
X = data.data[["duration_in_month", "credit_amount", "age_in_years", "purpose", "housing"]]
y = data.target
model = make_pipeline(
    make_column_transformer(
        (OneHotEncoder(handle_unknown="ignore"), ["purpose", "housing"]),
        (StandardScaler(), ["duration_in_month", "credit_amount", "age_in_years"]),
    ),
    MLPClassifier(hidden_layer_sizes=(8,), max_iter=300, random_state=0),
).fit(X, y)
s = rw.ModelSession(model, X, y, sensitive_features=["housing"], random_state=7)


def digest(frame):
    return hashlib.sha256(frame.to_csv(float_format="%.17g").encode()).hexdigest()


conformal = s.conformal(confidence_level=0.9, calibration=0.5)
out = {
    "lime": digest(s.explain([0, 5, 9], method="lime", n_samples=300)),
    "shap_permutation": digest(s.explain([0, 5, 9], method="shap")),
    "bootstrap": digest(s.slice_metrics(by="housing", n_boot=50)),
    "conformal": hashlib.sha256(np.asarray(conformal.covered).tobytes()).hexdigest()
    + hashlib.sha256(np.asarray(conformal.size).tobytes()).hexdigest()
    + hashlib.sha256(np.asarray(conformal.index).tobytes()).hexdigest(),
    "blind_spots": digest(s.weak_slices(max_order=1).drop(columns="spec")),
    "importance": digest(s.feature_importance(max_rows=30)),
}
print(json.dumps(out))
"""


def _start() -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", SCRIPT],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )


def _result(process: subprocess.Popen) -> dict:
    stdout, stderr = process.communicate(timeout=600)
    assert process.returncode == 0, stderr[-4000:]
    return json.loads(stdout.strip().splitlines()[-1])


def test_randomised_results_are_identical_across_processes():
    # two separate processes, run at the same time: the second need not wait for the first
    processes = [_start(), _start()]
    try:
        first, second = (_result(process) for process in processes)
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.communicate()
    assert first.keys() == second.keys()
    differing = [k for k in first if first[k] != second[k]]
    assert differing == []
