"""Statuses that take time: CREATING, UPDATING and DELETING last a while on the mock clock.

By default (``state_change_seconds=0``) every change completes at once, as tests usually want;
given a duration, streams and consumers pass through their transitional statuses as on AWS, and
the rules that depend on them (the CREATING quotas, "not ACTIVE" refusals) come into play.

A status is a function of the clock moving forward only: a phase remembers the latest time it has
seen, so a clock moved back (freezegun, time-machine) neither undoes a change that completed
("completes at once" stays done, whatever the clock does later) nor lets one run backwards.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import _clock


@dataclass
class Phase:
    """A resource's status: ACTIVE, or a transitional one until ``until_ms`` (mock clock)."""

    current: str = "ACTIVE"
    until_ms: int = 0
    # The latest clock reading this phase has seen; time counts only up from it.
    seen_ms: int = 0

    def status(self) -> str:
        """The status now; CREATING and UPDATING become ACTIVE once their time is up."""
        if self.current in ("CREATING", "UPDATING") and self._done():
            self.current = "ACTIVE"
        return self.current

    def gone(self) -> bool:
        """Whether a DELETING resource has finished deleting."""
        return self.current == "DELETING" and self._done()

    def begin(self, status: str, seconds: float) -> None:
        """Enter ``status`` for ``seconds`` (0: the change completes at once)."""
        now = max(_clock.now_ms(), self.seen_ms)
        self.current, self.seen_ms, self.until_ms = status, now, now + round(seconds * 1000)

    def _done(self) -> bool:
        now = _clock.now_ms()
        if now > self.seen_ms:
            self.seen_ms = now
        return self.seen_ms >= self.until_ms
