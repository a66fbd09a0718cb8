"""A shard: its place in the hash-key space, its lineage, and (later) its records."""

from __future__ import annotations

HASH_SPACE = 2**128

# Kinesis resolves shard ids leniently: the text after the first "-" (or the whole text) must be
# a decimal number in 0..2147483647 (kinesalite db/index.js#resolveShardId, recorded vs AWS).
_MAX_SHARD_INDEX = 2**31 - 1


def shard_id(index: int) -> str:
    """The canonical id of shard ``index``: ``shardId-000000000007``."""
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
    return [
        (i * width, (i + 1) * width - 1 if i < count - 1 else HASH_SPACE - 1) for i in range(count)
    ]


class Shard:
    """One shard of a stream. Closed shards keep their records until retention passes."""

    __slots__ = (
        "adjacent_parent",
        "closed_ms",
        "created_ms",
        "end_counter",
        "end_hash",
        "index",
        "parent",
        "shard_id",
        "start_counter",
        "start_hash",
    )

    def __init__(
        self,
        index: int,
        start_hash: int,
        end_hash: int,
        start_counter: int,
        created_ms: int,
        parent: str | None = None,
        adjacent_parent: str | None = None,
    ) -> None:
        self.index = index
        self.shard_id = shard_id(index)
        self.start_hash = start_hash
        self.end_hash = end_hash
        self.start_counter = start_counter
        self.created_ms = created_ms
        self.parent = parent
        self.adjacent_parent = adjacent_parent
        self.end_counter: int | None = None
        self.closed_ms: int | None = None

    @property
    def is_open(self) -> bool:
        """Whether the shard still takes writes."""
        return self.end_counter is None
