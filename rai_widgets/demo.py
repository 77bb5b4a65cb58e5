"""``rai-widgets demo``: a Voila page with the Dashboard on bundled real data, on 127.0.0.1.

Writes a demo notebook into a temporary directory, starts Voila on loopback with a copy of
Voila's "lab" page template whose CDN links are removed (the page loads nothing from the
internet), prints the URL, and stops Voila and removes the directory on Ctrl-C.

Examples
--------
>>> from rai_widgets.demo import demo_notebook
>>> nb = demo_notebook("wage", presenter=True)
>>> "rw.Dashboard(session, presenter=True)" in nb["cells"][-1]["source"]
True
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from rai_widgets.core.arguments import check_int
from rai_widgets.core.errors import MissingDependencyError, ValidationError

__all__ = ["DATASETS", "demo_notebook", "offline_template", "run_demo"]

TEMPLATE = "rai-offline"
FOREIGN_EXTENSIONS = ("@jupyter-notebook/lab-extension", "@voila-dashboards/jupyterlab-preview")

_INTRO = {
    "adult": (
        "Adult census income",
        "A gradient-boosted model predicts whether a person earns more than $50K a year "
        "from 14 census answers (1994 US census, 48,842 people). It was trained on the "
        "training split; everything below is about the {n:,} people of the test split.",
    ),
    "german": (
        "German credit",
        "A gradient-boosted model predicts whether a loan applicant is a good or bad credit "
        "risk from 20 answers (1,000 applicants, Hofmann 1994). Trained on 70% of them; "
        "below are the other {n:,}.",
    ),
    "wage": (
        "Mid-Atlantic wages",
        "A random forest predicts the yearly wage (in $1,000) of male workers from their "
        "age, education, job and health (3,000 workers). Trained on 70% of them; below are "
        "the other {n:,}.",
    ),
}

_SETUP = {
    "adult": """\
data = rw.datasets.load_adult()
train = data.split == "train"
X_train, y_train = data.data[train], data.target[train]
X, y = data.data[~train], data.target[~train]
final = HistGradientBoostingClassifier(random_state=0)
""",
    "german": """\
data = rw.datasets.load_german_credit()
X_train, X, y_train, y = train_test_split(data.data, data.target, test_size=0.3, random_state=0)
final = HistGradientBoostingClassifier(max_iter=60, random_state=0)
""",
    "wage": """\
