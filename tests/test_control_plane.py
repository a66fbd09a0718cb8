"""The rest of the control plane through boto3: tags, retention, monitoring, encryption, policies,
account settings, record size, warm throughput, consumers; and every operation answers."""

from __future__ import annotations

import datetime
import json
from typing import Any

import botocore.exceptions
import pytest
from freezegun import freeze_time
from helpers import ACCOUNT, IMPLEMENTED, REGION, error_of, needs_model, stream_arn, validation

from kinesis_mock.backend.policies import MAX_DEPTH

UTC = datetime.UTC
METRICS = [
    "IncomingBytes",
    "IncomingRecords",
    "OutgoingBytes",
    "OutgoingRecords",
    "WriteProvisionedThroughputExceeded",
    "ReadProvisionedThroughputExceeded",
    "IteratorAgeMilliseconds",
]


@pytest.fixture
def stream(client: Any) -> str:
    client.create_stream(StreamName="s", ShardCount=1)
    return "s"


def tags_of(client: Any, **kwargs: Any) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in client.list_tags_for_stream(**kwargs)["Tags"]}


class TestStreamTags:
    def test_add_overwrite_remove_list(self, client: Any, stream: str) -> None:
        client.add_tags_to_stream(StreamName=stream, Tags={"b": "2", "a": "1", "c": ""})
        client.add_tags_to_stream(StreamARN=stream_arn(stream), Tags={"a": "one"})
        response = client.list_tags_for_stream(StreamName=stream)
        assert response["Tags"] == [
            {"Key": "a", "Value": "one"},
            {"Key": "b", "Value": "2"},
            {"Key": "c", "Value": ""},
        ]
        assert response["HasMoreTags"] is False
        client.remove_tags_from_stream(StreamName=stream, TagKeys=["a", "never-there"])
        assert tags_of(client, StreamName=stream) == {"b": "2", "c": ""}

    def test_paging(self, client: Any, stream: str) -> None:
        client.add_tags_to_stream(StreamName=stream, Tags={f"k{i}": str(i) for i in range(5)})
        first = client.list_tags_for_stream(StreamName=stream, Limit=2)
        assert ([t["Key"] for t in first["Tags"]], first["HasMoreTags"]) == (["k0", "k1"], True)
        rest = client.list_tags_for_stream(StreamName=stream, ExclusiveStartTagKey="k1", Limit=50)
        assert ([t["Key"] for t in rest["Tags"]], rest["HasMoreTags"]) == (["k2", "k3", "k4"], False)

    def test_tags_at_creation(self, client: Any) -> None:
        client.create_stream(StreamName="t", ShardCount=1, Tags={"team": "data"})
        assert tags_of(client, StreamName="t") == {"team": "data"}

    def test_at_most_50(self, client: Any, stream: str) -> None:
        client.add_tags_to_stream(StreamName=stream, Tags={f"k{i}": "v" for i in range(50)})
        client.add_tags_to_stream(StreamName=stream, Tags={"k0": "overwrite is fine"})
        with pytest.raises(client.exceptions.InvalidArgumentException) as excinfo:
            client.add_tags_to_stream(StreamName=stream, Tags={"k50": "v"})
        # AWS enforces 50 and says 10 (kinesalite test/addTagsToStream.js, AWS run of 2018).
        assert error_of(excinfo) == (
            "InvalidArgumentException",
            f"Failed to add tags to stream s under account {ACCOUNT} because a given stream cannot "
            "have more than 10 tags associated with it.",
        )
        assert len(client.list_tags_for_stream(StreamName=stream, Limit=50)["Tags"]) == 50

    def test_characters(self, client: Any, stream: str) -> None:
        with pytest.raises(client.exceptions.InvalidArgumentException) as excinfo:
            client.add_tags_to_stream(StreamName=stream, Tags={"a,b": "x"})
        assert error_of(excinfo)[1] == (
            "Some tags contain invalid characters. Valid characters: Unicode letters, digits, "
            "white space, _ . / = + - % @."
        )
        with pytest.raises(client.exceptions.InvalidArgumentException) as excinfo:
            client.remove_tags_from_stream(StreamName=stream, TagKeys=["50%"])
        assert error_of(excinfo)[1] == (
            f"Failed to remove tags from stream s under account {ACCOUNT} because some tags "
            "contained illegal characters. The allowed characters are Unicode letters, "
            "white-spaces, '_',',','/','=','+','-','@'."
        )
        client.add_tags_to_stream(StreamName=stream, Tags={"ünïcode ok": "é/=+-_.@ 1"})

    def test_lengths_come_from_the_model(self, client: Any, stream: str) -> None:
        with pytest.raises(client.exceptions.ValidationException) as excinfo:
            client.add_tags_to_stream(StreamName=stream, Tags={"k" * 129: "v"})
        assert error_of(excinfo)[1] == validation(
            f"Value '{{{'k' * 129}=v}}' at 'tags' failed to satisfy constraint: Map keys must "
            "satisfy constraint: [Member must have length less than or equal to 128, Member must "
            "have length greater than or equal to 1]"
        )

    def test_reserved_prefix(self, client: Any, stream: str) -> None:
        with pytest.raises(client.exceptions.InvalidArgumentException) as excinfo:
            client.tag_resource(ResourceARN=stream_arn(stream), Tags={"aws:owner": "me"})
        assert error_of(excinfo)[1] == "Tag keys starting with 'aws:' are reserved for use by AWS."


