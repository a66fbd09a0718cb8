"""The streams of one account in one region, and the rules that count across them (quotas)."""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import _clock
from ..errors import (
    InvalidArgumentException,
    LimitExceededException,
    ResourceInUseException,
    ResourceNotFoundException,
    ValidationException,
)
from . import configuration
from . import tags as tag_rules
from .account import Commitment
from .stream import (
    ON_DEMAND,
    ON_DEMAND_INITIAL_SHARDS,
    PROVISIONED,
    SHARDS_EARLIER_S,
    Stream,
    ensure_active,
    new_stream,
)

if TYPE_CHECKING:
    from .registry import Backend


@dataclass(frozen=True, slots=True)
class NewStream:
    """What CreateStream asks for: a name, and a shard count and/or capacity mode, with optional
    record size cap, tags and warm throughput."""

    name: str
    shard_count: int | None = None
    mode: str | None = None
    max_record_size_kib: int | None = None
    tags: Mapping[str, str] | None = None
    warm_throughput_mibps: int | None = None


class Region:
    """The streams of one account in one region.

    The counts DescribeLimits reports and the quotas check (open shards, on-demand streams) are
    kept as streams come, go and reshard, and only the streams in a timed status (CREATING or
    DELETING, listed in ``_changing``) are looked at again, so no call scans the region.
    """

    def __init__(self, backend: Backend, account: str, name: str) -> None:
        self.backend = backend
        self.account = account
        self.name = name
        self.streams: dict[str, Stream] = {}
        self.commitment = Commitment()
        self._names: list[str] = []  # of ``streams``, sorted
        self._open_shards = 0  # of every stream in ``streams``, CREATING ones included
        self._on_demand = 0
        self._changing: dict[str, Stream] = {}

    def get(self, name: str) -> Stream | None:
        """The stream called ``name``, if there is one (a stream that finished deleting is not)."""
        stream = self.streams.get(name)
        if stream is not None and stream.phase.gone():
            self._drop(stream)
            return None
        return stream

    def live_streams(self) -> dict[str, Stream]:
        """Every stream, once those that finished deleting are dropped."""
        self._settle()
        return self.streams

    def sorted_names(self) -> list[str]:
        """The names of :meth:`live_streams`, in lexicographic order."""
        self._settle()
        return self._names

    def changing(self, stream: Stream) -> None:
        """Note that ``stream`` entered CREATING or DELETING, or is UPDATING towards a pending
        split, merge or rescale (its counts change with time)."""
        self._changing[stream.name] = stream

    def opened(self, stream: Stream, count: int) -> None:
        """``stream`` opened ``count`` shards (closed some, if negative)."""
        if self.streams.get(stream.name) is stream:
            self._open_shards += count

    def switched_mode(self, stream: Stream, mode: str) -> None:
        """``stream`` moves to the other capacity mode, ``mode``."""
        self._on_demand += 1 if mode == ON_DEMAND else -1
        stream.mode = mode

    def _add(self, stream: Stream) -> None:
        self.streams[stream.name] = stream
        insort(self._names, stream.name)
        self._open_shards += stream.open_count
        self._on_demand += stream.mode == ON_DEMAND

    def _drop(self, stream: Stream) -> None:
        del self.streams[stream.name]
        del self._names[bisect_left(self._names, stream.name)]
        self._open_shards -= stream.open_count
        self._on_demand -= stream.mode == ON_DEMAND
        self._changing.pop(stream.name, None)

    def _settle(self) -> None:
        # Drop the streams that finished deleting, and stop watching those that became ACTIVE
        # (reading the status carries out a pending reshard whose time is up).
        for stream in list(self._changing.values()):
            if stream.phase.gone():
                self._drop(stream)
            elif stream.settle() not in ("CREATING", "DELETING") and stream.pending is None:
                del self._changing[stream.name]

    def stream(self, name: str) -> Stream:
        """The stream called ``name``, or ResourceNotFoundException."""
        stream = self.get(name)
        if stream is None:
            raise ResourceNotFoundException.stream(stream=name, account=self.account)
        return stream

    def open_shard_count(self) -> int:
        """Open shards of every stream, as DescribeLimits reports and the shard quota counts
        (a CREATING stream shows none)."""
        self._settle()
        creating = sum(s.open_count for s in self._changing.values() if s.status == "CREATING")
        return self._open_shards - creating

    def on_demand_stream_count(self) -> int:
        """Streams in ON_DEMAND mode."""
        self._settle()
        return self._on_demand

    def check_shard_quota(self, additional: int) -> None:
        """LimitExceededException if ``additional`` more open shards would pass the quota."""
        current, limit = self.open_shard_count(), self.backend.quotas.shard_limit_in(self.name)
        if current + additional > limit:
            raise LimitExceededException.shard_limit(
                account=self.account,
                region=self.name,
                current=current,
                limit=limit,
                additional=additional,
            )

    def check_on_demand_quota(self) -> None:
        """LimitExceededException if one more ON_DEMAND stream would pass the quota."""
        current, limit = self.on_demand_stream_count(), self.backend.quotas.on_demand_stream_limit
        if current + 1 > limit:
            raise LimitExceededException.on_demand_limit(
                account=self.account, region=self.name, current=current, limit=limit
            )

    def create_stream(self, new: NewStream) -> Stream:
        """The checks and quotas of CreateStream, then the new stream (its status is the
        backend's to set)."""
        quotas, name, shard_count, mode, tags = (
            self.backend.quotas,
            new.name,
            new.shard_count,
            new.mode,
            new.tags,
        )
        if mode is None:
            # CreateStream with neither ShardCount nor StreamModeDetails succeeds on AWS with
            # four shards, which is what an on-demand stream starts with.
            mode = PROVISIONED if shard_count is not None else ON_DEMAND
        if mode == ON_DEMAND and shard_count is not None:
            raise InvalidArgumentException.shard_count_on_demand()
        if mode == PROVISIONED and shard_count is None:
            raise InvalidArgumentException.shard_count_missing()
        if self.get(name) is not None:
            raise ResourceInUseException.exists(stream=name, account=self.account)
        self._settle()
        changing = len(self._changing)
        if changing >= quotas.creating_stream_limit:
            raise LimitExceededException.creating_limit(
                account=self.account, limit=quotas.creating_stream_limit
            )
        if mode == ON_DEMAND:
            self.check_on_demand_quota()
        count = shard_count if shard_count is not None else ON_DEMAND_INITIAL_SHARDS
        self.check_shard_quota(count)
        ordinal, now = self.backend.next_ordinal(), _clock.now_ms()
        created_s = self.backend.creation_second(
            self.account, self.name, name, now // 1000 - SHARDS_EARLIER_S
        )
        stream = new_stream(name, self, mode, count, ordinal, now, created_s)
        if tags:
            tag_rules.check_resource_tags([*tags, *tags.values()])
            tag_rules.merge(stream.tags, tags, "stream", name, self.account, quotas.tag_limit)
        if new.warm_throughput_mibps is not None:
            configuration.check_warm_throughput(stream, mode, new.warm_throughput_mibps)
            stream.warm_throughput_mibps = new.warm_throughput_mibps
        stream.max_record_size_kib = (
            new.max_record_size_kib if new.max_record_size_kib is not None else quotas.max_record_size_kib
        )
        self.backend.take_ordinal(ordinal)
        self.backend.take_creation_second(self.account, self.name, name, created_s)
        self._add(stream)
        return stream

    def update_stream_mode(self, stream: Stream, mode: str, warm_mibps: int | None) -> bool:
        """UpdateStreamMode: switch capacity mode, keeping the shards as they are; at most so many
        switches per rolling 24 hours. Whether the mode changed."""
        ensure_active(stream)
        if warm_mibps is not None:
            if mode != ON_DEMAND:
                raise ValidationException.warm_throughput_mode(stream=stream.name, account=stream.account)
            configuration.check_warm_throughput(stream, ON_DEMAND, warm_mibps)
        if mode == stream.mode:
            if warm_mibps is not None:
                stream.warm_throughput_mibps = warm_mibps
            return False
        now, limit = _clock.now_ms(), self.backend.quotas.mode_switches_per_day
        if stream.mode_switches.full(limit, now):
            raise LimitExceededException.mode_switch_limit(
                stream=stream.name, account=stream.account, limit=limit
            )
        if mode == ON_DEMAND:
            self.check_on_demand_quota()
        self.switched_mode(stream, mode)
        stream.mode_switches.add(now)
        if warm_mibps is not None:
            stream.warm_throughput_mibps = warm_mibps
        return True
