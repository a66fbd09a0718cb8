"""Shards: ListShards, SplitShard, MergeShards, UpdateShardCount."""

from __future__ import annotations

from typing import Any

from .. import _clock
from ..backend import Backend, lineage, resharding
from ..backend.stream import Stream
from ..errors import InvalidArgumentException, ResourceNotFoundException
from ._registry import Call, Result, named_stream, operation, stream_of
from ._shapes import shard_shape

# "If you specify a value greater than 1000, at most 1000 results are returned" (model docs).
_PAGE = 1000
_WITHOUT_TOKEN = (
    "StreamName",
    "StreamARN",
    "ExclusiveStartShardId",
    "StreamCreationTimestamp",
    "ShardFilter",
)


# Where a listing starts: the stream, the ShardFilter (type, shard id, time) and the shard after
# which to go on.
_Listing = tuple[Stream, str | None, str | None, int | None, str | None]


@operation("ListShards")
def list_shards(backend: Backend, call: Call) -> Result:
    p = call.params
    stream, kind, shard_id, stamp, start = (
        _resume(backend, call) if "NextToken" in p else _first_page(backend, call)
    )
    shards = lineage.filtered(stream, kind, shard_id, stamp, _clock.now_ms())
    if start is not None:
        shards = lineage.after(shards, start)
    limit = min(p.get("MaxResults", _PAGE), _PAGE)
    out: dict[str, Any] = {"Shards": [shard_shape(stream, shard) for shard in shards[:limit]]}
    if len(shards) > limit:
        out["NextToken"] = backend.page_token(
            "ListShards",
            call.account,
            call.region,
            stream.account,
            stream.name,
            stream.tag,
            shards[limit - 1].shard_id,
            kind or "",
            shard_id or "",
            "" if stamp is None else stamp,
        )
    return out


def _first_page(backend: Backend, call: Call) -> _Listing:
    p = call.params
    if "StreamName" not in p and "StreamARN" not in p:
        raise InvalidArgumentException.list_shards_nothing()
    stream = _stream_created_at(backend, call)
    shard_filter = p.get("ShardFilter", {})
    kind, shard_id = shard_filter.get("Type"), shard_filter.get("ShardId")
    stamp = _millis(shard_filter.get("Timestamp"))
    if kind is not None:
        lineage.check_filter(kind, shard_id, stamp)
    return stream, kind, shard_id, stamp, p.get("ExclusiveStartShardId")


def _millis(seconds: float | None) -> int | None:
    return None if seconds is None else _clock.from_epoch_seconds(seconds)


def _stream_created_at(backend: Backend, call: Call) -> Stream:
    stream = stream_of(backend, call)
    created = call.params.get("StreamCreationTimestamp")
    if created is not None and int(created) != stream.created_ms // 1000:
        raise ResourceNotFoundException.stream(stream=stream.name, account=stream.account)
    return stream


def _resume(backend: Backend, call: Call) -> _Listing:
    # "Don't specify StreamName or StreamCreationTimestamp if you specify NextToken" (model docs).
    for other in _WITHOUT_TOKEN:
        if other in call.params:
            raise InvalidArgumentException.list_shards_together(other=other)
    account, name, tag, start, kind, shard_id, stamp = backend.resume(
        "ListShards", call.params["NextToken"], call.account, call.region
    )
    stream = backend.region(account, call.region).get(name)
    if stream is None or str(stream.tag) != tag:
        raise ResourceNotFoundException.stream(stream=name, account=account)
    return stream, kind or None, shard_id or None, int(stamp) if stamp else None, start


@operation("SplitShard")
def split_shard(backend: Backend, call: Call) -> Result:
    # The shard id is checked before the stream is looked up (kinesalite, recorded vs AWS).
    index = resharding.check_shard_id(*named_stream(call), call.params["ShardToSplit"])
    stream = stream_of(backend, call)
    region = backend.region(stream.account, stream.region)
    resharding.split_shard(region, stream, index, call.params["NewStartingHashKey"])
    stream.phase.begin("UPDATING", backend.state_change_seconds)
    return {}


@operation("MergeShards")
def merge_shards(backend: Backend, call: Call) -> Result:
    name, account = named_stream(call)
    first = resharding.check_shard_id(name, account, call.params["ShardToMerge"])
    second = resharding.check_shard_id(name, account, call.params["AdjacentShardToMerge"])
    stream = stream_of(backend, call)
    resharding.merge_shards(stream, first, second)
    stream.phase.begin("UPDATING", backend.state_change_seconds)
    return {}


@operation("UpdateShardCount")
def update_shard_count(backend: Backend, call: Call) -> Result:
    stream = stream_of(backend, call)
    target = call.params["TargetShardCount"]
    region = backend.region(stream.account, stream.region)
    current = resharding.update_shard_count(region, stream, target)
    stream.phase.begin("UPDATING", backend.state_change_seconds)
    return {
        "StreamName": stream.name,
        "CurrentShardCount": current,
        "TargetShardCount": target,
        "StreamARN": stream.arn,
    }
