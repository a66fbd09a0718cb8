"""Account settings: the minimum throughput billing commitment and its lifecycle."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import _clock
from .quotas import DAY_MS

# A commitment lasts at least 24 hours; disabling it earlier keeps it until then
# (UpdateAccountSettings documentation).
MINIMUM_COMMITMENT_MS = DAY_MS


@dataclass
class Commitment:
    """MinimumThroughputBillingCommitment of one account in one region."""

    status: str = "DISABLED"
    started_ms: int | None = None
    ended_ms: int | None = None
    earliest_end_ms: int | None = None

    def current(self) -> Commitment:
        """The commitment as of now: a pending end that has come is applied first."""
        if (
            self.status == "ENABLED_UNTIL_EARLIEST_ALLOWED_END"
            and self.earliest_end_ms is not None
            and _clock.now_ms() >= self.earliest_end_ms
        ):
            self.status, self.ended_ms = "DISABLED", self.earliest_end_ms
        return self

    @property
    def enabled(self) -> bool:
        """Whether the account has the commitment now (a pending end still counts)."""
        return self.current().status != "DISABLED"

    def update(self, status: str) -> None:
        """UpdateAccountSettings: ENABLED starts or resumes; DISABLED ends, or ends at the
        earliest allowed time when that has not come yet."""
        self.current()
        now = _clock.now_ms()
        if status == "ENABLED":
            if self.status == "DISABLED":
                self.status, self.started_ms, self.ended_ms = "ENABLED", now, None
                self.earliest_end_ms = now + MINIMUM_COMMITMENT_MS
            else:
                self.status = "ENABLED"
        elif self.status != "DISABLED":
            assert self.earliest_end_ms is not None
            if now < self.earliest_end_ms:
                self.status = "ENABLED_UNTIL_EARLIEST_ALLOWED_END"
            else:
                self.status, self.ended_ms = "DISABLED", now

    def shape(self) -> dict[str, Any]:
        """``MinimumThroughputBillingCommitment`` as DescribeAccountSettings returns it."""
        self.current()
        out: dict[str, Any] = {"Status": self.status}
        for key, value in (
            ("StartedAt", self.started_ms),
            ("EndedAt", self.ended_ms),
            ("EarliestAllowedEndAt", self.earliest_end_ms),
        ):
            if value is not None:
                out[key] = _clock.to_datetime(value)
        return out
