"""Stream lifecycle and description: Create/Delete/Describe/DescribeSummary/List, limits, mode."""

from __future__ import annotations

from typing import Any

from ..backend import ON_DEMAND, Backend, NewStream, Stream
from ._registry import Call, Result, operation, stream_ref
from ._shapes import (
    creation_time,
    encryption,
    enhanced_monitoring,
    mode_details,
    shard_shape,
    warm_throughput,
)


@operation("CreateStream")
def create_stream(backend: Backend, call: Call) -> Result:
    p = call.params
    new = NewStream(
        p["StreamName"],
        p.get("ShardCount"),
        p.get("StreamModeDetails", {}).get("StreamMode"),
        p.get("MaxRecordSizeInKiB"),
        p.get("Tags"),
        p.get("WarmThroughputMiBps"),
    )
    backend.create_stream(call.account, call.region, new)
    return {}


@operation("DeleteStream")
def delete_stream(backend: Backend, call: Call) -> Result:
    backend.delete_stream(stream_ref(call), call.params.get("EnforceConsumerDeletion", False))
    return {}


@operation("DescribeStream")
def describe_stream(backend: Backend, call: Call) -> Result:
    p = call.params
    page = backend.describe_stream(stream_ref(call), p.get("ExclusiveStartShardId"), p.get("Limit"))
    stream = page.stream
    out: dict[str, Any] = {
        "StreamName": stream.name,
        "StreamARN": stream.arn,
        "StreamStatus": stream.status,
        "StreamModeDetails": mode_details(stream),
        "Shards": [shard_shape(stream, shard) for shard in page.shards],
        "HasMoreShards": page.more,
        "RetentionPeriodHours": stream.retention_hours,
        "StreamCreationTimestamp": creation_time(stream),
        "EnhancedMonitoring": enhanced_monitoring(stream),
    }
    encryption(stream, out)
    return {"StreamDescription": out}


@operation("DescribeStreamSummary")
def describe_stream_summary(backend: Backend, call: Call) -> Result:
    stream = backend.stream(stream_ref(call))
    out: dict[str, Any] = {
        "StreamName": stream.name,
        "StreamARN": stream.arn,
        "StreamStatus": stream.status,
        "StreamModeDetails": mode_details(stream),
        "RetentionPeriodHours": stream.retention_hours,
        "StreamCreationTimestamp": creation_time(stream),
        "EnhancedMonitoring": enhanced_monitoring(stream),
    }
    encryption(stream, out)
    out["OpenShardCount"] = stream.open_shard_count()
    out["ConsumerCount"] = len(stream.live_consumers())
    # "Only present for On-Demand streams in accounts that have MinimumThroughputBillingCommitment
    # enabled" (model documentation).
    if stream.mode == ON_DEMAND and stream.region.commitment.enabled:
        out["WarmThroughput"] = warm_throughput(stream)
    out["MaxRecordSizeInKiB"] = stream.max_record_size_kib
    return {"StreamDescriptionSummary": out}


@operation("ListStreams")
def list_streams(backend: Backend, call: Call) -> Result:
    p = call.params
    page = backend.list_streams(
        call.account, call.region, p.get("ExclusiveStartStreamName"), p.get("NextToken"), p.get("Limit")
    )
    out: dict[str, Any] = {"StreamNames": [s.name for s in page.streams], "HasMoreStreams": page.more}
    if page.next_token is not None:
        out["NextToken"] = page.next_token
    out["StreamSummaries"] = [_summary(stream) for stream in page.streams]
    return out


def _summary(stream: Stream) -> dict[str, Any]:
    return {
        "StreamName": stream.name,
        "StreamARN": stream.arn,
        "StreamStatus": stream.status,
        "StreamModeDetails": mode_details(stream),
        "StreamCreationTimestamp": creation_time(stream),
    }


@operation("DescribeLimits")
def describe_limits(backend: Backend, call: Call) -> Result:
    limits = backend.describe_limits(call.account, call.region)
    return {
        "ShardLimit": limits.shard_limit,
        "OpenShardCount": limits.open_shard_count,
        "OnDemandStreamCount": limits.on_demand_stream_count,
        "OnDemandStreamCountLimit": limits.on_demand_stream_limit,
    }


@operation("UpdateStreamMode")
def update_stream_mode(backend: Backend, call: Call) -> Result:
    p = call.params
    backend.update_stream_mode(
        stream_ref(call), p["StreamModeDetails"]["StreamMode"], p.get("WarmThroughputMiBps")
    )
    return {}
