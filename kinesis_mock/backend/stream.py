"""A data stream: identity, capacity mode, settings and shards."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import sequence
from .shard import Shard, even_ranges

PROVISIONED = "PROVISIONED"
ON_DEMAND = "ON_DEMAND"
# A new on-demand stream starts with four shards (AWS-validated LocalStack snapshot
# test_create_stream_without_shard_count, 2022-08; 4 MB/s write = 4 shards, per the quotas page).
ON_DEMAND_INITIAL_SHARDS = 4
DEFAULT_RETENTION_HOURS = 24
DEFAULT_MAX_RECORD_SIZE_KIB = 1024


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


@dataclass(eq=False)
class Stream:
    """One stream of one account in one region."""

    name: str
    account: str
    region: str
    mode: str
    tag: int
    created_ms: int
    status: str = "ACTIVE"
    retention_hours: int = DEFAULT_RETENTION_HOURS
    max_record_size_kib: int = DEFAULT_MAX_RECORD_SIZE_KIB
    warm_throughput_mibps: int | None = None
    encryption_type: str = "NONE"
    key_id: str | None = None
    shard_level_metrics: list[str] = field(default_factory=list)
    tags: dict[str, str] = field(default_factory=dict)
    consumer_count: int = 0
    mode_switches_ms: list[int] = field(default_factory=list)
    shards: list[Shard] = field(default_factory=list)
    # The stream-wide sequence counter (see sequence.py): every record and every shard opened or
    # closed takes the next value.
    counter: int = 0

    def __post_init__(self) -> None:
        self.arn = stream_arn(self.region, self.account, self.name)

    def add_shards(self, ranges: list[tuple[int, int]], now_ms: int) -> list[Shard]:
        """Open one new shard per hash range, with the next unused shard ids."""
        added = []
        for start, end in ranges:
            self.counter += 1
            shard = Shard(len(self.shards), start, end, self.counter, now_ms)
            self.shards.append(shard)
            added.append(shard)
        return added

    def open_shards(self) -> list[Shard]:
        """The shards that take writes, in hash-key order."""
        return sorted((s for s in self.shards if s.is_open), key=lambda s: s.start_hash)

    def open_shard_count(self) -> int:
        """How many shards take writes."""
        return sum(1 for shard in self.shards if shard.is_open)

    def sequence_number(self, counter: int, shard: Shard) -> str:
        """The 56-digit sequence number of ``counter`` in ``shard``."""
        return sequence.encode(self.tag, counter, shard.index)


def new_stream(
    name: str, account: str, region: str, mode: str, shard_count: int, ordinal: int, now_ms: int
) -> Stream:
    """A new ACTIVE stream whose ``shard_count`` shards split the hash-key space evenly."""
    stream = Stream(name, account, region, mode, sequence.stream_tag(ordinal), now_ms)
    stream.add_shards(even_ranges(shard_count), now_ms)
    return stream
