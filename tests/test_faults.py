"""mock.fail(): injected errors through boto3, retried by botocore as AWS's are; state unchanged."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from helpers import ACCOUNT, error_of, served_client, stream_arn

import kinesis_mock
from kinesis_mock import Fault, KinesisMock, KinesisServer, mock_kinesis

PTE = "ProvisionedThroughputExceededException"
NO_RETRIES = Config(retries={"total_max_attempts": 1})
Client = Callable[..., Any]


@pytest.fixture
def mock(make_client: Client) -> Iterator[KinesisMock]:
    with mock_kinesis() as active:
        client = make_client()
        for name in ("a", "b"):
            client.create_stream(StreamName=name, ShardCount=2)
        yield active


@pytest.fixture
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every real sleep asked for (botocore's backoff must not happen under the mock)."""
    slept: list[float] = []
    monkeypatch.setattr(time, "sleep", slept.append)
    return slept


@pytest.mark.parametrize("mode", ["legacy", "standard", "adaptive"])
def test_a_throttled_put_is_retried_by_every_retry_mode(
    mock: KinesisMock, make_client: Client, no_sleep: list[float], mode: str
) -> None:
    client = make_client(config=Config(retries={"mode": mode}))
    fault = mock.fail("PutRecord", PTE, times=2)
    reply = client.put_record(StreamName="a", Data=b"x", PartitionKey="k")
    assert reply["ResponseMetadata"]["RetryAttempts"] == 2
    assert fault.hits == 2 and not fault.active
    assert [record.data for record in mock.records("a")] == [b"x"]  # the failed attempts stored nothing
    assert no_sleep == []


@pytest.mark.parametrize(("mode", "retries"), [("legacy", 4), ("standard", 2), ("adaptive", 2)])
def test_a_fault_until_removed_exhausts_the_attempts(
    mock: KinesisMock, make_client: Client, no_sleep: list[float], mode: str, retries: int
) -> None:
    client = make_client(config=Config(retries={"mode": mode}))
    fault = mock.fail("PutRecord", PTE, times=None)
    with pytest.raises(ClientError) as caught:
        client.put_record(StreamName="a", Data=b"x", PartitionKey="k")
    assert caught.value.response["Error"]["Code"] == PTE
    assert caught.value.response["ResponseMetadata"]["RetryAttempts"] == retries
    assert fault.hits == retries + 1 and fault.active
    assert mock.records("a") == [] and no_sleep == []
    fault.remove()
    fault.remove()
    assert not fault.active
    client.put_record(StreamName="a", Data=b"x", PartitionKey="k")
    assert len(mock.records("a")) == 1


def test_the_message_names_the_shard_the_record_goes_to(mock: KinesisMock, make_client: Client) -> None:
    client = make_client(config=NO_RETRIES)
    mock.fail("PutRecord", PTE)
    with pytest.raises(ClientError) as caught:
        client.put_record(StreamName="a", Data=b"x", PartitionKey="k", ExplicitHashKey=str(2**127))
    assert error_of(caught) == (
        PTE,
        f"Rate exceeded for shard shardId-000000000001 in stream a under account {ACCOUNT}.",
    )
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_server_faults_are_500_without_a_message(mock: KinesisMock, make_client: Client) -> None:
    client = make_client(config=NO_RETRIES)
    mock.fail("PutRecords")
    with pytest.raises(ClientError) as caught:
        client.put_records(StreamName="a", Records=[{"Data": b"x", "PartitionKey": "k"}])
    assert error_of(caught) == ("InternalFailure", "")
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert mock.records("a") == []


def test_default_messages_and_a_given_one(mock: KinesisMock, make_client: Client) -> None:
    client = make_client(config=NO_RETRIES)
    mock.fail("DescribeStream", "LimitExceededException")
    mock.fail("PutRecord", "KMSThrottlingException")
    mock.fail("GetShardIterator", PTE)
    mock.fail("ListStreams", "LimitExceededException")
    mock.fail("PutRecords", PTE)
    mock.fail("DescribeStreamSummary", "ResourceNotFoundException", message="gone for now")
    expected: list[tuple[Callable[[], Any], tuple[str, str]]] = [
        (
            lambda: client.describe_stream(StreamName="a"),
            ("LimitExceededException", f"Rate exceeded for stream a under account {ACCOUNT}."),
        ),
        (
            lambda: client.put_record(StreamName="a", Data=b"x", PartitionKey="k"),
            (
                "KMSThrottlingException",
                "The request was denied due to request throttling. For more information about "
                "throttling, see Limits in the Amazon Web Services Key Management Service Developer Guide.",
            ),
        ),
        (
            lambda: client.get_shard_iterator(StreamName="a", ShardId="1", ShardIteratorType="LATEST"),
            (PTE, f"Rate exceeded for shard shardId-000000000001 in stream a under account {ACCOUNT}."),
        ),
        (
            lambda: client.put_records(StreamName="a", Records=[{"Data": b"x", "PartitionKey": "k"}]),
            (PTE, f"Rate exceeded for stream a under account {ACCOUNT}."),
        ),
        (
            lambda: client.list_streams(),
            (
                "LimitExceededException",
                "The requested resource exceeds the maximum number allowed, or the number of "
                "concurrent stream requests exceeds the maximum number allowed.",
            ),
        ),
        (
            lambda: client.describe_stream_summary(StreamName="a"),
            ("ResourceNotFoundException", "gone for now"),
        ),
    ]
    for call, answer in expected:
        with pytest.raises(ClientError) as caught:
            call()
        assert error_of(caught) == answer
    assert client.describe_stream(StreamName="a")["StreamDescription"]["StreamName"] == "a"


