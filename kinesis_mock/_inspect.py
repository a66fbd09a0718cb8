"""Inspection: what the mock holds, read without a client (``mock.records()``, ``mock.streams()``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from . import _clock
from .backend import Backend, Stream
from .backend.stream import split_stream_arn


@dataclass(frozen=True, slots=True)
class Record:
    """One record a stream holds, as ``mock.records()`` returns it.

    Example::

        client.put_record(StreamName="orders", Data=b"{}", PartitionKey="o-1")
        [record] = mock.records("orders")
        assert (record.data, record.partition_key) == (b"{}", "o-1")

    ``arrival`` is the ``ApproximateArrivalTimestamp`` GetRecords reports (an aware datetime, equal
    to what botocore parses); ``explicit_hash_key`` is the one the record was written with, if any.
    """

    data: bytes
    partition_key: str
    sequence_number: str
    shard_id: str
    arrival: datetime.datetime
    explicit_hash_key: str | None


def records(
    backend: Backend, stream_name: str, shard_id: str | None, account: str, region: str | None
) -> list[Record]:
    """Every readable record of a stream (or of one of its shards): oldest first in each shard,
    shards in id order (so parents come before their children)."""
    with backend.lock:
        stream = _find(backend, stream_name, account, region)
        shards = stream.shards
        if shard_id is not None:
            shards = [shard for shard in shards if shard.shard_id == shard_id]
            if not shards:
                known = ", ".join(shard.shard_id for shard in stream.shards)
                raise ValueError(
                    f"kinesis_mock: stream {stream.name} has no shard {shard_id!r}; its shards are {known}"
                )
        horizon = stream.horizon_ms(_clock.now_ms())
        out = []
        for shard in shards:
            explicit, first = shard.explicit, shard.index_at_time(horizon)
            keys = shard.keys(first, len(shard))
            for index, key in enumerate(keys, first):
                counter = shard.counters[index]
                out.append(
                    Record(
                        shard.data[index],
                        key,
                        stream.sequence_number(counter, shard),
                        shard.shard_id,
                        _clock.to_datetime(shard.arrivals[index]),
                        explicit.get(counter),
                    )
                )
        return out


def streams(backend: Backend, account: str, region: str | None) -> list[str]:
    """The names of the streams of ``account`` (in ``region``, or in every region), sorted."""
    with backend.lock:
        names = {
            name
            for state in backend.regions()
            if state.account == account and (region is None or state.name == region)
            for name in state.live_streams()
        }
    return sorted(names)


def _find(backend: Backend, name: str, account: str, region: str | None) -> Stream:
    if name.startswith("arn:"):  # arn:aws:kinesis:<region>:<account>:stream/<name>
        parts = name.split(":")
        if len(parts) < 6:
            raise ValueError(f"kinesis_mock: {name!r} is not a stream ARN")
        region = region or parts[3]
        account, name = split_stream_arn(name)
    holders = [
        state
        for state in backend.regions()
        if state.account == account and (region is None or state.name == region) and state.get(name)
    ]
    if not holders:
        where = f"in {region}" if region is not None else "in any region"
        raise ValueError(f"kinesis_mock: account {account} has no stream {name!r} {where}")
    if len(holders) > 1:
        regions = ", ".join(sorted(state.name for state in holders))
        raise ValueError(
            f"kinesis_mock: account {account} has a stream {name!r} in several regions "
            f"({regions}); say which with region="
        )
    stream = holders[0].get(name)
    assert stream is not None
    return stream