data = rw.datasets.load_wage()
X_train, X, y_train, y = train_test_split(data.data, data.target, test_size=0.3, random_state=0)
final = RandomForestRegressor(n_estimators=60, min_samples_leaf=5, random_state=0)
""",
}

#: The outcome that is good for the person, per dataset (``ModelSession(favorable=...)``).
_FAVORABLE = {"adult": ">50K", "german": "good", "wage": "higher"}

_TEST_ROWS = {"adult": 16_281, "german": 300, "wage": 900}

#: Datasets the demo can show.
DATASETS = tuple(_SETUP)


#: Seconds a demo kernel whose page was left may stay idle before it is shut down.
FREE_AFTER = 60


def demo_notebook(dataset: str = "adult", *, presenter: bool = False) -> dict[str, Any]:
    """The demo notebook (nbformat 4 JSON) for one bundled dataset.

    Parameters
    ----------
    dataset : {"adult", "german", "wage"}
        Which bundled real dataset to model.
    presenter : bool, default False
        Open the dashboard in presenter mode.

    Returns
    -------
    dict
        The notebook, ready for ``json.dump``.
    """
    if dataset not in _SETUP:
        raise ValidationError(f"dataset must be one of {list(DATASETS)}; got {dataset!r}.")
    title, intro = _INTRO[dataset]
    code = (
        "import rai_widgets as rw\n"
        "from sklearn.compose import make_column_selector, make_column_transformer\n"
        "from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestRegressor\n"
        "from sklearn.model_selection import train_test_split\n"
        "from sklearn.pipeline import make_pipeline\n"
        "from sklearn.preprocessing import OneHotEncoder\n\n"
        + _SETUP[dataset]
        + "encode = make_column_transformer(\n"
        '    (OneHotEncoder(handle_unknown="ignore", sparse_output=False),\n'
        '     make_column_selector(dtype_exclude="number")),\n'
        '    remainder="passthrough",\n'
        ")\n"
        "model = make_pipeline(encode, final).fit(X_train, y_train)\n"
        "session = rw.ModelSession(model, X, y, sensitive_features=data.sensitive_features,\n"
        f'                         favorable="{_FAVORABLE[dataset]}", name="{dataset}-model",\n'
        "                         train=(X_train, y_train), random_state=0)\n"
        f"rw.Dashboard(session, presenter={presenter!r})"
    )

    def cell(kind: str, source: str) -> dict[str, Any]:
        base: dict[str, Any] = {"cell_type": kind, "metadata": {}, "source": source}
        if kind == "code":
            base.update(execution_count=None, outputs=[])
        return base

    markdown = (
        f"# {title}: how does this model behave?\n\n"
        + intro.format(n=_TEST_ROWS[dataset])
        + "\n\nClick a row to see why the model decided as it did; pick a group in *Fairness "
        "by group* and every tab follows it. Scores are the model's estimates, not "
        "certainties: the *How sure* tab shows how far to trust them."
    )
    return {
        "cells": [cell("markdown", markdown), cell("code", code)],
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def offline_template(directory: Path) -> Path:
    """Copy Voila's "lab" page template into ``directory`` as "rai-offline", without the
    lines that link stylesheets from a CDN (Font Awesome, which the page does not need) and
    without nbconvert's mermaid loader (a CDN import, for diagrams the demo does not have).

    Returns
    -------
    pathlib.Path
        A directory to put first on ``JUPYTER_PATH`` so Voila finds the template.
    """
    source = _voila_template_dir("lab")
    target = directory / "voila" / "templates" / TEMPLATE
    shutil.copytree(source, target)
    # inherit everything else (nbconvert's lab template, voila's base) from "lab"
    (target / "conf.json").write_text(json.dumps({"base_template": "lab"}))
    for path in target.rglob("*.j2"):
        lines = path.read_text().splitlines(keepends=True)
        kept = [line for line in lines if not ("<link" in line and "://" in line)]
        if path.name == "index.html.j2":  # mermaid diagrams would load mermaid from a CDN
            kept.append("\n{%- block html_head_js_mermaidjs -%}{%- endblock -%}\n")
        path.write_text("".join(kept))
    return directory


def _voila_template_dir(name: str) -> Path:
    try:
        from jupyter_core.paths import jupyter_path
    except ImportError as err:  # pragma: no cover - comes with voila
        raise MissingDependencyError(_INSTALL_HINT) from err
    for base in jupyter_path("voila", "templates"):
        candidate = Path(base) / name
        if (candidate / "index.html.j2").exists():
            return candidate
    raise MissingDependencyError(f"Voila's {name!r} template was not found. {_INSTALL_HINT}")


_INSTALL_HINT = "The demo needs Voila: pip install 'rai-widgets[demo]'."


def _wait_until_ready(process: subprocess.Popen, url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Voila exited with code {process.returncode} before serving.")
        try:
            with urllib.request.urlopen(url + "voila/static/voila.js", timeout=2):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    raise RuntimeError(f"Voila did not answer on {url} within {timeout:.0f} s.")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def run_demo(
    *,
    port: int = 8866,
    dataset: str = "adult",
    presenter: bool = False,
    quiet: bool = False,
    free_after: int = FREE_AFTER,
) -> int:
    """Serve the demo with Voila on 127.0.0.1:``port`` until Ctrl-C (or SIGTERM).

    Every page load starts a kernel (about 0.5 GB with the Adult model); a kernel whose page
    has been left (no connection) is shut down once it has been idle ``free_after`` seconds,
    so a demo left running for many visitors keeps one kernel per open page.

    Parameters
    ----------
    port : int, default 8866
        The port on 127.0.0.1.
    dataset : {"adult", "german", "wage"}
        The bundled data.
    presenter : bool, default False
        Open the Dashboard in presenter mode.
    quiet : bool, default False
        Print nothing on stopping.
    free_after : int, default 60
        Seconds a kernel without a page may stay idle before it is shut down.

    Returns
    -------
    int
        The exit code: 0 after a clean stop, 1 when Voila could not start.
    """
    if not 0 < port < 65536:
        raise ValidationError(f"port must be between 1 and 65535; got {port!r}.")
    check_int(free_after, argument="free_after", minimum=1)
    try:
        import voila  # noqa: F401
    except ImportError as err:
        raise MissingDependencyError(_INSTALL_HINT) from err
    workdir = Path(tempfile.mkdtemp(prefix="rai-widgets-demo-"))
    notebook = workdir / f"{dataset}.ipynb"
    notebook.write_text(json.dumps(demo_notebook(dataset, presenter=presenter), indent=1))
    env = dict(os.environ)
    paths = [str(offline_template(workdir / "jupyter")), env.get("JUPYTER_PATH", "")]
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in paths if p)
    argv = [
        sys.executable,
        "-m",
        "voila",
        str(notebook),
        "--no-browser",
        f"--port={port}",
        "--Voila.port_retries=0",
        "--Voila.ip=127.0.0.1",
        f"--template={TEMPLATE}",
        # a kernel whose page was left is shut down once idle (pages still open keep theirs)
        f"--MappingKernelManager.cull_idle_timeout={free_after}",
        f"--MappingKernelManager.cull_interval={max(1, free_after // 4)}",
        "--MappingKernelManager.cull_connected=False",
        # front-end extensions made for other apps fail to load inside Voila (Notebook 7's
        # throws in the page's console): keep them out
        *(f"--VoilaConfiguration.extension_denylist={name}" for name in FOREIGN_EXTENSIONS),
    ]
    url = f"http://127.0.0.1:{port}/"
    log = open(workdir / "voila.log", "w")  # closed in finally
    # its own session: Ctrl-C reaches only this process, which then stops Voila itself
    process = subprocess.Popen(
        argv,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
    )
    # Ctrl-C and SIGTERM both stop cleanly (SIGINT too when a shell started us ignoring it)
    previous = {s: signal.signal(s, _raise_interrupt) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        _wait_until_ready(process, url, timeout=120)
        print(f"rai-widgets demo ({dataset}) is serving on {url}", flush=True)
        print("Open it in a browser; the first page load runs the model (~10 s).", flush=True)
        print("Press Ctrl-C to stop.", flush=True)
        process.wait()
        print(f"Voila stopped by itself (code {process.returncode}).", file=sys.stderr)
        return 1
    except RuntimeError as err:
        log.flush()
        tail = (workdir / "voila.log").read_text(errors="replace").splitlines()[-15:]
        print(f"rai-widgets demo: {err}\n" + "\n".join(tail), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        if not quiet:
            print("\nStopping the demo ...", flush=True)
        return 0
    finally:
        _stop(process)
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)


def _die_with_parent() -> None:
    """In the Voila child (Linux): get SIGTERM if this process dies, even by SIGKILL, so no
    orphaned server keeps the port."""
    import ctypes

    PR_SET_PDEATHSIG = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt
