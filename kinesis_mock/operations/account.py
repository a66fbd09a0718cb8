"""Account settings: DescribeAccountSettings, UpdateAccountSettings."""

from __future__ import annotations

from ..backend import Backend
from ._registry import Call, Result, operation


@operation("DescribeAccountSettings")
def describe_account_settings(backend: Backend, call: Call) -> Result:
    commitment = backend.region(call.account, call.region).commitment
    return {"MinimumThroughputBillingCommitment": commitment.shape()}


@operation("UpdateAccountSettings")
def update_account_settings(backend: Backend, call: Call) -> Result:
    commitment = backend.region(call.account, call.region).commitment
    commitment.update(call.params["MinimumThroughputBillingCommitment"]["Status"])
    return {"MinimumThroughputBillingCommitment": commitment.shape()}
