"""Enhanced fan-out consumers: Register, Describe, List, Deregister."""

from __future__ import annotations

from typing import Any

from .. import _clock
from ..backend import Backend, consumers, tags
from ..backend.consumers import Consumer
from ._registry import Call, Result, operation, stream_of

# "If you specify a value greater than 100, at most 100 results are returned" (model docs).
_PAGE = 100


def _shape(consumer: Consumer) -> dict[str, Any]:
    return {
        "ConsumerName": consumer.name,
        "ConsumerARN": consumer.arn,
        "ConsumerStatus": consumer.status,
        "ConsumerCreationTimestamp": _clock.to_datetime(consumer.created_ms // 1000 * 1000),
    }


def _named(backend: Backend, call: Call) -> Consumer:
    p = call.params
    return backend.consumer(
        call.account, call.region, p.get("ConsumerARN"), p.get("StreamARN"), p.get("ConsumerName")
    )


@operation("RegisterStreamConsumer")
def register_stream_consumer(backend: Backend, call: Call) -> Result:
    stream = stream_of(backend, call)
    added = call.params.get("Tags", {})
    tags.check_resource_tags([*added, *added.values()])
    quotas = backend.quotas
    consumer = consumers.register(
        stream,
        call.params["ConsumerName"],
        quotas.consumer_limit,
        quotas.consumers_creating_limit,
        backend.state_change_seconds,
    )
    tags.merge(consumer.tags, added, "consumer", consumer.name, stream.account, backend.quotas.tag_limit)
    return {"Consumer": _shape(consumer)}


@operation("DescribeStreamConsumer")
def describe_stream_consumer(backend: Backend, call: Call) -> Result:
    consumer = _named(backend, call)
    return {"ConsumerDescription": {**_shape(consumer), "StreamARN": consumer.stream.arn}}


@operation("DeregisterStreamConsumer")
def deregister_stream_consumer(backend: Backend, call: Call) -> Result:
    consumers.deregister(_named(backend, call), backend.state_change_seconds)
    return {}


@operation("ListStreamConsumers")
def list_stream_consumers(backend: Backend, call: Call) -> Result:
    p = call.params
    stream = stream_of(backend, call)
    created = p.get("StreamCreationTimestamp")
    ordered = sorted(stream.live_consumers().values(), key=lambda c: (c.created_ms, c.name))
    if created is not None and int(created) != stream.created_ms // 1000:
        ordered = []
    if "NextToken" in p:
        stamp, name = backend.resume("ListStreamConsumers", p["NextToken"], call.account, call.region)[1:]
        ordered = [c for c in ordered if (c.created_ms, c.name) > (int(stamp), name)]
    limit = min(p.get("MaxResults", _PAGE), _PAGE)
    out: dict[str, Any] = {"Consumers": [_shape(c) for c in ordered[:limit]]}
    if len(ordered) > limit:
        last = ordered[limit - 1]
        out["NextToken"] = backend.page_token(
            "ListStreamConsumers", call.account, call.region, stream.arn, last.created_ms, last.name
        )
    return out
