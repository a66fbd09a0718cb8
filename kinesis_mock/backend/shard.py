"""A shard: its place in the hash-key space, its lineage, and its records.

Records are stored column-wise and append-only: sequence counters and arrival times in compact
``array`` columns (8 bytes each), data in a list, and partition keys as UTF-8 bytes one after the
other in one ``bytearray``, with an ``array`` of where each ends (a key costs its bytes and 8 more
instead of a string object and a list slot, which keeps a stored 100-byte record under 200 bytes
of heap). Counters and arrival times only grow, so every lookup (by sequence number, by timestamp,
by retention cutoff) is a bisect and no call scans a shard. Records past retention are dropped in
bulk, amortised over many calls.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from itertools import accumulate, islice, pairwise, repeat

from . import sequence

HASH_SPACE = 2**128

# Kinesis resolves shard ids leniently: the text after the first "-" (or the whole text) must be
# a decimal number in 0..2147483647 (kinesalite db/index.js#resolveShardId, recorded vs AWS).
_MAX_SHARD_INDEX = 2**31 - 1


def shard_id(index: int) -> str:
    """The canonical id of shard ``index``: ``shardId-000000000007`` (Java's ``%012d``, so a
    negative index a sequence number encodes reads ``shardId--02147483648``, as AWS prints it)."""
    return f"shardId-{index:012d}"


def parse_shard_id(text: str) -> int | None:
    """The shard index ``text`` names (``shardId-5``, ``5`` and ``x-5`` all mean 5), or ``None``."""
    digits = text.split("-", 1)[1] if "-" in text else text
    if not digits.isascii() or not digits.isdigit():
        return None
    index = int(digits)
    return index if index <= _MAX_SHARD_INDEX else None


def even_ranges(count: int) -> list[tuple[int, int]]:
    """The hash-key ranges of ``count`` shards laid out as CreateStream lays them out.

    Shard i covers ``[i*h, (i+1)*h - 1]`` with ``h = 2**128 // count``; the last shard ends at
    ``2**128 - 1`` (kinesalite test/createStream.js, recorded against AWS).
    """
    width = HASH_SPACE // count
    return [(i * width, (i + 1) * width - 1 if i < count - 1 else HASH_SPACE - 1) for i in range(count)]


# Trimmed records are released once at least this many are dead and they are at least half of
# the shard, so each record is moved at most a constant number of times.
_COMPACT_MIN = 4096


class Shard:
    """One shard of a stream. Closed shards keep their records until retention passes."""

    __slots__ = (
        "adjacent_parent",
        "arrivals",
        "closed_ms",
        "closed_s",
        "counters",
        "created_ms",
        "created_s",
        "data",
        "end_hash",
        "explicit",
        "index",
        "key_bytes",
        "key_ends",
        "number_base",
        "parent",
        "shard_id",
        "start_hash",
    )

    def __init__(
        self,
        index: int,
        start_hash: int,
        end_hash: int,
        created_ms: int,
        created_s: int,
        parent: str | None = None,
        adjacent_parent: str | None = None,
    ) -> None:
        self.index = index
        self.shard_id = shard_id(index)
        self.start_hash = start_hash
        self.end_hash = end_hash
        self.created_ms = created_ms
        # The creation second its sequence numbers carry (see sequence.py), and their shared bits.
        self.created_s = created_s
        self.number_base = sequence.shard_base(created_s, index)
        self.parent = parent
        self.adjacent_parent = adjacent_parent
        self.closed_ms: int | None = None
        self.closed_s: int | None = None
        self.counters = array("Q")
        self.arrivals = array("q")
        self.data: list[bytes] = []
        self.key_bytes = bytearray()
        self.key_ends = array("Q")
        # The ExplicitHashKey of the records written with one (sequence counter -> key), for
        # mock.records(); most records have none, so it is kept apart from the columns.
        self.explicit: dict[int, str] = {}

    @property
    def is_open(self) -> bool:
        """Whether the shard still takes writes."""
        return self.closed_ms is None

    def __len__(self) -> int:
        return len(self.counters)

    def append(self, counter: int, arrival_ms: int, key: str, data: bytes) -> None:
        """Store one record. Arrival times never go backwards within a shard."""
        arrivals = self.arrivals
        if arrivals and arrival_ms < arrivals[-1]:
            arrival_ms = arrivals[-1]
        self.counters.append(counter)
        arrivals.append(arrival_ms)
        self.key_bytes += key.encode()
        self.key_ends.append(len(self.key_bytes))
        self.data.append(data)

    def extend(self, counters: Iterable[int], arrival_ms: int, keys: list[str], data: list[bytes]) -> None:
        """Store records that arrived together, one extend per column."""
        arrivals = self.arrivals
        if arrivals and arrival_ms < arrivals[-1]:
            arrival_ms = arrivals[-1]
        self.counters.extend(counters)
        arrivals.extend(repeat(arrival_ms, len(keys)))
        joined = "".join(keys)
        sizes = map(len, keys) if joined.isascii() else (len(key.encode()) for key in keys)
        self.key_ends.extend(islice(accumulate(sizes, initial=len(self.key_bytes)), 1, None))
        self.key_bytes += joined.encode()
        self.data.extend(data)

    def key_size(self, index: int) -> int:
        """The UTF-8 size of record ``index``'s partition key."""
        ends = self.key_ends
        return ends[index] - (ends[index - 1] if index else 0)

    def key_span(self, first: int, stop: int) -> int:
        """The UTF-8 size of the partition keys of records ``first .. stop - 1``."""
        if stop <= first:
            return 0
        return self.key_ends[stop - 1] - (self.key_ends[first - 1] if first else 0)

    def keys(self, first: int, stop: int) -> list[str]:
        """The partition keys of records ``first .. stop - 1``."""
        if stop <= first:
            return []
        ends = self.key_ends[first:stop]
        begin = self.key_ends[first - 1] if first else 0
        chunk = self.key_bytes[begin : ends[-1]]
        bounds = pairwise([0, *(end - begin for end in ends)])
        if chunk.isascii():  # one character per byte: cut one decoded string
            text = chunk.decode("ascii")
            return [text[start:end] for start, end in bounds]
        return [chunk[start:end].decode() for start, end in bounds]

    def live_from(self, cutoff_ms: int) -> int:
        """Index of the first record that arrived at or after ``cutoff_ms`` (older ones are
        past retention); drops the dead prefix when that is worth it."""
        first = bisect_left(self.arrivals, cutoff_ms)
        if first >= _COMPACT_MIN and 2 * first >= len(self.counters):
            dropped = self.key_ends[first - 1]
            del self.counters[:first], self.arrivals[:first], self.data[:first], self.key_bytes[:dropped]
            self.key_ends = array("Q", [end - dropped for end in self.key_ends[first:]])
            if self.explicit:
                oldest = self.counters[0] if self.counters else 1 << 128
                self.explicit = {c: k for c, k in self.explicit.items() if c >= oldest}
            return 0
        return first

    def index_of(self, counter: int) -> int:
        """Index of the first record whose counter is ``counter`` or later."""
        return bisect_left(self.counters, counter)

    def index_at_time(self, epoch_ms: int) -> int:
        """Index of the first record that arrived at or after ``epoch_ms``."""
        return bisect_left(self.arrivals, epoch_ms)

    def close(self, now_ms: int, closed_s: int) -> None:
        """Take no more writes; ``closed_s`` is the second the ending number carries."""
        self.closed_ms = now_ms
        self.closed_s = closed_s

    def starting_number(self) -> str:
        """StartingSequenceNumber: record index 0, written when the shard was created."""
        return sequence.encode(self.number_base, 0, self.created_s)

    def ending_number(self) -> str | None:
        """EndingSequenceNumber of a closed shard: the largest index, written when it closed."""
        if self.closed_s is None:
            return None
        return sequence.encode(self.number_base, sequence.END_INDEX, self.closed_s)

    def number(self, counter: int) -> str:
        """The sequence number of position ``counter``: its record's, with the record's write
        second; a position no record of this shard holds gets the last write's (or creation's)."""
        at = bisect_left(self.counters, counter)
        if at < len(self.counters) and self.counters[at] == counter:
            written_ms = self.arrivals[at]
        elif self.arrivals:
            written_ms = self.arrivals[-1]
        else:
            return sequence.encode(self.number_base, counter, self.created_s)
        return sequence.encode(self.number_base, counter, written_ms // 1000)

    def numbers(self, counters: Sequence[int], arrivals_ms: Sequence[int]) -> list[str]:
        """The sequence numbers of records ``counters`` that arrived at ``arrivals_ms``."""
        return sequence.encode_run(self.number_base, counters, arrivals_ms)
