"""Enhanced fan-out consumers: registration, lookup by ARN or by stream and name, removal."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import _clock
from ..errors import (
    InvalidArgumentException,
    LimitExceededException,
    ResourceInUseException,
    ResourceNotFoundException,
)
from .phase import Phase
from .stream import Stream, split_stream_arn


@dataclass(eq=False)
class Consumer:
    """A registered consumer of one stream."""

    name: str
    stream: Stream
    created_ms: int
    phase: Phase = field(default_factory=Phase)
    tags: dict[str, str] = field(default_factory=dict)
    policy: str | None = None

    @property
    def status(self) -> str:
        """ACTIVE, or CREATING or DELETING while such a change lasts."""
        return self.phase.status()

    @property
    def arn(self) -> str:
        """``{StreamARN}/consumer/{name}:{creation epoch seconds}``."""
        return f"{self.stream.arn}/consumer/{self.name}:{self.created_ms // 1000}"


def register(stream: Stream, name: str, limit: int, creating_limit: int) -> Consumer:
    """The checks of RegisterStreamConsumer, then the new consumer (its status is the backend's to
    set): at most ``limit`` per stream and ``creating_limit`` of them CREATING."""
    if name in stream.live_consumers():
        raise ResourceInUseException.consumer_exists(
            consumer=name, stream=stream.name, account=stream.account
        )
    if len(stream.consumers) >= limit:
        raise LimitExceededException.consumer_limit(stream=stream.name, account=stream.account, limit=limit)
    creating = sum(1 for c in stream.consumers.values() if c.status == "CREATING")
    if creating >= creating_limit:
        raise LimitExceededException.consumers_creating(
            stream=stream.name, account=stream.account, limit=creating_limit
        )
    consumer = Consumer(name, stream, _clock.now_ms())
    stream.consumers[name] = consumer
    return consumer


def named(stream: Stream, name: str) -> Consumer:
    """The consumer ``name`` of ``stream``, or ResourceNotFoundException."""
    consumer = stream.live_consumers().get(name)
    if consumer is None:
        raise ResourceNotFoundException.consumer(consumer=name, stream=stream.name, account=stream.account)
    return consumer


def split_arn(arn: str) -> tuple[str, str, str, str]:
    """(account, stream ARN, stream name, consumer name) of a consumer ARN."""
    stream_arn, _, tail = arn.partition("/consumer/")
    account, stream = split_stream_arn(stream_arn)
    return account, stream_arn, stream, tail.rsplit(":", 1)[0]


def check_consumer_arguments(consumer_arn: str | None, stream_arn: str | None, name: str | None) -> None:
    """ConsumerARN, or StreamARN with ConsumerName, or all three as long as they agree."""
    if consumer_arn is None and (stream_arn is None or name is None):
        raise InvalidArgumentException.consumer_identifier()
    if consumer_arn is not None:
        _, arn_stream, _, arn_name = split_arn(consumer_arn)
        if (stream_arn is not None and stream_arn != arn_stream) or (name is not None and name != arn_name):
            raise InvalidArgumentException.consumer_conflict()
