"""Enhanced fan-out: the live SubscribeToShard subscriptions of one backend.

A subscription delivers what the shard holds from its starting position on, then what producers
write while it lasts, in deliveries of at most 10,000 records. With nothing new it waits a short
real time (``Backend.subscribe_idle_seconds``) for a write and then delivers an empty batch, so a
consumer is never left hanging; closing it wakes it at once. It ends after five minutes by the mock
clock, at the end of a closed shard, or when a newer subscription for the same consumer and shard
takes over.

:class:`FanOut` owns all of it: the registry (one subscription per consumer and shard) and the
conditions subscriptions wait on, one per watched shard, all on the backend's lock. A write wakes
the subscribers of the shards it wrote to; a change that can end subscriptions (resharding, a
deletion, a take-over, a close) wakes them all.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from .. import _clock
from ..errors import ResourceInUseException, ResourceNotFoundException
from . import records
from .consumers import Consumer
from .records import Read
from .shard import Shard
from .stream import Stream

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
    # At the end of a closed shard: the shards its split or merge created.
    children: list[Shard] = field(default_factory=list)


class FanOut:
    """The live subscriptions of one backend and what they wait on, under the backend's lock."""

    def __init__(self, lock: threading.RLock) -> None:
        self.lock = lock
        self._live: dict[tuple[str, str], Subscription] = {}
        # When each consumer and shard last subscribed, for the five-second rule (kept five seconds).
        self._started: dict[tuple[str, str], int] = {}
        # One condition per shard that a live subscription waits on (dropped with the last one).
        self._waiting: dict[Shard, threading.Condition] = {}
        # Whether any subscription ever waited for records (until then a write wakes nobody).
        self.watching = False

    def subscribe(self, consumer: Consumer, shard: Shard, position: int, idle_seconds: float) -> Subscription:
        """Start a subscription; within five seconds of the last one for this consumer and shard,
        Kinesis refuses it, and later it takes over from that one."""
        if consumer.status != "ACTIVE":
            raise ResourceInUseException.consumer_not_active(
                consumer=consumer.name,
                created=consumer.created_ms // 1000,
                stream=consumer.stream.name,
                account=consumer.stream.account,
            )
        subscription = Subscription(self, consumer, shard, position, idle_seconds)
        key, now = subscription.key, subscription.started_ms
        for old in [k for k, started in self._started.items() if now - started >= RESUBSCRIBE_MS]:
            del self._started[old]
        if key in self._started:
            stream = consumer.stream
            raise ResourceInUseException.subscription(
                account=stream.account, stream=stream.name, shard=shard.shard_id, consumer=consumer.name
            )
        self._started[key] = now
        self._live[key] = subscription
        self.wake_all()  # the one taken over ends
        return subscription

    def ended(self, subscription: Subscription) -> None:
        """Forget ``subscription`` (closed, over, or taken over), and its shard's condition when no
        live subscription waits on that shard any more: nothing is kept for a subscription that
        has ended, so a deleted stream's records are not held by one."""
        if self._live.get(subscription.key) is subscription:
            del self._live[subscription.key]
        shard = subscription.shard
        if shard in self._waiting and all(live.shard is not shard for live in self._live.values()):
            del self._waiting[shard]

    def end_where(self, ends: Callable[[Subscription], bool]) -> None:
        """End the subscriptions for which ``ends`` holds (their stream is deleted, or their
        consumer deregistered), whether or not anyone still iterates them."""
        self.wake_all()
        for subscription in [s for s in self._live.values() if ends(s)]:
            self.ended(subscription)

    def live(self) -> list[Subscription]:
        """The live subscriptions, one per consumer and shard."""
        return list(self._live.values())

    def close_all(self) -> None:
        """End every live subscription (the state is being replaced, or a server stops)."""
        with self.lock:
            for subscription in self.live():
                subscription.close()

    def is_current(self, subscription: Subscription) -> bool:
        """Whether ``subscription`` is the live one of its consumer and shard."""
        return self._live.get(subscription.key) is subscription

    def wait(self, shard: Shard, seconds: float) -> None:
        """Wait (the lock released meanwhile) until ``shard`` is written to, or ``seconds`` pass."""
        condition = self._waiting.get(shard)
        if condition is None:
            condition = self._waiting[shard] = threading.Condition(self.lock)
            self.watching = True
        condition.wait(seconds)

    def wake(self, shard: Shard) -> None:
        """Wake the subscriptions waiting on ``shard``."""
        condition = self._waiting.get(shard)
        if condition is not None:
            condition.notify_all()

    def wake_all(self) -> None:
        """Wake every waiting subscription, to deliver or to notice it has ended."""
        for condition in self._waiting.values():
            condition.notify_all()


