"""Resource policies on streams and consumers: the document must be a JSON object."""

from __future__ import annotations

import json

from ..errors import InvalidArgumentException


def check_policy(policy: str) -> None:
    """InvalidArgumentException unless ``policy`` is a JSON object."""
    try:
        # Strict JSON: NaN and Infinity are not JSON; numbers are kept as text, so no size limit
        # of Python's ints applies; nesting too deep for Python is not a document either.
        document = json.loads(policy, parse_int=str, parse_float=str, parse_constant=_not_json)
    except (ValueError, RecursionError):
        document = None
    if not isinstance(document, dict):
        raise InvalidArgumentException.policy_json()


def _not_json(constant: str) -> None:
    raise ValueError(f"{constant} is not JSON")
