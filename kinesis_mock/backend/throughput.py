"""Per-shard throughput, when the ``throughput_limits`` option is on (it is off by default).

Measured on the mock clock in one-second windows (``now_ms // 1000``), with AWS's figures
(quotas page; "Create and manage Kinesis data streams"):

- a shard takes 1 MiB/s and 1,000 records/s of writes, and serves 2 MiB/s and 5 GetRecords
  calls/s of reads, "in both on-demand and provisioned capacity modes";
- GetShardIterator is limited to 5 calls/s per shard;
- an ON_DEMAND stream is sized by AWS to its write capacity, "4 MB/second and 4,000 records per
  second" when new, its warm throughput when one is set, with at least twice that for reads
  (Kinesis Data Streams FAQ, on-demand mode). The mock keeps its shards, so an ON_DEMAND stream is
  metered as a whole at that capacity; the per-call limits stay per shard.

Bytes that go over a window's allowance are a debt paid off by the following windows: one
GetRecords may return up to 10 MiB, after which the shard answers
ProvisionedThroughputExceededException for the next seconds (quotas page), and one record larger
than a window's allowance is taken when the shard owes nothing. Nothing is counted while the
option is off: the backend holds no :class:`Throughput` then.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import NamedTuple

from ..errors import InternalFailure, ProvisionedThroughputExceededException
from .shard import Shard
from .stream import ON_DEMAND, Stream

MIB = 1024 * 1024
SHARD_WRITE_BYTES = MIB
SHARD_WRITE_RECORDS = 1_000
SHARD_READ_BYTES = 2 * MIB
READ_CALLS = 5
ITERATOR_CALLS = 5
ON_DEMAND_WRITE_MIB = 4


class Refusal(NamedTuple):
    """A PutRecords entry that was not stored: its ErrorCode and ErrorMessage."""

    code: str
    message: str


# (entry index, shard it would go to, its size) -> why it is refused, or None to store it.
Refuse = Callable[[int, "Shard", int], Refusal | None]
# Failures injected by mock.fail(entries=...): entry index -> (ErrorCode, ErrorMessage or None).
Injected = Mapping[int, tuple[str, str | None]]


class Meter:
    """What one shard (or one ON_DEMAND stream) has used in the current one-second window."""

    __slots__ = ("iterator_calls", "read_bytes", "read_calls", "window", "write_bytes", "write_records")

    def __init__(self) -> None:
        self.window = 0
        self.write_bytes = self.write_records = self.read_bytes = self.read_calls = self.iterator_calls = 0

    def roll(self, now_ms: int, write_limit: int, read_limit: int) -> Meter:
        """Start the window ``now_ms`` falls in, paying off byte debts of the windows between."""
        window = now_ms // 1000
        if window != self.window:
            elapsed = window - self.window if window > self.window else 1 << 40  # clock moved back
            self.write_bytes = max(0, self.write_bytes - write_limit * elapsed)
            self.read_bytes = max(0, self.read_bytes - read_limit * elapsed)
            self.write_records = self.read_calls = self.iterator_calls = 0
            self.window = window
        return self


class Throughput:
    """The meters of every shard and ON_DEMAND stream of one backend."""

    def __init__(self) -> None:
        self.meters: dict[Shard | Stream, Meter] = {}

    def _capacity(self, stream: Stream, shard: Shard, now_ms: int) -> tuple[Meter, int, int, int]:
        """(meter, write bytes/s, write records/s, read bytes/s) that govern ``shard``'s data."""
        if stream.mode == ON_DEMAND:
            mib = max(ON_DEMAND_WRITE_MIB, stream.current_throughput_mibps())
            limits = (mib * MIB, mib * SHARD_WRITE_RECORDS, 2 * mib * MIB)
            owner: Shard | Stream = stream
        else:
            limits, owner = (SHARD_WRITE_BYTES, SHARD_WRITE_RECORDS, SHARD_READ_BYTES), shard
        meter = self.meters.get(owner)
        if meter is None:
            meter = self.meters[owner] = Meter()
        return meter.roll(now_ms, limits[0], limits[2]), *limits

    def _calls(self, shard: Shard, now_ms: int) -> Meter:
        meter = self.meters.get(shard)
        if meter is None:
            meter = self.meters[shard] = Meter()
        return meter.roll(now_ms, SHARD_WRITE_BYTES, SHARD_READ_BYTES)

    def write(self, stream: Stream, shard: Shard, size: int, now_ms: int) -> bool:
        """Take one record of ``size`` bytes into ``shard`` if its capacity allows (and count it)."""
        meter, max_bytes, max_records, _ = self._capacity(stream, shard, now_ms)
        if meter.write_records >= max_records or (meter.write_bytes and meter.write_bytes + size > max_bytes):
            return False
        meter.write_records += 1
        meter.write_bytes += size
        return True

    def check_write(self, stream: Stream, shard: Shard, size: int, now_ms: int) -> None:
        """:meth:`write`, or AWS's ProvisionedThroughputExceededException."""
        if not self.write(stream, shard, size, now_ms):
            raise refusal(stream, shard)

    def check_read(self, stream: Stream, shard: Shard, now_ms: int) -> None:
        """Count one GetRecords call, or refuse it: 5 a second, and no bytes owed."""
        calls = self._calls(shard, now_ms)
        meter, _, _, max_bytes = self._capacity(stream, shard, now_ms)
        if calls.read_calls >= READ_CALLS or meter.read_bytes >= max_bytes:
            raise refusal(stream, shard)
        calls.read_calls += 1

    def count_read(self, stream: Stream, shard: Shard, first: int, stop: int, now_ms: int) -> None:
        """Charge the bytes GetRecords returned (records ``first .. stop - 1``: data and
        partition keys) to the shard."""
        meter = self._capacity(stream, shard, now_ms)[0]
        meter.read_bytes += sum(map(len, shard.data[first:stop])) + shard.key_span(first, stop)

    def check_iterator(self, stream: Stream, shard: Shard, now_ms: int) -> None:
        """Count one GetShardIterator call, or refuse it: 5 a second per shard."""
        calls = self._calls(shard, now_ms)
        if calls.iterator_calls >= ITERATOR_CALLS:
            raise refusal(stream, shard)
        calls.iterator_calls += 1


def refusal(stream: Stream, shard: Shard) -> ProvisionedThroughputExceededException:
    """AWS's error for a shard over its rate."""
    return ProvisionedThroughputExceededException.shard(
        shard=shard.shard_id, stream=stream.name, account=stream.account
    )


def entry_refusals(stream: Stream, metered: Throughput | None, injected: Injected, now_ms: int) -> Refuse:
    """What turns PutRecords entries down: an injected failure of that entry, else the shard's
    write capacity (when metered). AWS's ErrorMessage of each ErrorCode unless one was given."""

    def refuse(index: int, shard: Shard, size: int) -> Refusal | None:
        fault = injected.get(index)
        if fault is not None:
            code, message = fault
            if message is None:
                internal = code == InternalFailure.code
                message = InternalFailure.entry_message if internal else refusal(stream, shard).message
            return Refusal(code, message or "")
        if metered is not None and not metered.write(stream, shard, size, now_ms):
            return Refusal(ProvisionedThroughputExceededException.code, refusal(stream, shard).message or "")
        return None

    return refuse
