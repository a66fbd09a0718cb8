"""The data plane: PutRecord, PutRecords, GetShardIterator, GetRecords."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .. import _clock
from ..backend import Backend, Refusal, Shard, Stream
from ._registry import Call, Result, operation, stream_ref
from ._shapes import child_shards


@operation("PutRecord")
def put_record(backend: Backend, call: Call) -> Result:
    p = call.params
    stream, shard, counter = backend.put_record(
        stream_ref(call),
        p["PartitionKey"],
        p["Data"],
        p.get("ExplicitHashKey"),
        p.get("SequenceNumberForOrdering"),
    )
    out: dict[str, Any] = {
        "ShardId": shard.shard_id,
        "SequenceNumber": stream.sequence_number(counter, shard),
    }
    _encryption(stream, out)
    return out


@operation("PutRecords")
def put_records(backend: Backend, call: Call) -> Result:
    stream, written, failed = backend.put_records(stream_ref(call), call.params["Records"], call.injected)
    if failed:  # an entry refused is ErrorCode and ErrorMessage, in its place (model docs)
        shaped = [
            {"ErrorCode": entry.code, "ErrorMessage": entry.message}
            if isinstance(entry, Refusal)
            else {"SequenceNumber": entry[1], "ShardId": entry[0]}
            for entry in written
        ]
    else:
        shaped = [{"SequenceNumber": number, "ShardId": shard} for shard, number in written]
    out: dict[str, Any] = {"FailedRecordCount": failed, "Records": shaped}
    _encryption(stream, out)
    return out


def _encryption(stream: Stream, out: dict[str, Any]) -> None:
    if stream.encryption_type == "KMS":
        out["EncryptionType"] = "KMS"


@operation("GetShardIterator")
def get_shard_iterator(backend: Backend, call: Call) -> Result:
    p = call.params
    iterator = backend.get_shard_iterator(
        stream_ref(call),
        p["ShardId"],
        p["ShardIteratorType"],
        p.get("StartingSequenceNumber"),
        p.get("Timestamp"),
    )
    return {"ShardIterator": iterator}


@operation("GetRecords")
def get_records(backend: Backend, call: Call) -> Result:
    p = call.params
    got = backend.get_records(
        call.account, call.region, p["ShardIterator"], p.get("Limit"), p.get("StreamARN")
    )
    out: dict[str, Any] = {"Records": _records(got.stream, got.shard, got.read.first, got.read.stop)}
    if got.next_iterator is not None:
        out["NextShardIterator"] = got.next_iterator
    out["MillisBehindLatest"] = got.read.millis_behind
    if got.next_iterator is None:
        out["ChildShards"] = child_shards(got.children)
    return out


def _records(stream: Stream, shard: Shard, first: int, stop: int) -> list[dict[str, Any]]:
    return record_shapes(
        stream,
        shard,
        shard.counters[first:stop],
        shard.arrivals[first:stop],
        shard.data[first:stop],
        shard.keys(first, stop),
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
    numbers = stream.sequence_numbers(counters, shard, arrivals)
    if not arrivals:
        return []
    # Records of one millisecond share one datetime (a batch's records arrive in the same one, and
    # arrival times never decrease in a shard: all are the same when the first and last are).
    if arrivals[0] == arrivals[-1]:
        stamps: Sequence[Any] = [_clock.to_datetime(arrivals[0])] * len(arrivals)
    else:
        by_time = {arrival: _clock.to_datetime(arrival) for arrival in dict.fromkeys(arrivals)}
        stamps = [by_time[arrival] for arrival in arrivals]
    out = [
        {
            "SequenceNumber": number,
            "ApproximateArrivalTimestamp": stamp,
            "Data": blob,
            "PartitionKey": key,
        }
        for number, stamp, blob, key in zip(numbers, stamps, data, keys, strict=True)
    ]
    if stream.encryption_changes:  # records written while the stream was encrypted say so
        for counter, record in zip(counters, out, strict=True):
            if stream.encrypted(counter):
                record["EncryptionType"] = "KMS"
    return out
