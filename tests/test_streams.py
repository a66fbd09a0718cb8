"""Stream lifecycle through real boto3 clients: Create/Delete/Describe/DescribeSummary/List,
DescribeLimits and UpdateStreamMode (the seed's on-demand change included)."""

from __future__ import annotations

import datetime
from typing import Any

import botocore.exceptions
import pytest
from freezegun import freeze_time
from helpers import (
    ACCOUNT,
    HASH_MAX,
    IMPLEMENTED,
    REGION,
    error_of,
    exactly,
    needs_model,
    shard_limit,
    stream_arn,
    validation,
)

# A real 3-shard stream (kinesalite test/createStream.js, recorded against AWS).
AWS_THREE_SHARD_RANGES = [
    ("0", "113427455640312821154458202477256070484"),
    ("113427455640312821154458202477256070485", "226854911280625642308916404954512140969"),
    ("226854911280625642308916404954512140970", "340282366920938463463374607431768211455"),
]


def ranges(description: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (s["HashKeyRange"]["StartingHashKey"], s["HashKeyRange"]["EndingHashKey"])
        for s in description["Shards"]
    ]


class TestCreateStream:
    def test_provisioned_stream_is_laid_out_as_aws_lays_it_out(self, client: Any) -> None:
        with freeze_time("2026-01-01 02:00:00.750"):
            assert set(client.create_stream(StreamName="s", ShardCount=3)) == {"ResponseMetadata"}
            description = client.describe_stream(StreamName="s")["StreamDescription"]
        assert ranges(description) == AWS_THREE_SHARD_RANGES
        assert [s["ShardId"] for s in description["Shards"]] == [
            "shardId-000000000000",
            "shardId-000000000001",
            "shardId-000000000002",
        ]
        for shard in description["Shards"]:
            assert set(shard) == {"ShardId", "HashKeyRange", "SequenceNumberRange"}
            numbers = shard["SequenceNumberRange"]
            assert set(numbers) == {"StartingSequenceNumber"}
            assert len(numbers["StartingSequenceNumber"]) == 56
            assert numbers["StartingSequenceNumber"].isdigit()
        assert description == {
            "StreamName": "s",
            "StreamARN": stream_arn("s"),
            "StreamStatus": "ACTIVE",
            "StreamModeDetails": {"StreamMode": "PROVISIONED"},
            "Shards": description["Shards"],
            "HasMoreShards": False,
            "RetentionPeriodHours": 24,
            "StreamCreationTimestamp": datetime.datetime(2026, 1, 1, 2, tzinfo=datetime.UTC),
            "EnhancedMonitoring": [{"ShardLevelMetrics": []}],
            "EncryptionType": "NONE",
        }

    @pytest.mark.parametrize("count", [1, 2, 4, 5, 8, 13, 64])
    def test_shards_cover_the_hash_space_without_gap_or_overlap(self, client: Any, count: int) -> None:
        client.create_stream(StreamName="s", ShardCount=count)
        bounds = [
            (int(a), int(b)) for a, b in ranges(client.describe_stream(StreamName="s")["StreamDescription"])
        ]
        width = 2**128 // count
        assert bounds[0][0] == 0
        assert bounds[-1][1] == HASH_MAX
        for i, (start, end) in enumerate(bounds):
            assert start == i * width
            if i < count - 1:
                assert end == (i + 1) * width - 1
                assert bounds[i + 1][0] == end + 1

    def test_starting_sequence_numbers_are_unique_and_increasing(self, client: Any) -> None:
        client.create_stream(StreamName="s", ShardCount=5)
        shards = client.describe_stream(StreamName="s")["StreamDescription"]["Shards"]
        numbers = [int(s["SequenceNumberRange"]["StartingSequenceNumber"]) for s in shards]
        assert numbers == sorted(set(numbers))

    def test_on_demand_stream_starts_with_four_shards(self, client: Any) -> None:
        client.create_stream(StreamName="od", StreamModeDetails={"StreamMode": "ON_DEMAND"})
        summary = client.describe_stream_summary(StreamName="od")["StreamDescriptionSummary"]
        assert summary["StreamModeDetails"] == {"StreamMode": "ON_DEMAND"}
        assert summary["OpenShardCount"] == 4
        assert ranges(client.describe_stream(StreamName="od")["StreamDescription"]) == [
            (str(i * 2**126), str((i + 1) * 2**126 - 1)) for i in range(4)
        ]

    def test_neither_shard_count_nor_mode_gives_an_on_demand_stream(self, client: Any) -> None:
        client.create_stream(StreamName="plain")
        summary = client.describe_stream_summary(StreamName="plain")["StreamDescriptionSummary"]
        assert summary["StreamModeDetails"] == {"StreamMode": "ON_DEMAND"}
        assert summary["OpenShardCount"] == 4

    def test_explicit_provisioned_mode(self, client: Any) -> None:
        client.create_stream(StreamName="p", ShardCount=2, StreamModeDetails={"StreamMode": "PROVISIONED"})
        summary = client.describe_stream_summary(StreamName="p")["StreamDescriptionSummary"]
        assert (summary["StreamModeDetails"], summary["OpenShardCount"]) == (
            {"StreamMode": "PROVISIONED"},
            2,
        )

    def test_shard_count_with_on_demand_is_refused(self, client: Any) -> None:
        with pytest.raises(client.exceptions.InvalidArgumentException) as excinfo:
            client.create_stream(StreamName="od", ShardCount=2, StreamModeDetails={"StreamMode": "ON_DEMAND"})
        assert error_of(excinfo) == (
            "InvalidArgumentException",
            "ShardCount is not expected when StreamMode=ON_DEMAND",
        )
        assert client.list_streams()["StreamNames"] == []

    def test_provisioned_without_shard_count_is_refused(self, client: Any) -> None:
        with pytest.raises(client.exceptions.InvalidArgumentException) as excinfo:
            client.create_stream(StreamName="p", StreamModeDetails={"StreamMode": "PROVISIONED"})
        assert error_of(excinfo) == (
            "InvalidArgumentException",
            "ShardCount is required when StreamMode=PROVISIONED",
        )

    def test_existing_name_is_refused(self, client: Any) -> None:
        client.create_stream(StreamName="dup", ShardCount=1)
        with pytest.raises(client.exceptions.ResourceInUseException) as excinfo:
            client.create_stream(StreamName="dup", ShardCount=2)
        assert error_of(excinfo) == (
            "ResourceInUseException",
            f"Stream dup under account {ACCOUNT} already exists.",
        )
        summary = client.describe_stream_summary(StreamName="dup")["StreamDescriptionSummary"]
        assert summary["OpenShardCount"] == 1

    def test_name_breaking_the_pattern(self, client: Any) -> None:
        with pytest.raises(client.exceptions.ValidationException) as excinfo:
            client.create_stream(StreamName="bad name!", ShardCount=1)
        assert error_of(excinfo) == (
            "ValidationException",
            validation(
                "Value 'bad name!' at 'streamName' failed to satisfy constraint: Member must satisfy "
                "regular expression pattern: [a-zA-Z0-9_.-]+"
            ),
        )

    def test_name_too_long_and_shard_count_too_high(self, client: Any) -> None:
        name = "a" * 129
        with pytest.raises(client.exceptions.ValidationException) as excinfo:
            client.create_stream(StreamName=name, ShardCount=2_000_000)
        # ShardCount is unbounded in the model (PositiveIntegerObject): only the name fails.
        assert error_of(excinfo) == (
            "ValidationException",
            validation(
                f"Value '{name}' at 'streamName' failed to satisfy constraint: Member must have "
                "length less than or equal to 128"
            ),
        )

    def test_max_record_size_out_of_range(self, client: Any) -> None:
        with pytest.raises(client.exceptions.ValidationException) as excinfo:
            client.create_stream(StreamName="s", ShardCount=1, MaxRecordSizeInKiB=20480)
        assert error_of(excinfo) == (
            "ValidationException",
            validation(
                "Value '20480' at 'maxRecordSizeInKiB' failed to satisfy constraint: Member must have "
                "value less than or equal to 10240"
            ),
        )

    def test_botocore_rejects_minimums_before_sending(self, client: Any) -> None:
        refusal = (
            "Parameter validation failed:\n"
            "Invalid value for parameter ShardCount, value: 0, valid min value: 1"
        )
        with pytest.raises(botocore.exceptions.ParamValidationError, match=exactly(refusal)):
            client.create_stream(StreamName="s", ShardCount=0)

    @needs_model("UpdateAccountSettings")
    def test_max_record_size_and_warm_throughput_are_accepted(self, client: Any) -> None:
        client.update_account_settings(MinimumThroughputBillingCommitment={"Status": "ENABLED"})
        client.create_stream(
            StreamName="big",
            StreamModeDetails={"StreamMode": "ON_DEMAND"},
            MaxRecordSizeInKiB=4096,
            WarmThroughputMiBps=10,
            Tags={"team": "data"},
        )
        summary = client.describe_stream_summary(StreamName="big")["StreamDescriptionSummary"]
        assert summary["MaxRecordSizeInKiB"] == 4096

    def test_shard_quota(self, make_client: Any) -> None:
        from kinesis_mock import mock_kinesis

        with mock_kinesis(shard_limit=10):
            client = make_client()
            client.create_stream(StreamName="a", ShardCount=3)
            with pytest.raises(client.exceptions.LimitExceededException) as excinfo:
                client.create_stream(StreamName="b", ShardCount=8)
            assert error_of(excinfo) == (
                "LimitExceededException",
                shard_limit(ACCOUNT, current=3, limit=10, additional=8),
            )
            client.create_stream(StreamName="b", ShardCount=7)
            assert client.describe_limits()["OpenShardCount"] == 10

    def test_on_demand_stream_quota(self, make_client: Any) -> None:
        from kinesis_mock import mock_kinesis

        with mock_kinesis(on_demand_stream_limit=1):
            client = make_client()
            client.create_stream(StreamName="a", StreamModeDetails={"StreamMode": "ON_DEMAND"})
            with pytest.raises(client.exceptions.LimitExceededException) as excinfo:
                client.create_stream(StreamName="b", StreamModeDetails={"StreamMode": "ON_DEMAND"})
            assert error_of(excinfo) == (
                "LimitExceededException",
                (
                    f"This request would exceed the limit on the number of streams in ON_DEMAND mode "
                    f"for the account {ACCOUNT} in {REGION}. Current ON_DEMAND stream count for the "
                    "account: 1. Limit: 1."
                ),
            )
            client.create_stream(StreamName="b", ShardCount=1)

    def test_stream_exists_waiter_returns_on_its_first_poll(
        self, client: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def no_sleep(seconds: float) -> None:
            raise AssertionError("the waiter should not have to wait")

        monkeypatch.setattr("botocore.waiter.time.sleep", no_sleep)
        client.create_stream(StreamName="s", ShardCount=1)
        client.get_waiter("stream_exists").wait(StreamName="s")
        client.delete_stream(StreamName="s")
        client.get_waiter("stream_not_exists").wait(StreamName="s")


class TestDeleteStream:
    def test_delete_by_name_then_by_arn(self, client: Any) -> None:
        client.create_stream(StreamName="a", ShardCount=1)
        client.create_stream(StreamName="b", ShardCount=1)
        client.delete_stream(StreamName="a")
        client.delete_stream(StreamARN=stream_arn("b"), EnforceConsumerDeletion=True)
        assert client.list_streams()["StreamNames"] == []
        with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
            client.describe_stream(StreamName="a")
        assert error_of(excinfo) == (
            "ResourceNotFoundException",
            f"Stream a under account {ACCOUNT} not found.",
        )

    def test_unknown_stream(self, client: Any) -> None:
        with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
            client.delete_stream(StreamName="nope")
        assert error_of(excinfo) == (
            "ResourceNotFoundException",
            f"Stream nope under account {ACCOUNT} not found.",
        )

    def test_shards_are_released_from_the_quota(self, client: Any) -> None:
        client.create_stream(StreamName="a", ShardCount=5)
        client.delete_stream(StreamName="a")
        assert client.describe_limits()["OpenShardCount"] == 0
        client.create_stream(StreamName="a", ShardCount=2)
        assert (
            client.describe_stream_summary(StreamName="a")["StreamDescriptionSummary"]["OpenShardCount"] == 2
        )


class TestDescribeStream:
    def test_pages_of_shards(self, client: Any) -> None:
        client.create_stream(StreamName="s", ShardCount=7)
        first = client.describe_stream(StreamName="s", Limit=3)["StreamDescription"]
        assert [s["ShardId"][-1] for s in first["Shards"]] == ["0", "1", "2"]
        assert first["HasMoreShards"] is True
        rest = client.describe_stream(StreamName="s", Limit=10, ExclusiveStartShardId="shardId-000000000002")[
            "StreamDescription"
        ]
        assert [s["ShardId"][-1] for s in rest["Shards"]] == ["3", "4", "5", "6"]
        assert rest["HasMoreShards"] is False

    def test_lenient_exclusive_start_shard_id(self, client: Any) -> None:
        client.create_stream(StreamName="s", ShardCount=4)
        shards = client.describe_stream(StreamName="s", ExclusiveStartShardId="shardId-1")[
            "StreamDescription"
        ]["Shards"]
        assert [s["ShardId"] for s in shards] == ["shardId-000000000002", "shardId-000000000003"]

    def test_at_most_100_shards_per_page(self, client: Any) -> None:
        client.create_stream(StreamName="s", ShardCount=250)
        page = client.describe_stream(StreamName="s", Limit=10000)["StreamDescription"]
        assert (len(page["Shards"]), page["HasMoreShards"]) == (100, True)
        assert len(client.describe_stream(StreamName="s")["StreamDescription"]["Shards"]) == 100

    def test_paginator_collects_every_shard(self, client: Any) -> None:
        client.create_stream(StreamName="s", ShardCount=250)
        pages = list(client.get_paginator("describe_stream").paginate(StreamName="s"))
        ids = [s["ShardId"] for page in pages for s in page["StreamDescription"]["Shards"]]
        assert len(pages) == 3
        assert ids == [f"shardId-{i:012d}" for i in range(250)]

    def test_limit_above_model_maximum(self, client: Any) -> None:
        client.create_stream(StreamName="s", ShardCount=1)
        with pytest.raises(client.exceptions.ValidationException) as excinfo:
            client.describe_stream(StreamName="s", Limit=10001)
        assert error_of(excinfo) == (
            "ValidationException",
            validation(
                "Value '10001' at 'limit' failed to satisfy constraint: Member must have value less "
                "than or equal to 10000"
            ),
        )

    def test_by_arn_and_by_both(self, client: Any) -> None:
        client.create_stream(StreamName="s", ShardCount=1)
        by_arn = client.describe_stream(StreamARN=stream_arn("s"))["StreamDescription"]
        both = client.describe_stream(StreamName="s", StreamARN=stream_arn("s"))
        assert by_arn["StreamName"] == both["StreamDescription"]["StreamName"] == "s"

    def test_name_and_arn_that_disagree(self, client: Any) -> None:
        client.create_stream(StreamName="s", ShardCount=1)
        client.create_stream(StreamName="t", ShardCount=1)
        with pytest.raises(client.exceptions.InvalidArgumentException) as excinfo:
            client.describe_stream(StreamName="t", StreamARN=stream_arn("s"))
        assert error_of(excinfo) == (
            "InvalidArgumentException",
            (f"StreamARN {stream_arn('s')} and StreamName t do not refer to the same stream."),
        )

    def test_neither_name_nor_arn(self, client: Any) -> None:
        with pytest.raises(client.exceptions.InvalidArgumentException) as excinfo:
            client.describe_stream()
        assert error_of(excinfo) == (
            "InvalidArgumentException",
            "Either StreamName or StreamARN must be provided.",
        )

    def test_arn_of_another_region_is_not_found(self, client: Any) -> None:
        client.create_stream(StreamName="s", ShardCount=1)
        with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
            client.describe_stream(StreamARN=stream_arn("s", region="eu-west-1"))
        assert error_of(excinfo) == (
            "ResourceNotFoundException",
            f"Stream s under account {ACCOUNT} not found.",
        )

    def test_arn_breaking_the_pattern(self, client: Any) -> None:
        arn = "arn:aws:kinesis:us-east-1:12345:stream/s"
        with pytest.raises(client.exceptions.ValidationException) as excinfo:
            client.describe_stream(StreamARN=arn)
        assert error_of(excinfo) == (
            "ValidationException",
            validation(
                f"Value '{arn}' at 'streamARN' failed to satisfy constraint: Member must satisfy "
                "regular expression pattern: arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+"
            ),
        )


class TestDescribeStreamSummary:
    def test_every_field(self, client: Any) -> None:
        with freeze_time("2026-03-04 05:06:07"):
            client.create_stream(StreamName="s", ShardCount=2)
        summary = client.describe_stream_summary(StreamName="s")["StreamDescriptionSummary"]
        assert summary == {
            "StreamName": "s",
            "StreamARN": stream_arn("s"),
            "StreamStatus": "ACTIVE",
            "StreamModeDetails": {"StreamMode": "PROVISIONED"},
            "RetentionPeriodHours": 24,
            "StreamCreationTimestamp": datetime.datetime(2026, 3, 4, 5, 6, 7, tzinfo=datetime.UTC),
            "EnhancedMonitoring": [{"ShardLevelMetrics": []}],
            "EncryptionType": "NONE",
            "OpenShardCount": 2,
            "ConsumerCount": 0,
            "MaxRecordSizeInKiB": 1024,
        }

    def test_unknown_stream(self, client: Any) -> None:
        with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
            client.describe_stream_summary(StreamName="nope")
        assert error_of(excinfo)[1] == f"Stream nope under account {ACCOUNT} not found."


class TestListStreams:
    def test_names_in_order_with_summaries(self, client: Any) -> None:
        with freeze_time("2026-01-01"):
            for name in ("b", "a", "c"):
                client.create_stream(StreamName=name, ShardCount=1)
        response = client.list_streams()
        assert response["StreamNames"] == ["a", "b", "c"]
        assert response["HasMoreStreams"] is False
        assert "NextToken" not in response
        assert response["StreamSummaries"][0] == {
            "StreamName": "a",
            "StreamARN": stream_arn("a"),
            "StreamStatus": "ACTIVE",
            "StreamModeDetails": {"StreamMode": "PROVISIONED"},
            "StreamCreationTimestamp": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        }

    def test_limit_exclusive_start_and_next_token(self, client: Any) -> None:
        for i in range(5):
            client.create_stream(StreamName=f"s{i}", ShardCount=1)
        first = client.list_streams(Limit=2)
        assert (first["StreamNames"], first["HasMoreStreams"]) == (["s0", "s1"], True)
        second = client.list_streams(NextToken=first["NextToken"], Limit=2)
        assert second["StreamNames"] == ["s2", "s3"]
        third = client.list_streams(ExclusiveStartStreamName="s3")
        assert (third["StreamNames"], third["HasMoreStreams"]) == (["s4"], False)

    def test_paginator(self, client: Any) -> None:
        for i in range(7):
            client.create_stream(StreamName=f"s{i}", ShardCount=1)
        pages = list(client.get_paginator("list_streams").paginate(PaginationConfig={"PageSize": 3}))
        assert [page["StreamNames"] for page in pages] == [
            ["s0", "s1", "s2"],
            ["s3", "s4", "s5"],
            ["s6"],
        ]
        assert [len(page["StreamSummaries"]) for page in pages] == [3, 3, 1]

    def test_next_token_expires_after_300_seconds(self, client: Any) -> None:
        for i in range(3):
            client.create_stream(StreamName=f"s{i}", ShardCount=1)
        with freeze_time("2026-05-05 10:00:00") as clock:
            token = client.list_streams(Limit=1)["NextToken"]
            clock.tick(300)
            assert client.list_streams(NextToken=token)["StreamNames"] == ["s1", "s2"]
            clock.tick(1)
            with pytest.raises(client.exceptions.ExpiredNextTokenException) as excinfo:
                client.list_streams(NextToken=token)
        assert error_of(excinfo) == (
            "ExpiredNextTokenException",
            "The NextToken has expired. Pagination tokens are valid for 300 seconds.",
        )

    def test_forged_next_token(self, client: Any) -> None:
        with pytest.raises(client.exceptions.InvalidArgumentException) as excinfo:
            client.list_streams(NextToken="c3RyZWFtLTI=")
        assert error_of(excinfo) == ("InvalidArgumentException", "Invalid NextToken.")

    def test_at_most_100_per_page(self, client: Any) -> None:
        for i in range(120):
            client.create_stream(StreamName=f"s{i:03d}", ShardCount=1)
        first = client.list_streams(Limit=500)
        assert (len(first["StreamNames"]), first["HasMoreStreams"]) == (100, True)
        assert len(client.list_streams(NextToken=first["NextToken"])["StreamNames"]) == 20


class TestDescribeLimits:
    def test_counts_follow_the_streams(self, client: Any) -> None:
        assert {k: v for k, v in client.describe_limits().items() if k != "ResponseMetadata"} == {
            "ShardLimit": 20000,
            "OpenShardCount": 0,
            "OnDemandStreamCount": 0,
            "OnDemandStreamCountLimit": 50,
        }
        client.create_stream(StreamName="p", ShardCount=3)
        client.create_stream(StreamName="od", StreamModeDetails={"StreamMode": "ON_DEMAND"})
        limits = client.describe_limits()
        assert (limits["OpenShardCount"], limits["OnDemandStreamCount"]) == (7, 1)

    def test_default_shard_quota_elsewhere(self, kinesis_mock: Any, make_client: Any) -> None:
        assert make_client("ap-south-1").describe_limits()["ShardLimit"] == 1000


class TestUpdateStreamMode:
    def test_switch_both_ways_keeps_the_shards(self, client: Any) -> None:
        client.create_stream(StreamName="s", StreamModeDetails={"StreamMode": "ON_DEMAND"})
        before = client.describe_stream(StreamName="s")["StreamDescription"]["Shards"]
        assert client.describe_limits()["OnDemandStreamCount"] == 1
        response = client.update_stream_mode(
            StreamARN=stream_arn("s"), StreamModeDetails={"StreamMode": "PROVISIONED"}
        )
        assert set(response) == {"ResponseMetadata"}
        description = client.describe_stream(StreamName="s")["StreamDescription"]
        assert description["StreamModeDetails"] == {"StreamMode": "PROVISIONED"}
        assert description["Shards"] == before
        assert client.describe_limits()["OnDemandStreamCount"] == 0
        client.update_stream_mode(StreamARN=stream_arn("s"), StreamModeDetails={"StreamMode": "ON_DEMAND"})
        summary = client.describe_stream_summary(StreamName="s")["StreamDescriptionSummary"]
        assert (summary["StreamModeDetails"]["StreamMode"], summary["OpenShardCount"]) == (
            "ON_DEMAND",
            4,
        )

    def test_two_switches_per_rolling_day(self, client: Any) -> None:
        arn = stream_arn("s")
        with freeze_time("2026-01-01 00:00:00") as clock:
            client.create_stream(StreamName="s", ShardCount=1)
            for mode in ("ON_DEMAND", "PROVISIONED", "PROVISIONED"):  # the same mode is free
                client.update_stream_mode(StreamARN=arn, StreamModeDetails={"StreamMode": mode})
            with pytest.raises(client.exceptions.LimitExceededException) as excinfo:
                client.update_stream_mode(StreamARN=arn, StreamModeDetails={"StreamMode": "ON_DEMAND"})
            assert error_of(excinfo) == (
                "LimitExceededException",
                (
                    f"Stream s under account {ACCOUNT} has already switched its capacity mode 2 "
                    "times in the last 24 hours."
                ),
            )
            clock.tick(24 * 3600)
            client.update_stream_mode(StreamARN=arn, StreamModeDetails={"StreamMode": "ON_DEMAND"})

    def test_on_demand_quota_applies_to_switches(self, make_client: Any) -> None:
        from kinesis_mock import mock_kinesis

        with mock_kinesis(on_demand_stream_limit=1):
            client = make_client()
            client.create_stream(StreamName="a")
            client.create_stream(StreamName="b", ShardCount=1)
            with pytest.raises(client.exceptions.LimitExceededException) as excinfo:
                client.update_stream_mode(
                    StreamARN=stream_arn("b"), StreamModeDetails={"StreamMode": "ON_DEMAND"}
                )
            assert error_of(excinfo) == (
                "LimitExceededException",
                (
                    "This request would exceed the limit on the number of streams in ON_DEMAND mode for "
                    f"the account {ACCOUNT} in us-east-1. Current ON_DEMAND stream count for the account: 1. "
                    "Limit: 1."
                ),
            )
            assert client.describe_stream_summary(StreamName="b")["StreamDescriptionSummary"][
                "StreamModeDetails"
            ] == {"StreamMode": "PROVISIONED"}

    def test_unknown_stream_and_bad_mode(self, client: Any) -> None:
        with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
            client.update_stream_mode(
                StreamARN=stream_arn("nope"), StreamModeDetails={"StreamMode": "ON_DEMAND"}
            )
        assert error_of(excinfo)[1] == f"Stream nope under account {ACCOUNT} not found."
        client.create_stream(StreamName="s", ShardCount=1)
        with pytest.raises(client.exceptions.ValidationException) as excinfo:
            client.update_stream_mode(
                StreamARN=stream_arn("s"), StreamModeDetails={"StreamMode": "SERVERLESS"}
            )
        assert error_of(excinfo) == (
            "ValidationException",
            validation(
                "Value 'SERVERLESS' at 'streamModeDetails.streamMode' failed to satisfy constraint: "
                "Member must satisfy enum value set: [PROVISIONED, ON_DEMAND]"
            ),
        )


@needs_model("UpdateStreamWarmThroughput")
def test_an_unimplemented_operation_explains_itself(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from kinesis_mock.operations import _registry

    # Every operation of today's model is implemented; a newer botocore may add one.
    monkeypatch.delitem(_registry.HANDLERS, "UpdateStreamWarmThroughput")
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        client.update_stream_warm_throughput(StreamName="s", WarmThroughputMiBps=10)
    code, message = error_of(excinfo)
    assert code == "NotImplemented"
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 501
    implemented = sorted(IMPLEMENTED - {"UpdateStreamWarmThroughput"})
    assert message == (
        "kinesis_mock: UpdateStreamWarmThroughput is not implemented yet. "
        f"Implemented operations: {', '.join(implemented)}."
    )
