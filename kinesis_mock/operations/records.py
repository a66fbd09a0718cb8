"""The data plane: PutRecord, PutRecords, GetShardIterator, GetRecords."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .. import _clock
from ..backend import Backend, records
from ..backend.shard import Shard, shard_id
from ..backend.stream import Stream
from ..errors import ResourceNotFoundException
from ._registry import Call, Result, named_stream, operation, stream_of
from ._shapes import child_shards

_DEFAULT_READ_LIMIT = 10_000


@operation("PutRecord")
def put_record(backend: Backend, call: Call) -> Result:
    p = call.params
    stream = stream_of(backend, call)
    records.ensure_writable(stream)
    hash_value = records.hash_key(p["PartitionKey"], p.get("ExplicitHashKey"))
    if "SequenceNumberForOrdering" in p:
        records.check_ordering(stream, p["SequenceNumberForOrdering"])
    records.check_record_size(stream, p["PartitionKey"], p["Data"], "data")
    shard, counter = records.append(stream, hash_value, p["PartitionKey"], p["Data"], _clock.now_ms())
    out: dict[str, Any] = {
        "ShardId": shard.shard_id,
        "SequenceNumber": stream.sequence_number(counter, shard),
    }
    _encryption(stream, out)
    return out


@operation("PutRecords")
def put_records(backend: Backend, call: Call) -> Result:
    stream = stream_of(backend, call)
    records.ensure_writable(stream)
    quotas = backend.quotas
    written = records.put_batch(
        stream,
        call.params["Records"],
        _clock.now_ms(),
        quotas.put_records_max_entries,
        quotas.put_records_max_bytes,
    )
    out: dict[str, Any] = {
        "FailedRecordCount": 0,
        "Records": [{"SequenceNumber": number, "ShardId": shard} for shard, number in written],
    }
    _encryption(stream, out)
    return out


def _encryption(stream: Stream, out: dict[str, Any]) -> None:
    if stream.encryption_type == "KMS":
        out["EncryptionType"] = "KMS"


@operation("GetShardIterator")
def get_shard_iterator(backend: Backend, call: Call) -> Result:
    p = call.params
    now = _clock.now_ms()
    try:
        stream: Stream | None = stream_of(backend, call)
    except ResourceNotFoundException:
        stream = None
    name, account = named_stream(call)
    shard = records.shard_for_request(stream, name, account, p["ShardId"])
    assert stream is not None
    position = records.start_position(
        stream, shard, p["ShardIteratorType"], p.get("StartingSequenceNumber"), p.get("Timestamp"), now
    )
    return {"ShardIterator": backend.sealer.seal(*records.iterator_fields(stream, shard, position, now))}


@operation("GetRecords")
def get_records(backend: Backend, call: Call) -> Result:
    now = _clock.now_ms()
    token = call.params["ShardIterator"]
    if len(token) > 1 and token[0] == token[-1] == '"':  # AWS accepts a quoted iterator
        token = token[1:-1]
    state = records.open_iterator(backend.sealer.open(token), now)
    stream = backend.region(state.account, state.region).get(state.stream)
    shard = stream.shard(state.shard_index) if stream and stream.tag == state.tag else None
    if stream is None or shard is None or records.is_expired(stream, shard, now):
        raise ResourceNotFoundException.shard(
            shard=shard_id(state.shard_index), stream=state.stream, account=state.account
        )
    result = records.read(stream, shard, state.position, call.params.get("Limit", _DEFAULT_READ_LIMIT), now)
    out: dict[str, Any] = {"Records": _records(stream, shard, result.first, result.stop)}
    if result.next_position is not None:
        out["NextShardIterator"] = backend.sealer.seal(
            *records.iterator_fields(stream, shard, result.next_position, now)
        )
    out["MillisBehindLatest"] = result.millis_behind
    if result.next_position is None:
        out["ChildShards"] = child_shards(stream, shard)
    return out


def _records(stream: Stream, shard: Shard, first: int, stop: int) -> list[dict[str, Any]]:
    return record_shapes(
        stream,
        shard,
        shard.counters[first:stop],
        shard.arrivals[first:stop],
        shard.data[first:stop],
        shard.keys[first:stop],
    )


def record_shapes(
    stream: Stream,
    shard: Shard,
    counters: Sequence[int],
    arrivals: Sequence[int],
    data: Sequence[bytes],
    keys: Sequence[str],
) -> list[dict[str, Any]]:
    """``Record`` shapes, as GetRecords and SubscribeToShardEvent carry them."""
    prefix, suffix, to_datetime = stream.number_prefix, shard.number_suffix, _clock.to_datetime
    out = []
    last_ms, stamp = -1, None
    for counter, arrival, blob, key in zip(counters, arrivals, data, keys, strict=True):
        if arrival != last_ms:  # records of one millisecond share one datetime
            last_ms, stamp = arrival, to_datetime(arrival)
        out.append(
            {
                "SequenceNumber": f"{prefix}{counter:024d}{suffix}",
                "ApproximateArrivalTimestamp": stamp,
                "Data": blob,
                "PartitionKey": key,
            }
        )
    if stream.encryption_changes:  # records written while the stream was encrypted say so
        for counter, record in zip(counters, out, strict=True):
            if stream.encrypted(counter):
                record["EncryptionType"] = "KMS"
    return out
