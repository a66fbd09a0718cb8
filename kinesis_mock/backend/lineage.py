"""Which shards a ListShards call shows: retention, ExclusiveStartShardId and ShardFilter."""

from __future__ import annotations

from ..errors import InvalidArgumentException
from .shard import Shard, parse_shard_id
from .stream import Stream

_TIMESTAMP_FILTERS = frozenset({"AT_TIMESTAMP", "FROM_TIMESTAMP"})


def check_filter(kind: str, shard_id: str | None, timestamp_ms: int | None) -> None:
    """The ShardFilter members each type needs, and only those."""
    if (kind == "AFTER_SHARD_ID") != (shard_id is not None):
        raise InvalidArgumentException.filter_shard_id(kind=kind)
    if (kind in _TIMESTAMP_FILTERS) != (timestamp_ms is not None):
        raise InvalidArgumentException.filter_timestamp(kind=kind)


def after(shards: list[Shard], shard_id: str) -> list[Shard]:
    """The shards whose id follows ``shard_id`` (ids are resolved leniently, as Kinesis does)."""
    index = parse_shard_id(shard_id)
    if index is None:
        return [s for s in shards if s.shard_id > shard_id]
    return [s for s in shards if s.index > index]


def filtered(
    stream: Stream, kind: str | None, shard_id: str | None, timestamp_ms: int | None, now_ms: int
) -> list[Shard]:
    """The shards a ShardFilter selects among those within retention (model documentation)."""
    shards = stream.live_shards(now_ms)
    horizon = max(stream.horizon_ms(now_ms), stream.created_ms)
    if kind is None or kind == "FROM_TRIM_HORIZON":
        return shards
    if kind == "AFTER_SHARD_ID":
        assert shard_id is not None
        return after(shards, shard_id)
    if kind == "AT_LATEST":
        return [s for s in shards if s.is_open]
    if kind == "AT_TRIM_HORIZON":
        return _open_at(shards, horizon)
    assert timestamp_ms is not None
    if kind == "AT_TIMESTAMP":
        return _open_at(shards, max(timestamp_ms, stream.created_ms))
    # FROM_TIMESTAMP: closed shards that ended at or after the time, and every open shard; a time
    # before the trim horizon counts as the trim horizon.
    since = max(timestamp_ms, horizon)
    return [s for s in shards if s.closed_ms is None or s.closed_ms >= since]


def _open_at(shards: list[Shard], moment_ms: int) -> list[Shard]:
    return [
        s for s in shards if s.created_ms <= moment_ms and (s.closed_ms is None or s.closed_ms >= moment_ms)
    ]
