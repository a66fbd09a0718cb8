"""Stream settings: retention, enhanced monitoring, encryption, record size, warm throughput."""

from __future__ import annotations

from ..backend import Backend, Stream
from ._registry import Call, Result, operation, stream_ref
from ._shapes import warm_throughput


@operation("IncreaseStreamRetentionPeriod")
def increase_stream_retention_period(backend: Backend, call: Call) -> Result:
    backend.increase_stream_retention_period(stream_ref(call), call.params["RetentionPeriodHours"])
    return {}


@operation("DecreaseStreamRetentionPeriod")
def decrease_stream_retention_period(backend: Backend, call: Call) -> Result:
    backend.decrease_stream_retention_period(stream_ref(call), call.params["RetentionPeriodHours"])
    return {}


def _monitoring(stream: Stream, before: list[str], after: list[str]) -> Result:
    return {
        "StreamName": stream.name,
        "CurrentShardLevelMetrics": before,
        "DesiredShardLevelMetrics": after,
        "StreamARN": stream.arn,
    }


@operation("EnableEnhancedMonitoring")
def enable_enhanced_monitoring(backend: Backend, call: Call) -> Result:
    return _monitoring(
        *backend.enable_enhanced_monitoring(stream_ref(call), call.params["ShardLevelMetrics"])
    )


@operation("DisableEnhancedMonitoring")
def disable_enhanced_monitoring(backend: Backend, call: Call) -> Result:
    return _monitoring(
        *backend.disable_enhanced_monitoring(stream_ref(call), call.params["ShardLevelMetrics"])
    )


@operation("StartStreamEncryption")
def start_stream_encryption(backend: Backend, call: Call) -> Result:
    p = call.params
    backend.start_stream_encryption(stream_ref(call), p["EncryptionType"], p["KeyId"])
    return {}


@operation("StopStreamEncryption")
def stop_stream_encryption(backend: Backend, call: Call) -> Result:
    p = call.params
    backend.stop_stream_encryption(stream_ref(call), p["EncryptionType"], p["KeyId"])
    return {}


@operation("UpdateMaxRecordSize")
def update_max_record_size(backend: Backend, call: Call) -> Result:
    backend.update_max_record_size(stream_ref(call), call.params["MaxRecordSizeInKiB"])
    return {}


@operation("UpdateStreamWarmThroughput")
def update_stream_warm_throughput(backend: Backend, call: Call) -> Result:
    stream = backend.update_stream_warm_throughput(stream_ref(call), call.params["WarmThroughputMiBps"])
    return {"StreamARN": stream.arn, "StreamName": stream.name, "WarmThroughput": warm_throughput(stream)}
