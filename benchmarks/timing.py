"""Interleaved timing: several callables measured in alternating batches, CPU time and wall time.

On a shared machine the speed drifts from second to second; timing the cases of a comparison in
alternating batches (their order rotated every round) makes the drift hit them alike, and the
median over rounds drops the batches another process disturbed. CPU time (``process_time``) is
the steadier figure when other processes compete for the cores; wall time is what a user waits.

A ratio of two cases timed together is the median of their per-round ratios: each round times
the two within a few milliseconds of each other, so a round the machine slowed down slows both,
and the median drops the rounds where it slowed only one. (The ratio of the two medians mixes
rounds far apart in time, and moved by ±20 % between runs on a shared 2-core machine.)
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Cost:
    """Median microseconds per call: CPU time of this process and wall time, and (when timed by
    :func:`interleaved`) each round's figures, for :meth:`ratio`."""

    cpu: float
    wall: float
    cpu_rounds: tuple[float, ...] = ()
    wall_rounds: tuple[float, ...] = ()

    def ratio(self, other: Cost) -> Cost:
        """This cost over ``other``: the median of the per-round ratios when both were timed in
        the same rounds, else the ratio of the medians."""
        if self.cpu_rounds and len(self.cpu_rounds) == len(other.cpu_rounds):
            return Cost(
                statistics.median(a / b for a, b in zip(self.cpu_rounds, other.cpu_rounds, strict=True)),
                statistics.median(a / b for a, b in zip(self.wall_rounds, other.wall_rounds, strict=True)),
            )
        return Cost(self.cpu / other.cpu, self.wall / other.wall)


def interleaved(
    cases: dict[str, Callable[[], Any]],
    rounds: int,
    per_round: int,
    cpu_clock: Callable[[], float] = time.process_time,
) -> dict[str, Cost]:
    """Median cost per call of each case over ``rounds`` rounds of ``per_round`` calls each.

    ``cpu_clock`` is the process's CPU time; ``time.thread_time`` counts the calling thread's only
    (a writer's own cost, while other threads of the process consume)."""
    names = list(cases)
    for name in names:
        for _ in range(max(per_round // 10, 2)):
            cases[name]()
    cpu: dict[str, list[float]] = {name: [] for name in names}
    wall: dict[str, list[float]] = {name: [] for name in names}
    for number in range(rounds):
        shift = number % len(names)
        for name in names[shift:] + names[:shift]:
            call = cases[name]
            started_cpu, started = cpu_clock(), time.perf_counter()
            for _ in range(per_round):
                call()
            wall[name].append((time.perf_counter() - started) / per_round * 1e6)
            cpu[name].append((cpu_clock() - started_cpu) / per_round * 1e6)
    return {
        name: Cost(
            statistics.median(cpu[name]), statistics.median(wall[name]), tuple(cpu[name]), tuple(wall[name])
        )
        for name in names
    }


def pair(
    first: Callable[[], Any], second: Callable[[], Any], rounds: int, per_round: int
) -> tuple[Cost, Cost]:
    """:func:`interleaved` for two cases."""
    costs = interleaved({"first": first, "second": second}, rounds, per_round)
    return costs["first"], costs["second"]


def verdict(ratio: float, target: float | None) -> str:
    """``<= 0.80x ok`` / ``<= 0.80x MISSED`` beside a ratio, or nothing without a target."""
    if target is None:
        return ""
    return f"<= {target:.2f}x {'ok' if ratio <= target else 'MISSED'}"