class TestResourceTags:
    def test_on_a_stream_and_a_consumer(self, client: Any, stream: str) -> None:
        consumer = client.register_stream_consumer(
            StreamARN=stream_arn(stream), ConsumerName="c", Tags={"from": "register"}
        )["Consumer"]
        client.tag_resource(ResourceARN=stream_arn(stream), Tags={"env": "test", "x:y": "1"})
        client.tag_resource(ResourceARN=consumer["ConsumerARN"], Tags={"env": "prod"})
        assert client.list_tags_for_resource(ResourceARN=stream_arn(stream))["Tags"] == [
            {"Key": "env", "Value": "test"},
            {"Key": "x:y", "Value": "1"},
        ]
        assert client.list_tags_for_resource(ResourceARN=consumer["ConsumerARN"])["Tags"] == [
            {"Key": "env", "Value": "prod"},
            {"Key": "from", "Value": "register"},
        ]
        client.untag_resource(ResourceARN=consumer["ConsumerARN"], TagKeys=["env", "nope"])
        assert client.list_tags_for_resource(ResourceARN=consumer["ConsumerARN"])["Tags"] == [
            {"Key": "from", "Value": "register"}
        ]
        assert tags_of(client, StreamName=stream) == {"env": "test", "x:y": "1"}

    def test_unknown_resources(self, client: Any, stream: str) -> None:
        with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
            client.list_tags_for_resource(ResourceARN=stream_arn("nope"))
        assert error_of(excinfo)[1] == f"Stream nope under account {ACCOUNT} not found."
        with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
            client.tag_resource(ResourceARN=stream_arn(stream) + "/consumer/ghost:1", Tags={"a": "b"})
        assert error_of(excinfo)[1] == (f"Consumer ghost under stream s and account {ACCOUNT} not found.")


class TestRetention:
    def test_bounds_and_direction(self, client: Any, stream: str) -> None:
        cases = [
            (
                client.increase_stream_retention_period,
                12,
                "Minimum allowed retention period is 24 hours. Requested retention period (12 hours) "
                "is too short.",
            ),
            (
                client.increase_stream_retention_period,
                8761,
                "Maximum allowed retention period is 8760 hours. Requested retention period (8761 "
                "hours) is too long.",
            ),
            (
                client.decrease_stream_retention_period,
                48,
                "Requested retention period (48 hours) for stream s can not be longer than existing "
                "retention period (24 hours). Use IncreaseRetentionPeriod API.",
            ),
        ]
        for operation, hours, message in cases:
            with pytest.raises(client.exceptions.InvalidArgumentException) as excinfo:
                operation(StreamName=stream, RetentionPeriodHours=hours)
            assert error_of(excinfo)[1] == message
        client.increase_stream_retention_period(StreamName=stream, RetentionPeriodHours=8760)
        client.increase_stream_retention_period(StreamName=stream, RetentionPeriodHours=8760)
        with pytest.raises(client.exceptions.InvalidArgumentException) as excinfo:
            client.increase_stream_retention_period(StreamName=stream, RetentionPeriodHours=100)
        assert error_of(excinfo)[1] == (
            "Requested retention period (100 hours) for stream s can not be shorter than existing "
            "retention period (8760 hours). Use DecreaseRetentionPeriod API."
        )
        client.decrease_stream_retention_period(StreamName=stream, RetentionPeriodHours=72)
        assert (
            client.describe_stream_summary(StreamName=stream)["StreamDescriptionSummary"][
                "RetentionPeriodHours"
            ]
            == 72
        )

    def test_decrease_trims_at_once_and_increase_brings_nothing_back(self, client: Any) -> None:
        def readable() -> list[bytes]:
            token = client.get_shard_iterator(
                StreamName="s", ShardId="shardId-000000000000", ShardIteratorType="TRIM_HORIZON"
            )["ShardIterator"]
            return [r["Data"] for r in client.get_records(ShardIterator=token)["Records"]]

        with freeze_time("2026-01-01") as clock:
            client.create_stream(StreamName="s", ShardCount=1)
            client.increase_stream_retention_period(StreamName="s", RetentionPeriodHours=72)
            client.put_record(StreamName="s", Data=b"old", PartitionKey="k")
            clock.tick(36 * 3600)
            client.put_record(StreamName="s", Data=b"new", PartitionKey="k")
            assert readable() == [b"old", b"new"]
            client.decrease_stream_retention_period(StreamName="s", RetentionPeriodHours=24)
            assert readable() == [b"new"]
            client.increase_stream_retention_period(StreamName="s", RetentionPeriodHours=168)
            assert readable() == [b"new"]


