"""The operation table: wire name -> handler, and the call object handlers receive."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..backend import Backend, ConsumerRef, Injected, StreamRef


@dataclass(slots=True)
class Call:
    """One decoded request: operation, checked parameters, calling account and client region,
    and the PutRecords entries a fault injected by ``mock.fail(entries=...)`` makes fail."""

    operation: str
    params: dict[str, Any]
    account: str
    region: str
    injected: Injected | None = None


Result = dict[str, Any]
Handler = Callable[[Backend, Call], Result]
HANDLERS: dict[str, Handler] = {}


def operation(name: str) -> Callable[[Handler], Handler]:
    """Register a handler under the operation's wire name (``"PutRecord"``)."""

    def register(handler: Handler) -> Handler:
        HANDLERS[name] = handler
        return handler

    return register


def dispatch(backend: Backend, call: Call) -> Result:
    """Run ``call`` against ``backend`` and return the reply's members (Python values).

    The protocol layer has answered an operation without a handler (NotImplemented) before.
    """
    with backend.lock:
        return HANDLERS[call.operation](backend, call)


def stream_ref(call: Call) -> StreamRef:
    """The stream ``call`` names by StreamName and/or StreamARN."""
    params = call.params
    return StreamRef(call.account, call.region, params.get("StreamName"), params.get("StreamARN"))


def consumer_ref(call: Call) -> ConsumerRef:
    """The consumer ``call`` names by ConsumerARN, or by StreamARN and ConsumerName."""
    p = call.params
    return ConsumerRef(
        call.account, call.region, p.get("ConsumerARN"), p.get("StreamARN"), p.get("ConsumerName")
    )
