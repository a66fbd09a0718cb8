"""Sequence numbers: 56-digit decimal strings, as Kinesis hands them out.

Layout (decimal digits)::

    49 | stream tag (15) | counter (24) | 00000 | shard index (10)

The counter is one per stream and grows with every record and every shard opened or closed, so
numbers strictly increase within a shard, are unique within the stream, are larger for later
writes, and a closed shard's ending number lies below every number of its children. The stream tag
tells a number of this stream from one of another stream (AWS: "... is invalid because it did not
come from this stream"), and the shard index tells which shard it belongs to (AWS: "Invalid
StartingSequenceNumber. It encodes shardId-..."). Records store only the counter; the string is
built when a reply needs it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import NamedTuple

_PREFIX = "49"
_TAG_DIGITS = 15
_COUNTER_DIGITS = 24
_PAD = "00000"
_SHARD_DIGITS = 10
LENGTH = len(_PREFIX) + _TAG_DIGITS + _COUNTER_DIGITS + len(_PAD) + _SHARD_DIGITS
_TAG_END = len(_PREFIX) + _TAG_DIGITS
_COUNTER_END = _TAG_END + _COUNTER_DIGITS
_SHARD_START = _COUNTER_END + len(_PAD)

# Spreads the stream ordinal over the tag's digits; odd and not a multiple of 5, so the mapping
# ordinal -> tag is a bijection modulo 10**15 and every stream of a mock session gets its own tag.
_SPREAD = 618033988749894848204586834365638117720309179805762862135448622705260462818902449707207
_TAG_MODULUS: int = 10**_TAG_DIGITS


class SequenceNumber(NamedTuple):
    """A parsed sequence number of this mock's layout."""

    tag: int
    counter: int
    shard_index: int


def stream_tag(ordinal: int) -> int:
    """The tag of the ``ordinal``-th stream created in a mock session."""
    return (ordinal * _SPREAD + 7_391_528_046_117) % _TAG_MODULUS


def prefix(tag: int) -> str:
    """The digits every sequence number of stream ``tag`` starts with."""
    return f"{_PREFIX}{tag:015d}"


def suffix(shard_index: int) -> str:
    """The digits every sequence number of shard ``shard_index`` ends with."""
    return f"{_PAD}{shard_index:010d}"


def encode(tag: int, counter: int, shard_index: int) -> str:
    """The 56-digit sequence number of ``counter`` in shard ``shard_index`` of stream ``tag``."""
    return f"{prefix(tag)}{counter:024d}{suffix(shard_index)}"


# Numbers are built in blocks of 1,000 counters: the digits above the last three are formatted
# once per block and joined to one of 1,000 prepared endings, five times faster than formatting
# each number whole (GetRecords builds up to 10,000 at a time).
_BLOCK = 1000
_LOW_DIGITS = 3


@cache
def _endings(suffix: str) -> list[str]:
    return [f"{low:0{_LOW_DIGITS}d}{suffix}" for low in range(_BLOCK)]


def encode_all(prefix: str, suffix: str, counters: Sequence[int]) -> list[str]:
    """The numbers of increasing ``counters`` of one shard (``prefix``/``suffix``: the stream's and
    the shard's digits), as :func:`encode` would write each."""
    if not counters:
        return []
    endings, width = _endings(suffix), _COUNTER_DIGITS - _LOW_DIGITS
    first, last = counters[0], counters[-1]
    out: list[str] = []
    if last - first == len(counters) - 1:  # consecutive: whole runs of endings
        block = first // _BLOCK
        while block * _BLOCK <= last:
            head = f"{prefix}{block:0{width}d}"
            low, high = max(first - block * _BLOCK, 0), min(last - block * _BLOCK + 1, _BLOCK)
            out += [head + ending for ending in endings[low:high]]
            block += 1
        return out
    heads: dict[int, str] = {}
    for counter in counters:
        block, low = divmod(counter, _BLOCK)
        start = heads.get(block)
        if start is None:
            start = heads[block] = f"{prefix}{block:0{width}d}"
        out.append(start + endings[low])
    return out


def decode(text: str) -> SequenceNumber | None:
    """Parse a sequence number of this layout; ``None`` when ``text`` is not one."""
    if (
        len(text) != LENGTH
        or not text.isascii()
        or not text.isdigit()
        or not text.startswith(_PREFIX)
        or text[_COUNTER_END:_SHARD_START] != _PAD
    ):
        return None
    return SequenceNumber(
        int(text[len(_PREFIX) : _TAG_END]),
        int(text[_TAG_END:_COUNTER_END]),
        int(text[_SHARD_START:]),
    )
