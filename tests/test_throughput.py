"""throughput_limits=True: AWS's per-shard rates on the mock clock, in one-second windows."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from freezegun import freeze_time
from helpers import ACCOUNT, error_of

from kinesis_mock import KinesisMock, mock_kinesis

PTE = "ProvisionedThroughputExceededException"
MIB = 1024 * 1024
Client = Callable[..., Any]


def rate(shard: int, stream: str = "s") -> tuple[str, str]:
    return PTE, f"Rate exceeded for shard shardId-{shard:012d} in stream {stream} under account {ACCOUNT}."


@pytest.fixture
def limited(make_client: Client) -> Iterator[tuple[KinesisMock, Any]]:
    # Frozen in the middle of a second, so that every call below falls in one window until the
    # test moves the mock clock.
    with freeze_time("2026-01-01 00:00:00.5"), mock_kinesis(throughput_limits=True) as mock:
        client = make_client(config=Config(retries={"total_max_attempts": 1}))
        client.create_stream(StreamName="s", ShardCount=2)
        yield mock, client


def batch(count: int, shard: int = 0, size: int = 1) -> list[dict[str, Any]]:
    key = "0" if shard == 0 else str(2**127)
    return [{"Data": b"x" * size, "PartitionKey": "k", "ExplicitHashKey": key} for _ in range(count)]


def test_off_by_default_nothing_is_limited(make_client: Client) -> None:
    with freeze_time("2026-01-01"), mock_kinesis() as mock:
        client = make_client()
        client.create_stream(StreamName="s", ShardCount=1)
        for _ in range(3):
            assert client.put_records(StreamName="s", Records=batch(500))["FailedRecordCount"] == 0
        assert mock.backend.throughput is None


def test_a_shard_takes_1000_records_a_second(limited: tuple[KinesisMock, Any]) -> None:
    mock, client = limited
    assert client.put_records(StreamName="s", Records=batch(500))["FailedRecordCount"] == 0
    assert client.put_records(StreamName="s", Records=batch(499))["FailedRecordCount"] == 0
    client.put_record(StreamName="s", Data=b"x", PartitionKey="k", ExplicitHashKey="0")
    with pytest.raises(ClientError) as caught:
        client.put_record(StreamName="s", Data=b"x", PartitionKey="k", ExplicitHashKey="0")
    assert error_of(caught) == rate(0)
    mixed = client.put_records(StreamName="s", Records=batch(1) + batch(1, shard=1))
    assert mixed["FailedRecordCount"] == 1
    assert mixed["Records"][0] == dict(zip(("ErrorCode", "ErrorMessage"), rate(0), strict=True))
    assert mixed["Records"][1]["ShardId"] == "shardId-000000000001"
    assert len(mock.records("s", shard_id="shardId-000000000000")) == 1000
    mock.advance(1)
    client.put_record(StreamName="s", Data=b"x", PartitionKey="k", ExplicitHashKey="0")


def test_a_shard_takes_1_mib_a_second(limited: tuple[KinesisMock, Any]) -> None:
    mock, client = limited
    half = MIB // 2 - 1  # plus the one-byte partition key
    for _ in range(2):
        client.put_record(StreamName="s", Data=b"x" * half, PartitionKey="k", ExplicitHashKey="0")
    with pytest.raises(ClientError) as caught:
        client.put_record(StreamName="s", Data=b"", PartitionKey="k", ExplicitHashKey="0")
    assert error_of(caught) == rate(0)
    client.put_record(StreamName="s", Data=b"x", PartitionKey="k", ExplicitHashKey=str(2**127))
    mock.advance(1)
    client.put_record(StreamName="s", Data=b"", PartitionKey="k", ExplicitHashKey="0")


def test_a_record_over_the_allowance_goes_alone_and_is_paid_off(make_client: Client) -> None:
    with freeze_time("2026-01-01 00:00:00.5"), mock_kinesis(throughput_limits=True) as mock:
        client = make_client(config=Config(retries={"total_max_attempts": 1}))
        client.create_stream(StreamName="s", ShardCount=1)
        client.update_max_record_size(
            StreamARN=f"arn:aws:kinesis:us-east-1:{ACCOUNT}:stream/s", MaxRecordSizeInKiB=3072
        )
        client.put_record(StreamName="s", Data=b"x" * (3 * MIB - 1), PartitionKey="k")
        mock.advance(1)
        with pytest.raises(ClientError):
            client.put_record(StreamName="s", Data=b"x", PartitionKey="k")
        mock.advance(2)
        client.put_record(StreamName="s", Data=b"x", PartitionKey="k")


def test_reads_are_5_calls_and_2_mib_a_second(limited: tuple[KinesisMock, Any]) -> None:
    mock, client = limited
    iterator = client.get_shard_iterator(StreamName="s", ShardId="0", ShardIteratorType="TRIM_HORIZON")
    token = iterator["ShardIterator"]
    for _ in range(5):
        token = client.get_records(ShardIterator=token)["NextShardIterator"]
    with pytest.raises(ClientError) as caught:
        client.get_records(ShardIterator=token)
    assert error_of(caught) == rate(0)
    for _ in range(3):  # 3 MiB, one a second (the write allowance)
        mock.advance(1)
        client.put_record(StreamName="s", Data=b"x" * (MIB - 1), PartitionKey="k", ExplicitHashKey="0")
    mock.advance(1)
    assert len(client.get_records(ShardIterator=token)["Records"]) == 3  # up to 10 MiB in one call
    with pytest.raises(ClientError):
        client.get_records(ShardIterator=token)  # 3 MiB owed: over the 2 MiB a second
    mock.advance(1)
    client.get_records(ShardIterator=token)  # 1 MiB owed now


def test_get_shard_iterator_is_5_a_second_per_shard(limited: tuple[KinesisMock, Any]) -> None:
    mock, client = limited
    for _ in range(5):
        client.get_shard_iterator(StreamName="s", ShardId="0", ShardIteratorType="LATEST")
    with pytest.raises(ClientError) as caught:
        client.get_shard_iterator(StreamName="s", ShardId="0", ShardIteratorType="LATEST")
    assert error_of(caught) == rate(0)
    client.get_shard_iterator(StreamName="s", ShardId="1", ShardIteratorType="LATEST")
    mock.advance(1)
    client.get_shard_iterator(StreamName="s", ShardId="0", ShardIteratorType="LATEST")


def test_an_on_demand_stream_takes_4000_records_a_second_as_a_whole(make_client: Client) -> None:
    with freeze_time("2026-01-01 00:00:00.5"), mock_kinesis(throughput_limits=True) as mock:
        client = make_client(config=Config(retries={"total_max_attempts": 1}))
        client.create_stream(StreamName="d", StreamModeDetails={"StreamMode": "ON_DEMAND"})
        for _ in range(8):  # all to one shard: the stream, not the shard, is metered
            assert client.put_records(StreamName="d", Records=batch(500))["FailedRecordCount"] == 0
        reply = client.put_records(StreamName="d", Records=batch(2))
        assert reply["FailedRecordCount"] == 2
        assert reply["Records"][0]["ErrorMessage"] == rate(0, "d")[1]
        mock.advance(1)
        assert client.put_records(StreamName="d", Records=batch(2))["FailedRecordCount"] == 0


def test_the_option_is_checked() -> None:
    with pytest.raises(ValueError, match="^kinesis_mock: throughput_limits must be True or False, got 1$"):
        KinesisMock(throughput_limits=1)  # type: ignore[arg-type]


def test_a_clock_moved_back_starts_a_fresh_window(make_client: Client) -> None:
    with freeze_time("2026-01-01 00:00:10.5") as frozen, mock_kinesis(throughput_limits=True) as mock:
        client = make_client(config=Config(retries={"total_max_attempts": 1}))
        client.create_stream(StreamName="s", ShardCount=1)
        client.put_record(StreamName="s", Data=b"x" * (MIB - 2), PartitionKey="k")
        frozen.move_to("2026-01-01 00:00:05.5")
        client.put_record(StreamName="s", Data=b"x" * (MIB - 2), PartitionKey="k")
        assert len(mock.records("s")) == 2


def test_on_demand_reads_are_metered_for_the_stream(make_client: Client) -> None:
    with freeze_time("2026-01-01 00:00:00.5"), mock_kinesis(throughput_limits=True) as mock:
        client = make_client(config=Config(retries={"total_max_attempts": 1}))
        client.create_stream(StreamName="d", StreamModeDetails={"StreamMode": "ON_DEMAND"})
        shard = client.list_shards(StreamName="d")["Shards"][0]["ShardId"]
        token = client.get_shard_iterator(StreamName="d", ShardId=shard, ShardIteratorType="TRIM_HORIZON")
        assert client.get_records(ShardIterator=token["ShardIterator"])["Records"] == []
        assert mock.backend.throughput is not None
