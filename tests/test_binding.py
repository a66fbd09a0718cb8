"""Iterators and tokens serve only who asked for them: the account, the region, the stream.

No public record of AWS's answers to these was found (docs/errors.md says what was searched); the
mock answers as it answers any token that is not the caller's: ``Invalid ShardIterator.`` /
``Invalid NextToken.``, and the ListShards wording for parameters that cannot go together.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError
from helpers import error_of, stream_arn

OTHER_ACCOUNT = "111122223333"
INVALID_ITERATOR = ("InvalidArgumentException", "Invalid ShardIterator.")


def other_account(make_client: Callable[..., Any], region: str = "us-east-1") -> Any:
    # A 12-digit access key id is the calling account (README, "Accounts, regions and credentials").
    return make_client(region, aws_access_key_id=OTHER_ACCOUNT, aws_secret_access_key="secret")


def iterator_of(client: Any, **stream: str) -> str:
    iterator: str = client.get_shard_iterator(
        **stream, ShardId="shardId-000000000000", ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    return iterator


@pytest.fixture
def stream(client: Any) -> str:
    client.create_stream(StreamName="s", ShardCount=1)
    client.put_record(StreamName="s", Data=b"secret", PartitionKey="k")
    return iterator_of(client, StreamName="s")


def test_an_iterator_is_not_valid_in_another_region(stream: str, make_client: Callable[..., Any]) -> None:
    with pytest.raises(ClientError) as excinfo:
        make_client("eu-west-1").get_records(ShardIterator=stream)
    assert error_of(excinfo) == INVALID_ITERATOR


def test_an_iterator_is_not_valid_for_another_account(stream: str, make_client: Callable[..., Any]) -> None:
    with pytest.raises(ClientError) as excinfo:
        other_account(make_client).get_records(ShardIterator=stream)
    assert error_of(excinfo) == INVALID_ITERATOR


def test_an_account_reading_by_arn_reads_with_its_own_iterators(
    stream: str, client: Any, make_client: Callable[..., Any]
) -> None:
    """Another account reaches the stream by its ARN; the iterator it gets is its own."""
    other = other_account(make_client)
    theirs = iterator_of(other, StreamARN=stream_arn("s"))
    assert [record["Data"] for record in other.get_records(ShardIterator=theirs)["Records"]] == [b"secret"]
    with pytest.raises(ClientError) as excinfo:
        client.get_records(ShardIterator=theirs)
    assert error_of(excinfo) == INVALID_ITERATOR


def test_get_records_refuses_a_stream_arn_that_is_not_the_iterators(stream: str, client: Any) -> None:
    client.create_stream(StreamName="other", ShardCount=1)
    with pytest.raises(ClientError) as excinfo:
        client.get_records(ShardIterator=stream, StreamARN=stream_arn("other"))
    assert error_of(excinfo) == (
        "InvalidArgumentException",
        f"StreamARN {stream_arn('other')} and ShardIterator do not refer to the same stream.",
    )
    with pytest.raises(ClientError) as excinfo:
        client.get_records(ShardIterator=stream, StreamARN=stream_arn("missing"))
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        "Stream missing under account 123456789012 not found.",
    )
    records = client.get_records(ShardIterator=stream, StreamARN=stream_arn("s"))["Records"]
    assert [record["Data"] for record in records] == [b"secret"]


def test_get_records_refuses_the_arn_of_a_stream_recreated_under_the_same_name(
    stream: str, client: Any
) -> None:
    client.delete_stream(StreamName="s")
    client.create_stream(StreamName="s", ShardCount=1)
    with pytest.raises(ClientError) as excinfo:
        client.get_records(ShardIterator=stream, StreamARN=stream_arn("s"))
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        "Shard shardId-000000000000 in stream s under account 123456789012 does not exist",
    )


def test_list_streams_takes_a_next_token_or_a_start_name_not_both(client: Any) -> None:
    for name in ("a", "b", "c"):
        client.create_stream(StreamName=name, ShardCount=1)
    token = client.list_streams(Limit=1)["NextToken"]
    with pytest.raises(ClientError) as excinfo:
        client.list_streams(NextToken=token, ExclusiveStartStreamName="a")
    assert error_of(excinfo) == (
        "InvalidArgumentException",
        "NextToken and ExclusiveStartStreamName cannot be provided together.",
    )
    assert client.list_streams(NextToken=token)["StreamNames"] == ["b", "c"]
