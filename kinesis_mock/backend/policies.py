"""Resource policies on streams and consumers: the document must be a JSON object."""

from __future__ import annotations

import json
import re
from itertools import accumulate

from ..errors import InvalidArgumentException

# How deep a policy may nest. AWS's own limit is not recorded; IAM's policy grammar nests a few
# levels, so this is chosen: far above any policy, and far below what Python's parser handles on
# every supported version (it recurses, and where it gives up depends on the version: 3.11 and 3.12
# stop near 1,000 levels, 3.13 near 100,000). Checked before parsing, so the answer never depends
# on the interpreter or on how deep the caller's stack already is.
MAX_DEPTH = 100
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKETS = re.compile(r"[\[\]{}]")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def check_policy(policy: str) -> None:
    """InvalidArgumentException unless ``policy`` is a JSON object nested at most MAX_DEPTH deep."""
    if nesting_depth(policy) > MAX_DEPTH:
        raise InvalidArgumentException.policy_json()
    try:
        # Strict JSON: NaN and Infinity are not JSON; numbers are kept as text, so no size limit
        # of Python's ints applies.
        document = json.loads(policy, parse_int=str, parse_float=str, parse_constant=_not_json)
    except ValueError:
        document = None
    if not isinstance(document, dict):
        raise InvalidArgumentException.policy_json()


def nesting_depth(text: str) -> int:
    """How deep the brackets of a JSON text nest, strings left out (no recursion)."""
    steps = map(_STEP.__getitem__, _BRACKETS.findall(_STRINGS.sub("", text)))
    return max(accumulate(steps, initial=0))


def _not_json(constant: str) -> None:
    raise ValueError(f"{constant} is not JSON")
