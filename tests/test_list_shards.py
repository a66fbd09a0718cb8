"""ListShards: paging, tokens, StreamCreationTimestamp and AWS's argument rules."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from freezegun import freeze_time
from helpers import ACCOUNT, error_of, stream_arn


def ids(response: dict[str, Any]) -> list[int]:
    return [int(s["ShardId"].split("-")[1]) for s in response["Shards"]]


def test_shards_with_their_shape(client: Any) -> None:
    client.create_stream(StreamName="s", ShardCount=2)
    response = client.list_shards(StreamName="s")
    assert set(response) == {"Shards", "ResponseMetadata"}
    assert response["Shards"] == client.describe_stream(StreamName="s")["StreamDescription"]["Shards"]


def test_pages_and_tokens(client: Any) -> None:
    client.create_stream(StreamName="s", ShardCount=7)
    first = client.list_shards(StreamName="s", MaxResults=3)
    assert ids(first) == [0, 1, 2]
    second = client.list_shards(NextToken=first["NextToken"], MaxResults=3)
    assert ids(second) == [3, 4, 5]
    last = client.list_shards(NextToken=second["NextToken"])
    assert ids(last) == [6] and "NextToken" not in last
    assert ids(client.list_shards(StreamARN=stream_arn("s"), ExclusiveStartShardId="shardId-4")) == [5, 6]


def test_at_most_1000_per_page(client: Any) -> None:
    client.create_stream(StreamName="s", ShardCount=1200)
    page = client.list_shards(StreamName="s", MaxResults=10000)
    assert len(page["Shards"]) == 1000 and "NextToken" in page
    rest = client.list_shards(NextToken=page["NextToken"], MaxResults=10000)
    assert ids(rest) == list(range(1000, 1200)) and "NextToken" not in rest


def test_the_paginator_behaves_as_against_aws(client: Any) -> None:
    client.create_stream(StreamName="s", ShardCount=7)
    pages = list(client.get_paginator("list_shards").paginate(StreamName="s"))
    assert [ids(page) for page in pages] == [list(range(7))]
    # botocore's paginator repeats StreamName next to NextToken, which Kinesis refuses
    # (boto/botocore#2009); the mock refuses it too, so code that works here works on AWS.
    paginator = client.get_paginator("list_shards").paginate(StreamName="s", PaginationConfig={"PageSize": 3})
    with pytest.raises(client.exceptions.InvalidArgumentException) as excinfo:
        list(paginator)
    assert error_of(excinfo)[1] == "NextToken and StreamName cannot be provided together."


def test_next_token_rules(client: Any) -> None:
    client.create_stream(StreamName="s", ShardCount=3)
    token = client.list_shards(StreamName="s", MaxResults=1)["NextToken"]
    for other in (
        {"StreamName": "s"},
        {"StreamARN": stream_arn("s")},
        {"ExclusiveStartShardId": "shardId-0"},
        {"StreamCreationTimestamp": datetime.datetime.now(datetime.UTC)},
    ):
        with pytest.raises(client.exceptions.InvalidArgumentException) as excinfo:
            client.list_shards(NextToken=token, **other)
        assert error_of(excinfo) == (
            "InvalidArgumentException",
            f"NextToken and {next(iter(other))} cannot be provided together.",
        )
    with pytest.raises(client.exceptions.InvalidArgumentException) as excinfo:
        client.list_shards()
    assert error_of(excinfo) == (
        "InvalidArgumentException",
        "Either NextToken or StreamName should be provided.",
    )
    with pytest.raises(client.exceptions.InvalidArgumentException) as excinfo:
        client.list_shards(NextToken="bm9wZQ==")
    assert error_of(excinfo) == ("InvalidArgumentException", "Invalid NextToken.")


def test_next_token_expires(client: Any) -> None:
    with freeze_time("2026-01-01") as clock:
        client.create_stream(StreamName="s", ShardCount=3)
        token = client.list_shards(StreamName="s", MaxResults=1)["NextToken"]
        clock.tick(301)
        with pytest.raises(client.exceptions.ExpiredNextTokenException) as excinfo:
            client.list_shards(NextToken=token)
        assert error_of(excinfo) == (
            "ExpiredNextTokenException",
            "The NextToken has expired. Pagination tokens are valid for 300 seconds.",
        )


def test_next_token_of_a_deleted_stream(client: Any) -> None:
    client.create_stream(StreamName="s", ShardCount=3)
    token = client.list_shards(StreamName="s", MaxResults=1)["NextToken"]
    client.delete_stream(StreamName="s")
    client.create_stream(StreamName="s", ShardCount=3)
    with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
        client.list_shards(NextToken=token)
    assert error_of(excinfo)[1] == f"Stream s under account {ACCOUNT} not found."


def test_stream_creation_timestamp_picks_the_stream(client: Any) -> None:
    with freeze_time("2026-01-01 10:00:00"):
        client.create_stream(StreamName="s", ShardCount=1)
    created = datetime.datetime(2026, 1, 1, 10, tzinfo=datetime.UTC)
    assert ids(client.list_shards(StreamName="s", StreamCreationTimestamp=created)) == [0]
    with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
        client.list_shards(StreamName="s", StreamCreationTimestamp=created.replace(hour=9))
    assert error_of(excinfo) == ("ResourceNotFoundException", f"Stream s under account {ACCOUNT} not found.")


def test_unknown_stream(client: Any) -> None:
    with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
        client.list_shards(StreamName="nope")
    assert error_of(excinfo)[1] == f"Stream nope under account {ACCOUNT} not found."


def test_filters_on_a_stream_that_never_resharded(client: Any) -> None:
    client.create_stream(StreamName="s", ShardCount=3)
    now = datetime.datetime.now(datetime.UTC)
    for shard_filter in (
        {"Type": "AT_LATEST"},
        {"Type": "AT_TRIM_HORIZON"},
        {"Type": "FROM_TRIM_HORIZON"},
        {"Type": "AT_TIMESTAMP", "Timestamp": now},
        {"Type": "FROM_TIMESTAMP", "Timestamp": now},
    ):
        assert ids(client.list_shards(StreamName="s", ShardFilter=shard_filter)) == [0, 1, 2]
    after = client.list_shards(
        StreamName="s", ShardFilter={"Type": "AFTER_SHARD_ID", "ShardId": "shardId-000000000000"}
    )
    assert ids(after) == [1, 2]


@pytest.mark.parametrize(
    ("shard_filter", "message"),
    [
        (
            {"Type": "AFTER_SHARD_ID"},
            "ShardId must be given with, and only with, ShardFilter type AFTER_SHARD_ID; got AFTER_SHARD_ID.",
        ),
        (
            {"Type": "AT_LATEST", "ShardId": "0"},
            "ShardId must be given with, and only with, ShardFilter type AFTER_SHARD_ID; got AT_LATEST.",
        ),
        (
            {"Type": "AT_TIMESTAMP"},
            "Timestamp must be given with, and only with, ShardFilter types "
            "AT_TIMESTAMP and FROM_TIMESTAMP; got AT_TIMESTAMP.",
        ),
    ],
)
def test_filter_members(client: Any, shard_filter: dict[str, Any], message: str) -> None:
    client.create_stream(StreamName="s", ShardCount=1)
    with pytest.raises(client.exceptions.InvalidArgumentException) as excinfo:
        client.list_shards(StreamName="s", ShardFilter=shard_filter)
    assert error_of(excinfo) == ("InvalidArgumentException", message)
