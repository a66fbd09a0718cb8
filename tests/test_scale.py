"""What keeps calls width- and depth-independent holds the same answers as the plain scans would:
the routing table kept across reshards, the region's counts, lazy shard pages, partition keys in
one byte column, sequence numbers built in blocks, batched writes."""

from __future__ import annotations

import base64
import email.utils
import random
import uuid
from typing import Any

from freezegun import freeze_time

from kinesis_mock import mock_kinesis
from kinesis_mock.backend import Backend, NewStream, Region, Shard, ShardFilter, Stream, StreamRef, sequence
from kinesis_mock.backend.records import MAX_HASH_KEY, hash_key

ACCOUNT, REGION = "123456789012", "us-east-1"


def _stream(backend: Backend, name: str = "s", shards: int = 4) -> Stream:
    return backend.create_stream(ACCOUNT, REGION, NewStream(name, shards, None))


def _by_scan(stream: Stream, hash_value: int) -> Shard:
    (shard,) = [s for s in stream.shards if s.is_open and s.start_hash <= hash_value <= s.end_hash]
    return shard


def test_routes_follow_every_split_and_merge() -> None:
    backend, chance = Backend(), random.Random(15)
    stream = _stream(backend)
    ref = StreamRef(ACCOUNT, REGION, "s")
    for _ in range(60):
        shards = stream.open_shards()
        assert shards == sorted((s for s in stream.shards if s.is_open), key=lambda s: s.start_hash)
        position = chance.randrange(len(shards))
        shard = shards[position]
        if chance.random() < 0.6 and shard.end_hash - shard.start_hash > 4:
            key = chance.randrange(shard.start_hash + 2, shard.end_hash)
            backend.split_shard(ref, shard.shard_id, str(key))
        elif position + 1 < len(shards):
            backend.merge_shards(ref, shard.shard_id, shards[position + 1].shard_id)
        for value in [0, MAX_HASH_KEY, *(chance.randrange(MAX_HASH_KEY + 1) for _ in range(20))]:
            assert stream.route(value) is _by_scan(stream, value)
    keys = [f"key-{i}" for i in range(300)]
    written = backend.put_records(ref, [{"PartitionKey": key, "Data": b"x"} for key in keys])[1]
    assert [shard for shard, _ in written] == [_by_scan(stream, hash_key(key, None)).shard_id for key in keys]


def _counted(region: Region) -> tuple[int, int]:
    streams = region.live_streams().values()
    return sum(s.open_shard_count() for s in streams), sum(s.mode == "ON_DEMAND" for s in streams)


def test_region_counts_follow_streams_that_come_go_and_reshard() -> None:
    with freeze_time("2026-01-01") as clock, mock_kinesis(state_change_seconds=10) as mock:
        backend = mock.backend
        region = backend.region(ACCOUNT, REGION)

        def check() -> None:
            assert (region.open_shard_count(), region.on_demand_stream_count()) == _counted(region)
            limits = backend.describe_limits(ACCOUNT, REGION)
            assert (limits.open_shard_count, limits.on_demand_stream_count) == _counted(region)

        _stream(backend, "a", 3)
        check()  # CREATING: no shards shown
        assert region.open_shard_count() == 0
        for kind in ("AT_LATEST", "FROM_TRIM_HORIZON"):
            ref = StreamRef(ACCOUNT, REGION, "a")
            assert backend.list_shards(ref, None, shard_filter=ShardFilter(kind)).shards == []
        clock.tick(10)
        check()
        assert region.open_shard_count() == 3
        backend.create_stream(ACCOUNT, REGION, NewStream("b", None, "ON_DEMAND"))
        clock.tick(10)
        check()
        assert _counted(region) == (7, 1)
        backend.update_stream_mode(StreamRef(ACCOUNT, REGION, "b"), "PROVISIONED")
        clock.tick(10)
        backend.split_shard(StreamRef(ACCOUNT, REGION, "a"), "shardId-000000000000", str(2**100))
        check()
        clock.tick(10)
        backend.update_shard_count(StreamRef(ACCOUNT, REGION, "b"), 8)
        check()
        clock.tick(10)
        backend.delete_stream(StreamRef(ACCOUNT, REGION, "a"))
        check()  # DELETING: still counted
        assert region.open_shard_count() == 12
        clock.tick(10)
        check()
        assert region.sorted_names() == ["b"]
        assert _counted(region) == (8, 0)


