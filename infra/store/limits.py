"""Bounds on what the ledger accepts, so that whatever it stores can be projected.

Free-form JSON that is kept verbatim (a ClaimReview item on its Reviewed event) and seed files
must nest at most MAX_DEPTH levels (orjson, which writes the views' rows, stops at 254, and the
item sits some levels deep in a claim's state), hold only finite numbers, integers within 64
bits (orjson's range) and text that is Unicode (no lone surrogates: UTF-8 cannot encode them).
Numbers that become decimals (ratings, quantities) are finite with at most MAX_DIGITS
significant digits and no digit beyond MAX_DIGITS places either side of the point, as the API
already asks (`max_digits=15`): such a value survives a JSON number (a double) exactly.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any

MAX_DEPTH = 32
MAX_DIGITS = 15
_INT64 = range(-(2**63), 2**63)
_SURROGATE = re.compile("[\ud800-\udfff]")


class InputLimitError(ValueError):
    """Raised when an input is beyond what the ledger can store and project."""


def check_json(value: Any) -> None:
    """Raise InputLimitError naming the first thing in `value` no view could hold. A dict or
    list is one level; what it holds is one level deeper."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    seen: set[int] = set()  # YAML aliases share containers: visit each once
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict | list):
            if level > MAX_DEPTH:
                raise InputLimitError(f"the JSON nests deeper than {MAX_DEPTH} levels")
            if id(node) in seen:
                continue
            seen.add(id(node))
            if isinstance(node, dict):
                for key in node:
                    _check_scalar(key)
                stack += [(v, level + 1) for v in node.values()]
            else:
                stack += [(v, level + 1) for v in node]
        else:
            _check_scalar(node)


def _check_scalar(value: Any) -> None:
    if isinstance(value, float) and not math.isfinite(value):
        raise InputLimitError("a number is NaN or infinite, which JSON cannot hold")
    if isinstance(value, int) and not isinstance(value, bool) and value not in _INT64:
        raise InputLimitError("an integer is beyond 64 bits, which the views cannot hold")
    if isinstance(value, str) and not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise InputLimitError(
                "a text holds a lone surrogate (\\ud800-\\udfff), which is not Unicode text"
            ) from None


def unicode_text(text: str) -> str:
    """`text` with each lone surrogate (which a JSON escape can make, and UTF-8 cannot
    encode) replaced by U+FFFD: for text read from the wild, such as a captured page."""
    return text if text.isascii() else _SURROGATE.sub("\ufffd", text)


def number(value: Any) -> Decimal | None:
    """A number as a bounded Decimal; None when `value` is no number at all ("two", "4/5");
    InputLimitError when it is one but not finite or beyond MAX_DIGITS."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        return None
    text = str(value).strip()
    try:
        parsed = Decimal(text)
    except InvalidOperation:
        return None
    if not bounded(parsed):
        raise InputLimitError(
            f"{text[:40]!r} is not a finite number of at most {MAX_DIGITS} digits"
        )
    return parsed if parsed else Decimal(0)  # no 0E+999999999 to compute with


def bounded(value: Decimal) -> bool:
    """Finite, at most MAX_DIGITS significant digits, none beyond MAX_DIGITS places either
    side of the point (checked on the digits: no arithmetic on a huge exponent)."""
    if not value.is_finite():
        return False
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    significant = list(digits)
    while len(significant) > 1 and significant[-1] == 0:  # 1.500 has two significant digits
        significant.pop()
        exponent += 1
    if significant == [0]:
        return True
    whole = max(len(significant) + exponent, 0)
    fraction = max(-exponent, 0)
    return whole + fraction <= MAX_DIGITS
