"""The paged listings: ListStreams, ListShards, ListStreamConsumers, and DescribeStream's shards.

Each page holds at most so many items ("If you specify a value greater than N, at most N results
are returned": model documentation) and, when more follow, a sealed token of its own kind (see
tokens.py) that resumes after the last one.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from itertools import islice
from typing import NamedTuple

from .. import _clock
from ..errors import InvalidArgumentException, ResourceNotFoundException
from . import lineage
from .consumers import Consumer
from .region import Region
from .shard import Shard, parse_shard_id
from .stream import Stream
from .tokens import ConsumersPage, Sealer, ShardsPage, StreamsPage

STREAMS_PAGE = 100  # ListStreams, and DescribeStream's shards
SHARDS_PAGE = 1000
CONSUMERS_PAGE = 100


class ShardFilter(NamedTuple):
    """ListShards' ShardFilter: its type, and the shard id or time (epoch ms) some types take."""

    type: str
    shard_id: str | None = None
    timestamp_ms: int | None = None


@dataclass(slots=True)
class StreamListing:
    """A page of ListStreams."""

    streams: list[Stream]
    more: bool
    next_token: str | None


@dataclass(slots=True)
class ShardListing:
    """A page of ListShards or DescribeStream: the stream, its shards on the page, and whether
    (and with which token) more follow."""

    stream: Stream
    shards: list[Shard]
    more: bool
    next_token: str | None


@dataclass(slots=True)
class ConsumerListing:
    """A page of ListStreamConsumers."""

    consumers: list[Consumer]
    next_token: str | None


def _limit(asked: int | None, page: int) -> int:
    return page if asked is None else min(asked, page)


def list_streams(
    sealer: Sealer, region: Region, after: str | None, token: str | None, limit: int | None
) -> StreamListing:
    """ListStreams: names in lexicographic order, after ExclusiveStartStreamName or the token's."""
    streams = region.live_streams()
    names = region.sorted_names()
    if token is not None:
        if after is not None:
            raise InvalidArgumentException.list_shards_together(other="ExclusiveStartStreamName")
        after = StreamsPage.open(sealer, token, region.account, region.name).after
    first = bisect_right(names, after) if after is not None else 0
    size = _limit(limit, STREAMS_PAGE)
    page = names[first : first + size]
    more = first + size < len(names)
    next_token = StreamsPage(region.account, region.name, page[-1]).seal(sealer) if more else None
    return StreamListing([streams[name] for name in page], more, next_token)


def describe_shards(stream: Stream, exclusive_start: str | None, limit: int | None) -> ShardListing:
    """DescribeStream's shards: those within retention, after ExclusiveStartShardId."""
    size = _limit(limit, STREAMS_PAGE)
    shards = _page(stream, [exclusive_start], size)
    if shards is None:
        shards = stream.live_shards(_clock.now_ms())
        if exclusive_start is not None:
            shards = lineage.after(shards, exclusive_start)
    return ShardListing(stream, shards[:size], len(shards) > size, None)


def _page(stream: Stream, after: list[str | None], size: int) -> list[Shard] | None:
    """The first ``size + 1`` live shards after every shard id of ``after``, read lazily; ``None``
    when an id is not a plain number (the lenient text comparison then has to see every shard)."""
    last = -1
    for shard_id in after:
        if shard_id is not None:
            index = parse_shard_id(shard_id)
            if index is None:
                return None
            last = max(last, index)
    return list(islice(stream.live_shards_after(last, _clock.now_ms()), size + 1))


def resumed_shard_page(sealer: Sealer, region: Region, token: str) -> tuple[Stream, ShardFilter | None, str]:
    """The stream, filter and start a ListShards NextToken resumes; the stream must be the very
    one it was issued for (not a re-created one of the same name)."""
    page = ShardsPage.open(sealer, token, region.account, region.name)
    stream = region.backend.region(page.stream_account, region.name).get(page.stream_name)
    if stream is None or stream.tag != page.stream_tag:
        raise ResourceNotFoundException.stream(stream=page.stream_name, account=page.stream_account)
    shard_filter = None
    if page.filter_type is not None:
        shard_filter = ShardFilter(page.filter_type, page.filter_shard_id, page.filter_ms)
    return stream, shard_filter, page.after


def list_shards(
    sealer: Sealer,
    caller: Region,
    stream: Stream,
    shard_filter: ShardFilter | None,
    start: str | None,
    limit: int | None,
) -> ShardListing:
    """A page of ListShards: the shards the filter selects, after ``start``."""
    kind, shard_id, stamp = shard_filter if shard_filter is not None else (None, None, None)
    size = _limit(limit, SHARDS_PAGE)
    shards = None
    if kind in (None, "FROM_TRIM_HORIZON", "AFTER_SHARD_ID"):  # the filters that only skip ids
        shards = _page(stream, [start, shard_id if kind == "AFTER_SHARD_ID" else None], size)
    if shards is None:
        shards = lineage.filtered(stream, kind, shard_id, stamp, _clock.now_ms())
        if start is not None:
            shards = lineage.after(shards, start)
    next_token = None
    if len(shards) > size:
        next_token = ShardsPage(
            caller.account,
            caller.name,
            stream.account,
            stream.name,
            stream.tag,
            shards[size - 1].shard_id,
            kind,
            shard_id,
            stamp,
        ).seal(sealer)
    return ShardListing(stream, shards[:size], next_token is not None, next_token)


def check_without_token(**given: object) -> None:
    """ "Don't specify StreamName or StreamCreationTimestamp if you specify NextToken" (model
    docs): the first such member given (in the order ``given`` lists them) is named."""
    for name, value in given.items():
        if value is not None:
            raise InvalidArgumentException.list_shards_together(other=name)


def list_consumers(
    sealer: Sealer,
    caller: Region,
    stream: Stream,
    token: str | None,
    created_s: int | None,
    limit: int | None,
) -> ConsumerListing:
    """ListStreamConsumers: by creation time, then name; a StreamCreationTimestamp that is not
    the stream's lists none."""
    ordered = sorted(stream.live_consumers().values(), key=lambda c: (c.created_ms, c.name))
    if created_s is not None and created_s != stream.created_ms // 1000:
        ordered = []
    if token is not None:
        page = ConsumersPage.open(sealer, token, caller.account, caller.name, stream.arn)
        ordered = [c for c in ordered if (c.created_ms, c.name) > (page.after_created_ms, page.after_name)]
    size = _limit(limit, CONSUMERS_PAGE)
    next_token = None
    if len(ordered) > size:
        last = ordered[size - 1]
        next_token = ConsumersPage(caller.account, caller.name, stream.arn, last.created_ms, last.name).seal(
            sealer
        )
    return ConsumerListing(ordered[:size], next_token)
