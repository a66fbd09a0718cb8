"""Shards: ListShards, SplitShard, MergeShards, UpdateShardCount."""

from __future__ import annotations

from typing import Any

from .. import _clock
from ..backend import Backend, ShardFilter
from ._registry import Call, Result, operation, stream_ref
from ._shapes import shard_shape


@operation("ListShards")
def list_shards(backend: Backend, call: Call) -> Result:
    p = call.params
    created = p.get("StreamCreationTimestamp")
    page = backend.list_shards(
        stream_ref(call),
        p.get("NextToken"),
        p.get("ExclusiveStartShardId"),
        None if created is None else int(created),
        _shard_filter(p.get("ShardFilter")),
        p.get("MaxResults"),
    )
    out: dict[str, Any] = {"Shards": [shard_shape(page.stream, shard) for shard in page.shards]}
    if page.next_token is not None:
        out["NextToken"] = page.next_token
    return out


def _shard_filter(given: dict[str, Any] | None) -> ShardFilter | None:
    if given is None:
        return None
    stamp = given.get("Timestamp")
    return ShardFilter(
        given["Type"], given.get("ShardId"), None if stamp is None else _clock.from_epoch_seconds(stamp)
    )


@operation("SplitShard")
def split_shard(backend: Backend, call: Call) -> Result:
    p = call.params
    backend.split_shard(stream_ref(call), p["ShardToSplit"], p["NewStartingHashKey"])
    return {}


@operation("MergeShards")
def merge_shards(backend: Backend, call: Call) -> Result:
    p = call.params
    backend.merge_shards(stream_ref(call), p["ShardToMerge"], p["AdjacentShardToMerge"])
    return {}


@operation("UpdateShardCount")
def update_shard_count(backend: Backend, call: Call) -> Result:
    target = call.params["TargetShardCount"]
    stream, current = backend.update_shard_count(stream_ref(call), target)
    return {
        "StreamName": stream.name,
        "CurrentShardCount": current,
        "TargetShardCount": target,
        "StreamARN": stream.arn,
    }