class TestMonitoring:
    def test_enable_disable_and_all(self, client: Any, stream: str) -> None:
        response = client.enable_enhanced_monitoring(
            StreamName=stream, ShardLevelMetrics=["OutgoingBytes", "IncomingBytes"]
        )
        assert {k: v for k, v in response.items() if k != "ResponseMetadata"} == {
            "StreamName": "s",
            "StreamARN": stream_arn("s"),
            "CurrentShardLevelMetrics": [],
            "DesiredShardLevelMetrics": ["IncomingBytes", "OutgoingBytes"],
        }
        response = client.enable_enhanced_monitoring(StreamName=stream, ShardLevelMetrics=["ALL"])
        assert response["CurrentShardLevelMetrics"] == ["IncomingBytes", "OutgoingBytes"]
        assert response["DesiredShardLevelMetrics"] == METRICS
        summary = client.describe_stream_summary(StreamName=stream)["StreamDescriptionSummary"]
        assert summary["EnhancedMonitoring"] == [{"ShardLevelMetrics": METRICS}]
        response = client.disable_enhanced_monitoring(
            StreamARN=stream_arn(stream), ShardLevelMetrics=["IncomingBytes"]
        )
        assert response["DesiredShardLevelMetrics"] == METRICS[1:]
        client.disable_enhanced_monitoring(StreamName=stream, ShardLevelMetrics=["ALL"])
        assert client.describe_stream(StreamName=stream)["StreamDescription"]["EnhancedMonitoring"] == [
            {"ShardLevelMetrics": []}
        ]


