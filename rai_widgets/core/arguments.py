"""Checks of the scalar arguments every public method takes, shared so each is checked the
same way everywhere: whole numbers, fractions, names, ``n_jobs``, seeds, one column name.

Each returns the value as it is used (or None) and raises a
:class:`~rai_widgets.ValidationError` that names the argument and what it takes.

Examples
--------
>>> check_int(5, argument="n_boot", minimum=1), check_fraction(0.9, argument="ci")
(5, 0.9)
>>> check_names("auc", argument="metrics"), check_n_jobs(-1)
(['auc'], -1)
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import numpy as np
import pandas as pd

from rai_widgets.core.errors import ValidationError

__all__ = [
    "check_favorable",
    "check_fraction",
    "check_int",
    "check_n_jobs",
    "check_names",
    "check_one_name",
    "check_seed",
]


def check_int(value: Any, *, argument: str, minimum: int) -> int:
    """Return ``value`` as an int if it is a whole number >= ``minimum``, else raise.

    Examples
    --------
    >>> check_int(5, argument="n_boot", minimum=1)
    5
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise ValidationError(f"{argument} must be an integer; got {value!r}.")
    if value < minimum:
        raise ValidationError(f"{argument} must be at least {minimum}; got {value}.")
    return int(value)


def check_fraction(
    value: Any, *, argument: str, low: float = 0.0, high: float = 1.0, closed: bool = False
) -> float:
    """Return ``value`` as a float if it is a real number in (low, high) ([low, high] when
    ``closed``), else raise a ValidationError naming ``argument``.

    Examples
    --------
    >>> check_fraction(0.9, argument="confidence_level")
    0.9
    >>> check_fraction(1.5, argument="ci")
    Traceback (most recent call last):
    ...
    rai_widgets.core.errors.ValidationError: ci must be a number in (0, 1); got 1.5.
    """
    real = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_)
    )
    inside = real and (low <= value <= high if closed else low < value < high)
    if not inside:
        brackets = "[]" if closed else "()"
        raise ValidationError(
            f"{argument} must be a number in {brackets[0]}{low:g}, {high:g}{brackets[1]}; "
            f"got {value!r}."
        )
    return float(value)


def check_names(value: Any, *, argument: str) -> list[str]:
    """Return a name or a sequence of names as a list of str, else raise.

    Examples
    --------
    >>> check_names("auc", argument="metrics")
    ['auc']
    """
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, (list, tuple)) or not all(isinstance(n, str) for n in names):
        raise ValidationError(f"{argument} must be a name or a list of names; got {value!r}.")
    return list(names)


def check_n_jobs(n_jobs: Any, *, argument: str = "n_jobs") -> int | None:
    """``n_jobs`` as joblib takes it: None, a positive number of workers, or a negative one
    (-1: every core), never 0.

    Examples
    --------
    >>> check_n_jobs(2), check_n_jobs(None)
    (2, None)
    >>> check_n_jobs(0)
    Traceback (most recent call last):
    ...
    rai_widgets.core.errors.ValidationError: n_jobs must be None, a positive number of ...
    """
    whole = isinstance(n_jobs, (int, np.integer)) and not isinstance(n_jobs, (bool, np.bool_))
    if n_jobs is None:
        return None
    if not whole or n_jobs == 0:
        raise ValidationError(
            f"{argument} must be None, a positive number of workers, or -1 for every core; "
            f"got {n_jobs!r}."
        )
    return int(n_jobs)


def check_seed(random_state: Any, *, argument: str = "random_state") -> None:
    """Raise unless ``random_state`` is None, a numpy Generator / RandomState, or an int numpy
    accepts as a seed (0 to 2**32 - 1).

    Examples
    --------
    >>> check_seed(0)
    >>> check_seed(-1)
    Traceback (most recent call last):
    ...
    rai_widgets.core.errors.ValidationError: random_state must be None, a whole number from 0 ...
    """
    if random_state is None or isinstance(
        random_state, (np.random.Generator, np.random.RandomState)
    ):
        return
    whole = isinstance(random_state, (int, np.integer)) and not isinstance(
        random_state, (bool, np.bool_)
    )
    if not whole or not 0 <= random_state < 2**32:
        raise ValidationError(
            f"{argument} must be None, a whole number from 0 to 2**32 - 1, or a numpy "
            f"Generator; got {random_state!r}."
        )


def check_one_name(value: Any, *, argument: str, hint: str = "") -> Hashable:
    """One column name (not a list of them): what an argument that groups by one column takes.

    Parameters
    ----------
    value : hashable
        The name.
    argument : str
        The argument's name, for the error.
    hint : str, optional
        What to do instead, appended to the error.

    Examples
    --------
    >>> check_one_name("race", argument="mondrian_by")
    'race'
    >>> check_one_name(["race"], argument="mondrian_by")
    Traceback (most recent call last):
    ...
    rai_widgets.core.errors.ValidationError: mondrian_by must be one column name; got ['race'].
    """
    if isinstance(value, (list, tuple, set, dict, pd.Series, pd.Index, np.ndarray)) or not (
        isinstance(value, Hashable)
    ):
        raise ValidationError(
            f"{argument} must be one column name; got {value!r}.{' ' + hint if hint else ''}"
        )
    return value


def check_favorable(value: Any, *, task: str, classes: Any) -> Any:
    """The outcome that is good for the person a prediction is about, as the session keeps it.

    Parameters
    ----------
    value : object
        None (not said), one of the model's classes (a classifier), or ``"higher"`` /
        ``"lower"`` (a regression: which way of the target is good for the person).
    task : str
        The session's task.
    classes : array-like or None
        The model's classes (None for regression).

    Returns
    -------
    object
        The class as the model knows it (``1`` for ``np.int64(1)``), the direction, or None.

    Raises
    ------
    ValidationError
        Naming ``favorable`` and what it takes.

    Examples
    --------
    >>> print(check_favorable(">50K", task="binary", classes=["<=50K", ">50K"]))
    >50K
    >>> check_favorable("higher", task="regression", classes=None)
    'higher'
    >>> check_favorable("yes", task="binary", classes=["No", "Yes"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    rai_widgets.core.errors.ValidationError: favorable='yes' is not one of the model's classes ...
    """
    if value is None:
        return None
    if task == "regression":
        if isinstance(value, str) and value in ("higher", "lower"):
            return value
        raise ValidationError(
            f'favorable must be "higher" or "lower" for a regression (which way of the target '
            f"is good for the person); got {value!r}."
        )
    known = list(np.asarray(classes).tolist())
    if not isinstance(value, Hashable) or value not in known:
        raise ValidationError(
            f"favorable={value!r} is not one of the model's classes {known}; name the class "
            "that is good for the person."
        )
    return np.asarray(classes)[known.index(value)]
