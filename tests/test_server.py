"""The HTTP server: boto3 with endpoint_url, raw HTTP bad requests, CBOR, event streams, HTTP/2."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import botocore.exceptions
import cbor2
import httpx
import pytest
from helpers import REGION, served_client

from kinesis_mock import KinesisServer, mock_kinesis

AUTH = (
    "AWS4-HMAC-SHA256 Credential=111122223333/20250101/eu-west-1/kinesis/aws4_request, "
    "SignedHeaders=host;x-amz-date, Signature=abc"
)
TARGET = "Kinesis_20131202."
JSON = "application/x-amz-json-1.1"
CBOR = "application/x-amz-cbor-1.1"


@pytest.fixture(scope="module")
def server() -> Iterator[KinesisServer]:
    with KinesisServer(port=0) as running:
        yield running


@pytest.fixture
def client(server: KinesisServer) -> Any:
    return served_client(server.endpoint_url)


@pytest.fixture
def post(server: KinesisServer) -> Iterator[Callable[..., httpx.Response]]:
    with httpx.Client(base_url=server.endpoint_url) as http:

        def send(
            body: bytes = b"{}",
            target: str | None = "ListStreams",
            content_type: str | None = JSON,
            auth: str | None = AUTH,
            method: str = "POST",
            path: str = "/",
            **headers: str,
        ) -> httpx.Response:
            sent = {"x-amz-date": "20250101T000000Z", **{k.replace("_", "-"): v for k, v in headers.items()}}
            if target is not None:
                sent["x-amz-target"] = TARGET + target if "." not in target else target
            if content_type is not None:
                sent["content-type"] = content_type
            if auth is not None:
                sent["authorization"] = auth
            return http.request(method, path, content=body, headers=sent)

        yield send


def stream_name(request: pytest.FixtureRequest) -> str:
    return str(request.node.name).replace("[", "-").replace("]", "")[:100]


def test_boto3_round_trip_through_the_server(client: Any, request: pytest.FixtureRequest) -> None:
    name = stream_name(request)
    client.create_stream(StreamName=name, ShardCount=2)
    client.get_waiter("stream_exists").wait(StreamName=name)
    put = client.put_record(StreamName=name, Data=b"\x00payload", PartitionKey="k")
    iterator = client.get_shard_iterator(
        StreamName=name, ShardId=put["ShardId"], ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    (record,) = client.get_records(ShardIterator=iterator)["Records"]
    assert (record["Data"], record["SequenceNumber"]) == (b"\x00payload", put["SequenceNumber"])
    with pytest.raises(client.exceptions.ResourceNotFoundException) as raised:
        client.describe_stream(StreamName="missing")
    assert raised.value.response["Error"]["Message"] == "Stream missing under account 123456789012 not found."


def test_server_state_is_apart_from_in_process_mocks(client: Any, server: KinesisServer) -> None:
    client.create_stream(StreamName="served-only", ShardCount=1)
    with mock_kinesis():
        local = boto3.client("kinesis", region_name=REGION)
        assert local.list_streams()["StreamNames"] == []
        # A client with endpoint_url still reaches the server only when the hook lets it through:
        # the in-process hook answers every kinesis client, so the server is not consulted.
    assert "served-only" in client.list_streams()["StreamNames"]
    assert server.mock.backend.region("123456789012", REGION).get("served-only") is not None


def test_account_and_region_come_from_the_credential_scope(post: Callable[..., httpx.Response]) -> None:
    created = post(json.dumps({"StreamName": "scoped", "ShardCount": 1}).encode(), "CreateStream")
    assert created.status_code == 200
    described = post(json.dumps({"StreamName": "scoped"}).encode(), "DescribeStreamSummary")
    summary = described.json()["StreamDescriptionSummary"]
    assert summary["StreamARN"] == "arn:aws:kinesis:eu-west-1:111122223333:stream/scoped"
    assert described.headers["content-type"] == JSON
    assert described.headers["content-length"] == str(len(described.content))
    assert len(base64.b64decode(described.headers["x-amz-id-2"])) == 72


ACCESS_DENIED = (
    b"<AccessDeniedException>\n  <Message>Unable to determine service/operation name to be authorized"
    b"</Message>\n</AccessDeniedException>\n"
)


@pytest.mark.parametrize(
    ("kwargs", "status", "expected"),
    [
        ({"method": "GET"}, 403, ACCESS_DENIED),
        ({"body": b"{}", "content_type": None, "target": None}, 403, ACCESS_DENIED),
        ({"body": b"{}", "content_type": "text/plain"}, 404, b"<UnknownOperationException/>\n"),
    ],
)
def test_xml_answers(
    post: Callable[..., httpx.Response], kwargs: dict[str, Any], status: int, expected: bytes
) -> None:
    answer = post(**kwargs)
    assert (answer.status_code, answer.content) == (status, expected)
    assert "content-type" not in answer.headers


@pytest.mark.parametrize(
    ("kwargs", "status", "expected"),
    [
        ({"body": b"", "content_type": None, "target": None}, 400, {"__type": "UnknownOperationException"}),
        ({"body": b"", "content_type": None}, 400, {"__type": "SerializationException"}),
        (
            {"body": b"", "target": "Whatever", "content_type": "application/x-amz-json-1.0"},
            400,
            {"__type": "UnknownOperationException"},
        ),
        ({"body": b"hello", "content_type": CBOR}, 400, {"__type": "SerializationException"}),
        (
            {"body": cbor2.dumps({}), "content_type": CBOR, "target": "Nope"},
            400,
            {"__type": "UnknownOperationException"},
        ),
    ],
)
def test_cbor_encoded_errors(
    post: Callable[..., httpx.Response], kwargs: dict[str, Any], status: int, expected: dict[str, str]
) -> None:
    answer = post(**kwargs)
    assert (answer.status_code, answer.headers["content-type"]) == (status, CBOR)
    assert cbor2.loads(answer.content) == expected


MISSING_ALL = (
    "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' "
    "parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires "
    "existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=X"
)
QUERY_ALL = "".join(
    f"AWS query-string parameters must include '{name}'. "
    for name in (
        "X-Amz-Algorithm",
        "X-Amz-Credential",
        "X-Amz-Signature",
        "X-Amz-SignedHeaders",
        "X-Amz-Date",
    )
)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"body": b""}, {"__type": "SerializationException"}),
        ({"body": b"hello"}, {"__type": "SerializationException"}),
        ({"body": b"[1]"}, {"__type": "SerializationException"}),
        ({"target": None}, {"__type": "UnknownOperationException"}),
        ({"target": "ListStream"}, {"__type": "UnknownOperationException"}),
        (
            {"auth": None},
            {"__type": "MissingAuthenticationTokenException", "message": "Missing Authentication Token"},
        ),
        (
            {"auth": None, "content_type": "application/x-amz-json-1.1   ;whatever"},
            {"__type": "MissingAuthenticationTokenException", "message": "Missing Authentication Token"},
        ),
        (
            {"auth": "X", "x_amz_date": ""},
            {"__type": "IncompleteSignatureException", "message": MISSING_ALL},
        ),
        (
            {"auth": "AWS4- Signature=b, Credential=a", "date": "x"},
            {
                "__type": "IncompleteSignatureException",
                "message": "Authorization header requires 'SignedHeaders' parameter. "
                "Authorization=AWS4- Signature=b, Credential=a",
            },
        ),
        (
            {"path": "/?X-Amz-Algorithm"},
            {
                "__type": "InvalidSignatureException",
                "message": "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' "
                "as HTTP header.",
            },
        ),
        (
            {"auth": None, "path": "/?X-Amz-Algorithm"},
            {
                "__type": "IncompleteSignatureException",
                "message": QUERY_ALL + "Re-examine the query-string parameters.",
            },
        ),
    ],
)
def test_json_front_door_errors(
    post: Callable[..., httpx.Response], kwargs: dict[str, Any], expected: dict[str, str]
) -> None:
    if kwargs.get("x_amz_date") == "":
        kwargs.pop("x_amz_date")
        answer = _without_date(post, **kwargs)
    else:
        answer = post(**kwargs)
    assert (answer.status_code, answer.headers["content-type"]) == (400, JSON)
    assert answer.json() == expected


def _without_date(post: Callable[..., httpx.Response], **kwargs: Any) -> httpx.Response:
    client = httpx.Client(base_url=str(post(method="GET").url).rstrip("/"))
    with client:
        return client.post(
            "/",
            content=b"{}",
            headers={
                "x-amz-target": TARGET + "ListStreams",
                "content-type": JSON,
                "authorization": kwargs["auth"],
            },
        )


def test_presigned_query_credentials_are_accepted(post: Callable[..., httpx.Response]) -> None:
    query = (
        "/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=222233334444%2F20250101%2Fap-south-1%2Fkinesis%2Faws4_request"
        "&X-Amz-Signature=a&X-Amz-SignedHeaders=host&X-Amz-Date=20250101T000000Z"
    )
    answer = post(
        json.dumps({"StreamName": "q", "ShardCount": 1}).encode(), "CreateStream", auth=None, path=query
    )
    assert answer.status_code == 200
    listed = post(b"{}", "ListStreams", auth=None, path=query)
    assert (
        listed.json()["StreamSummaries"][0]["StreamARN"] == "arn:aws:kinesis:ap-south-1:222233334444:stream/q"
    )


def test_plain_json_gets_the_coral_envelope(post: Callable[..., httpx.Response]) -> None:
    answer = post(content_type="application/json")
    assert answer.status_code == 404
    assert answer.json() == {
        "Output": {"__type": "com.amazon.coral.service#UnknownOperationException"},
        "Version": "1.0",
    }
    bad = post(b"hello", content_type="application/json     ;")
    assert bad.status_code == 400
    assert bad.json() == {
        "Output": {"__type": "com.amazon.coral.service#SerializationException"},
        "Version": "1.0",
    }


def test_validation_errors_come_from_the_shared_checker(post: Callable[..., httpx.Response]) -> None:
    answer = post(json.dumps({"StreamName": "bad name!", "ShardCount": 1}).encode(), "CreateStream")
    assert answer.status_code == 400
    assert answer.json() == {
        "__type": "ValidationException",
        "message": "1 validation error detected: Value 'bad name!' at 'streamName' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
    }
    typed = post(json.dumps({"StreamName": True}).encode(), "DescribeStream")
    assert typed.json() == {
        "__type": "SerializationException",
        "Message": "class java.lang.Boolean can not be converted to an String",
    }


def test_cors(post: Callable[..., httpx.Response]) -> None:
    answer = post(origin="whatever")
    assert answer.headers["access-control-allow-origin"] == "*"
    preflight = post(
        b"",
        method="OPTIONS",
        origin="x",
        access_control_request_headers="a, b",
        access_control_request_method="POST",
    )
    assert (preflight.status_code, preflight.content) == (200, b"")
    assert preflight.headers["access-control-allow-headers"] == "a, b"
    assert preflight.headers["access-control-allow-methods"] == "POST"
    assert preflight.headers["access-control-max-age"] == "172800"
    assert "x-amz-id-2" not in preflight.headers


def test_oversized_bodies_get_413(post: Callable[..., httpx.Response], server: KinesisServer) -> None:
    answer = post(b"x" * (16 * 1024 * 1024 + 1))
    assert answer.status_code == 413

    def chunks() -> Iterator[bytes]:
        for _ in range(17):
            yield b"x" * (1024 * 1024)

    with httpx.Client(base_url=server.endpoint_url) as http:
        chunked = http.post("/", content=chunks(), headers={"x-amz-target": TARGET + "ListStreams"})
    assert chunked.status_code == 413


def test_cbor_client(post: Callable[..., httpx.Response]) -> None:
    created = post(cbor2.dumps({"StreamName": "cbor", "ShardCount": 1}), "CreateStream", CBOR)
    assert (created.status_code, created.headers["content-type"]) == (200, CBOR)
    put = cbor2.loads(
        post(
            cbor2.dumps({"StreamName": "cbor", "Data": b"\x01\x02", "PartitionKey": "k"}), "PutRecord", CBOR
        ).content
    )
    start = cbor2.CBORTag(1, 0)  # epoch milliseconds under tag 1, as the Java SDK sends them
    iterator = cbor2.loads(
        post(
            cbor2.dumps(
                {
                    "StreamName": "cbor",
                    "ShardId": put["ShardId"],
                    "ShardIteratorType": "AT_TIMESTAMP",
                    "Timestamp": start,
                }
            ),
            "GetShardIterator",
            CBOR,
        ).content
    )["ShardIterator"]
    answer = post(cbor2.dumps({"ShardIterator": iterator}), "GetRecords", CBOR)
    raw = cbor2.loads(answer.content, semantic_decoders={1: lambda value, immutable: value})
    (record,) = raw["Records"]
    assert record["Data"] == b"\x01\x02" and record["SequenceNumber"] == put["SequenceNumber"]
    assert isinstance(record["ApproximateArrivalTimestamp"], int)  # milliseconds
    missing = post(cbor2.dumps({"StreamName": "none"}), "DescribeStream", CBOR)
    assert (missing.status_code, cbor2.loads(missing.content)) == (
        400,
        {
            "__type": "ResourceNotFoundException",
            "message": "Stream none under account 111122223333 not found.",
        },
    )


def _consumer(client: Any, name: str) -> tuple[str, str]:
    client.create_stream(StreamName=name, ShardCount=1)
    arn = client.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["StreamARN"]
    consumer = client.register_stream_consumer(StreamARN=arn, ConsumerName="c")["Consumer"]["ConsumerARN"]
    return arn, consumer


def test_subscribe_to_shard_streams_events_over_chunked_http(client: Any, server: KinesisServer) -> None:
    _, consumer = _consumer(client, "fan-out")
    client.put_record(StreamName="fan-out", Data=b"one", PartitionKey="k")
    reply = client.subscribe_to_shard(
        ConsumerARN=consumer, ShardId="shardId-000000000000", StartingPosition={"Type": "TRIM_HORIZON"}
    )
    assert reply["ResponseMetadata"]["HTTPHeaders"]["transfer-encoding"] == "chunked"
    events = iter(reply["EventStream"])
    first = next(events)["SubscribeToShardEvent"]
    assert [r["Data"] for r in first["Records"]] == [b"one"]
    client.put_record(StreamName="fan-out", Data=b"two", PartitionKey="k")
    seen: list[bytes] = []
    while not seen:
        seen = [r["Data"] for r in next(events)["SubscribeToShardEvent"]["Records"]]
    assert seen == [b"two"]
    reply["EventStream"].close()


def test_a_client_that_disconnects_frees_its_subscription(client: Any, server: KinesisServer) -> None:
    _, consumer = _consumer(client, "leaver")
    backend = server.mock.backend
    reply = client.subscribe_to_shard(
        ConsumerARN=consumer, ShardId="shardId-000000000000", StartingPosition={"Type": "LATEST"}
    )
    next(iter(reply["EventStream"]))
    (subscription,) = [s for s in backend.fan_out.live() if s.consumer.arn == consumer]
    reply["EventStream"].close()
    closed = threading.Event()

    def wait_closed() -> None:
        with backend.lock:
            while not subscription.closed:
                backend.fan_out.wait(subscription.shard, 0.05)  # closing wakes it
        closed.set()

    waiter = threading.Thread(target=wait_closed)
    waiter.start()
    waiter.join(10)
    assert closed.is_set()


def test_subscribe_over_cbor_sends_cbor_events(client: Any, post: Callable[..., httpx.Response]) -> None:
    _, consumer = _consumer(client, "cbor-fan-out")
    client.put_record(StreamName="cbor-fan-out", Data=b"c", PartitionKey="k")
    body = cbor2.dumps(
        {
            "ConsumerARN": consumer,
            "ShardId": "shardId-000000000000",
            "StartingPosition": {"Type": "TRIM_HORIZON"},
        }
    )
    # The scope names the stream's account: the consumer lives in the default account.
    auth = AUTH.replace("111122223333/20250101/eu-west-1", "123456789012/20250101/us-east-1")
    with (
        httpx.Client() as http,
        http.stream(
            "POST",
            str(post(method="GET").url),
            content=body,
            headers={
                "x-amz-target": TARGET + "SubscribeToShard",
                "content-type": CBOR,
                "authorization": auth,
                "x-amz-date": "x",
            },
        ) as answer,
    ):
        assert answer.headers["content-type"] == "application/vnd.amazon.eventstream"
        data = b""
        for chunk in answer.iter_bytes():
            data += chunk
            if data.count(b"SubscribeToShardEvent") >= 1 and len(data) > 200:
                break
    assert b"application/x-amz-cbor-1.1" in data and b"initial-response" in data


def test_http2_prior_knowledge(tmp_path: Any) -> None:
    with KinesisServer(http2=True) as server, httpx.Client(http1=False, http2=True) as http:
        answer = http.post(
            server.endpoint_url,
            content=json.dumps({"StreamName": "h2", "ShardCount": 1}).encode(),
            headers={
                "x-amz-target": TARGET + "CreateStream",
                "content-type": JSON,
                "authorization": AUTH,
                "x-amz-date": "x",
            },
        )
        assert (answer.http_version, answer.status_code) == ("HTTP/2", 200)
        client = served_client(server.endpoint_url, "eu-west-1", "111122223333")
        assert client.list_streams()["StreamNames"] == ["h2"]


def test_concurrent_clients_are_served_in_parallel(server: KinesisServer) -> None:
    def work(index: int) -> None:
        own = served_client(server.endpoint_url, "sa-east-1")
        own.create_stream(StreamName=f"parallel-{index}", ShardCount=1)
        for _ in range(20):
            own.put_record(StreamName=f"parallel-{index}", Data=b"x", PartitionKey="k")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    region = server.mock.backend.region("123456789012", "sa-east-1")
    assert sorted(len(region.stream(f"parallel-{i}").shards[0]) for i in range(8)) == [20] * 8


def test_server_handle_misuse() -> None:
    server = KinesisServer()
    with pytest.raises(RuntimeError, match="kinesis_mock: the server is not running"):
        _ = server.endpoint_url
    with pytest.raises(RuntimeError, match="kinesis_mock: stop\\(\\) was called"):
        server.stop()
    with pytest.raises(TypeError, match="kinesis_mock: unknown option 'bogus'"):
        KinesisServer(bogus=1)
    with server:
        assert repr(server) == f"<KinesisServer {server.endpoint_url}>"
        with pytest.raises(RuntimeError, match="already running"):
            server.start()
    assert repr(server) == "<KinesisServer stopped>"
    taken = KinesisServer(port=0).start()
    try:
        port = int(taken.endpoint_url.rsplit(":", 1)[1])
        with pytest.raises(OSError):
            KinesisServer(port=port).start()
    finally:
        taken.stop()


def test_importing_kinesis_mock_does_not_import_the_server_stack() -> None:
    stack = "('uvicorn', 'hypercorn', 'cbor2', 'httptools', 'uvloop')"
    code = f"import sys, kinesis_mock; print(sorted(m for m in {stack} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_botocore_errors_over_http(client: Any) -> None:
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        client.create_stream(StreamName="x" * 129, ShardCount=1)
    assert raised.value.response["Error"]["Code"] == "ValidationException"