class Subscription:
    """A live subscription; iterate it for deliveries, close it to end it."""

    def __init__(
        self, fan_out: FanOut, consumer: Consumer, shard: Shard, position: int, idle_seconds: float
    ) -> None:
        self.fan_out, self.consumer, self.shard = fan_out, consumer, shard
        self.stream, self.position, self.idle_seconds = consumer.stream, position, idle_seconds
        self.started_ms = _clock.now_ms()
        self.closed = False
        self.key = (consumer.arn, shard.shard_id)

    def close(self) -> None:
        """End the subscription now, waking it if it is waiting for records."""
        with self.fan_out.lock:
            self.closed = True
            self.fan_out.wake(self.shard)
            self.fan_out.ended(self)

    def __iter__(self) -> Iterator[Delivery]:
        try:
            while True:
                with self.fan_out.lock:
                    delivery = self._next()
                if delivery is None:
                    return
                yield delivery
                if delivery.continuation is None:
                    return
        finally:
            with self.fan_out.lock:
                self.fan_out.ended(self)

    def _next(self) -> Delivery | None:
        waited = False
        while True:
            if self.closed:
                return None
            now = _clock.now_ms()
            # A deleted stream or consumer is an error event, even once forgotten (end_where).
            self._check_alive(now)
            if not self.fan_out.is_current(self) or now - self.started_ms >= LIFETIME_MS:
                return None
            result = records.read(self.stream, self.shard, self.position, _BATCH, now)
            if result.stop > result.first or result.next_position is None or waited:
                return self._deliver(result)
            self.fan_out.wait(self.shard, self.idle_seconds)
            waited = True

    def _deliver(self, result: Read) -> Delivery:
        shard, first, stop = self.shard, result.first, result.stop
        batch = (
            list(shard.counters[first:stop]),
            list(shard.arrivals[first:stop]),
            shard.data[first:stop],
            shard.keys(first, stop),
            result.millis_behind,
        )
        if result.next_position is None:
            return Delivery(self.stream, shard, *batch, None, self.stream.children_of(shard))
        # Nothing more in the shard: later records of it will have counters past the stream's
        # current one, so the continuation can move up to there (it advances with no records).
        position = result.next_position
        if result.millis_behind == 0 and result.stop == len(self.shard):
            position = max(position, self.stream.counter + 1)
        self.position = position
        return Delivery(self.stream, shard, *batch, position - 1)

    def gone(self) -> bool:
        """Whether the stream or the consumer of this subscription is gone (deleted)."""
        stream = self.stream
        return (
            stream.region.get(stream.name) is not stream
            or stream.live_consumers().get(self.consumer.name) is not self.consumer
        )

    def _check_alive(self, now_ms: int) -> None:
        self.stream.settle()  # an update whose time is up closes this shard now
        if self.stream.region.get(self.stream.name) is not self.stream or records.is_expired(
            self.stream, self.shard, now_ms
        ):
            raise ResourceNotFoundException.shard(
                shard=self.shard.shard_id, stream=self.stream.name, account=self.stream.account
            )
        if self.stream.live_consumers().get(self.consumer.name) is not self.consumer:
            raise ResourceNotFoundException.consumer(
                consumer=self.consumer.name, stream=self.stream.name, account=self.stream.account
            )
