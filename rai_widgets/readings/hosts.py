"""The one line a static picture carries when no front end showed the live view: why, and what
to try, for the place the kernel runs in.

A view displayed in a notebook waits a few seconds for the front end to say it drew the live
view (see :mod:`rai_widgets.widgets.handshake`). When none says so, the static picture stays
and this line goes at its top. Each host has its own advice, from what that host documents
about Jupyter widgets (the "Where it runs" page of the docs cites the sources); any other place
gets the general line. Every line starts by saying that this is a picture, so it stays true
wherever the saved notebook is read later (a site that renders notebooks, an HTML file).

Examples
--------
>>> no_live_view_line("colab", 5).startswith("This is a static picture")
True
>>> "enable_custom_widget_manager()" in no_live_view_line("colab", 5)
True
>>> "5 s" in no_live_view_line("jupyter", 5)
True
"""

from __future__ import annotations

from rai_widgets import formatting
from rai_widgets.core.errors import ValidationError

__all__ = ["HOSTS", "no_live_view_line"]

_OPENING = "This is a static picture: no front end showed the live view within {wait}."

#: What to try, by host (the name :func:`rai_widgets.widgets.handshake.current_host` gives).
_ADVICE: dict[str, str] = {
    "colab": (
        "Colab draws these widgets only with its custom widget manager: run "
        "`from google.colab import output; output.enable_custom_widget_manager()`, "
        "then run this cell again."
    ),
    "vscode": (
        "In VS Code, update the Jupyter extension (older ones cannot draw ipywidgets 8), "
        'allow widget scripts with the setting "jupyter.widgetScriptSources", '
        "then run this cell again."
    ),
    "databricks": (
        "On Databricks, widgets need Databricks Runtime 13.0 or later (11.0 to 12.2 in "
        "preview) and a browser that can load Databricks' widget scripts; then run this "
        "cell again."
    ),
    "kaggle": (
        "On Kaggle, the live view shows only in the notebook editor with a running "
        "session: reload the editor's page and run this cell again."
    ),
    "marimo": (
        "marimo draws anywidget widgets only, not ipywidgets containers such as this "
        "view: show rw.Dashboard(session), which marimo draws live as one anywidget, open "
        "the notebook in JupyterLab, Notebook 7 or Voila for this view live, or export a "
        "page that works offline with ModelSession.to_html(path)."
    ),
    "jupyter": (
        "To use it, run this cell in JupyterLab 4, Notebook 7 or Voila, with ipywidgets 8 "
        "and anywidget installed where Jupyter itself runs."
    ),
}

#: The hosts that have their own line; any other name gets the general ("jupyter") one.
HOSTS: tuple[str, ...] = tuple(_ADVICE)


def no_live_view_line(host: str, wait_seconds: float) -> str:
    """The line at the top of a static picture that no front end replaced by its live view.

    Parameters
    ----------
    host : str
        Where the kernel runs: one of :data:`HOSTS` ("jupyter" is the general line).
    wait_seconds : float
        How long the view waited for a front end (said in the line; marimo, which is known
        at once, is said without it).

    Returns
    -------
    str
        One sentence saying why, then what to try, as plain text (not escaped).

    Raises
    ------
    ValidationError
        For a host not in :data:`HOSTS`, naming the hosts it knows.

    Examples
    --------
    >>> line = no_live_view_line("vscode", 5)
    >>> "jupyter.widgetScriptSources" in line and line.endswith("run this cell again.")
    True
    >>> no_live_view_line("marimo", 5).startswith("This is a static picture: marimo")
    True
    >>> no_live_view_line("jupyterlite", 5)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    rai_widgets.core.errors.ValidationError: host must be one of ...
    """
    if host not in _ADVICE:
        raise ValidationError(f"host must be one of {', '.join(HOSTS)}; got {host!r}.")
    if host == "marimo":  # marimo is known at once: there was no wait
        return "This is a static picture: " + _ADVICE[host]
    wait = f"{formatting.number(wait_seconds)} s"
    return _OPENING.format(wait=wait) + " " + _ADVICE[host]
