"""Enhanced fan-out consumers: Register, Describe, List, Deregister."""

from __future__ import annotations

from typing import Any

from .. import _clock
from ..backend import Backend, Consumer
from ._registry import Call, Result, consumer_ref, operation, stream_ref


def _shape(consumer: Consumer) -> dict[str, Any]:
    return {
        "ConsumerName": consumer.name,
        "ConsumerARN": consumer.arn,
        "ConsumerStatus": consumer.status,
        "ConsumerCreationTimestamp": _clock.to_datetime(consumer.created_ms // 1000 * 1000),
    }


@operation("RegisterStreamConsumer")
def register_stream_consumer(backend: Backend, call: Call) -> Result:
    p = call.params
    consumer = backend.register_stream_consumer(stream_ref(call), p["ConsumerName"], p.get("Tags", {}))
    return {"Consumer": _shape(consumer)}


@operation("DescribeStreamConsumer")
def describe_stream_consumer(backend: Backend, call: Call) -> Result:
    consumer = backend.consumer(consumer_ref(call))
    return {"ConsumerDescription": {**_shape(consumer), "StreamARN": consumer.stream.arn}}


@operation("DeregisterStreamConsumer")
def deregister_stream_consumer(backend: Backend, call: Call) -> Result:
    backend.deregister_stream_consumer(consumer_ref(call))
    return {}


@operation("ListStreamConsumers")
def list_stream_consumers(backend: Backend, call: Call) -> Result:
    p = call.params
    created = p.get("StreamCreationTimestamp")
    page = backend.list_stream_consumers(
        stream_ref(call), p.get("NextToken"), None if created is None else int(created), p.get("MaxResults")
    )
    out: dict[str, Any] = {"Consumers": [_shape(c) for c in page.consumers]}
    if page.next_token is not None:
        out["NextToken"] = page.next_token
    return out
