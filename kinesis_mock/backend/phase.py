"""Statuses that take time: CREATING, UPDATING and DELETING last a while on the mock clock.

By default (``state_change_seconds=0``) every change completes at once, as tests usually want;
given a duration, streams and consumers pass through their transitional statuses as on AWS, and
the rules that depend on them (the CREATING quotas, "not ACTIVE" refusals) come into play.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import _clock


@dataclass
class Phase:
    """A resource's status: ACTIVE, or a transitional one until ``until_ms`` (mock clock)."""

    current: str = "ACTIVE"
    until_ms: int = 0

    def status(self) -> str:
        """The status now; CREATING and UPDATING become ACTIVE once their time is up."""
        if self.current in ("CREATING", "UPDATING") and _clock.now_ms() >= self.until_ms:
            self.current = "ACTIVE"
        return self.current

    def gone(self) -> bool:
        """Whether a DELETING resource has finished deleting."""
        return self.current == "DELETING" and _clock.now_ms() >= self.until_ms

    def begin(self, status: str, seconds: float) -> None:
        """Enter ``status`` for ``seconds`` (0: the change completes at once)."""
        self.current, self.until_ms = status, _clock.now_ms() + round(seconds * 1000)