def test_faults_are_scoped_to_a_stream_by_name_or_arn(mock: KinesisMock, make_client: Client) -> None:
    client = make_client(config=NO_RETRIES)
    by_name = mock.fail("PutRecord", times=None, stream="a")
    by_arn = mock.fail("DescribeStreamSummary", times=None, stream=stream_arn("b"))
    client.put_record(StreamName="b", Data=b"x", PartitionKey="k")
    client.describe_stream_summary(StreamName="a")
    calls: list[Callable[[], object]] = [
        lambda: client.put_record(StreamName="a", Data=b"x", PartitionKey="k"),
        lambda: client.put_record(StreamARN=stream_arn("a"), Data=b"x", PartitionKey="k"),
        lambda: client.describe_stream_summary(StreamName="b"),
        lambda: client.describe_stream_summary(StreamARN=stream_arn("b")),
    ]
    for call in calls:
        with pytest.raises(ClientError):
            call()
    assert (by_name.hits, by_arn.hits) == (2, 2)
    assert [len(mock.records(name)) for name in ("a", "b")] == [0, 1]


def test_an_arn_scope_needs_its_region(mock: KinesisMock, make_client: Client) -> None:
    mock.fail("DescribeStreamSummary", stream=stream_arn("a", region="eu-west-1"))
    assert (
        make_client().describe_stream_summary(StreamName="a")["StreamDescriptionSummary"]["StreamName"] == "a"
    )


def test_get_records_is_scoped_by_the_stream_of_its_iterator(mock: KinesisMock, make_client: Client) -> None:
    client = make_client(config=NO_RETRIES)
    iterators = {
        name: client.get_shard_iterator(StreamName=name, ShardId="0", ShardIteratorType="LATEST")[
            "ShardIterator"
        ]
        for name in ("a", "b")
    }
    mock.fail("GetRecords", "ExpiredIteratorException", stream="b")
    assert client.get_records(ShardIterator=iterators["a"])["Records"] == []
    with pytest.raises(ClientError) as caught:
        client.get_records(ShardIterator=iterators["b"])
    assert caught.value.response["Error"]["Code"] == "ExpiredIteratorException"
    # An iterator that does not open names no stream: a scoped fault passes it by.
    with pytest.raises(ClientError) as caught:
        client.get_records(ShardIterator="AAAA")
    assert caught.value.response["Error"]["Code"] == "InvalidArgumentException"


def test_probability_with_a_seed_is_repeatable(make_client: Client) -> None:
    def run() -> list[bool]:
        with mock_kinesis() as mock:
            client = make_client(config=NO_RETRIES)
            client.create_stream(StreamName="a", ShardCount=1)
            fault = mock.fail("PutRecord", PTE, times=None, probability=0.5, seed=7)
            failed = []
            for _ in range(20):
                try:
                    client.put_record(StreamName="a", Data=b"x", PartitionKey="k")
                    failed.append(False)
                except ClientError:
                    failed.append(True)
            assert fault.hits == sum(failed) and len(mock.records("a")) == 20 - sum(failed)
            return failed

    draws = random.Random(7)
    assert run() == run() == [draws.random() < 0.5 for _ in range(20)]


