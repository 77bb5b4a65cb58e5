"""Text of the HTML export that the shared formatting does not cover: sizes, JSON, row counts.

Examples
--------
>>> format_bytes(1_234_567), rows_text(1), rows_text(48842)
('1.23 MB', '1 row', '48,842 rows')
>>> escape_json({"name": "</script>"})
'{"name":"\\\\u003c/script\\\\u003e"}'
"""

from __future__ import annotations

import json
from typing import Any

from rai_widgets.formatting import count

__all__ = ["escape_json", "format_bytes", "rows_text", "unique_texts"]


def format_bytes(n_bytes: float) -> str:
    """A size as a person reads it, in decimal units (1 MB = 1,000,000 bytes).

    Examples
    --------
    >>> format_bytes(10_000_000), format_bytes(1_234_567), format_bytes(999_987)
    ('10 MB', '1.23 MB', '1 MB')
    >>> format_bytes(52_300), format_bytes(250_000)
    ('52 KB', '0.25 MB')
    """
    if n_bytes >= 100_000:
        text, unit = f"{n_bytes / 1_000_000:.2f}".rstrip("0").rstrip("."), "MB"
    elif n_bytes >= 1_000:
        text, unit = f"{n_bytes / 1_000:.0f}", "KB"
    else:
        text, unit = f"{n_bytes:.0f}", "bytes"
    return f"{text} {unit}"


def escape_json(obj: Any) -> str:
    """JSON text safe to embed in ``<script type="application/json">``.

    ``<``, ``>`` and ``&`` only ever occur inside JSON strings, where ``\\u003c`` and friends
    mean the same characters: ``</script>`` or ``<!--`` in data can never end the block.

    Examples
    --------
    >>> escape_json({"name": "</script><b>&"})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def rows_text(n: int) -> str:
    """A number of rows: "1 row", "3,000 rows".

    Examples
    --------
    >>> rows_text(0), rows_text(1), rows_text(3000)
    ('0 rows', '1 row', '3,000 rows')
    """
    return f"{count(n)} row" if n == 1 else f"{count(n)} rows"


def unique_texts(labels: list[str], taken: tuple[str, ...] = ()) -> list[str]:
    """Labels made distinct by numbering repeats: "a", "a (2)", ...

    Parameters
    ----------
    labels : list of str
        The texts to make distinct.
    taken : tuple of str
        Texts already in use (a label equal to one of them is numbered too).

    Returns
    -------
    list of str

    Examples
    --------
    >>> unique_texts(["a", "b", "a", "all rows"], taken=("all rows",))
    ['a', 'b', 'a (2)', 'all rows (2)']
    """
    seen: dict[str, int] = dict.fromkeys(taken, 1)
    out = []
    for label in labels:
        text = label
        while text in seen:
            seen[label] += 1
            text = f"{label} ({seen[label]})"
        seen[text] = 1
        out.append(text)
    return out
