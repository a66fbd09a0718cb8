"""Reply shapes shared by several operations, built in the model's member order."""

from __future__ import annotations

from typing import Any

from .. import _clock
from ..backend import Shard, Stream


def shard_shape(stream: Stream, shard: Shard) -> dict[str, Any]:
    """A ``Shard`` as DescribeStream and ListShards return it."""
    out: dict[str, Any] = {"ShardId": shard.shard_id}
    if shard.parent is not None:
        out["ParentShardId"] = shard.parent
    if shard.adjacent_parent is not None:
        out["AdjacentParentShardId"] = shard.adjacent_parent
    out["HashKeyRange"] = {
        "StartingHashKey": str(shard.start_hash),
        "EndingHashKey": str(shard.end_hash),
    }
    numbers = {"StartingSequenceNumber": shard.starting_number()}
    ending = shard.ending_number()
    if ending is not None:
        numbers["EndingSequenceNumber"] = ending
    out["SequenceNumberRange"] = numbers
    return out


def mode_details(stream: Stream) -> dict[str, str]:
    """``StreamModeDetails``."""
    return {"StreamMode": stream.mode}


def creation_time(stream: Stream) -> Any:
    """``StreamCreationTimestamp``: whole seconds, as Kinesis reports it."""
    return _clock.to_datetime(stream.created_ms // 1000 * 1000)


def enhanced_monitoring(stream: Stream) -> list[dict[str, list[str]]]:
    """``EnhancedMonitoring``: one entry listing the enabled shard-level metrics."""
    return [{"ShardLevelMetrics": list(stream.shard_level_metrics)}]


def encryption(stream: Stream, out: dict[str, Any]) -> None:
    """Add ``EncryptionType`` and, when set, ``KeyId`` to a description."""
    out["EncryptionType"] = stream.encryption_type
    if stream.key_id is not None:
        out["KeyId"] = stream.key_id


def warm_throughput(stream: Stream) -> dict[str, int]:
    """``WarmThroughput``: the target, and what the stream handles now."""
    return {
        "TargetMiBps": stream.warm_throughput_mibps or 0,
        "CurrentMiBps": stream.current_throughput_mibps(),
    }


def child_shards(children: list[Shard]) -> list[dict[str, Any]]:
    """``ChildShards`` at the end of a closed shard: each child with its parents and hash range."""
    out = []
    for child in children:
        parents = [p for p in (child.parent, child.adjacent_parent) if p is not None]
        out.append(
            {
                "ShardId": child.shard_id,
                "ParentShards": parents,
                "HashKeyRange": {
                    "StartingHashKey": str(child.start_hash),
                    "EndingHashKey": str(child.end_hash),
                },
            }
        )
    return out
