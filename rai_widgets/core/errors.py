"""Exceptions and warnings raised by rai_widgets.

Every error a user can trigger with bad input is a :class:`RaiWidgetsError`. Each names the
offending argument or column and says what to do. Subclasses also inherit from the matching
built-in exception (``ValueError``, ``KeyError``, ``ImportError`` ...) so existing ``except``
clauses keep working.

Examples
--------
>>> import rai_widgets as rw
>>> try:
...     raise rw.ColumnNotFoundError("Column 'rcae' is not in X. Did you mean 'race'?")
... except rw.RaiWidgetsError as err:
...     print(type(err).__name__)
ColumnNotFoundError
"""

from __future__ import annotations


class RaiWidgetsError(Exception):
    """Base class of every error raised by rai_widgets."""


class ValidationError(RaiWidgetsError, ValueError):
    """An argument has a value rai_widgets cannot use (wrong length, NaN, bad option ...)."""


class NotOfferedError(ValidationError, AttributeError):
    """A verb that does not fit the session's task (``calibration`` of a regression model):
    not offered, so ``hasattr`` is False and completion does not list it."""


class ColumnNotFoundError(RaiWidgetsError, KeyError):
    """A column name (feature, sensitive feature, slice) does not exist."""

    def __str__(self) -> str:  # KeyError quotes its message; show it as plain text instead.
        return str(self.args[0]) if self.args else ""


class RowNotFoundError(RaiWidgetsError, KeyError):
    """A row label is not in the session's data."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class ModelError(RaiWidgetsError, TypeError):
    """The model cannot be used as given (no ``predict``, not fitted, wrong task ...)."""


class NotFittedModelError(ModelError):
    """The model has not been fitted yet."""


class TooManyGroupsError(ValidationError):
    """A grouping has more groups than a per-slice table can show usefully."""


class MissingDependencyError(RaiWidgetsError, ImportError):
    """An optional dependency (an extra such as ``rai_widgets[shap]``) is not installed."""


class Cancelled(RaiWidgetsError):
    """A long computation was cancelled (a Cancel button, a closed widget, ``cancel()``)."""


class RaiWidgetsWarning(UserWarning):
    """Warnings about results that need care (low support, dropped rows ...)."""
