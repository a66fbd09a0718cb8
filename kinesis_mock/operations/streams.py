"""Stream lifecycle and description: Create/Delete/Describe/DescribeSummary/List, limits, mode."""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

from .. import _clock
from ..backend import Backend, Stream, configuration, lineage
from ..backend.stream import ON_DEMAND
from ._registry import Call, Result, operation, stream_of
from ._shapes import creation_time, encryption, enhanced_monitoring, mode_details, shard_shape

# DescribeStream and ListStreams: "If you specify a value greater than 100, at most 100 results
# are returned" (model documentation); 100 is also the default.
_PAGE = 100


@operation("CreateStream")
def create_stream(backend: Backend, call: Call) -> Result:
    p = call.params
    region = backend.region(call.account, call.region)
    region.create_stream(
        p["StreamName"],
        p.get("ShardCount"),
        p.get("StreamModeDetails", {}).get("StreamMode"),
        p.get("MaxRecordSizeInKiB"),
        p.get("Tags"),
        p.get("WarmThroughputMiBps"),
    )
    return {}


@operation("DeleteStream")
def delete_stream(backend: Backend, call: Call) -> Result:
    stream = stream_of(backend, call)
    region = backend.region(stream.account, stream.region)
    region.delete_stream(stream, call.params.get("EnforceConsumerDeletion", False))
    return {}


@operation("DescribeStream")
def describe_stream(backend: Backend, call: Call) -> Result:
    stream = stream_of(backend, call)
    shards = stream.live_shards(_clock.now_ms())
    start = call.params.get("ExclusiveStartShardId")
    if start is not None:
        shards = lineage.after(shards, start)
    limit = min(call.params.get("Limit", _PAGE), _PAGE)
    out: dict[str, Any] = {
        "StreamName": stream.name,
        "StreamARN": stream.arn,
        "StreamStatus": stream.status,
        "StreamModeDetails": mode_details(stream),
        "Shards": [shard_shape(stream, shard) for shard in shards[:limit]],
        "HasMoreShards": len(shards) > limit,
        "RetentionPeriodHours": stream.retention_hours,
        "StreamCreationTimestamp": creation_time(stream),
        "EnhancedMonitoring": enhanced_monitoring(stream),
    }
    encryption(stream, out)
    return {"StreamDescription": out}


@operation("DescribeStreamSummary")
def describe_stream_summary(backend: Backend, call: Call) -> Result:
    stream = stream_of(backend, call)
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
    if stream.mode == ON_DEMAND and backend.region(stream.account, stream.region).commitment.enabled:
        out["WarmThroughput"] = configuration.warm_throughput(stream)
    out["MaxRecordSizeInKiB"] = stream.max_record_size_kib
    return {"StreamDescriptionSummary": out}


@operation("ListStreams")
def list_streams(backend: Backend, call: Call) -> Result:
    p = call.params
    region = backend.region(call.account, call.region)
    streams = region.live_streams()
    names = sorted(streams)
    after = p.get("ExclusiveStartStreamName")
    if "NextToken" in p:
        (after,) = backend.resume("ListStreams", p["NextToken"], call.account, call.region)
    first = bisect_right(names, after) if after is not None else 0
    limit = min(p.get("Limit", _PAGE), _PAGE)
    page = names[first : first + limit]
    more = first + limit < len(names)
    out: dict[str, Any] = {"StreamNames": page, "HasMoreStreams": more}
    if more:
        out["NextToken"] = backend.page_token("ListStreams", call.account, call.region, page[-1])
    out["StreamSummaries"] = [_summary(streams[name]) for name in page]
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
    region = backend.region(call.account, call.region)
    return {
        "ShardLimit": backend.quotas.shard_limit_in(call.region),
        "OpenShardCount": region.open_shard_count(),
        "OnDemandStreamCount": region.on_demand_stream_count(),
        "OnDemandStreamCountLimit": backend.quotas.on_demand_stream_limit,
    }


@operation("UpdateStreamMode")
def update_stream_mode(backend: Backend, call: Call) -> Result:
    stream = stream_of(backend, call)
    region = backend.region(stream.account, stream.region)
    before = stream.mode
    region.update_stream_mode(
        stream, call.params["StreamModeDetails"]["StreamMode"], call.params.get("WarmThroughputMiBps")
    )
    if stream.mode != before:
        stream.phase.begin("UPDATING", backend.state_change_seconds)
    return {}
