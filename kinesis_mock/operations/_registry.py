"""The operation table: wire name -> handler, and the call object handlers receive."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..backend import Backend, Stream
from ..backend.stream import split_stream_arn
from ..errors import InvalidArgumentException, NotImplementedOperation


@dataclass(slots=True)
class Call:
    """One decoded request: operation, checked parameters, calling account and client region."""

    operation: str
    params: dict[str, Any]
    account: str
    region: str


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
    """Run ``call`` against ``backend`` and return the reply's members (Python values)."""
    handler = HANDLERS.get(call.operation)
    if handler is None:
        raise NotImplementedOperation.operation(
            operation=call.operation, available=", ".join(sorted(HANDLERS))
        )
    with backend.lock:
        try:
            return handler(backend, call)
        finally:
            backend.new_records.notify_all()


def stream_of(backend: Backend, call: Call) -> Stream:
    """The stream ``call`` names by StreamName and/or StreamARN."""
    params = call.params
    return backend.stream(call.account, call.region, params.get("StreamName"), params.get("StreamARN"))


def named_stream(call: Call) -> tuple[str, str]:
    """(stream name, account) as a request names them, for messages about what is missing."""
    arn = call.params.get("StreamARN")
    if arn is not None:
        account, name = split_stream_arn(arn)
        return name, account
    if "StreamName" not in call.params:
        raise InvalidArgumentException.no_stream_identifier()
    return call.params["StreamName"], call.account
