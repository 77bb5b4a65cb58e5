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

__all__ = ["check_output_path", "read_json_document", "write_atomically"]


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
    try:
        source = Path(os.fspath(path))
    except TypeError:
        raise ValidationError(f"path must be a file path; got {path!r}.") from None
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValidationError(f"{str(source)!r} does not exist.") from None
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as err:
        raise ValidationError(f"{str(source)!r} is not a valid {format} file: {err}.") from err
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
