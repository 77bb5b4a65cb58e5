"""The state of one public call of a session, and the decorator that holds it.

Examples
--------
>>> SessionState(model="abc", data="def").model
'abc'
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

__all__ = ["SessionState", "public_call"]

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class SessionState:
    """What a result can depend on, fixed for the length of one public call.

    Attributes
    ----------
    model : str
        Fingerprint of the model's fitted state, taken at the start of the call.
    data : str
        Token of the session's data snapshot (X, y and sensitive features); the snapshot never
        changes, so neither does the token.
    """

    model: str
    data: str


def public_call(method: F) -> F:
    """Run a session method inside :meth:`SessionCore.consistent` (one state check per call).

    Examples
    --------
    >>> class Demo:
    ...     @public_call
    ...     def answer(self):
    ...         return 42
    """

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        with self.consistent():
            return method(self, *args, **kwargs)

    return wrapper  # type: ignore[return-value]
