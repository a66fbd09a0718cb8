"""Resharding: SplitShard, MergeShards, UpdateShardCount.

A parent shard is closed, never emptied: it keeps its records (readable until retention passes
since it closed), gets a real EndingSequenceNumber below every number of its children, and takes
no more writes; new writes route to the children. UpdateShardCount reaches its uniform layout the
way Kinesis does, by splits and merges: short-lived intermediate shards appear in the lineage, so
a consumer that reads parents before children sees every record once and in order per key.

A request is checked at once and carried out when the stream's UPDATING ends (at once by
default): until then DescribeStream and ListShards show the shards as they were and writes go to
the parent, as on AWS (kinesalite test/splitShard.js and mergeShards.js, recorded: UPDATING with
the old shards, a PutRecord during it answered by the parent). The change is kept as data (a
``_Split``, ``_Merge`` or ``_Rescale``) on the stream, so snapshots carry it.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import NamedTuple

from .. import _clock
from ..errors import (
    InvalidArgumentException,
    LimitExceededException,
    ResourceNotFoundException,
    ValidationException,
)
from .records import is_expired
from .shard import Shard, even_ranges, parse_shard_id, shard_id
from .stream import ON_DEMAND, Stream, ensure_active


def check_shard_id(stream_name: str, account: str, raw: str) -> int:
    """Parse a shard id leniently; AWS's not-found text when it cannot be parsed at all."""
    index = parse_shard_id(raw)
    if index is None:
        raise ResourceNotFoundException.shard_lookup(shard=raw, stream=stream_name, account=account)
    return index


def _resharding_allowed(stream: Stream) -> None:
    if stream.mode == ON_DEMAND:
        raise ValidationException.on_demand(stream=stream.name, account=stream.account)
    ensure_active(stream)


def _open_shard(stream: Stream, index: int) -> Shard:
    shard = stream.shard(index)
    if shard is None or is_expired(stream, shard, _clock.now_ms()):
        raise ResourceNotFoundException.shard_lookup(
            shard=shard_id(index), stream=stream.name, account=stream.account
        )
    if not shard.is_open:
        raise InvalidArgumentException.not_eligible(
            shard=shard.shard_id, stream=stream.name, account=stream.account
        )
    return shard


def split_shard(stream: Stream, index: int, new_starting_hash_key: str) -> None:
    """SplitShard: children ``[start, key-1]`` and ``[key, end]`` with the next shard ids."""
    _resharding_allowed(stream)
    shard = _open_shard(stream, index)
    stream.region.check_shard_quota(1)
    key = int(new_starting_hash_key)
    if not shard.start_hash + 1 < key < shard.end_hash:
        raise InvalidArgumentException.split_key(
            key=new_starting_hash_key,
            shard=shard.shard_id,
            stream=stream.name,
            account=stream.account,
            start=shard.start_hash,
            end=shard.end_hash,
        )
    stream.pending = _Split(index, key)


class _Split(NamedTuple):
    shard: int
    key: int

    def complete(self, stream: Stream, at_ms: int) -> None:
        _split(stream, stream.shards[self.shard], self.key, at_ms)


class _Merge(NamedTuple):
    first: int
    second: int

    def complete(self, stream: Stream, at_ms: int) -> None:
        _merge(stream, stream.shards[self.first], stream.shards[self.second], at_ms)


class _Rescale(NamedTuple):
    inside: list[list[int]]
    targets: list[tuple[int, int]]

    def complete(self, stream: Stream, at_ms: int) -> None:
        _rescale(stream, stream.open_shards(), self.inside, self.targets, at_ms)


