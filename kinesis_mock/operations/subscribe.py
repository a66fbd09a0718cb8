"""SubscribeToShard: enhanced fan-out over an event stream."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..backend import Backend, Subscription
from ..errors import KinesisError
from ._registry import Call, Result, operation
from ._shapes import child_shards
from .records import record_shapes


class Events:
    """The ``EventStream`` of a SubscribeToShard reply: ``(event type, payload)`` pairs.

    Payloads are ``SubscribeToShardEvent`` shapes; an error that arises once streaming has started
    comes as ``("error", KinesisError)`` and ends the stream, as Kinesis sends it.
    """

    def __init__(self, subscription: Subscription) -> None:
        self.subscription = subscription

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        try:
            for delivery in self.subscription:
                event: dict[str, Any] = {
                    "Records": record_shapes(
                        delivery.stream,
                        delivery.shard,
                        delivery.counters,
                        delivery.arrivals,
                        delivery.data,
                        delivery.keys,
                    ),
                    "ContinuationSequenceNumber": None
                    if delivery.continuation is None
                    else delivery.stream.sequence_number(delivery.continuation, delivery.shard),
                    "MillisBehindLatest": delivery.millis_behind,
                }
                if delivery.continuation is None:
                    event["ChildShards"] = child_shards(delivery.children)
                yield "SubscribeToShardEvent", event
        except KinesisError as error:
            yield "error", error

    def close(self) -> None:
        """End the subscription; a consumer blocked waiting for records is released at once."""
        self.subscription.close()


@operation("SubscribeToShard")
def subscribe_to_shard(backend: Backend, call: Call) -> Result:
    p, start = call.params, call.params["StartingPosition"]
    subscription = backend.subscribe_to_shard(
        call.account,
        call.region,
        p["ConsumerARN"],
        p["ShardId"],
        start["Type"],
        start.get("SequenceNumber"),
        start.get("Timestamp"),
    )
    return {"EventStream": Events(subscription)}
