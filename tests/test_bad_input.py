"""Bodies Kinesis cannot read, or reads as numbers past every bound, answer HTTP 400, never 500.

NaN and Infinity are not JSON (RFC 8259): Kinesis answers a body holding them as one it cannot
read, ``SerializationException`` without a message (kinesalite index.js, recorded against AWS, for
any body that does not parse). A number too large for a float (``1e400``) is still JSON, which
Kinesis reads as a big decimal: past every bound. A body nested deeper than Python's parser can
recurse is still JSON, refused by the model check at its first level of the wrong type.

botocore cannot send most of these (its serializer refuses NaN timestamps, its encoder recurses
as deep as our parser), so the tests rewrite the JSON body botocore built, just before the mock
reads it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from helpers import error_of, validation

from kinesis_mock import _protocol

AT_TIMESTAMP = (
    b'{"StreamName":"s","ShardId":"shardId-000000000000","ShardIteratorType":"AT_TIMESTAMP","Timestamp":%s}'
)
LESS = "Member must have value less than or equal to 10000"
GREATER = "Member must have value greater than or equal to 1"
UNCHECKED = Config(parameter_validation=False, retries={"total_max_attempts": 1})


def send_body(client: Any, operation: str, body: bytes) -> None:
    """Make ``client`` send ``body`` on its next ``operation`` call (whatever its arguments)."""
    event = f"before-call.kinesis.{operation}"

    def rewrite(params: dict[str, Any], **_: Any) -> None:
        params["body"] = body
        client.meta.events.unregister(event, rewrite)

    client.meta.events.register_first(event, rewrite)


def status_and_error(call: Callable[[], Any]) -> tuple[int, str, str | None]:
    with pytest.raises(ClientError) as excinfo:
        call()
    response = excinfo.value.response
    return (
        response["ResponseMetadata"]["HTTPStatusCode"],
        response["Error"]["Code"],
        response["Error"].get("Message"),
    )


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_in_an_integer_are_a_serialization_exception(
    literal: str, kinesis_mock: Any, make_client: Callable[..., Any]
) -> None:
    client = make_client(config=UNCHECKED)
    for operation, call, body in (
        ("ListStreams", lambda: client.list_streams(), '{"Limit":%s}'),
        (
            "CreateStream",
            lambda: client.create_stream(StreamName="s", ShardCount=1),
            '{"StreamName":"s","ShardCount":%s}',
        ),
        ("ListShards", lambda: client.list_shards(StreamName="s"), '{"StreamName":"s","MaxResults":%s}'),
    ):
        send_body(client, operation, (body % literal).encode())
        assert status_and_error(call) == (400, "SerializationException", "")
    assert client.list_streams()["StreamNames"] == []


def test_nan_through_botocore_unchecked_is_a_serialization_exception(
    kinesis_mock: Any, make_client: Callable[..., Any]
) -> None:
    """With parameter validation off, botocore itself writes ``NaN`` into the body."""
    client = make_client(config=UNCHECKED)
    assert status_and_error(lambda: client.list_streams(Limit=float("nan"))) == (
        400,
        "SerializationException",
        "",
    )
    assert status_and_error(lambda: client.list_streams(Limit=float("inf"))) == (
        400,
        "SerializationException",
        "",
    )


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_timestamps_are_a_serialization_exception(
    literal: str, kinesis_mock: Any, make_client: Callable[..., Any]
) -> None:
    client = make_client(config=UNCHECKED)
    client.create_stream(StreamName="s", ShardCount=1)
    body = AT_TIMESTAMP.decode()
    send_body(client, "GetShardIterator", (body % literal).encode())
    call = lambda: client.get_shard_iterator(StreamName="s", ShardId="0", ShardIteratorType="LATEST")  # noqa: E731
    assert status_and_error(call) == (400, "SerializationException", "")


def test_numbers_too_large_for_a_float_are_past_every_bound(
    kinesis_mock: Any, make_client: Callable[..., Any]
) -> None:
    client = make_client(config=UNCHECKED)
    client.create_stream(StreamName="s", ShardCount=1)
    for number, rule in (
        (b"1e400", "Value '2147483647' at 'limit' failed to satisfy constraint: " + LESS),
        (
            b"-1e400",
            "Value '-2147483648' at 'limit' failed to satisfy constraint: " + GREATER,
        ),
    ):
        send_body(client, "ListStreams", b'{"Limit":%s}' % number)
        with pytest.raises(ClientError) as excinfo:
            client.list_streams()
        assert error_of(excinfo) == ("ValidationException", validation(rule))
    body = AT_TIMESTAMP
    send_body(client, "GetShardIterator", body % b"1e400")
    with pytest.raises(ClientError) as excinfo:
        client.get_shard_iterator(StreamName="s", ShardId="0", ShardIteratorType="LATEST")
    code, message = error_of(excinfo)
    assert (code, message.split(", current")[0]) == (
        "InvalidArgumentException",
        "The timestampInMillis parameter cannot be greater than the currentTimestampInMillis. "
        "timestampInMillis: 9223372036854775808",
    )
    # Long before the first record: the iterator starts at the trim horizon.
    client.put_record(StreamName="s", Data=b"first", PartitionKey="k")
    send_body(client, "GetShardIterator", body % b"-1e400")
    iterator = client.get_shard_iterator(StreamName="s", ShardId="0", ShardIteratorType="LATEST")[
        "ShardIterator"
    ]
    assert [record["Data"] for record in client.get_records(ShardIterator=iterator)["Records"]] == [b"first"]


@pytest.mark.parametrize("depth", [985, 1_000, 5_000])
def test_deeply_nested_json_is_refused_like_shallow_json(
    depth: int, kinesis_mock: Any, make_client: Callable[..., Any]
) -> None:
    client = make_client(config=UNCHECKED)
    send_body(client, "ListStreams", b'{"Limit":' + b"[" * depth + b"]" * depth + b"}")
    assert status_and_error(lambda: client.list_streams()) == (
        400,
        "SerializationException",
        "Start of list found where not expected",
    )
    # A deep member the model does not have is ignored, as a shallow one is.
    send_body(client, "ListStreams", b'{"Other":' + b'[{"a":' * depth + b"1" + b"}]" * depth + b',"Limit":1}')
    assert client.list_streams()["StreamNames"] == []
    # Brackets inside strings are text, not nesting; an unclosed deep body does not parse.
    send_body(client, "ListStreams", b'{"Other":"[[{\\"","Limit":' + b"[" * depth + b"]" * depth + b"}")
    assert status_and_error(lambda: client.list_streams())[:2] == (400, "SerializationException")
    send_body(client, "ListStreams", b'{"Limit":' + b"[" * depth)
    assert status_and_error(lambda: client.list_streams()) == (400, "SerializationException", "")


def test_the_parser_cuts_what_no_shape_can_hold() -> None:
    with pytest.raises(ValueError, match="NaN is not JSON"):
        _protocol.parse_json(b'{"Limit":NaN}')
    value = _protocol.parse_json(b'{"a":' + b"[" * 50_000 + b"]" * 50_000 + b"}")["a"]
    levels = 1
    while value != [None]:
        value, levels = value[0], levels + 1
    assert levels + 1 == 32  # the object and 31 lists are kept, then null