class TestEncryption:
    @pytest.mark.parametrize(
        "key",
        [
            "12345678-1234-1234-1234-123456789012",
            "arn:aws:kms:us-east-1:123456789012:key/12345678-1234-1234-1234-123456789012",
            "arn:aws:kms:us-east-1:123456789012:alias/MyAlias",
            "alias/MyAlias",
            "alias/aws/kinesis",
        ],
    )
    def test_key_forms(self, client: Any, stream: str, key: str) -> None:
        client.start_stream_encryption(StreamName=stream, EncryptionType="KMS", KeyId=key)
        summary = client.describe_stream_summary(StreamName=stream)["StreamDescriptionSummary"]
        assert (summary["EncryptionType"], summary["KeyId"]) == ("KMS", key)

    def test_records_say_whether_they_were_written_encrypted(self, client: Any, stream: str) -> None:
        plain = client.put_record(StreamName=stream, Data=b"plain", PartitionKey="k")
        assert "EncryptionType" not in plain
        client.start_stream_encryption(StreamName=stream, EncryptionType="KMS", KeyId="alias/aws/kinesis")
        secret = client.put_record(StreamName=stream, Data=b"secret", PartitionKey="k")
        batch = client.put_records(StreamName=stream, Records=[{"Data": b"b", "PartitionKey": "k"}])
        assert secret["EncryptionType"] == batch["EncryptionType"] == "KMS"
        client.stop_stream_encryption(StreamName=stream, EncryptionType="KMS", KeyId="alias/aws/kinesis")
        client.put_record(StreamName=stream, Data=b"plain again", PartitionKey="k")
        token = client.get_shard_iterator(
            StreamName=stream, ShardId="shardId-000000000000", ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        records = client.get_records(ShardIterator=token)["Records"]
        assert [(r["Data"], r.get("EncryptionType")) for r in records] == [
            (b"plain", None),
            (b"secret", "KMS"),
            (b"b", "KMS"),
            (b"plain again", None),
        ]
        description = client.describe_stream(StreamName=stream)["StreamDescription"]
        assert description["EncryptionType"] == "NONE" and "KeyId" not in description

    def test_bad_keys_and_types(self, client: Any, stream: str) -> None:
        with pytest.raises(client.exceptions.KMSNotFoundException) as excinfo:
            client.start_stream_encryption(StreamName=stream, EncryptionType="KMS", KeyId="my-key")
        assert error_of(excinfo)[1] == "Invalid keyId my-key"
        with pytest.raises(client.exceptions.InvalidArgumentException) as excinfo:
            client.start_stream_encryption(
                StreamName=stream, EncryptionType="NONE", KeyId="alias/aws/kinesis"
            )
        assert error_of(excinfo)[1] == "Only KMS encryption is supported; got EncryptionType NONE."

    def test_25_changes_per_rolling_day(self, client: Any) -> None:
        with freeze_time("2026-01-01") as clock:
            client.create_stream(StreamName="s", ShardCount=1)
            for _ in range(25):
                client.start_stream_encryption(
                    StreamName="s", EncryptionType="KMS", KeyId="alias/aws/kinesis"
                )
            with pytest.raises(client.exceptions.LimitExceededException) as excinfo:
                client.start_stream_encryption(
                    StreamName="s", EncryptionType="KMS", KeyId="alias/aws/kinesis"
                )
            assert error_of(excinfo)[1] == (
                f"Stream s under account {ACCOUNT} has already changed its encryption 25 times in "
                "the last 24 hours."
            )
            client.stop_stream_encryption(StreamName="s", EncryptionType="KMS", KeyId="alias/aws/kinesis")
            clock.tick(24 * 3600)
            client.start_stream_encryption(StreamName="s", EncryptionType="KMS", KeyId="alias/aws/kinesis")


class TestResourcePolicies:
    POLICY = json.dumps({"Version": "2012-10-17", "Statement": []})

    def test_put_get_delete_on_stream_and_consumer(self, client: Any, stream: str) -> None:
        consumer_arn = client.register_stream_consumer(StreamARN=stream_arn(stream), ConsumerName="c")[
            "Consumer"
        ]["ConsumerARN"]
        for arn in (stream_arn(stream), consumer_arn):
            assert client.get_resource_policy(ResourceARN=arn)["Policy"] == "{}"
            client.put_resource_policy(ResourceARN=arn, Policy=self.POLICY)
            assert client.get_resource_policy(ResourceARN=arn)["Policy"] == self.POLICY
            client.delete_resource_policy(ResourceARN=arn)
            assert client.get_resource_policy(ResourceARN=arn)["Policy"] == "{}"
            with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
                client.delete_resource_policy(ResourceARN=arn)
            assert error_of(excinfo)[1] == f"No resource policy found for resource ARN {arn}."

    def test_policy_must_be_json(self, client: Any, stream: str) -> None:
        # Found by tests/test_fuzz.py: deep nesting once gave InternalFailure.
        for bad in (
            "not json",
            "[1, 2]",
            '{"a": NaN}',
            "[" * 5000 + "]" * 5000,
            '{"a":' * 5000 + "1" + "}" * 5000,
        ):
            with pytest.raises(client.exceptions.InvalidArgumentException) as excinfo:
                client.put_resource_policy(ResourceARN=stream_arn(stream), Policy=bad)
            assert error_of(excinfo)[1] == "Policy is not a valid JSON document."

    def test_nesting_is_limited_by_a_rule_not_by_the_interpreter(self, client: Any, stream: str) -> None:
        # 100 levels (the outer object included) are a document, 101 are not, on every Python;
        # brackets inside strings do not count.
        deepest = '{"a":' + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + ', "s": "[[[[{{{{"}'
        client.put_resource_policy(ResourceARN=stream_arn(stream), Policy=deepest)
        assert client.get_resource_policy(ResourceARN=stream_arn(stream))["Policy"] == deepest
        too_deep = '{"a":' + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "}"
        with pytest.raises(client.exceptions.InvalidArgumentException) as excinfo:
            client.put_resource_policy(ResourceARN=stream_arn(stream), Policy=too_deep)
        assert error_of(excinfo)[1] == "Policy is not a valid JSON document."
        assert client.get_resource_policy(ResourceARN=stream_arn(stream))["Policy"] == deepest

    def test_unknown_resource(self, client: Any) -> None:
        with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
            client.get_resource_policy(ResourceARN=stream_arn("nope"))
        assert error_of(excinfo) == (
            "ResourceNotFoundException",
            f"Stream nope under account {ACCOUNT} not found.",
        )

    def test_large_numbers_are_fine(self, client: Any, stream: str) -> None:
        policy = '{"Version": "2012-10-17", "Id": 1' + "0" * 5000 + ', "Statement": []}'
        client.put_resource_policy(ResourceARN=stream_arn(stream), Policy=policy)
        assert client.get_resource_policy(ResourceARN=stream_arn(stream))["Policy"] == policy


@needs_model("DescribeAccountSettings", "UpdateAccountSettings")
class TestAccountSettings:
    def test_commitment_lifecycle(self, client: Any) -> None:
        def commitment() -> dict[str, Any]:
            value: dict[str, Any] = client.describe_account_settings()["MinimumThroughputBillingCommitment"]
            return value

        start = datetime.datetime(2026, 1, 1, tzinfo=UTC)
        day = datetime.timedelta(days=1)
        with freeze_time(start) as clock:
            assert commitment() == {"Status": "DISABLED"}
            enabled = client.update_account_settings(MinimumThroughputBillingCommitment={"Status": "ENABLED"})
            assert enabled["MinimumThroughputBillingCommitment"] == {
                "Status": "ENABLED",
                "StartedAt": start,
                "EarliestAllowedEndAt": start + day,
            }
            clock.tick(3600)
            client.update_account_settings(MinimumThroughputBillingCommitment={"Status": "DISABLED"})
            assert commitment()["Status"] == "ENABLED_UNTIL_EARLIEST_ALLOWED_END"
            client.update_account_settings(MinimumThroughputBillingCommitment={"Status": "ENABLED"})
            assert commitment()["Status"] == "ENABLED"
            client.update_account_settings(MinimumThroughputBillingCommitment={"Status": "DISABLED"})
            clock.tick(23 * 3600)
            assert commitment() == {
                "Status": "DISABLED",
                "StartedAt": start,
                "EndedAt": start + day,
                "EarliestAllowedEndAt": start + day,
            }

    def test_disabling_after_the_minimum_ends_at_once(self, client: Any) -> None:
        with freeze_time("2026-01-01") as clock:
            client.update_account_settings(MinimumThroughputBillingCommitment={"Status": "ENABLED"})
            clock.tick(2 * 24 * 3600)
            response = client.update_account_settings(
                MinimumThroughputBillingCommitment={"Status": "DISABLED"}
            )
            assert response["MinimumThroughputBillingCommitment"]["EndedAt"] == (
                datetime.datetime(2026, 1, 3, tzinfo=UTC)
            )

    def test_per_account_and_region(self, client: Any, make_client: Any) -> None:
        client.update_account_settings(MinimumThroughputBillingCommitment={"Status": "ENABLED"})
        other = make_client("eu-west-1")
        assert other.describe_account_settings()["MinimumThroughputBillingCommitment"] == {
            "Status": "DISABLED"
        }


class TestRecordSizeAndWarmThroughput:
    def test_update_max_record_size(self, client: Any, stream: str) -> None:
        with pytest.raises(client.exceptions.ValidationException) as excinfo:
            client.put_record(StreamName=stream, Data=bytes(2 * 1024 * 1024 - 10), PartitionKey="k")
        assert error_of(excinfo) == (
            "ValidationException",
            validation(
                "Value 'java.nio.HeapByteBuffer[pos=0 lim=2097142 cap=2097142]' at 'data' failed to satisfy "
                "constraint: Member must have length less than or equal to 1048576"
            ),
        )
        client.update_max_record_size(StreamARN=stream_arn(stream), MaxRecordSizeInKiB=2048)
        client.put_record(StreamName=stream, Data=bytes(2 * 1024 * 1024 - 10), PartitionKey="k")
        assert (
            client.describe_stream_summary(StreamName=stream)["StreamDescriptionSummary"][
                "MaxRecordSizeInKiB"
            ]
            == 2048
        )
        with pytest.raises(client.exceptions.ValidationException) as excinfo:
            client.update_max_record_size(StreamARN=stream_arn(stream), MaxRecordSizeInKiB=10241)
        assert error_of(excinfo)[1] == validation(
            "Value '10241' at 'maxRecordSizeInKiB' failed to satisfy constraint: Member must have "
            "value less than or equal to 10240"
        )

    @needs_model("UpdateAccountSettings")
    def test_warm_throughput_needs_on_demand_and_the_commitment(self, client: Any) -> None:
        client.create_stream(StreamName="od", StreamModeDetails={"StreamMode": "ON_DEMAND"})
        client.create_stream(StreamName="p", ShardCount=1)
        with pytest.raises(client.exceptions.ValidationException) as excinfo:
            client.update_stream_warm_throughput(StreamName="od", WarmThroughputMiBps=100)
        assert error_of(excinfo)[1] == (
            f"Request is invalid. Warm throughput needs the MinimumThroughputBillingCommitment of "
            f"account {ACCOUNT} to be ENABLED."
        )
        summary = client.describe_stream_summary(StreamName="od")["StreamDescriptionSummary"]
        assert "WarmThroughput" not in summary
        client.update_account_settings(MinimumThroughputBillingCommitment={"Status": "ENABLED"})
        response = client.update_stream_warm_throughput(StreamARN=stream_arn("od"), WarmThroughputMiBps=100)
        assert {k: v for k, v in response.items() if k != "ResponseMetadata"} == {
            "StreamARN": stream_arn("od"),
            "StreamName": "od",
            "WarmThroughput": {"TargetMiBps": 100, "CurrentMiBps": 100},
        }
        assert client.describe_stream_summary(StreamName="od")["StreamDescriptionSummary"][
            "WarmThroughput"
        ] == {"TargetMiBps": 100, "CurrentMiBps": 100}
        with pytest.raises(client.exceptions.ValidationException) as excinfo:
            client.update_stream_warm_throughput(StreamName="p", WarmThroughputMiBps=100)
        assert error_of(excinfo)[1] == (
            f"Request is invalid. Stream p under account {ACCOUNT} is not in On-Demand mode; warm "
            "throughput is only available for On-Demand streams."
        )
        with pytest.raises(client.exceptions.InvalidArgumentException) as excinfo:
            client.update_stream_warm_throughput(StreamName="od", WarmThroughputMiBps=10241)
        assert error_of(excinfo) == (
            "InvalidArgumentException",
            "WarmThroughputMiBps 10241 is above the maximum of 10240 MiBps.",
        )
        client.update_stream_mode(
            StreamARN=stream_arn("p"), WarmThroughputMiBps=50, StreamModeDetails={"StreamMode": "ON_DEMAND"}
        )
        assert client.describe_stream_summary(StreamName="p")["StreamDescriptionSummary"][
            "WarmThroughput"
        ] == {"TargetMiBps": 50, "CurrentMiBps": 50}


class TestConsumers:
    def test_register_describe_list_deregister(self, client: Any, stream: str) -> None:
        with freeze_time("2026-01-01 00:00:00"):
            consumer = client.register_stream_consumer(StreamARN=stream_arn(stream), ConsumerName="app")[
                "Consumer"
            ]
        arn = f"{stream_arn(stream)}/consumer/app:1767225600"
        created = datetime.datetime(2026, 1, 1, tzinfo=UTC)
        assert consumer == {
            "ConsumerName": "app",
            "ConsumerARN": arn,
            "ConsumerStatus": "ACTIVE",
            "ConsumerCreationTimestamp": created,
        }
        expected = {**consumer, "StreamARN": stream_arn(stream)}
        assert client.describe_stream_consumer(ConsumerARN=arn)["ConsumerDescription"] == expected
        assert (
            client.describe_stream_consumer(StreamARN=stream_arn(stream), ConsumerName="app")[
                "ConsumerDescription"
            ]
            == expected
        )
        assert client.list_stream_consumers(StreamARN=stream_arn(stream))["Consumers"] == [consumer]
        assert (
            client.describe_stream_summary(StreamName=stream)["StreamDescriptionSummary"]["ConsumerCount"]
            == 1
        )
        client.deregister_stream_consumer(ConsumerARN=arn)
        assert client.list_stream_consumers(StreamARN=stream_arn(stream))["Consumers"] == []
        with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
            client.describe_stream_consumer(ConsumerARN=arn)
        assert error_of(excinfo)[1] == (f"Consumer app under stream s and account {ACCOUNT} not found.")

    def test_names_are_unique_and_limited(self, client: Any, stream: str) -> None:
        for i in range(20):
            client.register_stream_consumer(StreamARN=stream_arn(stream), ConsumerName=f"c{i}")
        with pytest.raises(client.exceptions.ResourceInUseException) as excinfo:
            client.register_stream_consumer(StreamARN=stream_arn(stream), ConsumerName="c0")
        assert error_of(excinfo)[1] == (f"Consumer c0 under stream s and account {ACCOUNT} already exists.")
        with pytest.raises(client.exceptions.LimitExceededException) as excinfo:
            client.register_stream_consumer(StreamARN=stream_arn(stream), ConsumerName="c20")
        assert error_of(excinfo)[1] == (
            f"Stream s under account {ACCOUNT} already has 20 registered consumers."
        )

    def test_deregister_by_stream_and_name_removes_only_that_one(self, client: Any, stream: str) -> None:
        for name in ("a", "b"):
            client.register_stream_consumer(StreamARN=stream_arn(stream), ConsumerName=name)
        client.deregister_stream_consumer(StreamARN=stream_arn(stream), ConsumerName="a")
        assert [
            c["ConsumerName"] for c in client.list_stream_consumers(StreamARN=stream_arn(stream))["Consumers"]
        ] == ["b"]

    def test_identifier_rules(self, client: Any, stream: str) -> None:
        client.register_stream_consumer(StreamARN=stream_arn(stream), ConsumerName="a")
        with pytest.raises(client.exceptions.InvalidArgumentException) as excinfo:
            client.describe_stream_consumer(StreamARN=stream_arn(stream))
        assert error_of(excinfo)[1] == (
            "Either ConsumerARN, or StreamARN and ConsumerName, must be provided."
        )
        arn = client.describe_stream_consumer(StreamARN=stream_arn(stream), ConsumerName="a")[
            "ConsumerDescription"
        ]["ConsumerARN"]
        with pytest.raises(client.exceptions.InvalidArgumentException) as excinfo:
            client.describe_stream_consumer(ConsumerARN=arn, ConsumerName="b")
        assert error_of(excinfo)[1] == (
            "ConsumerARN, StreamARN and ConsumerName do not refer to the same consumer."
        )
        stale = arn.rsplit(":", 1)[0] + ":1"
        with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
            client.describe_stream_consumer(ConsumerARN=stale)
        assert error_of(excinfo) == (
            "ResourceNotFoundException",
            f"Consumer a under stream {stream} and account {ACCOUNT} not found.",
        )

    def test_pages_and_paginator_and_token_expiry(self, client: Any, stream: str) -> None:
        with freeze_time("2026-01-01") as clock:
            for i in range(5):
                client.register_stream_consumer(StreamARN=stream_arn(stream), ConsumerName=f"c{i}")
                clock.tick(1)
            first = client.list_stream_consumers(StreamARN=stream_arn(stream), MaxResults=2)
            assert [c["ConsumerName"] for c in first["Consumers"]] == ["c0", "c1"]
            pages = list(
                client.get_paginator("list_stream_consumers").paginate(
                    StreamARN=stream_arn(stream), PaginationConfig={"PageSize": 2}
                )
            )
            assert [[c["ConsumerName"] for c in p["Consumers"]] for p in pages] == [
                ["c0", "c1"],
                ["c2", "c3"],
                ["c4"],
            ]
            clock.tick(301)
            with pytest.raises(client.exceptions.ExpiredNextTokenException) as excinfo:
                client.list_stream_consumers(StreamARN=stream_arn(stream), NextToken=first["NextToken"])
            assert error_of(excinfo) == (
                "ExpiredNextTokenException",
                "The NextToken has expired. Pagination tokens are valid for 300 seconds.",
            )

    def test_a_token_lists_only_the_stream_it_was_issued_for(self, client: Any, stream: str) -> None:
        client.create_stream(StreamName="other", ShardCount=1)
        for name in (stream, "other"):
            for i in range(3):
                client.register_stream_consumer(StreamARN=stream_arn(name), ConsumerName=f"{name}{i}")
        first = client.list_stream_consumers(StreamARN=stream_arn(stream), MaxResults=1)
        with pytest.raises(client.exceptions.InvalidArgumentException) as excinfo:
            client.list_stream_consumers(StreamARN=stream_arn("other"), NextToken=first["NextToken"])
        assert error_of(excinfo) == ("InvalidArgumentException", "Invalid NextToken.")
        rest = client.list_stream_consumers(StreamARN=stream_arn(stream), NextToken=first["NextToken"])
        assert [c["ConsumerName"] for c in rest["Consumers"]] == [f"{stream}1", f"{stream}2"]

    def test_delete_stream_with_consumers(self, client: Any, stream: str) -> None:
        client.register_stream_consumer(StreamARN=stream_arn(stream), ConsumerName="a")
        with pytest.raises(client.exceptions.ResourceInUseException) as excinfo:
            client.delete_stream(StreamName=stream)
        assert error_of(excinfo)[1] == (
            f"Stream s under account {ACCOUNT} has registered consumers. Deregister them, or "
            "delete the stream with EnforceConsumerDeletion set to true."
        )
        client.delete_stream(StreamName=stream, EnforceConsumerDeletion=True)
        assert client.list_streams()["StreamNames"] == []


@needs_model(*IMPLEMENTED)
def test_every_operation_of_the_model_is_implemented(client: Any) -> None:
    """Each of the 39 operations is answered by the mock (any answer but 501); operations that a
    newer botocore adds answer NotImplemented, naming what is implemented."""
    from kinesis_mock import _protocol
    from kinesis_mock.backend import Backend

    model = client.meta.service_model
    assert set(model.operation_names) >= IMPLEMENTED
    for name in set(model.operation_names) - IMPLEMENTED:
        reply = _protocol.handle(Backend(), _protocol.Request(name, b"{}", REGION))
        assert reply.status == 501 and reply.error is not None
        assert reply.error.message == (
            f"kinesis_mock: {name} is not implemented yet. Implemented "
            f"operations: {', '.join(sorted(IMPLEMENTED))}."
        )
    answered = {}
    for name in sorted(IMPLEMENTED):
        operation = model.operation_model(name)
        params = (
            {
                member: _minimal(shape)
                for member, shape in operation.input_shape.members.items()
                if member in operation.input_shape.required_members
            }
            if operation.input_shape
            else {}
        )
        method = getattr(client, botocore.xform_name(name))
        try:
            method(**params)
            answered[name] = 200
        except botocore.exceptions.ClientError as error:
            answered[name] = error.response["ResponseMetadata"]["HTTPStatusCode"]
    assert {name for name, status in answered.items() if status == 501} == set()
    assert len(answered) == len(IMPLEMENTED) == 39


def _minimal(shape: Any) -> Any:
    """A value of ``shape`` that passes botocore's client-side checks."""
    if shape.type_name == "structure":
        return {m: _minimal(s) for m, s in shape.members.items() if m in shape.required_members}
    if shape.type_name == "list":
        return [_minimal(shape.member)]
    if shape.type_name == "map":
        return {"k": "v"}
    if shape.type_name == "integer":
        return max(shape.metadata.get("min", 1), 1)
    if shape.type_name == "timestamp":
        return datetime.datetime(2026, 1, 1, tzinfo=UTC)
    if shape.type_name == "blob":
        return b"x"
    if shape.enum:
        return shape.enum[0]
    if shape.name in ("StreamARN", "ResourceARN"):
        return stream_arn("s")
    if shape.name == "ConsumerARN":
        return stream_arn("s") + "/consumer/c:1"
    return "x1"


def test_regions_apply_to_resources(make_client: Any, kinesis_mock: Any) -> None:
    east, west = make_client(REGION), make_client("us-west-2")
    east.create_stream(StreamName="s", ShardCount=1)
    with pytest.raises(west.exceptions.ResourceNotFoundException) as excinfo:
        west.list_tags_for_resource(ResourceARN=stream_arn("s"))
    assert error_of(excinfo) == ("ResourceNotFoundException", f"Stream s under account {ACCOUNT} not found.")
