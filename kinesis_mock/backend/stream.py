"""A data stream: identity, capacity mode, settings and shards."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from ..errors import ResourceInUseException
from .phase import Phase
from .quotas import DailyCount
from .shard import Shard, even_ranges


class Pending(Protocol):
    """A change carried out when the stream's UPDATING ends."""

    def complete(self, stream: Stream, at_ms: int) -> None:
        """Carry the change out as of ``at_ms``."""


if TYPE_CHECKING:
    from .consumers import Consumer
    from .region import Region

PROVISIONED = "PROVISIONED"
ON_DEMAND = "ON_DEMAND"
# A new on-demand stream starts with four shards (AWS-validated LocalStack snapshot
# test_create_stream_without_shard_count, 2022-08; 4 MB/s write = 4 shards, per the quotas page).
ON_DEMAND_INITIAL_SHARDS = 4
DEFAULT_RETENTION_HOURS = 24
# A new stream's shards are created, all at once, a few seconds before CreateStream returns: the
# creation second in their sequence numbers is that much earlier (kinesalite actions/createStream.js,
# from AWS's numbers).
SHARDS_EARLIER_S = 2
# Spreads the stream ordinal over 15 digits; odd and not a multiple of 5, so ordinal -> tag is a
# bijection modulo 10**15 and every stream of a mock session gets its own tag (tokens carry it, so
# one issued for a deleted stream does not work on a new stream of the same name).
_SPREAD = 618033988749894848204586834365638117720309179805762862135448622705260462818902449707207
_TAG_MODULUS = 10**15


def partition_of(region: str) -> str:
    """The ARN partition of ``region``."""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def stream_arn(region: str, account: str, name: str) -> str:
    """``arn:aws:kinesis:{region}:{account}:stream/{name}``."""
    return f"arn:{partition_of(region)}:kinesis:{region}:{account}:stream/{name}"


def split_stream_arn(arn: str) -> tuple[str, str]:
    """(account, stream name) of ``arn:aws:kinesis:region:account:stream/name``."""
    parts = arn.split(":", 5)
    resource = parts[5] if len(parts) == 6 else ""
    return parts[4] if len(parts) > 4 else "", resource.removeprefix("stream/")


