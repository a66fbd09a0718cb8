"""Every quota is an option of the mock, applies per account and region, and has AWS's default."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from helpers import ACCOUNT, error_of, shard_limit, stream_arn, validation

from kinesis_mock import KinesisMock, mock_kinesis


@pytest.fixture
def under(make_client: Any) -> Iterator[Any]:
    mocks: list[KinesisMock] = []

    def start(**options: Any) -> Any:
        mocks.append(KinesisMock(**options).start())
        client = make_client()
        client.create_stream(StreamName="s", ShardCount=2)
        return client

    yield start
    for mock in reversed(mocks):
        mock.stop()


def test_defaults_are_aws_defaults() -> None:
    quotas = KinesisMock().quotas
    assert (
        quotas.shard_limit,
        quotas.on_demand_stream_limit,
        quotas.creating_stream_limit,
        quotas.tag_limit,
        quotas.consumer_limit,
        quotas.consumers_creating_limit,
        quotas.put_records_max_entries,
        quotas.put_records_max_bytes,
        quotas.max_record_size_kib,
        quotas.shards_per_stream,
        quotas.scaling_operations_per_day,
        quotas.mode_switches_per_day,
        quotas.encryption_changes_per_day,
    ) == (None, 50, 5, 50, 20, 5, 500, 10 * 1024 * 1024, 1024, 10_000, 10, 2, 25)


def test_describe_limits_reflects_the_configured_quotas(under: Any) -> None:
    client = under(shard_limit=7, on_demand_stream_limit=3)
    limits = client.describe_limits()
    assert (limits["ShardLimit"], limits["OnDemandStreamCountLimit"], limits["OpenShardCount"]) == (7, 3, 2)


def test_tag_limit(under: Any) -> None:
    client = under(tag_limit=2)
    client.add_tags_to_stream(StreamName="s", Tags={"a": "1", "b": "2"})
    with pytest.raises(client.exceptions.InvalidArgumentException) as excinfo:
        client.tag_resource(ResourceARN=stream_arn("s"), Tags={"c": "3"})
    assert error_of(excinfo)[1] == (
        f"Failed to add tags to stream s under account {ACCOUNT} because a given stream cannot "
        "have more than 2 tags associated with it."
    )


def test_consumer_limit(under: Any) -> None:
    client = under(consumer_limit=1)
    client.register_stream_consumer(StreamARN=stream_arn("s"), ConsumerName="a")
    with pytest.raises(client.exceptions.LimitExceededException) as excinfo:
        client.register_stream_consumer(StreamARN=stream_arn("s"), ConsumerName="b")
    assert error_of(excinfo)[1] == (f"Stream s under account {ACCOUNT} already has 1 registered consumers.")


def test_put_records_entries_and_bytes(under: Any) -> None:
    client = under(put_records_max_entries=2, put_records_max_bytes=1024 * 1024)
    entry = {"Data": b"x", "PartitionKey": "k"}
    client.put_records(StreamName="s", Records=[entry, entry])
    with pytest.raises(client.exceptions.ValidationException) as excinfo:
        client.put_records(StreamName="s", Records=[entry] * 3)
    assert error_of(excinfo) == (
        "ValidationException",
        validation(
            "Value '["
            + ", ".join(["com.amazonaws.kinesis.v20131202.PutRecordsRequestEntry@c965e310"] * 3)
            + "]' at 'records' failed to satisfy constraint: Member must have length less than or equal to 2"
        ),
    )
    with pytest.raises(client.exceptions.InvalidArgumentException) as excinfo:
        client.put_records(StreamName="s", Records=[{"Data": bytes(600_000), "PartitionKey": "k"}] * 2)
    assert error_of(excinfo)[1] == "Records size exceeds 1 MB limit"


def test_max_record_size_of_new_streams(under: Any) -> None:
    client = under(max_record_size_kib=2048)
    assert (
        client.describe_stream_summary(StreamName="s")["StreamDescriptionSummary"]["MaxRecordSizeInKiB"]
        == 2048
    )
    client.put_record(StreamName="s", Data=bytes(1536 * 1024), PartitionKey="k")


def test_scaling_and_mode_and_encryption_rates(under: Any) -> None:
    client = under(scaling_operations_per_day=1, mode_switches_per_day=1, encryption_changes_per_day=1)
    client.update_shard_count(StreamName="s", TargetShardCount=3, ScalingType="UNIFORM_SCALING")
    with pytest.raises(client.exceptions.LimitExceededException) as excinfo:
        client.update_shard_count(StreamName="s", TargetShardCount=2, ScalingType="UNIFORM_SCALING")
    assert error_of(excinfo) == (
        "LimitExceededException",
        f"Stream s under account {ACCOUNT} has already been scaled 1 times in the last 24 hours.",
    )
    client.start_stream_encryption(StreamName="s", EncryptionType="KMS", KeyId="alias/aws/kinesis")
    with pytest.raises(client.exceptions.LimitExceededException) as excinfo:
        client.start_stream_encryption(StreamName="s", EncryptionType="KMS", KeyId="alias/aws/kinesis")
    assert error_of(excinfo) == (
        "LimitExceededException",
        f"Stream s under account {ACCOUNT} has already changed its encryption 1 times in the last 24 hours.",
    )
    client.update_stream_mode(StreamARN=stream_arn("s"), StreamModeDetails={"StreamMode": "ON_DEMAND"})
    with pytest.raises(client.exceptions.LimitExceededException) as excinfo:
        client.update_stream_mode(StreamARN=stream_arn("s"), StreamModeDetails={"StreamMode": "PROVISIONED"})
    assert error_of(excinfo) == (
        "LimitExceededException",
        f"Stream s under account {ACCOUNT} has already switched its capacity mode 1 times in the last "
        "24 hours.",
    )


def test_quotas_are_scoped_per_account_and_region(make_client: Any) -> None:
    import boto3

    with mock_kinesis(shard_limit=2):
        make_client("us-east-1").create_stream(StreamName="a", ShardCount=2)
        make_client("eu-west-1").create_stream(StreamName="a", ShardCount=2)
        other = boto3.session.Session(aws_access_key_id="111111111111", aws_secret_access_key="x").client(
            "kinesis", region_name="us-east-1"
        )
        other.create_stream(StreamName="a", ShardCount=2)
        with pytest.raises(other.exceptions.LimitExceededException) as excinfo:
            other.create_stream(StreamName="b", ShardCount=1)
        assert error_of(excinfo) == (
            "LimitExceededException",
            shard_limit("111111111111", current=2, limit=2, additional=1),
        )


@pytest.mark.parametrize(
    "bad",
    [
        {"tag_limit": -1},
        {"consumer_limit": 1.5},
        {"shards_per_stream": True},
        {"subscribe_idle_seconds": -0.1},
    ],
)
def test_bad_option_values(bad: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=f"^kinesis_mock: {next(iter(bad))} must be"):
        KinesisMock(**bad)
