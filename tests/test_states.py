"""CREATING, UPDATING and DELETING that take time (``state_change_seconds``), by the mock clock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from freezegun import freeze_time
from helpers import ACCOUNT, error_of, stream_arn

from kinesis_mock import mock_kinesis


@pytest.fixture
def slow(make_client: Any) -> Iterator[tuple[Any, Any]]:
    """A client under a mock whose state changes take 10 s, and the frozen clock."""
    with freeze_time("2026-01-01") as clock, mock_kinesis(state_change_seconds=10):
        yield make_client(), clock


def status(client: Any, name: str = "s") -> str:
    value: str = client.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["StreamStatus"]
    return value


def test_creating_then_active(slow: tuple[Any, Any]) -> None:
    client, clock = slow
    client.create_stream(StreamName="s", ShardCount=2)
    description = client.describe_stream(StreamName="s")["StreamDescription"]
    assert (description["StreamStatus"], description["Shards"]) == ("CREATING", [])
    assert client.list_streams()["StreamSummaries"][0]["StreamStatus"] == "CREATING"
    with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
        client.put_record(StreamName="s", Data=b"x", PartitionKey="k")
    assert error_of(excinfo)[1] == f"Stream s under account {ACCOUNT} not found."
    with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
        client.get_shard_iterator(StreamName="s", ShardId="0", ShardIteratorType="LATEST")
    assert error_of(excinfo)[1] == (
        f"Shard shardId-000000000000 in stream s under account {ACCOUNT} does not exist"
    )
    with pytest.raises(client.exceptions.ResourceInUseException) as excinfo:
        client.split_shard(StreamName="s", ShardToSplit="0", NewStartingHashKey="10")
    assert error_of(excinfo)[1] == (f"Stream s under account {ACCOUNT} not ACTIVE, instead in state CREATING")
    clock.tick(10)
    assert status(client) == "ACTIVE"
    assert len(client.list_shards(StreamName="s")["Shards"]) == 2
    client.put_record(StreamName="s", Data=b"x", PartitionKey="k")


def test_updating_refuses_further_changes_but_not_reads_and_writes(slow: tuple[Any, Any]) -> None:
    client, clock = slow
    client.create_stream(StreamName="s", ShardCount=1)
    clock.tick(10)
    client.split_shard(StreamName="s", ShardToSplit="0", NewStartingHashKey=str(2**127))
    assert status(client) == "UPDATING"
    client.put_record(StreamName="s", Data=b"during", PartitionKey="k")
    changes: tuple[Callable[[], Any], ...] = (
        lambda: client.merge_shards(StreamName="s", ShardToMerge="1", AdjacentShardToMerge="2"),
        lambda: client.update_shard_count(StreamName="s", TargetShardCount=3, ScalingType="UNIFORM_SCALING"),
        lambda: client.start_stream_encryption(
            StreamName="s", EncryptionType="KMS", KeyId="alias/aws/kinesis"
        ),
        lambda: client.increase_stream_retention_period(StreamName="s", RetentionPeriodHours=48),
        lambda: client.update_stream_mode(
            StreamARN=stream_arn("s"), StreamModeDetails={"StreamMode": "ON_DEMAND"}
        ),
    )
    for change in changes:
        with pytest.raises(client.exceptions.ResourceInUseException) as excinfo:
            change()
        assert error_of(excinfo)[1] == (
            f"Stream s under account {ACCOUNT} not ACTIVE, instead in state UPDATING"
        )
    clock.tick(10)
    client.merge_shards(StreamName="s", ShardToMerge="1", AdjacentShardToMerge="2")
    assert status(client) == "UPDATING"


def test_deleting_then_gone(slow: tuple[Any, Any]) -> None:
    client, clock = slow
    client.create_stream(StreamName="s", ShardCount=1)
    clock.tick(10)
    client.delete_stream(StreamName="s")
    assert status(client) == "DELETING"
    with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
        client.put_record(StreamName="s", Data=b"x", PartitionKey="k")
    assert error_of(excinfo) == ("ResourceNotFoundException", f"Stream s under account {ACCOUNT} not found.")
    with pytest.raises(client.exceptions.ResourceInUseException) as excinfo:
        client.create_stream(StreamName="s", ShardCount=1)
    assert error_of(excinfo)[1] == f"Stream s under account {ACCOUNT} already exists."
    clock.tick(10)
    with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
        client.describe_stream_summary(StreamName="s")
    assert error_of(excinfo) == ("ResourceNotFoundException", f"Stream s under account {ACCOUNT} not found.")
    assert client.list_streams()["StreamNames"] == []
    assert client.describe_limits()["OpenShardCount"] == 0


def test_at_most_five_streams_creating_or_deleting(slow: tuple[Any, Any]) -> None:
    client, clock = slow
    for i in range(5):
        client.create_stream(StreamName=f"s{i}", ShardCount=1)
    with pytest.raises(client.exceptions.LimitExceededException) as excinfo:
        client.create_stream(StreamName="s5", ShardCount=1)
    assert error_of(excinfo)[1] == (
        "This request would have exceed the limit on the number  of streams that can "
        f"simultaneously be in CREATING or DELETING for the account {ACCOUNT}. Limit: 5."
    )
    clock.tick(10)
    client.create_stream(StreamName="s5", ShardCount=1)


def test_consumers_creating_and_deleting(slow: tuple[Any, Any]) -> None:
    client, clock = slow
    client.create_stream(StreamName="s", ShardCount=1)
    clock.tick(10)
    arns = [
        client.register_stream_consumer(StreamARN=stream_arn("s"), ConsumerName=f"c{i}")["Consumer"]
        for i in range(5)
    ]
    assert {a["ConsumerStatus"] for a in arns} == {"CREATING"}
    with pytest.raises(client.exceptions.LimitExceededException) as excinfo:
        client.register_stream_consumer(StreamARN=stream_arn("s"), ConsumerName="c5")
    assert error_of(excinfo)[1] == (
        f"Stream s under account {ACCOUNT} already has 5 consumers in CREATING status."
    )
    first = arns[0]["ConsumerARN"]
    with pytest.raises(client.exceptions.ResourceInUseException) as excinfo:
        client.subscribe_to_shard(ConsumerARN=first, ShardId="0", StartingPosition={"Type": "LATEST"})
    assert error_of(excinfo)[1] == (
        f"Consumer c0 with creation timestamp 1767225610 under stream s and account {ACCOUNT} is "
        "not in ACTIVE status."
    )
    clock.tick(10)
    assert (
        client.describe_stream_consumer(ConsumerARN=first)["ConsumerDescription"]["ConsumerStatus"]
        == "ACTIVE"
    )
    client.deregister_stream_consumer(ConsumerARN=first)
    assert (
        client.describe_stream_consumer(ConsumerARN=first)["ConsumerDescription"]["ConsumerStatus"]
        == "DELETING"
    )
    clock.tick(10)
    with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
        client.describe_stream_consumer(ConsumerARN=first)
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        f"Consumer c0 under stream s and account {ACCOUNT} not found.",
    )
    assert len(client.list_stream_consumers(StreamARN=stream_arn("s"))["Consumers"]) == 4


def test_state_changes_are_instant_by_default(client: Any) -> None:
    client.create_stream(StreamName="s", ShardCount=1)
    client.split_shard(StreamName="s", ShardToSplit="0", NewStartingHashKey=str(2**127))
    assert status(client) == "ACTIVE"
    client.delete_stream(StreamName="s")
    assert client.list_streams()["StreamNames"] == []
