"""Account settings: DescribeAccountSettings, UpdateAccountSettings."""

from __future__ import annotations

from ..backend import Backend
from ._registry import Call, Result, operation


@operation("DescribeAccountSettings")
def describe_account_settings(backend: Backend, call: Call) -> Result:
    commitment = backend.describe_account_settings(call.account, call.region)
    return {"MinimumThroughputBillingCommitment": commitment.shape()}


@operation("UpdateAccountSettings")
def update_account_settings(backend: Backend, call: Call) -> Result:
    status = call.params["MinimumThroughputBillingCommitment"]["Status"]
    commitment = backend.update_account_settings(call.account, call.region, status)
    return {"MinimumThroughputBillingCommitment": commitment.shape()}