def _closing_second(now_ms: int, *parents: Shard) -> int:
    # A parent's ending number carries the second it closed, its children's numbers the next
    # second as their creation (kinesalite test/splitShard.js, mergeShards.js: exactly 1000 ms,
    # recorded against AWS). Never before a parent's own creation: a child of a child made in the
    # same second still lies above it.
    return max(now_ms // 1000, *(parent.created_s for parent in parents))


def _split(stream: Stream, shard: Shard, key: int, now_ms: int) -> tuple[Shard, Shard]:
    closed_s = _closing_second(now_ms, shard)
    left, right = stream.add_shards(
        [(shard.start_hash, key - 1), (key, shard.end_hash)],
        now_ms,
        closed_s + 1,
        closing=(shard,),
        parent=shard.shard_id,
    )
    return left, right


def merge_shards(stream: Stream, first: int, second: int) -> None:
    """MergeShards: the shard and the one right above it in hash order close into one child.

    The order matters: AWS refuses the pair given the other way round as not adjacent
    (kinesalite test/mergeShards.js, "adjacency is inverted", recorded against AWS)."""
    _resharding_allowed(stream)
    shard, adjacent = _open_shard(stream, first), _open_shard(stream, second)
    if shard.end_hash + 1 != adjacent.start_hash:
        raise InvalidArgumentException.not_adjacent(
            first=shard.shard_id,
            second=adjacent.shard_id,
            stream=stream.name,
            account=stream.account,
        )
    stream.pending = _Merge(first, second)


def _merge(stream: Stream, shard: Shard, adjacent: Shard, now_ms: int) -> Shard:
    closed_s = _closing_second(now_ms, shard, adjacent)
    (child,) = stream.add_shards(
        [(shard.start_hash, adjacent.end_hash)],
        now_ms,
        closed_s + 1,
        closing=(shard, adjacent),
        parent=shard.shard_id,
        adjacent_parent=adjacent.shard_id,
    )
    return child


def update_shard_count(stream: Stream, target: int) -> int:
    """UpdateShardCount (UNIFORM_SCALING): the open shards end up with equal hash ranges, as
    CreateStream would lay out ``target`` shards. Returns the open shard count before."""
    _resharding_allowed(stream)
    quotas = stream.region.backend.quotas
    current = stream.open_shard_count()
    fields = {"current": current, "target": target}
    if target > 2 * current:
        raise LimitExceededException.scale_up(**fields)
    if 2 * target < current:
        raise LimitExceededException.scale_down(**fields)
    if target > quotas.shards_per_stream:
        raise LimitExceededException.stream_shards(limit=quotas.shards_per_stream, **fields)
    now = _clock.now_ms()
    if stream.scalings.full(quotas.scaling_operations_per_day, now):
        raise LimitExceededException.scaling_operations(
            stream=stream.name,
            account=stream.account,
            limit=quotas.scaling_operations_per_day,
        )
    old = stream.open_shards()
    targets = even_ranges(target)
    boundaries = [start for start, _ in targets[1:]]
    # The new boundaries inside each open shard (both lists are in hash order): bisects, so that
    # the plan costs n log n, not n * target.
    inside = [
        boundaries[bisect_right(boundaries, s.start_hash) : bisect_right(boundaries, s.end_hash)] for s in old
    ]
    # The splits come first, so the stream briefly holds one open shard per piece.
    pieces = len(old) + sum(len(keys) for keys in inside)
    stream.region.check_shard_quota(max(0, pieces - current))
    stream.scalings.add(now)
    stream.pending = _Rescale(inside, targets)
    return current


def _rescale(
    stream: Stream, old: list[Shard], inside: list[list[int]], targets: list[tuple[int, int]], now_ms: int
) -> None:
    # Split every open shard at each new boundary that falls inside it ...
    pieces: list[Shard] = []
    for shard, keys in zip(old, inside, strict=True):
        for key in keys:
            left, shard = _split(stream, shard, key, now_ms)
            pieces.append(left)
        pieces.append(shard)
    # ... then merge the pieces inside each new range (both lists are in hash order) into one.
    position = 0
    for _, end in targets:
        merged = pieces[position]
        position += 1
        while position < len(pieces) and pieces[position].end_hash <= end:
            merged = _merge(stream, merged, pieces[position], now_ms)
            position += 1
