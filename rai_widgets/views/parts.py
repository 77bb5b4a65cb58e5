"""A part of a view that could not be computed, kept in the view model in place of its data,
so a failure shows in the pane that needed it and the rest of the view is drawn.

Examples
--------
>>> from rai_widgets.core.errors import ValidationError
>>> def fail():
...     raise ValidationError("bad")
>>> attempt(lambda: 3), attempt(fail)
(3, Failed(message='bad'))
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from rai_widgets.core.errors import RaiWidgetsError

__all__ = ["Failed", "attempt"]

T = TypeVar("T")


@dataclass(frozen=True)
class Failed:
    """What went wrong in one part of a view, in words a user can act on.

    Attributes
    ----------
    message : str
        A library error's own message (it says what to do), or the type and message of any
        other error with a note that the rest of the view still works.
    """

    message: str


def attempt(make: Callable[[], T]) -> T | Failed:
    """``make()``, or :class:`Failed` with what it raised.

    A ``RaiWidgetsError`` keeps its message; any other exception is a fault of rai_widgets or
    of the model: its traceback goes to the ``rai_widgets`` logger.

    Parameters
    ----------
    make : callable
        Computes one part of a view.

    Returns
    -------
    object or Failed

    Examples
    --------
    >>> attempt(lambda: 1 / 0).message.startswith("This part of the view failed: ZeroDivision")
    True
    """
    try:
        return make()
    except RaiWidgetsError as err:
        return Failed(str(err))
    except Exception as err:  # shown in place; the traceback goes to the log
        logging.getLogger("rai_widgets").exception("a view pane failed")
        return Failed(
            f"This part of the view failed: {type(err).__name__}: {err}. The rest of the view "
            "still works; please report this with the model's type."
        )
