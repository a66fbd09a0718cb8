"""The service quotas the mock enforces, and the rolling 24-hour window the per-day ones count in."""

from __future__ import annotations

from dataclasses import dataclass, field

DAY_MS = 24 * 3_600_000

# Default shard quota per account: 20,000 in these regions, 1,000 or 6,000 elsewhere (AWS quotas
# page, 2025); the mock takes the lower figure elsewhere so that tests never rely on more shards
# than any region grants by default.
_LARGE_SHARD_QUOTA_REGIONS = frozenset({"us-east-1", "us-west-2", "eu-west-1"})


@dataclass(frozen=True, slots=True)
class Quotas:
    """The service quotas the mock enforces, each per account and region (or per stream).

    Defaults are AWS's (quotas page and model documentation). ``shard_limit=None`` means AWS's
    default for the region: 20,000 in us-east-1, us-west-2 and eu-west-1, 1,000 elsewhere.
    """

    shard_limit: int | None = None
    on_demand_stream_limit: int = 50
    creating_stream_limit: int = 5
    tag_limit: int = 50
    consumer_limit: int = 20
    consumers_creating_limit: int = 5
    put_records_max_entries: int = 500
    put_records_max_bytes: int = 10 * 1024 * 1024
    max_record_size_kib: int = 1024
    shards_per_stream: int = 10_000
    scaling_operations_per_day: int = 10
    mode_switches_per_day: int = 2
    encryption_changes_per_day: int = 25

    def shard_limit_in(self, region: str) -> int:
        """The shard quota of an account in ``region``."""
        if self.shard_limit is not None:
            return self.shard_limit
        return 20_000 if region in _LARGE_SHARD_QUOTA_REGIONS else 1_000


@dataclass
class DailyCount:
    """When one kind of change happened, for a quota of so many per rolling 24 hours
    (UpdateShardCount, UpdateStreamMode, Start/StopStreamEncryption: model documentation)."""

    times_ms: list[int] = field(default_factory=list)

    def full(self, limit: int, now_ms: int) -> bool:
        """Whether ``limit`` changes already happened in the 24 hours before ``now_ms``."""
        self.times_ms = [t for t in self.times_ms if now_ms - t < DAY_MS]
        return len(self.times_ms) >= limit

    def add(self, now_ms: int) -> None:
        """Count one more change, at ``now_ms``."""
        self.times_ms.append(now_ms)
