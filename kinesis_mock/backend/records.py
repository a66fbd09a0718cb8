"""The data plane: writing records, positioning shard iterators, reading records.

Every step is a bisect or an append: routing (bisect over the open shards' starting hash keys),
positioning by sequence number or timestamp and the retention cutoff (bisects over a shard's
counter and arrival columns). Nothing scans a shard or a stream, so calls cost the same with a
thousand records in a shard as with millions.
"""

from __future__ import annotations

import hashlib
import importlib
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import count, repeat
from typing import Any

from .. import _clock
from .._wording import at_most, render, validation_error, violation
from ..errors import InvalidArgumentException, ResourceNotFoundException
from . import sequence
from .shard import Shard, parse_shard_id, shard_id
from .stream import Stream
from .throughput import Refuse, Throughput


def _fastest_md5() -> Callable[[bytes], Any]:
    # CPython's own MD5 is twice as fast as OpenSSL's on partition-key-sized input.
    try:
        md5: Callable[[bytes], Any] = importlib.import_module("_md5").md5
    except ImportError:  # pragma: no cover - a Python built without it
        md5 = hashlib.md5
    return md5


md5 = _fastest_md5()

MAX_HASH_KEY = 2**128 - 1
# GetRecords' Limit defaults to 10,000 records, the most it takes (model documentation).
READ_LIMIT = 10_000
# GetRecords returns at most 10 MiB (quotas page).
MAX_READ_BYTES = 10 * 1024 * 1024
# Every 4,096 records stored in a shard, its expired records are dropped (see Shard.live_from).
_TRIM_EVERY_MASK = 4096 - 1
_WRITABLE = frozenset({"ACTIVE", "UPDATING"})
_WITH_SEQUENCE = frozenset({"AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER"})


def hash_key(partition_key: str, explicit_hash_key: str | None) -> int:
    """The 128-bit hash key a record is routed by: MD5 of the partition key, or the explicit one."""
    if explicit_hash_key is not None:
        value = int(explicit_hash_key)
        if value > MAX_HASH_KEY:
            raise InvalidArgumentException.explicit_hash_key(value=explicit_hash_key)
        return value
    return int.from_bytes(md5(partition_key.encode()).digest(), "big")


def ensure_writable(stream: Stream) -> None:
    """Writes need an ACTIVE or UPDATING stream; otherwise Kinesis says the stream is not found."""
    if stream.status not in _WRITABLE:
        raise ResourceNotFoundException.stream(stream=stream.name, account=stream.account)


def check_record_size(stream: Stream, key: str, data: bytes, path: str) -> int:
    """The record's size (data + UTF-8 partition key), or AWS's error if the stream's cap is passed."""
    limit = stream.max_record_size_kib * 1024
    if len(data) > limit:
        raise validation_error([violation(render(data), path, at_most(limit))])
    size = len(data) + (len(key) if key.isascii() else len(key.encode()))
    if size > limit:
        raise InvalidArgumentException.record_size(
            size=size, limit=limit, stream=stream.name, account=stream.account
        )
    return size


def check_ordering(stream: Stream, value: str, now_ms: int) -> None:
    """SequenceNumberForOrdering: any well-formed number (of any stream, version 1 or 2, all
    zeros) whose write time is not in the future; AWS refuses the others (kinesalite
    test/putRecord.js, recorded against AWS)."""
    parsed = sequence.decode(value)
    if parsed is None or (parsed.written_s is not None and parsed.written_s * 1000 > now_ms):
        raise InvalidArgumentException.ordering(value=value, stream=stream.name, account=stream.account)


def put_record(
    stream: Stream,
    key: str,
    data: bytes,
    explicit_hash_key: str | None,
    ordering: str | None,
    now_ms: int,
    throughput: Throughput | None = None,
) -> tuple[Shard, int]:
    """PutRecord: AWS's checks in AWS's order, then the record is stored; its shard and counter."""
    ensure_writable(stream)
    hash_value = hash_key(key, explicit_hash_key)
    if ordering is not None:
        check_ordering(stream, ordering, now_ms)
    size = check_record_size(stream, key, data, "data")
    if throughput is not None:
        throughput.check_write(stream, stream.route(hash_value), size, now_ms)
    shard, counter = append(stream, hash_value, key, data, now_ms)
    if explicit_hash_key is not None:
        shard.explicit[counter] = explicit_hash_key
    return shard, counter


