"""SubscribeToShard: one consumer's push subscription to one shard.

A subscription delivers what the shard holds from its starting position on, then what producers
write while it lasts, in deliveries of at most 10,000 records. With nothing new it waits a short
real time (``Backend.subscribe_idle_seconds``) for a write and then delivers an empty batch, so a
consumer is never left hanging; closing it wakes it at once. It ends after five minutes by the mock
clock, at the end of a closed shard, or when a newer subscription for the same consumer and shard
takes over.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import _clock
from ..errors import ResourceInUseException, ResourceNotFoundException
from . import records
from .consumers import Consumer
from .records import Read
from .shard import Shard
from .stream import Stream

if TYPE_CHECKING:
    from .registry import Backend

# A subscription lasts five minutes; another one for the same consumer and shard is refused
# within five seconds of the last (model documentation of SubscribeToShard).
LIFETIME_MS = 300_000
RESUBSCRIBE_MS = 5_000
_BATCH = 10_000


@dataclass(slots=True)
class Delivery:
    """One event's worth of records of ``shard`` (copied out, so it can be shaped without the
    lock), how far behind the tip, and the counter a consumer resumes after (``None`` at the end
    of a closed shard, where ``ChildShards`` come instead)."""

    stream: Stream
    shard: Shard
    counters: list[int]
    arrivals: list[int]
    data: list[bytes]
    keys: list[str]
    millis_behind: int
    continuation: int | None


class Subscription:
    """A live subscription; iterate it for deliveries, close it to end it."""

    def __init__(self, backend: Backend, consumer: Consumer, shard: Shard, position: int) -> None:
        self.backend, self.consumer, self.shard = backend, consumer, shard
        self.stream, self.position = consumer.stream, position
        self.started_ms = _clock.now_ms()
        self.closed = False
        self.key = (consumer.arn, shard.shard_id)

    def close(self) -> None:
        """End the subscription now, waking it if it is waiting for records."""
        with self.backend.lock:
            self.closed = True
            self.backend.new_records.notify_all()

    def __iter__(self) -> Iterator[Delivery]:
        while True:
            with self.backend.lock:
                delivery = self._next()
            if delivery is None:
                return
            yield delivery
            if delivery.continuation is None:
                return

    def _next(self) -> Delivery | None:
        waited = False
        while True:
            if self.closed or self.backend.subscriptions.get(self.key) is not self:
                return None
            now = _clock.now_ms()
            if now - self.started_ms >= LIFETIME_MS:
                return None
            self._check_alive(now)
            result = records.read(self.stream, self.shard, self.position, _BATCH, now)
            if result.stop > result.first or result.next_position is None or waited:
                return self._deliver(result)
            self.backend.new_records.wait(self.backend.subscribe_idle_seconds)
            waited = True

    def _deliver(self, result: Read) -> Delivery:
        shard, first, stop = self.shard, result.first, result.stop
        batch = (
            list(shard.counters[first:stop]),
            list(shard.arrivals[first:stop]),
            shard.data[first:stop],
            shard.keys[first:stop],
            result.millis_behind,
        )
        if result.next_position is None:
            return Delivery(self.stream, shard, *batch, None)
        # Nothing more in the shard: later records of it will have counters past the stream's
        # current one, so the continuation can move up to there (it advances with no records).
        position = result.next_position
        if result.millis_behind == 0 and result.stop == len(self.shard):
            position = max(position, self.stream.counter + 1)
        self.position = position
        return Delivery(self.stream, shard, *batch, position - 1)

    def _check_alive(self, now_ms: int) -> None:
        region = self.backend.region(self.stream.account, self.stream.region)
        if region.get(self.stream.name) is not self.stream or records.is_expired(
            self.stream, self.shard, now_ms
        ):
            raise ResourceNotFoundException.shard(
                shard=self.shard.shard_id, stream=self.stream.name, account=self.stream.account
            )
        if self.stream.live_consumers().get(self.consumer.name) is not self.consumer:
            raise ResourceNotFoundException.consumer(
                consumer=self.consumer.name, stream=self.stream.name, account=self.stream.account
            )


def subscribe(backend: Backend, consumer: Consumer, shard: Shard, position: int) -> Subscription:
    """Start a subscription; within five seconds of the last one for this consumer and shard,
    Kinesis refuses it, and later it takes over from that one."""
    if consumer.status != "ACTIVE":
        raise ResourceInUseException.consumer_not_active(
            consumer=consumer.name,
            created=consumer.created_ms // 1000,
            stream=consumer.stream.name,
            account=consumer.stream.account,
        )
    subscription = Subscription(backend, consumer, shard, position)
    previous = backend.subscriptions.get(subscription.key)
    if previous is not None and subscription.started_ms - previous.started_ms < RESUBSCRIBE_MS:
        stream = consumer.stream
        raise ResourceInUseException.subscription(
            account=stream.account,
            stream=stream.name,
            shard=shard.shard_id,
            consumer=consumer.name,
        )
    backend.subscriptions[subscription.key] = subscription
    backend.new_records.notify_all()  # the one taken over ends
    return subscription