def test_times_counts_failures_under_probability(mock: KinesisMock, make_client: Client) -> None:
    client = make_client(config=NO_RETRIES)
    fault = mock.fail("PutRecord", probability=1.0, times=3)
    outcomes = []
    for _ in range(5):
        try:
            client.put_record(StreamName="a", Data=b"x", PartitionKey="k")
            outcomes.append("ok")
        except ClientError:
            outcomes.append("failed")
    assert outcomes == ["failed"] * 3 + ["ok"] * 2 and fault.hits == 3


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (PTE, f"Rate exceeded for shard shardId-000000000000 in stream a under account {ACCOUNT}."),
        ("InternalFailure", "Internal service failure."),
    ],
)
def test_partial_put_records_failures(
    mock: KinesisMock, make_client: Client, error: str, message: str
) -> None:
    client = make_client()
    fault = mock.fail("PutRecords", error, entries=[0, 2, 9])
    entries = [{"Data": bytes([i]), "PartitionKey": "k", "ExplicitHashKey": "0"} for i in range(3)]
    reply = client.put_records(StreamName="a", Records=entries)
    assert reply["FailedRecordCount"] == 2 and fault.hits == 1
    assert reply["ResponseMetadata"]["RetryAttempts"] == 0  # a partial failure is a success
    failed = {"ErrorCode": error, "ErrorMessage": message}
    assert reply["Records"][0] == failed and reply["Records"][2] == failed
    assert reply["Records"][1]["ShardId"] == "shardId-000000000000"
    assert [(r.data, r.sequence_number) for r in mock.records("a")] == [
        (b"\x01", reply["Records"][1]["SequenceNumber"])
    ]
    again = client.put_records(StreamName="a", Records=entries)
    assert again["FailedRecordCount"] == 0 and len(mock.records("a")) == 4


def test_partial_failures_with_a_given_message(mock: KinesisMock, make_client: Client) -> None:
    mock.fail("PutRecords", "InternalFailure", entries=[1], message="try again")
    reply = make_client().put_records(
        StreamName="a", Records=[{"Data": b"x", "PartitionKey": "k"}, {"Data": b"y", "PartitionKey": "k"}]
    )
    assert reply["Records"][1] == {"ErrorCode": "InternalFailure", "ErrorMessage": "try again"}


def test_faults_end_with_their_mock(make_client: Client) -> None:
    with mock_kinesis() as outer:
        client = make_client(config=NO_RETRIES)
        client.create_stream(StreamName="a", ShardCount=1)
        kept = outer.fail("DescribeStreamSummary", times=None)
        with mock_kinesis() as inner:
            ended = inner.fail("PutRecord", times=None)
            with pytest.raises(ClientError):
                client.put_record(StreamName="a", Data=b"x", PartitionKey="k")
        client.put_record(StreamName="a", Data=b"x", PartitionKey="k")
        assert not ended.active and kept.active
        with pytest.raises(ClientError):
            client.describe_stream_summary(StreamName="a")
    assert not kept.active


def test_misuse_is_a_clear_error(mock: KinesisMock) -> None:
    cases: list[tuple[Callable[[], Fault], str]] = [
        (
            lambda: mock.fail("PutRecordz"),
            "'PutRecordz' is not a Kinesis operation; the operations are AddTagsToStream,",
        ),
        (lambda: mock.fail("ListStreams", PTE), "ListStreams does not fail with"),
        (lambda: mock.fail("PutRecord", entries=[0]), "entries= fails records of a PutRecords call"),
        (lambda: mock.fail("PutRecords", "KMSThrottlingException", entries=[0]), "entries= fails"),
        (lambda: mock.fail("PutRecords", entries=[-1]), "entries must be record indexes"),
        (lambda: mock.fail("PutRecord", times=0), "times must be a whole number >= 1 or None"),
        (lambda: mock.fail("PutRecord", probability=1.5), "probability must be between 0 and 1"),
    ]
    for make, text in cases:
        with pytest.raises(ValueError, match="^kinesis_mock: ") as caught:
            make()
        assert text in str(caught.value)
    with pytest.raises(ValueError, match="its errors are ExpiredNextTokenException, InternalFailure, "):
        mock.fail("ListStreams", PTE)


def test_fail_needs_an_active_mock() -> None:
    with pytest.raises(RuntimeError, match="^kinesis_mock: fail\\(\\) needs an active mock"):
        KinesisMock().fail("PutRecord")


def test_a_fault_prints_what_it_does(mock: KinesisMock) -> None:
    fault = mock.fail("PutRecord", PTE, stream="a", times=None)
    assert repr(fault) == f"<Fault PutRecord -> {PTE} stream='a' hits=0 times=None>"
    assert repr(mock.fail("GetRecords")) == "<Fault GetRecords -> InternalFailure hits=0 times=1>"


def test_current_is_the_innermost_mock() -> None:
    with pytest.raises(RuntimeError, match="^kinesis_mock: no mock is active; current\\(\\) works inside"):
        kinesis_mock.current()
    with mock_kinesis() as outer:
        assert kinesis_mock.current() is outer
        with mock_kinesis() as inner:
            assert kinesis_mock.current() is inner
        assert kinesis_mock.current() is outer


@mock_kinesis
def test_current_inside_a_decorated_test(make_client: Client) -> None:
    kinesis_mock.current().fail("CreateStream", "LimitExceededException")
    with pytest.raises(ClientError) as caught:
        make_client(config=NO_RETRIES).create_stream(StreamName="a", ShardCount=1)
    assert error_of(caught) == (
        "LimitExceededException",
        f"Rate exceeded for stream a under account {ACCOUNT}.",
    )
    assert kinesis_mock.current().streams() == []


