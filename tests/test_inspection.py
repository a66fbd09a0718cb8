"""The mock clock (advance, now) and inspection (records, streams, calls), through boto3."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from botocore.exceptions import ClientError
from freezegun import freeze_time
from helpers import ACCOUNT, REGION, error_of, stream_arn

from kinesis_mock import Call, KinesisMock, Record, _clock, mock_kinesis

Client = Callable[..., Any]


@pytest.fixture
def mock(make_client: Client) -> Iterator[KinesisMock]:
    with mock_kinesis() as active:
        yield active


# -- the mock clock -------------------------------------------------------------------------


def test_advance_expires_iterators(mock: KinesisMock, make_client: Client) -> None:
    client = make_client()
    client.create_stream(StreamName="s", ShardCount=1)
    iterator = client.get_shard_iterator(StreamName="s", ShardId="0", ShardIteratorType="LATEST")
    mock.advance(301)
    with pytest.raises(ClientError) as caught:
        client.get_records(ShardIterator=iterator["ShardIterator"])
    assert error_of(caught)[0] == "ExpiredIteratorException"


def test_advance_completes_state_changes_and_trims(make_client: Client) -> None:
    with mock_kinesis(state_change_seconds=30) as mock:
        client = make_client()
        client.create_stream(StreamName="s", ShardCount=1)
        assert (
            client.describe_stream_summary(StreamName="s")["StreamDescriptionSummary"]["StreamStatus"]
            == "CREATING"
        )
        mock.advance(30)
        assert (
            client.describe_stream_summary(StreamName="s")["StreamDescriptionSummary"]["StreamStatus"]
            == "ACTIVE"
        )
        client.put_record(StreamName="s", Data=b"old", PartitionKey="k")
        mock.advance(24 * 3600 - 1)
        client.put_record(StreamName="s", Data=b"new", PartitionKey="k")
        assert [r.data for r in mock.records("s")] == [b"old", b"new"]
        mock.advance(2)
        assert [r.data for r in mock.records("s")] == [b"new"]


def test_advance_adds_to_freezegun_and_is_undone_at_the_end(make_client: Client) -> None:
    with freeze_time("2026-01-01 00:00:00"):
        with mock_kinesis() as mock:
            mock.advance(90.5)
            assert mock.now() == datetime.datetime(2026, 1, 1, 0, 1, 30, 500000, tzinfo=datetime.UTC)
            client = make_client()
            client.create_stream(StreamName="s", ShardCount=1)
            client.put_record(StreamName="s", Data=b"x", PartitionKey="k")
            assert mock.records("s")[0].arrival == mock.now()
        assert _clock.now_ms() == 1767225600000


def test_advance_adds_to_time_machine(make_client: Client) -> None:
    moment = datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False), mock_kinesis() as mock:
        mock.advance(60)
        assert mock.now() == datetime.datetime(2026, 6, 1, 0, 1, tzinfo=datetime.UTC)
        assert mock.now().tzinfo is not None


def test_advance_takes_seconds_forward_only(mock: KinesisMock) -> None:
    for bad in (-1, float("nan"), "1", True):
        with pytest.raises(ValueError, match="^kinesis_mock: advance\\(\\) takes seconds >= 0"):
            mock.advance(bad)  # type: ignore[arg-type]
    with pytest.raises(RuntimeError, match="^kinesis_mock: advance\\(\\) needs an active mock"):
        KinesisMock().advance(1)


# -- records and streams --------------------------------------------------------------------


def test_records_hold_what_was_written(mock: KinesisMock, make_client: Client) -> None:
    client = make_client()
    client.create_stream(StreamName="s", ShardCount=2)
    first = client.put_record(StreamName="s", Data=b"a", PartitionKey="k1", ExplicitHashKey=str(2**127))
    batch = client.put_records(StreamName="s", Records=[{"Data": b"b", "PartitionKey": "k2"}])
    read = client.get_records(
        ShardIterator=client.get_shard_iterator(
            StreamName="s", ShardId="1", ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
    )["Records"]
    records = mock.records("s", shard_id="shardId-000000000001")
    assert records[0] == Record(
        data=b"a",
        partition_key="k1",
        sequence_number=first["SequenceNumber"],
        shard_id="shardId-000000000001",
        arrival=read[0]["ApproximateArrivalTimestamp"],
        explicit_hash_key=str(2**127),
    )
    every = mock.records("s")
    assert sorted(r.sequence_number for r in every) == sorted(
        [first["SequenceNumber"], batch["Records"][0]["SequenceNumber"]]
    )
    assert {r.explicit_hash_key for r in every} == {None, str(2**127)}
    with pytest.raises(AttributeError):
        records[0].data = b"z"  # type: ignore[misc]


def test_parents_come_before_children(mock: KinesisMock, make_client: Client) -> None:
    client = make_client()
    client.create_stream(StreamName="s", ShardCount=1)
    client.put_record(StreamName="s", Data=b"parent", PartitionKey="k")
    client.split_shard(StreamName="s", ShardToSplit="shardId-000000000000", NewStartingHashKey=str(2**127))
    client.put_record(StreamName="s", Data=b"child", PartitionKey="k", ExplicitHashKey="1")
    assert [(r.data, r.shard_id) for r in mock.records("s")] == [
        (b"parent", "shardId-000000000000"),
        (b"child", "shardId-000000000001"),
    ]


def test_which_stream_records_reads(mock: KinesisMock, make_client: Client) -> None:
    make_client().create_stream(StreamName="s", ShardCount=1)
    make_client("eu-west-1").create_stream(StreamName="s", ShardCount=1)
    make_client("eu-west-1").put_record(StreamName="s", Data=b"x", PartitionKey="k")
    with pytest.raises(
        ValueError,
        match="^kinesis_mock: account 123456789012 has a stream 's' in several regions "
        "\\(eu-west-1, us-east-1\\)",
    ):
        mock.records("s")
    assert mock.records("s", region="us-east-1") == []
    assert [r.data for r in mock.records(stream_arn("s", region="eu-west-1"))] == [b"x"]
    cases: list[tuple[Callable[[], object], str]] = [
        (lambda: mock.records("t"), "account 123456789012 has no stream 't' in any region"),
        (lambda: mock.records("s", region="us-west-2"), "has no stream 's' in us-west-2"),
        (
            lambda: mock.records("s", account_id="111122223333", region=REGION),
            "account 111122223333 has no stream",
        ),
        (
            lambda: mock.records("s", region=REGION, shard_id="shardId-7"),
            "its shards are shardId-000000000000",
        ),
        (lambda: mock.records("arn:aws:kinesis"), "'arn:aws:kinesis' is not a stream ARN"),
        (lambda: mock.records("s", account_id="12"), "account_id must be a 12-digit AWS account id"),
    ]
    for bad, text in cases:
        with pytest.raises(ValueError, match="^kinesis_mock: ") as caught:
            bad()
        assert text in str(caught.value)


def test_streams(make_client: Client) -> None:
    with mock_kinesis(account_id="111122223333") as mock:
        make_client().create_stream(StreamName="b", ShardCount=1)
        make_client().create_stream(StreamName="a", ShardCount=1)
        make_client("eu-west-1").create_stream(StreamName="c", ShardCount=1)
        assert mock.streams() == ["a", "b", "c"]
        assert mock.streams(region="eu-west-1") == ["c"]
        assert mock.streams(account_id=ACCOUNT) == []
        make_client().delete_stream(StreamName="b")
        assert mock.streams(region=REGION) == ["a"]
        assert [r.data for r in mock.records("a")] == []


# -- calls ----------------------------------------------------------------------------------


def test_calls_record_every_request(mock: KinesisMock, make_client: Client) -> None:
    client = make_client()
    client.create_stream(StreamName="s", ShardCount=1)
    client.put_record(StreamName="s", Data=b"\x00\xff", PartitionKey="k")
    with pytest.raises(ClientError):
        client.describe_stream(StreamName="nope")
    with pytest.raises(ClientError):
        client.describe_stream(StreamName="bad name!")
    assert mock.calls == [
        Call("CreateStream", {"StreamName": "s", "ShardCount": 1}, None, ACCOUNT, REGION),
        Call(
            "PutRecord", {"StreamName": "s", "Data": b"\x00\xff", "PartitionKey": "k"}, None, ACCOUNT, REGION
        ),
        Call("DescribeStream", {"StreamName": "nope"}, "ResourceNotFoundException", ACCOUNT, REGION),
        # refused before its parameters were read: the body as sent
        Call("DescribeStream", {"StreamName": "bad name!"}, "ValidationException", ACCOUNT, REGION),
    ]
    assert mock.calls.operations() == ["CreateStream", "PutRecord", "DescribeStream", "DescribeStream"]
    mock.calls.clear()
    make_client("eu-west-1").list_streams()
    assert [(c.operation, c.region) for c in mock.calls] == [("ListStreams", "eu-west-1")]


def test_retries_are_calls_and_nested_mocks_share_them(make_client: Client) -> None:
    with mock_kinesis() as outer:
        client = make_client()
        client.create_stream(StreamName="s", ShardCount=1)
        with mock_kinesis(account_id="111122223333") as inner:
            inner.fail("DescribeStreamSummary", "LimitExceededException")
            client.describe_stream_summary(StreamName="s", StreamARN=stream_arn("s"))
            assert inner.calls is outer.calls
    assert [(c.operation, c.error, c.account_id) for c in outer.calls] == [
        ("CreateStream", None, ACCOUNT),
        ("DescribeStreamSummary", "LimitExceededException", "111122223333"),
        ("DescribeStreamSummary", None, "111122223333"),
    ]


def test_a_body_that_is_not_json_is_kept_as_nothing() -> None:
    from kinesis_mock import _controls, _protocol
    from kinesis_mock.backend import Backend

    controls = _controls.Controls()
    for body in (b"{", b"[1]"):
        reply = _protocol.handle(Backend(), _protocol.Request("ListStreams", body, REGION), None, controls)
        assert reply.status == 400
    assert [(c.params, c.error) for c in controls.calls] == [
        ({}, "SerializationException"),
        ({}, "SerializationException"),
    ]
