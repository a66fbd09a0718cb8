"""The wire format: what botocore parses off our bytes equals what the fast path hands it."""

from __future__ import annotations

import base64
import datetime
import json
from collections.abc import Callable
from typing import Any

import botocore.exceptions
import pytest
from botocore.config import Config
from freezegun import freeze_time
from helpers import stream_arn

from kinesis_mock import _hook, _protocol, mock_kinesis
from kinesis_mock.backend import Backend
from kinesis_mock.errors import InternalFailure, ResourceNotFoundException


def scenario(client: Any) -> list[Any]:
    """Calls covering every operation so far, successes and each kind of error."""
    outcomes: list[Any] = []

    def record(call: Callable[[], Any]) -> None:
        try:
            outcomes.append(call())
        except botocore.exceptions.ClientError as error:
            outcomes.append(error.response)

    record(lambda: client.create_stream(StreamName="p", ShardCount=3))
    record(lambda: client.create_stream(StreamName="od", StreamModeDetails={"StreamMode": "ON_DEMAND"}))
    record(lambda: client.create_stream(StreamName="p", ShardCount=1))
    record(lambda: client.create_stream(StreamName="bad name", ShardCount=1))
    record(lambda: client.create_stream(StreamName="x", ShardCount=100_000))
    record(lambda: client.describe_stream(StreamName="p", Limit=2))
    record(lambda: client.describe_stream_summary(StreamARN=stream_arn("od")))
    record(lambda: client.list_streams(Limit=1))
    record(lambda: client.describe_limits())
    record(
        lambda: client.update_stream_mode(
            StreamARN=stream_arn("p"), StreamModeDetails={"StreamMode": "ON_DEMAND"}
        )
    )
    record(lambda: client.describe_stream(StreamName="missing"))
    record(lambda: client.describe_stream())
    record(lambda: client.delete_stream(StreamName="p"))
    record(
        lambda: client.subscribe_to_shard(
            ConsumerARN=stream_arn("p") + "/consumer/c:1", ShardId="0", StartingPosition={"Type": "LATEST"}
        )
    )
    return outcomes


def normalized(outcome: Any) -> Any:
    outcome = json.loads(json.dumps(outcome, default=repr))
    metadata = outcome.pop("ResponseMetadata")
    assert set(metadata) - {"MaxAttemptsReached"} == {
        "RequestId",
        "HTTPStatusCode",
        "HTTPHeaders",
        "RetryAttempts",
    }
    assert metadata["RequestId"] == metadata["HTTPHeaders"]["x-amzn-requestid"]
    if "NextToken" in outcome:
        outcome["NextToken"] = "<token>"
    return (
        outcome,
        metadata["HTTPStatusCode"],
        metadata["RetryAttempts"],
        metadata.get("MaxAttemptsReached"),
    )