def test_the_controls_of_a_server_act_on_it() -> None:
    with KinesisServer(port=0) as server:
        client = served_client(server.endpoint_url)
        client.create_stream(StreamName="a", ShardCount=1)
        server.mock.fail("PutRecord", PTE, stream="a")
        with pytest.raises(ClientError) as caught:
            served_client(server.endpoint_url, config=NO_RETRIES).put_record(
                StreamName="a", Data=b"x", PartitionKey="k"
            )
        assert caught.value.response["Error"]["Code"] == PTE
        client.put_record(StreamName="a", Data=b"y", PartitionKey="k")
        assert [record.data for record in server.mock.records("a")] == [b"y"]
        assert [(call.operation, call.error) for call in server.mock.calls] == [
            ("CreateStream", None),
            ("PutRecord", PTE),
            ("PutRecord", None),
        ]
        server.mock.fail("ListStreams", times=None)
    assert server.mock.calls[1].params == {"StreamName": "a", "Data": b"x", "PartitionKey": "k"}


def test_faults_are_scoped_by_the_stream_of_a_consumer_or_resource_arn(
    mock: KinesisMock, make_client: Client
) -> None:
    client = make_client(config=NO_RETRIES)
    consumer = client.register_stream_consumer(StreamARN=stream_arn("a"), ConsumerName="app")["Consumer"]
    mock.fail("DescribeStreamConsumer", "ResourceNotFoundException", stream="a")
    mock.fail("ListTagsForResource", "AccessDeniedException", stream="b")
    with pytest.raises(ClientError) as caught:
        client.describe_stream_consumer(ConsumerARN=consumer["ConsumerARN"])
    assert error_of(caught) == ("ResourceNotFoundException", f"Stream a under account {ACCOUNT} not found.")
    assert client.list_tags_for_resource(ResourceARN=stream_arn("a"))["Tags"] == []
    with pytest.raises(ClientError) as caught:
        client.list_tags_for_resource(ResourceARN=stream_arn("b"))
    assert error_of(caught) == (
        "AccessDeniedException",
        "Specifies that you do not have the permissions required to perform this operation.",
    )


def test_a_throttled_put_to_a_missing_stream_names_the_stream(mock: KinesisMock, make_client: Client) -> None:
    mock.fail("PutRecord", PTE)
    mock.fail("GetShardIterator", "InternalFailureException")
    with pytest.raises(ClientError) as caught:
        make_client(config=NO_RETRIES).put_record(StreamName="nope", Data=b"x", PartitionKey="k")
    assert error_of(caught) == (PTE, f"Rate exceeded for stream nope under account {ACCOUNT}.")
    with pytest.raises(ClientError) as caught:
        make_client(config=NO_RETRIES).get_shard_iterator(
            StreamName="a", ShardId="0", ShardIteratorType="LATEST"
        )
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert error_of(caught)[0] == "InternalFailureException"


def test_each_test_of_a_decorated_class_starts_from_the_class_faults(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import unittest

        import boto3
        from botocore.config import Config
        from botocore.exceptions import ClientError

        import kinesis_mock
        from kinesis_mock import mock_kinesis

        NO_RETRIES = Config(retries={"total_max_attempts": 1})


        def outcomes(count):
            client = boto3.client("kinesis", region_name="us-east-1", config=NO_RETRIES)
            seen = []
            for _ in range(count):
                try:
                    client.put_record(StreamName="s", Data=b"x", PartitionKey="k")
                    seen.append("ok")
                except ClientError:
                    seen.append("failed")
            return seen


        @mock_kinesis
        class TestFaults(unittest.TestCase):
            @classmethod
            def setUpClass(cls):
                client = boto3.client("kinesis", region_name="us-east-1")
                client.create_stream(StreamName="s", ShardCount=1)
                kinesis_mock.current().fail("PutRecord", times=2)

            def test_a(self):
                kinesis_mock.current().fail("DescribeStreamSummary", times=None)
                assert outcomes(3) == ["failed", "failed", "ok"]
                errors = [call.error for call in kinesis_mock.current().calls]
                assert errors == ["InternalFailure", "InternalFailure", None]

            def test_b(self):
                assert outcomes(3) == ["failed", "failed", "ok"]
                assert len(kinesis_mock.current().calls) == 3
                client = boto3.client("kinesis", region_name="us-east-1", config=NO_RETRIES)
                client.describe_stream_summary(StreamName="s")  # test_a's fault ended with it
        """
    )
    pytester.runpytest_subprocess().assert_outcomes(passed=2)
