"""Statuses as AWS shows them, whatever the clock does; MillisBehindLatest when records are left."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from freezegun import freeze_time

from kinesis_mock import mock_kinesis

T = datetime.datetime(2026, 3, 4, 5, 6, 7, tzinfo=datetime.UTC)


def status(client: Any, name: str = "s") -> str:
    value: str = client.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["StreamStatus"]
    return value


def open_shards(client: Any) -> int:
    return len(client.list_shards(StreamName="s", ShardFilter={"Type": "AT_LATEST"})["Shards"])


class TestAClockMovedBack:
    def test_at_once_means_at_once_freezegun(self, make_client: Any) -> None:
        with mock_kinesis():
            client = make_client()
            with freeze_time(T):
                client.create_stream(StreamName="s", ShardCount=2)
            with freeze_time(T - datetime.timedelta(days=1)):
                assert status(client) == "ACTIVE"
                assert open_shards(client) == 2
                client.put_record(StreamName="s", Data=b"x", PartitionKey="k")
                client.delete_stream(StreamName="s")
                assert client.list_streams()["StreamNames"] == []

    def test_at_once_means_at_once_time_machine(self, make_client: Any) -> None:
        with mock_kinesis():
            client = make_client()
            with time_machine.travel(T, tick=False):
                client.create_stream(StreamName="s", ShardCount=1)
                client.split_shard(StreamName="s", ShardToSplit="0", NewStartingHashKey=str(2**127))
            with time_machine.travel(T - datetime.timedelta(minutes=5), tick=False):
                assert status(client) == "ACTIVE"
                assert open_shards(client) == 2

    def test_with_a_duration_time_counts_forward_only(self, make_client: Any) -> None:
        with freeze_time(T) as clock, mock_kinesis(state_change_seconds=10):
            client = make_client()
            client.create_stream(StreamName="s", ShardCount=1)
            clock.move_to(T - datetime.timedelta(hours=1))  # back: no time passes
            assert status(client) == "CREATING"
            clock.move_to(T + datetime.timedelta(seconds=9))
            assert status(client) == "CREATING"
            clock.move_to(T + datetime.timedelta(seconds=10))
            assert status(client) == "ACTIVE"
            clock.move_to(T - datetime.timedelta(hours=1))  # back again: done stays done
            assert status(client) == "ACTIVE" and open_shards(client) == 1


def test_deleting_a_creating_stream_shows_deleting_and_no_shards(make_client: Any) -> None:
    with freeze_time(T) as clock, mock_kinesis(state_change_seconds=10):
        client = make_client()
        client.create_stream(StreamName="s", ShardCount=3)
        clock.tick(5)
        client.delete_stream(StreamName="s")
        clock.tick(6)  # past the end of CREATING, still DELETING
        description = client.describe_stream(StreamName="s")["StreamDescription"]
        assert (description["StreamStatus"], description["Shards"], description["HasMoreShards"]) == (
            "DELETING",
            [],
            False,
        )
        clock.tick(4)
        with pytest.raises(client.exceptions.ResourceNotFoundException):
            client.describe_stream(StreamName="s")


class TestMillisBehindLatest:
    def test_records_left_behind_in_the_same_millisecond(self, client: Any) -> None:
        with freeze_time(T):
            client.create_stream(StreamName="s", ShardCount=1)
            client.put_records(StreamName="s", Records=[{"Data": b"x", "PartitionKey": "k"}] * 3)
            iterator = client.get_shard_iterator(
                StreamName="s", ShardId="0", ShardIteratorType="TRIM_HORIZON"
            )["ShardIterator"]
            first = client.get_records(ShardIterator=iterator, Limit=2)
            assert (len(first["Records"]), first["MillisBehindLatest"]) == (2, 1)
            rest = client.get_records(ShardIterator=first["NextShardIterator"])
            assert (len(rest["Records"]), rest["MillisBehindLatest"]) == (1, 0)

    def test_records_left_behind_by_the_10_mib_cap(self, client: Any) -> None:
        with freeze_time(T):
            client.create_stream(StreamName="s", ShardCount=1)
            for _ in range(11):
                client.put_record(StreamName="s", Data=b"x" * (1024 * 1024 - 1), PartitionKey="k")
            iterator = client.get_shard_iterator(
                StreamName="s", ShardId="0", ShardIteratorType="TRIM_HORIZON"
            )["ShardIterator"]
            first = client.get_records(ShardIterator=iterator)
            assert (len(first["Records"]), first["MillisBehindLatest"]) == (10, 1)


def shard_ids(client: Any) -> list[str]:
    return [s["ShardId"] for s in client.list_shards(StreamName="s")["Shards"]]


class TestUpdatingShowsTheShardsAsTheyWere:
    """kinesalite test/splitShard.js and mergeShards.js, recorded against AWS: while UPDATING,
    DescribeStream shows the old shards and a PutRecord is answered by the parent."""

    def test_split(self, make_client: Any) -> None:
        with freeze_time(T) as clock, mock_kinesis(state_change_seconds=10):
            client = make_client()
            client.create_stream(StreamName="s", ShardCount=1)
            clock.tick(10)
            before = client.describe_stream(StreamName="s")["StreamDescription"]["Shards"]
            client.split_shard(StreamName="s", ShardToSplit="0", NewStartingHashKey=str(2**127))
            during = client.describe_stream(StreamName="s")["StreamDescription"]
            assert (during["StreamStatus"], during["Shards"]) == ("UPDATING", before)
            assert shard_ids(client) == ["shardId-000000000000"]
            put = client.put_record(StreamName="s", Data=b"during", PartitionKey="k", ExplicitHashKey="0")
            assert put["ShardId"] == "shardId-000000000000"
            clock.tick(9)
            assert status(client) == "UPDATING" and open_shards(client) == 1
            clock.tick(3)
            after = client.describe_stream(StreamName="s")["StreamDescription"]
            assert after["StreamStatus"] == "ACTIVE"
            assert [s["ShardId"] for s in after["Shards"]] == [f"shardId-00000000000{i}" for i in range(3)]
            # The parent closed when the update completed (T + 20 s); its children a second later.
            ending = int(after["Shards"][0]["SequenceNumberRange"]["EndingSequenceNumber"])
            child = int(after["Shards"][1]["SequenceNumberRange"]["StartingSequenceNumber"])
            assert (ending >> 36) & (2**36 - 1) == int(T.timestamp()) + 20
            assert (child >> 148) & (2**36 - 1) == int(T.timestamp()) + 21
            put = client.put_record(StreamName="s", Data=b"after", PartitionKey="k", ExplicitHashKey="0")
            assert put["ShardId"] == "shardId-000000000001"

    def test_merge_and_update_shard_count(self, make_client: Any) -> None:
        with freeze_time(T) as clock, mock_kinesis(state_change_seconds=10):
            client = make_client()
            client.create_stream(StreamName="s", ShardCount=2)
            clock.tick(10)
            client.merge_shards(StreamName="s", ShardToMerge="0", AdjacentShardToMerge="1")
            assert shard_ids(client) == ["shardId-000000000000", "shardId-000000000001"]
            put = client.put_record(StreamName="s", Data=b"x", PartitionKey="k", ExplicitHashKey=str(2**127))
            assert put["ShardId"] == "shardId-000000000001"
            clock.tick(10)
            assert shard_ids(client)[-1] == "shardId-000000000002" and open_shards(client) == 1
            client.update_shard_count(StreamName="s", TargetShardCount=2, ScalingType="UNIFORM_SCALING")
            assert status(client) == "UPDATING" and shard_ids(client)[-1] == "shardId-000000000002"
            clock.tick(10)
            assert status(client) == "ACTIVE" and open_shards(client) == 2

    def test_a_stream_deleted_while_updating_never_reshards(self, make_client: Any) -> None:
        with freeze_time(T) as clock, mock_kinesis(state_change_seconds=10):
            client = make_client()
            client.create_stream(StreamName="s", ShardCount=1)
            clock.tick(10)
            client.split_shard(StreamName="s", ShardToSplit="0", NewStartingHashKey=str(2**127))
            client.delete_stream(StreamName="s")
            clock.tick(5)
            description = client.describe_stream(StreamName="s")["StreamDescription"]
            assert description["StreamStatus"] == "DELETING"
            assert [s["ShardId"] for s in description["Shards"]] == ["shardId-000000000000"]
            clock.tick(10)
            assert client.list_streams()["StreamNames"] == []
