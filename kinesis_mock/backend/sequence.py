"""Sequence numbers in AWS's own layout (see docs/sequence-numbers.md for the sources).

A sequence number is a decimal of 56 digits; written in hex (47 digits) it reads::

    2 | shard created (9) | shard index, last digit (1) | record index (16) | 00 | written (9)
      | shard index (8, signed 32 bit) | 2

The leading and the final 2 are the layout's version; "created" and "written" are epoch seconds
(kinesalite db/index.js parseSequence/stringifySequence, decoded from live AWS; real numbers of
2025 still decode this way). Every number of a shard shares its creation second and index, so
within a shard numbers order by record index; a child shard is created after its parents closed,
so its numbers lie above theirs.

The mock's record index is its stream-wide counter, so a number names its record directly (AWS's
indexes too are shared by neighbouring shards: kinesalite test/putRecord.js recorded consecutive
indexes across shards 0 and 1). A shard's starting number has index 0, a closed shard's ending
number the largest index (both recorded). A number is built by or-ing three parts into an
integer and printing it: the shard's constant part is computed once per shard.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

VERSION = 2
# A closed shard's EndingSequenceNumber carries the largest record index (kinesalite
# test/splitShard.js and mergeShards.js, recorded against AWS).
END_INDEX = 2**63 - 1
INDEX_SHIFT = 80
_WRITTEN_SHIFT = 36
_CREATED_SHIFT = 148
_SECONDS = 2**36 - 1
_INDEX_BITS = 2**64 - 1
_SHARD_BITS = 2**32 - 1
# AWS refuses numbers whose creation second is this or later (its "large date" case, kinesalite
# test/putRecord.js and getShardIterator.js: 0x3bb2cc3d8 is refused).
_MAX_CREATED_S = 16_025_175_000
# Below 2**124 a number is read as 2**124 + it; up to 2**129 it is of the old version 0 layout,
# whose 16-bit shard index sits in hex digits 28..31 (kinesalite parseSequence).
_V0_OFFSET = 2**124
_V0_END = 2**129
_V2_LOW = 2**185
_V2_HIGH = 3 * 2**184


class Decoded(NamedTuple):
    """What a sequence number encodes. ``written_s`` is ``None`` for the version 0 layout."""

    version: int
    created_s: int
    shard_index: int
    record_index: int
    written_s: int | None


def shard_base(created_s: int, shard_index: int) -> int:
    """The bits every number of shard ``shard_index``, created at ``created_s``, shares."""
    return (
        (VERSION << 184)
        | (created_s << _CREATED_SHIFT)
        | ((shard_index & 0xF) << 144)
        | ((shard_index & _SHARD_BITS) << 4)
        | VERSION
    )


def written_bits(written_s: int) -> int:
    """The bits of a write time (or-ed into a shard's base with :func:`index_bits`)."""
    return written_s << _WRITTEN_SHIFT


def index_bits(index: int) -> int:
    """The bits of a record index."""
    return index << INDEX_SHIFT


def encode(base: int, index: int, written_s: int) -> str:
    """The number of record ``index`` written at ``written_s`` in the shard of ``base``."""
    return str(base | index << INDEX_SHIFT | written_s << _WRITTEN_SHIFT)


def encode_run(base: int, counters: Sequence[int], arrivals_ms: Sequence[int]) -> list[str]:
    """The numbers of records ``counters`` of the shard of ``base``, which arrived at
    ``arrivals_ms`` (never decreasing): the write-second bits are made once per second."""
    if not counters:
        return []
    first_s = arrivals_ms[0] // 1000
    if first_s == arrivals_ms[-1] // 1000:  # one second (a batch, most reads): one head
        head = base | first_s << _WRITTEN_SHIFT
        return [str(head | counter << INDEX_SHIFT) for counter in counters]
    out, last_s, head = [], -1, 0
    for counter, arrival in zip(counters, arrivals_ms, strict=True):
        if arrival // 1000 != last_s:
            last_s = arrival // 1000
            head = base | last_s << _WRITTEN_SHIFT
        out.append(str(head | counter << INDEX_SHIFT))
    return out


def decode(text: str) -> Decoded | None:
    """What ``text`` encodes, by AWS's rules; ``None`` for what AWS calls invalid."""
    if not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    if value < _V0_OFFSET:
        value += _V0_OFFSET
    if value < _V0_END:
        digits = f"{value:x}"
        created = int(digits[1:10], 16)
        if created >= _MAX_CREATED_S:
            return None
        return Decoded(0, created, int(digits[28:32], 16), 0, None)
    if not _V2_LOW < value < _V2_HIGH:
        return None
    version, created = value & 0xF, (value >> _CREATED_SHIFT) & _SECONDS
    shard = _signed((value >> 4) & _SHARD_BITS)
    if version == 1:  # ... | written (9) | random (14) | record index (2) | shard index (8) | 1
        return Decoded(1, created, shard, (value >> 36) & 0xFF, (value >> 100) & _SECONDS)
    index = (value >> INDEX_SHIFT) & _INDEX_BITS
    if version != VERSION or index > END_INDEX or created >= _MAX_CREATED_S:
        return None
    return Decoded(VERSION, created, shard, index, (value >> _WRITTEN_SHIFT) & _SECONDS)


def _signed(value: int) -> int:
    # The shard index is a Java int: 0x80000000 is shardId--02147483648 (kinesalite
    # test/getShardIterator.js, recorded against AWS).
    return value - 2**32 if value >> 31 else value
