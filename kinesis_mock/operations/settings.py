"""Stream settings: retention, enhanced monitoring, encryption, record size, warm throughput."""

from __future__ import annotations

from collections.abc import Callable

from ..backend import Backend, configuration
from ..backend.stream import ensure_active
from ._registry import Call, Result, operation, stream_of


@operation("IncreaseStreamRetentionPeriod")
def increase_stream_retention_period(backend: Backend, call: Call) -> Result:
    configuration.increase_retention(stream_of(backend, call), call.params["RetentionPeriodHours"])
    return {}


@operation("DecreaseStreamRetentionPeriod")
def decrease_stream_retention_period(backend: Backend, call: Call) -> Result:
    configuration.decrease_retention(stream_of(backend, call), call.params["RetentionPeriodHours"])
    return {}


def _monitoring(backend: Backend, call: Call, enable: bool) -> Result:
    stream = stream_of(backend, call)
    before, after = configuration.set_metrics(stream, call.params["ShardLevelMetrics"], enable)
    return {
        "StreamName": stream.name,
        "CurrentShardLevelMetrics": before,
        "DesiredShardLevelMetrics": after,
        "StreamARN": stream.arn,
    }


@operation("EnableEnhancedMonitoring")
def enable_enhanced_monitoring(backend: Backend, call: Call) -> Result:
    return _monitoring(backend, call, enable=True)


@operation("DisableEnhancedMonitoring")
def disable_enhanced_monitoring(backend: Backend, call: Call) -> Result:
    return _monitoring(backend, call, enable=False)


def _encryption(backend: Backend, call: Call, change: Callable[..., None]) -> Result:
    p, stream = call.params, stream_of(backend, call)
    change(stream, p["EncryptionType"], p["KeyId"], backend.quotas.encryption_changes_per_day)
    stream.phase.begin("UPDATING", backend.state_change_seconds)
    return {}


@operation("StartStreamEncryption")
def start_stream_encryption(backend: Backend, call: Call) -> Result:
    return _encryption(backend, call, configuration.start_encryption)


@operation("StopStreamEncryption")
def stop_stream_encryption(backend: Backend, call: Call) -> Result:
    return _encryption(backend, call, configuration.stop_encryption)


@operation("UpdateMaxRecordSize")
def update_max_record_size(backend: Backend, call: Call) -> Result:
    stream = stream_of(backend, call)
    configuration.update_max_record_size(stream, call.params["MaxRecordSizeInKiB"])
    stream.phase.begin("UPDATING", backend.state_change_seconds)
    return {}


@operation("UpdateStreamWarmThroughput")
def update_stream_warm_throughput(backend: Backend, call: Call) -> Result:
    stream = stream_of(backend, call)
    mibps = call.params["WarmThroughputMiBps"]
    region = backend.region(stream.account, stream.region)
    ensure_active(stream)
    configuration.check_warm_throughput(stream, stream.mode, mibps, region.commitment.enabled)
    stream.warm_throughput_mibps = mibps
    stream.phase.begin("UPDATING", backend.state_change_seconds)
    return {
        "StreamARN": stream.arn,
        "StreamName": stream.name,
        "WarmThroughput": configuration.warm_throughput(stream),
    }