def test_fast_path_equals_botocore_parsing_our_bytes(
    make_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    results = []
    for wire in (False, True):
        monkeypatch.setattr(_hook, "WIRE", wire)
        # Both paths go through the client's retry handler; retries are off here only so that
        # the wire run does not sleep botocore's backoff.
        with freeze_time("2026-02-03 04:05:06.789"), mock_kinesis():
            client = make_client(config=Config(retries={"total_max_attempts": 1}))
            results.append([normalized(outcome) for outcome in scenario(client)])
    fast, parsed_off_the_wire = results
    assert fast == parsed_off_the_wire
    statuses = [status for _, status, _, _ in fast]
    assert statuses == [200, 200, 400, 400, 400, 200, 200, 200, 200, 200, 400, 400, 200, 400]


@pytest.mark.parametrize(("mode", "retries"), [("legacy", 4), ("standard", 2), ("adaptive", 2)])
def test_retryable_errors_go_through_the_clients_retry_policy(
    make_client: Any, mode: str, retries: int
) -> None:
    with mock_kinesis(shard_limit=1):
        client = make_client(config=Config(retries={"mode": mode}))
        with pytest.raises(client.exceptions.LimitExceededException) as excinfo:
            client.create_stream(StreamName="s", ShardCount=2)
    metadata = excinfo.value.response["ResponseMetadata"]
    assert (metadata["RetryAttempts"], metadata["MaxAttemptsReached"]) == (retries, True)


def test_non_retryable_errors_are_answered_once(client: Any) -> None:
    with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
        client.describe_stream(StreamName="nope")
    metadata = excinfo.value.response["ResponseMetadata"]
    assert metadata["RetryAttempts"] == 0
    assert "MaxAttemptsReached" not in metadata


def test_a_bare_http_request_is_answered() -> None:
    backend = Backend()
    request = _protocol.from_http(
        b"Kinesis_20131202.CreateStream",
        b'{"StreamName": "s", "ShardCount": 1}',
        b"AWS4-HMAC-SHA256 Credential=111111111111/20260101/eu-central-1/kinesis/aws4_request, "
        b"SignedHeaders=host, Signature=abc",
        "us-east-1",
    )
    assert (request.operation, request.region, request.access_key) == (
        "CreateStream",
        "eu-central-1",
        "111111111111",
    )
    assert _protocol.handle(backend, request).status == 200
    assert backend.region("111111111111", "eu-central-1").stream("s").arn == (
        "arn:aws:kinesis:eu-central-1:111111111111:stream/s"
    )


@pytest.mark.parametrize(
    ("target", "body", "status", "wire"),
    [
        ("Kinesis_20131202.Nope", b"{}", 400, {"__type": "UnknownOperationException"}),
        ("Whatever", b"{}", 400, {"__type": "UnknownOperationException"}),
        ("Kinesis_20131202.ListStreams", b"", 400, {"__type": "SerializationException"}),
        ("Kinesis_20131202.ListStreams", b"hello", 400, {"__type": "SerializationException"}),
        ("Kinesis_20131202.ListStreams", b"[]", 400, {"__type": "SerializationException"}),
        (
            "Kinesis_20131202.ListStreams",
            b'{"Limit": "5"}',
            400,
            {
                "__type": "SerializationException",
                "Message": "class java.lang.String can not be converted to an Integer",
            },
        ),
        (
            "Kinesis_20131202.DescribeStream",
            b'{"StreamName": "nope"}',
            400,
            {
                "__type": "ResourceNotFoundException",
                "message": "Stream nope under account 123456789012 not found.",
            },
        ),
        (
            "Kinesis_20131202.ListStreams",
            b'{"Unknown": 1, "Limit": null}',
            200,
            {"StreamNames": [], "HasMoreStreams": False, "StreamSummaries": []},
        ),
    ],
)
def test_raw_requests(target: str, body: bytes, status: int, wire: dict[str, Any]) -> None:
    reply = _protocol.handle(Backend(), _protocol.from_http(target, body, "", "us-east-1"))
    assert reply.status == status
    assert json.loads(_protocol.encode(reply)) == wire


def test_encoding_of_python_values() -> None:
    moment = datetime.datetime(2026, 1, 1, 0, 0, 0, 120000, tzinfo=datetime.UTC)
    body = _protocol.encode(_protocol.Reply(200, {"Data": b"\x00\xff", "At": moment}))
    assert json.loads(body) == {"Data": base64.b64encode(b"\x00\xff").decode(), "At": 1767225600.12}
    with pytest.raises(TypeError, match="^kinesis_mock: cannot put set on the wire"):
        _protocol.encode(_protocol.Reply(200, {"Bad": {1}}))


def test_error_encoding() -> None:
    assert json.loads(_protocol.encode(_protocol.Reply(500, error=InternalFailure()))) == {
        "__type": "InternalFailure"
    }
    error = ResourceNotFoundException.stream(stream="s", account="1")
    assert json.loads(_protocol.encode(_protocol.Reply(400, error=error))) == {
        "__type": "ResourceNotFoundException",
        "message": "Stream s under account 1 not found.",
    }


def test_account_selection_rules() -> None:
    request = _protocol.Request("ListStreams", b"{}", "us-east-1", "210987654321")
    assert _protocol.account_for(request, None) == "210987654321"
    assert _protocol.account_for(request, "111111111111") == "111111111111"
    assert _protocol.account_for(_protocol.Request("L", b"", "r", "AKIAXXXX"), None) == (
        _protocol.DEFAULT_ACCOUNT
    )
    assert _protocol.account_for(_protocol.Request("L", b"", "r"), None) == "123456789012"
