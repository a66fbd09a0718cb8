"""The data plane: PutRecord, PutRecords, GetShardIterator, GetRecords."""

from __future__ import annotations

from typing import Any

from .. import _clock
from ..backend import Backend, records
from ..backend.shard import Shard, shard_id
from ..backend.stream import Stream
from ..errors import InvalidArgumentException, ResourceNotFoundException
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
    out: dict[str, Any] = {"ShardId": shard.shard_id,
                           "SequenceNumber": stream.sequence_number(counter, shard)}
    _encryption(stream, out)
    return out


@operation("PutRecords")
def put_records(backend: Backend, call: Call) -> Result:
    stream = stream_of(backend, call)
    records.ensure_writable(stream)
    entries = call.params["Records"]
    # One bad ExplicitHashKey or oversized record fails the whole request, before any write.
    hashes = [records.hash_key(e["PartitionKey"], e.get("ExplicitHashKey")) for e in entries]
    total = sum(records.check_record_size(stream, e["PartitionKey"], e["Data"],
                                          f"records.{i}.member.data")
                for i, e in enumerate(entries, 1))
    if total > records.MAX_PUT_RECORDS_BYTES:
        raise InvalidArgumentException("records_size")
    now = _clock.now_ms()
    results = []
    for entry, hash_value in zip(entries, hashes, strict=True):
        shard, counter = records.append(stream, hash_value, entry["PartitionKey"], entry["Data"], now)
        results.append({"SequenceNumber": stream.sequence_number(counter, shard),
                        "ShardId": shard.shard_id})
    out: dict[str, Any] = {"FailedRecordCount": 0, "Records": results}
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
    position = records.start_position(stream, shard, p["ShardIteratorType"],
                                      p.get("StartingSequenceNumber"), p.get("Timestamp"), now)
    return {"ShardIterator": backend.sealer.seal(*records.iterator_fields(stream, shard, position,
                                                                           now))}


@operation("GetRecords")
def get_records(backend: Backend, call: Call) -> Result:
    now = _clock.now_ms()
    token = call.params["ShardIterator"]
    if len(token) > 1 and token[0] == token[-1] == '"':  # AWS accepts a quoted iterator
        token = token[1:-1]
    state = records.open_iterator(backend.sealer.open(token), now)
    stream = backend.region(state.account, state.region).streams.get(state.stream)
    shard = stream.shard(state.shard_index) if stream and stream.tag == state.tag else None
    if stream is None or shard is None or records.is_expired(stream, shard, now):
        raise ResourceNotFoundException("shard", shard=shard_id(state.shard_index),
                                        stream=state.stream, account=state.account)
    result = records.read(stream, shard, state.position,
                          call.params.get("Limit", _DEFAULT_READ_LIMIT), now)
    out: dict[str, Any] = {"Records": _records(stream, shard, result.first, result.stop)}
    if result.next_position is not None:
        out["NextShardIterator"] = backend.sealer.seal(
            *records.iterator_fields(stream, shard, result.next_position, now))
    out["MillisBehindLatest"] = result.millis_behind
    if result.next_position is None:
        out["ChildShards"] = child_shards(stream, shard)
    return out


def _records(stream: Stream, shard: Shard, first: int, stop: int) -> list[dict[str, Any]]:
    counters, arrivals, data, keys = shard.counters, shard.arrivals, shard.data, shard.keys
    encode, index, to_datetime = stream.sequence_number, shard, _clock.to_datetime
    out = []
    last_ms, stamp = -1, None
    for i in range(first, stop):
        arrival = arrivals[i]
        if arrival != last_ms:  # records of one millisecond share one datetime
            last_ms, stamp = arrival, to_datetime(arrival)
        out.append({"SequenceNumber": encode(counters[i], index),
                    "ApproximateArrivalTimestamp": stamp, "Data": data[i], "PartitionKey": keys[i]})
    if stream.encryption_changes:  # records written while the stream was encrypted say so
        for i, record in zip(range(first, stop), out, strict=True):
            if stream.encrypted(counters[i]):
                record["EncryptionType"] = "KMS"
    return out
