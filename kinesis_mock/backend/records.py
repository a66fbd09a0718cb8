"""The data plane: writing records, positioning shard iterators, reading records.

Every step is a bisect or an append: routing (bisect over the open shards' starting hash keys),
positioning by sequence number or timestamp and the retention cutoff (bisects over a shard's
counter and arrival columns). Nothing scans a shard or a stream, so calls cost the same with a
thousand records in a shard as with millions.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from typing import Any

from .. import _clock
from .._wording import at_most, render, validation_error, violation
from ..errors import InvalidArgumentException, ResourceNotFoundException
from . import sequence
from .shard import Shard, parse_shard_id, shard_id
from .stream import Stream

MAX_HASH_KEY = 2**128 - 1
# GetRecords' Limit defaults to 10,000 records, the most it takes (model documentation).
READ_LIMIT = 10_000
# GetRecords returns at most 10 MiB (quotas page).
MAX_READ_BYTES = 10 * 1024 * 1024
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
    return int.from_bytes(hashlib.md5(partition_key.encode()).digest(), "big")


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


def check_ordering(stream: Stream, value: str) -> None:
    """SequenceNumberForOrdering must be a number this stream has handed out."""
    parsed = sequence.decode(value)
    if parsed is None or parsed.tag != stream.tag or parsed.counter > stream.counter:
        raise InvalidArgumentException.ordering(value=value, stream=stream.name, account=stream.account)


def put_record(
    stream: Stream, key: str, data: bytes, explicit_hash_key: str | None, ordering: str | None, now_ms: int
) -> tuple[Shard, int]:
    """PutRecord: AWS's checks in AWS's order, then the record is stored; its shard and counter."""
    ensure_writable(stream)
    hash_value = hash_key(key, explicit_hash_key)
    if ordering is not None:
        check_ordering(stream, ordering)
    check_record_size(stream, key, data, "data")
    return append(stream, hash_value, key, data, now_ms)


def append(stream: Stream, hash_value: int, key: str, data: bytes, now_ms: int) -> tuple[Shard, int]:
    """Store one record in the open shard that owns ``hash_value``; its shard and counter."""
    shard = stream.route(hash_value)
    stream.counter += 1
    shard.append(stream.counter, now_ms, key, data)
    if not len(shard) & _TRIM_EVERY_MASK:  # a stream nobody reads still drops expired records
        shard.live_from(stream.horizon_ms(now_ms))
    return shard, stream.counter


def put_batch(
    stream: Stream, entries: list[dict[str, Any]], now_ms: int, max_entries: int, max_bytes: int
) -> list[tuple[str, str]]:
    """PutRecords: check every entry first (one bad one fails the request), then store them in
    request order; the (shard id, sequence number) of each. Inlined: up to 500 entries a call.

    AWS takes 500 entries and 10 MiB (partition keys included; 5 MiB before records of up to
    10 MiB came) per request; the quotas may lower both."""
    ensure_writable(stream)
    if len(entries) > max_entries:
        shown = render(entries, "PutRecordsRequestEntry")
        raise validation_error([violation(shown, "records", at_most(max_entries))])
    limit, md5, from_bytes = stream.max_record_size_kib * 1024, hashlib.md5, int.from_bytes
    hashes: list[int] = []
    total, oversized = 0, False
    add_hash = hashes.append
    for entry in entries:
        key, data = entry["PartitionKey"], entry["Data"]
        encoded = key.encode()
        if "ExplicitHashKey" in entry:
            add_hash(hash_key(key, entry["ExplicitHashKey"]))
        else:
            add_hash(from_bytes(md5(encoded).digest(), "big"))
        size = len(data) + len(encoded)
        if size > limit:
            oversized = True
        total += size
    if oversized:  # the first record over the cap, with its exact error
        for number, entry in enumerate(entries, 1):
            check_record_size(stream, entry["PartitionKey"], entry["Data"], f"records.{number}.member.data")
    if total > max_bytes:
        raise InvalidArgumentException.records_size(limit=max_bytes // (1024 * 1024))
    route, counter, prefix = stream.route, stream.counter, stream.number_prefix
    results: list[tuple[str, str]] = []
    append = results.append
    for entry, hash_value in zip(entries, hashes, strict=True):
        shard = route(hash_value)
        counter += 1
        shard.append(counter, now_ms, entry["PartitionKey"], entry["Data"])
        if not len(shard.counters) & _TRIM_EVERY_MASK:
            shard.live_from(stream.horizon_ms(now_ms))
        append((shard.shard_id, f"{prefix}{counter:024d}{shard.number_suffix}"))
    stream.counter = counter
    return results


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
    if parsed.tag != stream.tag:
        raise InvalidArgumentException.sequence_foreign(**fields)
    return parsed.counter


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
    stop, size, count = first, 0, len(shard)
    end = min(first + limit, count)
    data, keys = shard.data, shard.keys
    while stop < end:
        record = len(data[stop]) + len(keys[stop])
        if stop > first and size + record > MAX_READ_BYTES:
            break
        size += record
        stop += 1
    if stop > first:
        position = shard.counters[stop - 1] + 1
    if stop < count:
        return Read(first, stop, position, max(0, now_ms - shard.arrivals[stop]))
    if shard.end_counter is not None:
        return Read(first, stop, None, 0)
    return Read(first, stop, position, 0)
