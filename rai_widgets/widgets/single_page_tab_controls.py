"""What the controls of the single page's fairness and uncertainty tabs send, and how they are
drawn: a picker (its option's place), a checkbox, a button and a slider, each named by
``data-rai-control`` (the state it changes) and drawn in Python as escaped HTML.

The front end (``assets/single_page.js``) sends one message for any of them: the control's name
(``control``), the place of the group a slider is for (``control_place``), the number picked,
ticked (1 or 0) or slid to (``control_value``), and a click counter (``control_clicks``). The
widget that draws a control reads the message and changes its state
(:class:`~rai_widgets.widgets.single_page_fairness.FairnessControls`,
:class:`~rai_widgets.widgets.single_page_uncertainty.UncertaintyControls`).

Examples
--------
>>> html = picker_html("rate", "Compare", ["share selected", "true positive rate"], 1)
>>> 'data-rai-control="rate"' in html, '<option value="1" selected>' in html
(True, True)
>>> 'data-rai-control="equalize"' in button_html("equalize", "Equalise it across groups")
True
"""

from __future__ import annotations

from collections.abc import Sequence

import traitlets

from rai_widgets import formatting
from rai_widgets.static_html.page import escape

__all__ = [
    "ControlMessages",
    "button_html",
    "checkbox_html",
    "controls_row_html",
    "picker_html",
    "place_of",
    "slider_html",
]


def picker_html(control: str, label: str, options: Sequence[str], chosen: int) -> str:
    """A labelled picker whose options' values are their places.

    Parameters
    ----------
    control : str
        What it changes (``data-rai-control``).
    label : str
        Its label (from :mod:`rai_widgets.readings.controls`).
    options : sequence of str
        The options' text, in order.
    chosen : int
        The place of the option chosen now.

    Returns
    -------
    str
    """
    items = "".join(
        f'<option value="{i}"{" selected" if i == chosen else ""}>{escape(text)}</option>'
        for i, text in enumerate(options)
    )
    return (
        f'<label class="rai-single-page-slice">{escape(label)} '
        f'<select data-rai-control="{escape(control)}">{items}</select></label>'
    )


def checkbox_html(control: str, label: str, checked: bool) -> str:
    """A labelled checkbox (it sends 1 when ticked, 0 when not).

    Examples
    --------
    >>> "checked" in checkbox_html("fairness_intersections", "Intersections", True)
    True
    """
    return (
        f'<label class="rai-single-page-slice"><input type="checkbox" '
        f'data-rai-control="{escape(control)}"{" checked" if checked else ""}> '
        f"{escape(label)}</label>"
    )


def button_html(control: str, label: str) -> str:
    """A button that sends its control's name."""
    return (
        f'<button type="button" class="rai-single-page-step" '
        f'data-rai-control="{escape(control)}">{escape(label)}</button>'
    )


def slider_html(control: str, place: int, label: str, name: str, value: float) -> str:
    """A slider from 0 to 1 for one group (``data-rai-place``), its value written beside it.

    Parameters
    ----------
    control : str
        What it changes.
    place : int
        The group's place among the groups.
    label : str
        The group, as the slider's visible label.
    name : str
        The slider's accessible name (read aloud).
    value : float
        Where it stands now.

    Returns
    -------
    str

    Examples
    --------
    >>> html = slider_html("threshold", 2, "male : single", "Threshold for male", 0.25)
    >>> 'data-rai-place="2"' in html and 'value="0.25"' in html and ">0.250<" in html
    True
    """
    shown = formatting.number(value, decimals=3)
    return (
        f'<label class="rai-single-page-slider"><span>{escape(label)}</span>'
        f'<input type="range" min="0" max="1" step="0.001" value="{value!r}" '
        f'data-rai-control="{escape(control)}" data-rai-place="{int(place)}" '
        f'aria-label="{escape(name)}"><output>{escape(shown)}</output></label>'
    )


def controls_row_html(*controls: str) -> str:
    """Controls side by side, wrapping where there is no room."""
    return f'<div class="rai-single-page-controls">{"".join(controls)}</div>'


class ControlMessages(traitlets.HasTraits):
    """The message the front end sends for a control of the fairness or uncertainty tab.

    Attributes
    ----------
    control : traitlets.Unicode
        The control's name (its ``data-rai-control``).
    control_place : traitlets.Int
        The place of the group a slider is for (-1: not a slider).
    control_value : traitlets.Float
        The option's place picked, 1 or 0 for a checkbox, a slider's value (None: a button).
    control_clicks : traitlets.Int
        Counts the messages (the same message twice registers).
    """

    control = traitlets.Unicode("").tag(sync=True)
    control_place = traitlets.Int(-1).tag(sync=True)
    control_value = traitlets.Float(None, allow_none=True).tag(sync=True)
    control_clicks = traitlets.Int(0).tag(sync=True)

    def send_control(self, control: str, value: float | None = None, *, place: int = -1) -> None:
        """Send what the front end sends for a control (Python's way of clicking it).

        Parameters
        ----------
        control : str
            The control's name.
        value : float, optional
            The option's place, 1 or 0 for a checkbox, or a slider's value.
        place : int, default -1
            The place of the group a slider is for.
        """
        with self.hold_trait_notifications():
            self.control, self.control_place, self.control_value = control, place, value
        self.control_clicks += 1


def place_of(value: float | None, n_options: int) -> int | None:
    """The place sent for a picker, when it is one of its ``n_options`` (else None).

    Examples
    --------
    >>> place_of(2.0, 3), place_of(3.0, 3), place_of(None, 3)
    (2, None, None)
    """
    if value is None or not value == value or not 0 <= value < n_options:
        return None
    return int(value)
