"""Stream settings: retention, enhanced monitoring, encryption, record size, warm throughput."""

from __future__ import annotations

import re

from .. import _clock
from ..errors import (
    InvalidArgumentException,
    KMSNotFoundException,
    LimitExceededException,
    ValidationException,
)
from .quotas import DailyCount
from .stream import ON_DEMAND, Stream, ensure_active

MIN_RETENTION_HOURS = 24
MAX_RETENTION_HOURS = 8760
# The shard-level metrics in the model's order; ALL stands for all seven.
METRICS = (
    "IncomingBytes",
    "IncomingRecords",
    "OutgoingBytes",
    "OutgoingRecords",
    "WriteProvisionedThroughputExceeded",
    "ReadProvisionedThroughputExceeded",
    "IteratorAgeMilliseconds",
)
MAX_WARM_THROUGHPUT_MIBPS = 10 * 1024
# The KeyId forms Kinesis takes (model documentation): key id, key ARN, alias ARN, alias name,
# and the Kinesis-owned key alias/aws/kinesis.
_KEY_ID = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    r"|mrk-[0-9a-f]{32}"
    r"|arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key/([0-9a-f-]{36}|mrk-[0-9a-f]{32})|alias/[\w/+=,.@-]+)"
    r"|alias/[\w/+=,.@-]+"
)


def increase_retention(stream: Stream, hours: int) -> None:
    """IncreaseStreamRetentionPeriod: records already past the old period stay gone."""
    ensure_active(stream)
    if hours < MIN_RETENTION_HOURS:
        raise InvalidArgumentException.retention_short(hours=hours)
    if hours > MAX_RETENTION_HOURS:
        raise InvalidArgumentException.retention_long(hours=hours)
    if hours < stream.retention_hours:
        raise InvalidArgumentException.retention_not_longer(
            hours=hours, stream=stream.name, current=stream.retention_hours
        )
    stream.trim_floor_ms = stream.horizon_ms(_clock.now_ms())
    stream.retention_hours = hours


def decrease_retention(stream: Stream, hours: int) -> None:
    """DecreaseStreamRetentionPeriod: records older than the new period are unreadable at once."""
    ensure_active(stream)
    if hours < MIN_RETENTION_HOURS:
        raise InvalidArgumentException.retention_short(hours=hours)
    if hours > stream.retention_hours:
        raise InvalidArgumentException.retention_not_shorter(
            hours=hours, stream=stream.name, current=stream.retention_hours
        )
    stream.retention_hours = hours


def set_metrics(stream: Stream, metrics: list[str], enable: bool) -> tuple[list[str], list[str]]:
    """Enable/DisableEnhancedMonitoring: (metrics before, metrics after), in the model's order."""
    ensure_active(stream)
    before = list(stream.shard_level_metrics)
    named = set(METRICS) if "ALL" in metrics else set(metrics)
    now = set(before) | named if enable else set(before) - named
    stream.shard_level_metrics = [m for m in METRICS if m in now]
    return before, list(stream.shard_level_metrics)


def start_encryption(stream: Stream, encryption_type: str, key_id: str, per_day: int) -> None:
    """StartStreamEncryption: records written from now on are KMS-encrypted."""
    ensure_active(stream)
    if encryption_type != "KMS":
        raise InvalidArgumentException.encryption_type(kind=encryption_type)
    if _KEY_ID.fullmatch(key_id) is None:
        raise KMSNotFoundException.key(key=key_id)
    _count_change(stream, stream.encryption_starts, per_day)
    stream.encryption_type, stream.key_id = "KMS", key_id
    stream.encryption_changes.append((stream.counter + 1, True))


def stop_encryption(stream: Stream, encryption_type: str, key_id: str, per_day: int) -> None:
    """StopStreamEncryption: records written from now on are not encrypted."""
    ensure_active(stream)
    if encryption_type != "KMS":
        raise InvalidArgumentException.encryption_type(kind=encryption_type)
    _count_change(stream, stream.encryption_stops, per_day)
    stream.encryption_type, stream.key_id = "NONE", None
    stream.encryption_changes.append((stream.counter + 1, False))


def _count_change(stream: Stream, changes: DailyCount, per_day: int) -> None:
    # Each of Start and Stop may apply a new key 25 times per rolling 24 hours (model docs).
    now = _clock.now_ms()
    if changes.full(per_day, now):
        raise LimitExceededException.encryption_changes(
            stream=stream.name, account=stream.account, limit=per_day
        )
    changes.add(now)


def update_max_record_size(stream: Stream, kib: int) -> None:
    """UpdateMaxRecordSize (the model bounds it to 1024..10240 KiB)."""
    ensure_active(stream)
    stream.max_record_size_kib = kib


def update_warm_throughput(stream: Stream, mibps: int) -> None:
    """UpdateStreamWarmThroughput: a new target for an ACTIVE on-demand stream."""
    ensure_active(stream)
    check_warm_throughput(stream, stream.mode, mibps)
    stream.warm_throughput_mibps = mibps


def check_warm_throughput(stream: Stream, mode: str, mibps: int) -> None:
    """Warm throughput is for ON_DEMAND streams (``mode`` is the stream's, or the one it is
    switching to) of accounts with the minimum throughput billing commitment enabled, up to
    10 GiBps (model documentation)."""
    if mode != ON_DEMAND:
        raise ValidationException.warm_throughput_mode(stream=stream.name, account=stream.account)
    if not stream.region.commitment.enabled:
        raise ValidationException.warm_throughput_commitment(account=stream.account)
    if mibps > MAX_WARM_THROUGHPUT_MIBPS:
        raise InvalidArgumentException.warm_throughput_max(value=mibps, limit=MAX_WARM_THROUGHPUT_MIBPS)
