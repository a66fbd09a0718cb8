"""Resource policies on streams and consumers: Put, Get, Delete."""

from __future__ import annotations

from ..backend import Backend
from ._registry import Call, Result, operation


@operation("PutResourcePolicy")
def put_resource_policy(backend: Backend, call: Call) -> Result:
    p = call.params
    backend.put_resource_policy(call.account, call.region, p["ResourceARN"], p["Policy"])
    return {}


@operation("GetResourcePolicy")
def get_resource_policy(backend: Backend, call: Call) -> Result:
    resource = backend.resource(call.account, call.region, call.params["ResourceARN"])
    # With no policy attached AWS answers "{}" (LocalStack test_resource_policy_crud, validated).
    return {"Policy": resource.policy or "{}"}


@operation("DeleteResourcePolicy")
def delete_resource_policy(backend: Backend, call: Call) -> Result:
    backend.delete_resource_policy(call.account, call.region, call.params["ResourceARN"])
    return {}