def test_shard_pages_read_lazily_answer_as_the_full_listing(client: Any) -> None:
    client.create_stream(StreamName="s", ShardCount=3)
    client.split_shard(StreamName="s", ShardToSplit="shardId-000000000001", NewStartingHashKey=str(2**127))
    client.merge_shards(
        StreamName="s", ShardToMerge="shardId-000000000003", AdjacentShardToMerge="shardId-000000000004"
    )
    every = [s["ShardId"] for s in client.list_shards(StreamName="s")["Shards"]]
    assert every == [f"shardId-{i:012d}" for i in range(6)]
    for start in ["shardId-000000000002", "4", "x-1", "shardId-000000000009"]:
        index = int(start.rsplit("-", 1)[-1])
        after = [shard for shard in every if int(shard[-12:]) > index]
        described = client.describe_stream(StreamName="s", ExclusiveStartShardId=start)["StreamDescription"]
        assert [s["ShardId"] for s in described["Shards"]] == after
        listed = client.list_shards(StreamName="s", ExclusiveStartShardId=start)["Shards"]
        assert [s["ShardId"] for s in listed] == after
        flt = {"Type": "AFTER_SHARD_ID", "ShardId": start}
        listed = client.list_shards(StreamName="s", ShardFilter=flt)["Shards"]
        assert [s["ShardId"] for s in listed] == after
    # An id that is no number is compared as text (Kinesis resolves ids leniently).
    described = client.describe_stream(StreamName="s", ExclusiveStartShardId="shardId-0000000000-")
    assert [s["ShardId"] for s in described["StreamDescription"]["Shards"]] == every
    listed = client.list_shards(StreamName="s", ExclusiveStartShardId="shardId-0000000000-")["Shards"]
    assert [s["ShardId"] for s in listed] == every
    flt = {"Type": "AFTER_SHARD_ID", "ShardId": "shardId-0000000000-"}
    assert [s["ShardId"] for s in client.list_shards(StreamName="s", ShardFilter=flt)["Shards"]] == every
    page = client.list_shards(StreamName="s", MaxResults=2, ShardFilter={"Type": "FROM_TRIM_HORIZON"})
    assert [s["ShardId"] for s in page["Shards"]] == every[:2] and "NextToken" in page
    page = client.list_shards(NextToken=page["NextToken"], MaxResults=10)
    assert [s["ShardId"] for s in page["Shards"]] == every[2:] and "NextToken" not in page
    page = client.describe_stream(StreamName="s", Limit=5)["StreamDescription"]
    assert (len(page["Shards"]), page["HasMoreShards"]) == (5, True)


def test_partition_keys_of_any_text_come_back_as_written(client: Any) -> None:
    client.create_stream(StreamName="s", ShardCount=1)
    keys = ["k", "ключ-1", "鍵", "😀 key", "plain", "x" * 256, "é" * 256]
    client.put_records(StreamName="s", Records=[{"Data": b"d", "PartitionKey": key} for key in keys[:4]])
    for key in keys[4:]:
        client.put_record(StreamName="s", Data=key.encode(), PartitionKey=key)
    iterator = client.get_shard_iterator(StreamName="s", ShardId="0", ShardIteratorType="TRIM_HORIZON")
    records = client.get_records(ShardIterator=iterator["ShardIterator"])["Records"]
    assert [r["PartitionKey"] for r in records] == keys
    iterator = client.get_shard_iterator(StreamName="s", ShardId="0", ShardIteratorType="TRIM_HORIZON")
    records = client.get_records(ShardIterator=iterator["ShardIterator"], Limit=2)["Records"]
    assert [r["PartitionKey"] for r in records] == keys[:2]


def test_expired_records_are_dropped_with_their_keys() -> None:
    backend = Backend()
    ref = StreamRef(ACCOUNT, REGION, "s")
    with freeze_time("2026-01-01") as clock:
        stream = _stream(backend, shards=1)
        for number in range(10):
            backend.put_records(ref, [{"PartitionKey": f"ö-{number}-{i}", "Data": b"x"} for i in range(500)])
        clock.tick(25 * 3600)  # past the 24 hours of retention
        for i in range(4100):  # PutRecord trims too, every 4,096 records
            backend.put_record(ref, f"new-{i}", b"y")
        shard = stream.shards[0]
        assert len(shard) == 4100
        assert shard.keys(0, 3) == ["new-0", "new-1", "new-2"]
        assert shard.keys(4098, 4100) == ["new-4098", "new-4099"]
        assert shard.key_size(0) == 5 and shard.key_span(0, 0) == 0


def test_a_batch_written_after_the_clock_went_back_keeps_arrivals_in_order() -> None:
    backend = Backend()
    ref = StreamRef(ACCOUNT, REGION, "s")
    with freeze_time("2026-01-01 00:00:10"):
        stream = _stream(backend, shards=1)
        backend.put_records(ref, [{"PartitionKey": "a", "Data": b"x"}])
    with freeze_time("2026-01-01 00:00:05"):
        backend.put_records(ref, [{"PartitionKey": "b", "Data": b"x"}] * 3)
    arrivals = list(stream.shards[0].arrivals)
    assert arrivals == sorted(arrivals) and len(set(arrivals)) == 1


def test_numbers_built_in_runs_are_the_numbers() -> None:
    base, chance = sequence.shard_base(1_767_225_600, 12), random.Random(3)
    cases = [
        ([], []),
        ([1], [1_767_225_600_000]),
        (list(range(5, 2600)), [1_767_225_600_999] * 2595),
        (
            sorted(chance.sample(range(10**9), 2000)),
            sorted(chance.sample(range(10**12, 10**12 + 10**7), 2000)),
        ),
    ]
    for counters, arrivals in cases:
        assert sequence.encode_run(base, counters, arrivals) == [
            sequence.encode(base, counter, arrival // 1000)
            for counter, arrival in zip(counters, arrivals, strict=True)
        ]


def test_every_reply_has_its_own_request_id_and_the_headers_aws_sends(client: Any) -> None:
    seen = set()
    for _ in range(50):
        metadata = client.list_streams()["ResponseMetadata"]
        request_id = uuid.UUID(metadata["RequestId"])
        assert (request_id.version, request_id.variant) == (4, uuid.RFC_4122)
        assert str(request_id) == metadata["RequestId"] == metadata["HTTPHeaders"]["x-amzn-requestid"]
        assert len(base64.b64decode(metadata["HTTPHeaders"]["x-amz-id-2"])) == 72
        assert email.utils.parsedate_to_datetime(metadata["HTTPHeaders"]["date"]).tzinfo is not None
        seen.add(metadata["RequestId"])
    assert len(seen) == 50
