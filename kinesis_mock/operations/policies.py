"""Resource policies on streams and consumers: Put, Get, Delete."""

from __future__ import annotations

import json

from ..backend import Backend
from ..errors import InvalidArgumentException, ResourceNotFoundException
from ._registry import Call, Result, operation


def _resource(backend: Backend, call: Call) -> object:
    return backend.resource(call.account, call.region, call.params["ResourceARN"])


@operation("PutResourcePolicy")
def put_resource_policy(backend: Backend, call: Call) -> Result:
    resource = _resource(backend, call)
    policy = call.params["Policy"]
    try:
        # Strict JSON: NaN and Infinity are not JSON; numbers are kept as text, so no size limit
        # of Python's ints applies; nesting too deep for Python is not a document either.
        document = json.loads(policy, parse_int=str, parse_float=str, parse_constant=_not_json)
    except (ValueError, RecursionError):
        document = None
    if not isinstance(document, dict):
        raise InvalidArgumentException.policy_json()
    resource.policy = policy  # type: ignore[attr-defined]
    return {}


def _not_json(constant: str) -> None:
    raise ValueError(f"{constant} is not JSON")


@operation("GetResourcePolicy")
def get_resource_policy(backend: Backend, call: Call) -> Result:
    # With no policy attached AWS answers "{}" (LocalStack test_resource_policy_crud, validated).
    return {"Policy": getattr(_resource(backend, call), "policy", None) or "{}"}


@operation("DeleteResourcePolicy")
def delete_resource_policy(backend: Backend, call: Call) -> Result:
    resource = _resource(backend, call)
    if getattr(resource, "policy", None) is None:
        raise ResourceNotFoundException.policy(arn=call.params["ResourceARN"])
    resource.policy = None  # type: ignore[attr-defined]
    return {}