def append(stream: Stream, hash_value: int, key: str, data: bytes, now_ms: int) -> tuple[Shard, int]:
    """Store one record in the open shard that owns ``hash_value``; its shard and counter."""
    shard = stream.route(hash_value)
    now_ms = stream.arrival_ms(now_ms)
    stream.counter += 1
    _store_one(stream, shard, stream.counter, key, data, now_ms)
    return shard, stream.counter


def _store_one(stream: Stream, shard: Shard, counter: int, key: str, data: bytes, now_ms: int) -> None:
    shard.append(counter, now_ms, key, data)
    if not len(shard) & _TRIM_EVERY_MASK:  # a stream nobody reads still drops expired records
        shard.live_from(stream.horizon_ms(now_ms))


def put_batch(
    stream: Stream, entries: list[dict[str, Any]], now_ms: int, max_entries: int, max_bytes: int
) -> list[tuple[str, str]]:
    """PutRecords: check every entry first (one bad one fails the request), then store them in
    request order; the (shard id, sequence number) of each.

    AWS takes 500 entries and 10 MiB (partition keys included; 5 MiB before records of up to
    10 MiB came) per request; the quotas may lower both. Stored a shard at a time: one extend of
    each column per shard written to."""
    keys, blobs, explicit, hashes = _checked_batch(stream, entries, max_entries, max_bytes)
    now_ms = stream.arrival_ms(now_ms)
    base = stream.counter
    stream.counter += len(entries)
    if hashes is None:  # one open shard takes everything
        shard, counters = stream.route(0), range(base + 1, stream.counter + 1)
        _store(stream, shard, counters, keys, blobs, now_ms)
        _keep_explicit(explicit, base, repeat(shard))
        numbers = stream.sequence_numbers(counters, shard, (now_ms, now_ms))
        return list(zip(repeat(shard.shard_id), numbers))
    targets = stream.route_bytes(hashes)
    _keep_explicit(explicit, base, targets)
    if stream.open_count >= 4 * len(entries):
        # A wide stream: most entries are alone in their shard, so they are stored one by one.
        for counter, shard, key, data in zip(count(base + 1), targets, keys, blobs, strict=False):
            shard.append(counter, now_ms, key, data)
            if not len(shard.counters) & _TRIM_EVERY_MASK:
                shard.live_from(stream.horizon_ms(now_ms))
    else:
        positions: defaultdict[Shard, list[int]] = defaultdict(list)
        for position, shard in enumerate(targets):
            positions[shard].append(position)
        for shard, group in positions.items():
            if len(group) == 1:
                (position,) = group
                _store_one(stream, shard, base + 1 + position, keys[position], blobs[position], now_ms)
            else:
                taken = [base + 1 + position for position in group]
                _store(stream, shard, taken, [keys[i] for i in group], [blobs[i] for i in group], now_ms)
    # A number is its shard's constant bits | the write second's | the counter's (sequence.py).
    written, shift = sequence.written_bits(now_ms // 1000), sequence.INDEX_SHIFT
    return [
        (shard.shard_id, str(shard.number_base | written | counter << shift))
        for counter, shard in enumerate(targets, base + 1)
    ]


def _checked_batch(
    stream: Stream, entries: list[dict[str, Any]], max_entries: int, max_bytes: int
) -> tuple[list[str], list[bytes], list[str | None], list[bytes] | None]:
    """A PutRecords request after AWS's checks, column-wise: partition keys, data, explicit hash
    keys, and the hash keys as bytes (``None`` with one open shard; see :func:`_hashes`)."""
    ensure_writable(stream)
    if len(entries) > max_entries:
        shown = render(entries, "PutRecordsRequestEntry")
        raise validation_error([violation(shown, "records", at_most(max_entries))])
    keys = [entry["PartitionKey"] for entry in entries]
    blobs = [entry["Data"] for entry in entries]
    explicit = [entry.get("ExplicitHashKey") for entry in entries]
    hashes = _hashes(stream, keys, explicit)
    _check_batch_size(stream, keys, blobs, max_bytes)
    return keys, blobs, explicit, hashes


def _keep_explicit(explicit: list[str | None], base: int, shards: Iterable[Shard]) -> None:
    """Remember the ExplicitHashKey of the entries that have one (for mock.records()); entry i
    takes sequence counter ``base + 1 + i``."""
    if any(value is not None for value in explicit):
        # ``shards`` may be endless (one open shard): ``explicit`` sets the length.
        for number, (value, shard) in enumerate(zip(explicit, shards, strict=False), base + 1):
            if value is not None:
                shard.explicit[number] = value


def put_batch_refusing(
    stream: Stream,
    entries: list[dict[str, Any]],
    now_ms: int,
    max_entries: int,
    max_bytes: int,
    refuse: Refuse,
) -> tuple[list[tuple[str, str]], int]:
    """:func:`put_batch` where ``refuse`` may turn entries down (throughput, injected faults): a
    refused entry is a :class:`Refusal` in the results and is not stored; how many were refused.
    Entry by entry, in request order, as the capacity left depends on the entries before."""
    keys, blobs, explicit, hashes = _checked_batch(stream, entries, max_entries, max_bytes)
    targets = repeat(stream.route(0)) if hashes is None else iter(stream.route_bytes(hashes))
    now_ms = stream.arrival_ms(now_ms)
    results: list[tuple[str, str]] = []
    failed = 0
    entries_and_shards = zip(keys, blobs, explicit, targets, strict=False)  # targets may be endless
    for index, (key, data, value, shard) in enumerate(entries_and_shards):
        refused = refuse(index, shard, len(data) + len(key.encode()))
        if refused is not None:
            results.append(refused)
            failed += 1
            continue
        stream.counter += 1
        _store(stream, shard, [stream.counter], [key], [data], now_ms)
        if value is not None:
            shard.explicit[stream.counter] = value
        results.append((shard.shard_id, stream.sequence_number(stream.counter, shard)))
    return results, failed


def _hashes(stream: Stream, keys: list[str], explicit: list[str | None]) -> list[bytes] | None:
    """Each entry's 128-bit hash key as 16 big-endian bytes (they order as the numbers do), or
    ``None`` when one shard is open (it owns every key: no MD5 needed); explicit keys are checked
    either way, the first bad one in request order failing the request."""
    given = any(value is not None for value in explicit)
    if given:
        for key, value in zip(keys, explicit, strict=True):
            if value is not None:
                hash_key(key, value)
    if stream.open_count == 1:
        return None
    if not given:
        return [md5(key.encode()).digest() for key in keys]
    return [
        md5(key.encode()).digest() if value is None else int(value).to_bytes(16, "big")
        for key, value in zip(keys, explicit, strict=True)
    ]


def _check_batch_size(stream: Stream, keys: list[str], blobs: list[bytes], max_bytes: int) -> None:
    """The per-record cap (the first record over it, with its exact error), then the request's."""
    joined = "".join(keys)
    total = sum(map(len, blobs)) + (len(joined) if joined.isascii() else len(joined.encode()))
    if total > stream.max_record_size_kib * 1024:  # else no record can be over the cap
        for number, (key, data) in enumerate(zip(keys, blobs, strict=True), 1):
            check_record_size(stream, key, data, f"records.{number}.member.data")
    if total > max_bytes:
        raise InvalidArgumentException.records_size(limit=max_bytes // (1024 * 1024))


def _store(
    stream: Stream,
    shard: Shard,
    counters: range | list[int],
    keys: list[str],
    blobs: list[bytes],
    now_ms: int,
) -> None:
    before = len(shard)
    shard.extend(counters, now_ms, keys, blobs)
    if before >> 12 != len(shard) >> 12:  # a stream nobody reads still drops expired records
        shard.live_from(stream.horizon_ms(now_ms))


# -- shard iterators --------------------------------------------------------------------------


def shard_for_request(stream: Stream | None, name: str, account: str, raw_id: str) -> Shard:
    """The shard a GetShardIterator names, with AWS's two not-found texts."""
    index = parse_shard_id(raw_id)
    if index is None:
        raise ResourceNotFoundException.shard_lookup(shard=raw_id, stream=name, account=account)
    shard = stream.shard(index) if stream is not None else None
    if shard is None or (stream is not None and is_expired(stream, shard, _clock.now_ms())):
        raise ResourceNotFoundException.shard(shard=shard_id(index), stream=name, account=account)
    return shard


def is_expired(stream: Stream, shard: Shard, now_ms: int) -> bool:
    """A closed shard disappears once the retention period has passed since it closed."""
    return shard.closed_ms is not None and shard.closed_ms < stream.horizon_ms(now_ms)


def start_position(
    stream: Stream,
    shard: Shard,
    kind: str,
    starting: str | None,
    timestamp: float | None,
    now_ms: int,
    operation: str = "GetShardIterator",
) -> int:
    """The counter a new iterator starts at: it reads records whose counter is at least this."""
    if starting is not None and kind not in _WITH_SEQUENCE:
        raise InvalidArgumentException.iterator_type(kind=kind, which="and also a")
    if kind in _WITH_SEQUENCE:
        if starting is None:
            raise InvalidArgumentException.iterator_type(kind=kind, which="and no")
        counter = _sequence_of_shard(stream, shard, starting, operation)
        return counter if kind == "AT_SEQUENCE_NUMBER" else counter + 1
    if kind == "TRIM_HORIZON":
        return 0
    if kind == "LATEST":
        return stream.counter + 1
    if timestamp is None:
        raise InvalidArgumentException.timestamp_missing()
    millis = timestamp * 1000
    if millis > now_ms:
        raise InvalidArgumentException.timestamp_future(ts=_java_number(millis), now=now_ms)
    live = shard.live_from(stream.horizon_ms(now_ms))  # may compact: look up after it
    index = max(shard.index_at_time(math.ceil(millis)), live)
    return shard.counters[index] if index < len(shard) else stream.counter + 1


def _sequence_of_shard(stream: Stream, shard: Shard, value: str, operation: str) -> int:
    parsed = sequence.decode(value)
    fields = {
        "value": value,
        "shard": shard.shard_id,
        "stream": stream.name,
        "account": stream.account,
        "operation": operation,
    }
    if parsed is None:
        raise InvalidArgumentException.sequence_invalid(**fields)
    if parsed.shard_index != shard.index:
        raise InvalidArgumentException.sequence_shard(
            encoded=shard_id(parsed.shard_index), shard=shard.shard_id
        )
    # The shard's creation second and the version tell its numbers from another stream's. AWS
    # answers an InternalFailure (HTTP 500) to a version 0 number here (kinesalite, recorded); the
    # mock gives the not-from-this-stream text instead, as SDKs retry a 500 with back-off.
    if parsed.version != sequence.VERSION or parsed.created_s != shard.created_s:
        raise InvalidArgumentException.sequence_foreign(**fields)
    return parsed.record_index


def _java_number(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(value)


@dataclass(slots=True)
class Read:
    """The outcome of one GetRecords: record indexes ``[first, stop)`` of the shard, where the
    next read starts (``None`` at the end of a closed shard) and how far behind the tip it is."""

    first: int
    stop: int
    next_position: int | None
    millis_behind: int


def read(stream: Stream, shard: Shard, position: int, limit: int, now_ms: int) -> Read:
    """Read up to ``limit`` records (and at most 10 MiB) from ``position`` on."""
    live = shard.live_from(stream.horizon_ms(now_ms))  # may compact: look up after it
    first = max(shard.index_of(position), live)
    count = len(shard)
    stop = end = min(first + limit, count)
    data = shard.data
    if sum(map(len, data[first:end])) + shard.key_span(first, end) > MAX_READ_BYTES:
        # The records that fit, and at least one; the loop ends before ``end`` (they do not all fit).
        stop, size = first + 1, len(data[first]) + shard.key_size(first)
        while size + len(data[stop]) + shard.key_size(stop) <= MAX_READ_BYTES:
            size += len(data[stop]) + shard.key_size(stop)
            stop += 1
    if stop > first:
        position = shard.counters[stop - 1] + 1
    if stop < count:
        # Records are left behind: at least 1, even when they arrived in this very millisecond (0
        # means caught up, which KCL and others read as "nothing more to fetch").
        return Read(first, stop, position, max(1, now_ms - shard.arrivals[stop]))
    if shard.closed_ms is not None:
        return Read(first, stop, None, 0)
    return Read(first, stop, position, 0)
