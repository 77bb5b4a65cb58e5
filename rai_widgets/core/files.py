"""Files rai_widgets writes and reads: one policy for paths, atomic writes and JSON documents.

The policy: a path to write must name a file in a folder that exists. A missing folder is a
:class:`~rai_widgets.ValidationError` naming the path (rai_widgets never creates folders:
a typo in a path should not silently make a new tree). Writes are atomic (a temporary file in
the same folder, then a rename), so a failed save leaves the old file. JSON documents carry a
``format`` and a ``version``; they are validated field by field on load, and nothing is ever
unpickled or evaluated.

Examples
--------
>>> import os, tempfile
>>> folder = tempfile.mkdtemp()
>>> path = write_atomically(os.path.join(folder, "a.txt"), "hello")
>>> open(path, encoding="utf-8").read()
'hello'
>>> write_atomically(os.path.join(folder, "missing", "a.txt"), "x")
Traceback (most recent call last):
...
rai_widgets.core.errors.ValidationError: path '...a.txt': its folder '...missing' does not ...
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from rai_widgets.core.errors import ValidationError

__all__ = [
    "MAX_JSON_BYTES",
    "MAX_JSON_DIGITS",
    "check_output_path",
    "read_json",
    "read_json_document",
    "write_atomically",
]


def check_output_path(path: Any, *, argument: str = "path") -> Path:
    """The path as a :class:`~pathlib.Path`, if a file can be written there.

    Parameters
    ----------
    path : str or path-like
        Where to write.
    argument : str, default "path"
        The argument's name, for the error message.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ValidationError
        ``path`` is not a path, is a folder, or its folder does not exist.
    """
    try:
        target = Path(os.fspath(path))
    except TypeError:
        raise ValidationError(f"{argument} must be a file path; got {path!r}.") from None
    if target.is_dir():
        raise ValidationError(f"{argument} {str(target)!r} is a directory; give a file name.")
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise ValidationError(
            f"{argument} {str(target)!r}: its folder {str(parent)!r} does not exist; "
            "create it first."
        )
    return target


def write_atomically(path: Any, data: str | bytes, *, argument: str = "path") -> Path:
    """Write ``data`` to ``path`` atomically (text as UTF-8); a failed write leaves the old file.

    Parameters
    ----------
    path : str or path-like
        The file; its folder must exist (see :func:`check_output_path`).
    data : str or bytes
        The content.
    argument : str, default "path"
        The argument's name, for error messages.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    target = check_output_path(path, argument=argument)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    parent = target.parent if str(target.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return target


#: The largest JSON file rai_widgets reads (a card or a set of test cases is far smaller).
MAX_JSON_BYTES = 64 * 1024 * 1024
#: The most digits a whole number in a JSON file may have.
MAX_JSON_DIGITS = 100


def _whole_number(text: str) -> int:
    if len(text.lstrip("-")) > MAX_JSON_DIGITS:
        raise ValidationError(
            f"it holds a number of {len(text.lstrip('-')):,} digits (at most {MAX_JSON_DIGITS})"
        )
    return int(text)


def read_json(path: Any, *, what: str) -> Any:
    """Read a JSON file the one way rai_widgets reads every file it is given.

    Every failure is a :class:`~rai_widgets.ValidationError` naming the file: a path that is
    not one (a NUL byte, not a path at all), a missing file or a folder, a file over
    :data:`MAX_JSON_BYTES`, text that is not UTF-8 (a truncated or binary file), not JSON,
    nested too deep for Python, or a whole number of more than :data:`MAX_JSON_DIGITS` digits.
    Nothing is unpickled or evaluated.

    Parameters
    ----------
    path : str or path-like
        The file.
    what : str
        What the file should be, for the error ("a rai_widgets.TestCases file").

    Returns
    -------
    object
        The parsed JSON value.

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "a.json")
    >>> _ = open(path, "w").write("[" * 100_000 + "]" * 100_000)
    >>> read_json(path, what="a card")
    Traceback (most recent call last):
    ...
    rai_widgets.core.errors.ValidationError: '...a.json' is not a card: it is nested too deeply ...
    """
    try:
        source = Path(os.fspath(path))
    except TypeError:
        raise ValidationError(f"path must be a file path; got {path!r}.") from None
    name = repr(str(source))
    if "\x00" in str(source):
        raise ValidationError(f"path {name} holds a NUL character; no file can have that name.")
    try:
        size = source.stat().st_size
    except FileNotFoundError:
        raise ValidationError(f"{name} does not exist.") from None
    except OSError as err:
        raise ValidationError(f"{name} cannot be read: {err.strerror or err}.") from None
    if source.is_dir():
        raise ValidationError(f"{name} is a folder; give the path of {what}.")
    if size > MAX_JSON_BYTES:
        raise ValidationError(
            f"{name} is {size:,} bytes, more than {what} can be ({MAX_JSON_BYTES:,})."
        )
    try:
        text = source.read_bytes().decode("utf-8")
    except UnicodeDecodeError as err:
        raise ValidationError(
            f"{name} is not {what}: it is not UTF-8 text (byte {err.start}); it may be truncated "
            "or not a JSON file."
        ) from None
    except OSError as err:
        raise ValidationError(f"{name} cannot be read: {err.strerror or err}.") from None
    try:
        return json.loads(text, parse_int=_whole_number)
    except json.JSONDecodeError as err:
        raise ValidationError(
            f"{name} is not {what}: it is not valid JSON ({err.msg}, line {err.lineno}); it may "
            "be truncated."
        ) from None
    except RecursionError:
        raise ValidationError(f"{name} is not {what}: it is nested too deeply to read.") from None
    except ValidationError as err:
        raise ValidationError(f"{name} is not {what}: {err}.") from None


def read_json_document(path: Any, *, format: str, max_version: int) -> dict:
    """Read a JSON document written by rai_widgets, checking its ``format`` and ``version``.

    Parameters
    ----------
    path : str or path-like
        The file.
    format : str
        The expected ``format`` field (e.g. "rai_widgets.TestCases").
    max_version : int
        The newest schema version this rai_widgets reads.

    Returns
    -------
    dict
        The document; its fields are for the caller to validate.

    Raises
    ------
    ValidationError
        No such file, not JSON, another format, or a version this rai_widgets cannot read.
    """
    data = read_json(path, what=f"a {format} file")
    source = Path(os.fspath(path))
    if not isinstance(data, dict) or data.get("format") != format:
        raise ValidationError(f"{str(source)!r} is not a {format} file (field 'format').")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ValidationError(
            f"{str(source)!r}: field 'version' must be a positive integer; got {version!r}."
        )
    if version > max_version:
        raise ValidationError(
            f"{str(source)!r} was written by a newer rai_widgets (schema version {version}); "
            f"this version reads up to {max_version}. Upgrade rai_widgets to read it."
        )
    return data