@dataclass(eq=False)
class Stream:
    """One stream of one account in one region (``region`` holds it, and knows the account)."""

    name: str
    region: Region
    mode: str
    tag: int
    created_ms: int
    phase: Phase = field(default_factory=Phase)
    retention_hours: int = DEFAULT_RETENTION_HOURS
    max_record_size_kib: int = 1024
    warm_throughput_mibps: int | None = None
    encryption_type: str = "NONE"
    key_id: str | None = None
    shard_level_metrics: list[str] = field(default_factory=list)
    tags: dict[str, str] = field(default_factory=dict)
    # Per rolling 24 hours: capacity mode switches, UpdateShardCount calls, and each of Start and
    # StopStreamEncryption (a quota each; model documentation).
    mode_switches: DailyCount = field(default_factory=DailyCount)
    scalings: DailyCount = field(default_factory=DailyCount)
    encryption_starts: DailyCount = field(default_factory=DailyCount)
    encryption_stops: DailyCount = field(default_factory=DailyCount)
    consumers: dict[str, Consumer] = field(default_factory=dict)
    policy: str | None = None
    # Records that arrived before this stay trimmed even if the retention period grows.
    trim_floor_ms: int = 0
    # (first counter, encrypted) from each Start/StopStreamEncryption, in counter order.
    encryption_changes: list[tuple[int, bool]] = field(default_factory=list)
    shards: list[Shard] = field(default_factory=list)
    # The stream-wide record counter: every record takes the next value, which is also the record
    # index its sequence number carries (see sequence.py).
    counter: int = 0
    # The latest arrival time given out: a clock moved back stamps later records with it, so a
    # record's arrival time and the write second in its sequence number always agree.
    last_arrival_ms: int = 0
    # Deleted before it became ACTIVE: its shards never show.
    deleted_while_creating: bool = False
    # A split, merge or rescale that takes effect when the stream's UPDATING ends (resharding.py).
    pending: Pending | None = None
    # The open shards in hash-key order and their starting hash keys, for routing writes; kept in
    # step as shards open and close (open ranges never overlap, so the keys are unique). The keys
    # are 16 big-endian bytes: they order as the numbers do, so an MD5 digest is routed as it is.
    _route_shards: list[Shard] = field(default_factory=list, repr=False)
    _route_bytes: list[bytes] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self.account = self.region.account
        self.arn = stream_arn(self.region.name, self.account, self.name)

    def shards_hidden(self) -> bool:
        """Whether the stream shows no shards: while CREATING, and when deleted while CREATING
        (AWS: DescribeStream then shows DELETING with ``Shards: []``)."""
        return self.deleted_while_creating or self.status == "CREATING"

    @property
    def status(self) -> str:
        """ACTIVE, or CREATING, UPDATING or DELETING while such a change lasts."""
        return self.settle()

    def settle(self) -> str:
        """The status now; a pending split, merge or rescale is carried out (as of the moment its
        UPDATING ended) once its time is up, and dropped if the stream is being deleted."""
        status = self.phase.status()
        if self.pending is not None and status != "UPDATING":
            change, self.pending = self.pending, None
            if status == "ACTIVE":
                change.complete(self, self.phase.until_ms)
        return status

    def live_consumers(self) -> dict[str, Consumer]:
        """The registered consumers, once those that finished deleting are dropped."""
        for name in [n for n, c in self.consumers.items() if c.phase.gone()]:
            del self.consumers[name]
        return self.consumers

    @property
    def retention_ms(self) -> int:
        """The retention period in milliseconds."""
        return self.retention_hours * 3_600_000

    def horizon_ms(self, now_ms: int) -> int:
        """The trim horizon: records (and closed shards) from before it are gone."""
        return max(now_ms - self.retention_ms, self.trim_floor_ms)

    def encrypted(self, counter: int) -> bool:
        """Whether the record with ``counter`` was written while the stream was encrypted."""
        changes = self.encryption_changes
        position = bisect_right(changes, (counter, True)) - 1
        return position >= 0 and changes[position][1]

    def add_shards(
        self,
        ranges: list[tuple[int, int]],
        now_ms: int,
        created_s: int,
        closing: tuple[Shard, ...] = (),
        parent: str | None = None,
        adjacent_parent: str | None = None,
    ) -> list[Shard]:
        """Open one shard per hash range, with the next unused shard ids, in place of the open
        neighbours (in hash order) ``closing``, which close: a stream's first shards, a split's
        two children, a merge's one. The new shards' sequence numbers carry ``created_s``, the
        closed ones' ending numbers the second before. The routing tables change with one slice
        assignment each, not an insert or delete per shard (each a move of the whole table)."""
        start = closing[0].start_hash if closing else ranges[0][0]
        position = bisect_left(self._route_bytes, _key_bytes(start))
        for shard in closing:
            shard.close(now_ms, created_s - 1)
        first = len(self.shards)
        added = [
            Shard(first + number, start, end, now_ms, created_s, parent, adjacent_parent)
            for number, (start, end) in enumerate(ranges)
        ]
        self.shards.extend(added)
        stop = position + len(closing)
        self._route_shards[position:stop] = added
        self._route_bytes[position:stop] = [_key_bytes(shard.start_hash) for shard in added]
        self.region.opened(self, len(added) - len(closing))
        return added

    def arrival_ms(self, now_ms: int) -> int:
        """The arrival time of a record written at ``now_ms``: never before an earlier one's."""
        if now_ms < self.last_arrival_ms:
            return self.last_arrival_ms
        self.last_arrival_ms = now_ms
        return now_ms

    def route(self, hash_key: int) -> Shard:
        """The open shard whose inclusive hash-key range holds ``hash_key``."""
        shards = self._route_shards
        if len(shards) == 1:
            return shards[0]
        return shards[bisect_right(self._route_bytes, _key_bytes(hash_key)) - 1]

    def route_bytes(self, hash_keys: list[bytes]) -> list[Shard]:
        """:meth:`route` for many keys, each given as 16 big-endian bytes."""
        shards, starts = self._route_shards, self._route_bytes
        return [shards[bisect_right(starts, key) - 1] for key in hash_keys]

    def children_of(self, shard: Shard) -> list[Shard]:
        """The shards a split or merge of ``shard`` created."""
        name = shard.shard_id
        return [s for s in self.shards[shard.index + 1 :] if s.parent == name or s.adjacent_parent == name]

    def live_shards(self, now_ms: int) -> list[Shard]:
        """Every shard but those closed before the trim horizon, in id order."""
        if self.shards_hidden():
            return []
        horizon = self.horizon_ms(now_ms)
        return [s for s in self.shards if s.closed_ms is None or s.closed_ms >= horizon]

    def live_shards_after(self, index: int, now_ms: int) -> Iterator[Shard]:
        """:meth:`live_shards` whose index is above ``index``, lazily (a page reads only its own)."""
        if self.shards_hidden():
            return
        horizon, shards = self.horizon_ms(now_ms), self.shards
        for position in range(max(index + 1, 0), len(shards)):
            shard = shards[position]
            if shard.closed_ms is None or shard.closed_ms >= horizon:
                yield shard

    def shard(self, index: int) -> Shard | None:
        """Shard ``index``, if it exists (no shard does while the stream is CREATING)."""
        if not 0 <= index < len(self.shards) or self.shards_hidden():
            return None
        return self.shards[index]

    def open_shards(self) -> list[Shard]:
        """The shards that take writes, in hash-key order."""
        return list(self._route_shards)

    @property
    def open_count(self) -> int:
        """How many shards take writes, whatever the status."""
        return len(self._route_shards)

    def open_shard_count(self) -> int:
        """How many shards take writes (none are shown while the stream is CREATING)."""
        if self.shards_hidden():
            return 0
        return len(self._route_shards)

    def current_throughput_mibps(self) -> int:
        """What the stream handles now: at least 1 MiB/s per open shard, and its warm throughput
        target (the mock reaches a target at once)."""
        return max(self.warm_throughput_mibps or 0, self.open_shard_count())

    def sequence_number(self, counter: int, shard: Shard) -> str:
        """The sequence number of position ``counter`` in ``shard``."""
        return shard.number(counter)

    def sequence_numbers(
        self, counters: Sequence[int], shard: Shard, arrivals_ms: Sequence[int]
    ) -> list[str]:
        """The numbers of records ``counters`` of ``shard``, which arrived at ``arrivals_ms``."""
        return shard.numbers(counters, arrivals_ms)


def ensure_active(stream: Stream) -> None:
    """ResourceInUseException unless the stream is ACTIVE."""
    if stream.status != "ACTIVE":
        raise ResourceInUseException.not_active(
            stream=stream.name, account=stream.account, status=stream.status
        )


def _key_bytes(hash_key: int) -> bytes:
    return hash_key.to_bytes(16, "big")


def new_stream(
    name: str, region: Region, mode: str, shard_count: int, ordinal: int, now_ms: int, created_s: int
) -> Stream:
    """A new ACTIVE stream whose ``shard_count`` shards split the hash-key space evenly, created
    (as their sequence numbers say) at ``created_s``."""
    stream = Stream(name, region, mode, stream_tag(ordinal), now_ms)
    stream.add_shards(even_ranges(shard_count), now_ms, created_s)
    return stream


def stream_tag(ordinal: int) -> int:
    """The tag of the ``ordinal``-th stream created in a mock session."""
    return (ordinal * _SPREAD + 7_391_528_046_117) % _TAG_MODULUS
