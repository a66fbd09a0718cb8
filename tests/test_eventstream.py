"""Event-stream frames, decoded by botocore's own parser, alone and end to end for SubscribeToShard."""

from __future__ import annotations

import base64
import io
import json
import struct
from binascii import crc32
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import botocore.session
import pytest
import urllib3
from botocore.eventstream import ChecksumMismatch, EventStreamBuffer, EventStreamMessage
from botocore.exceptions import EventStreamError
from botocore.parsers import EventStreamJSONParser, ResponseParserError, create_parser
from helpers import exactly

from kinesis_mock._eventstream import encode_message, event, exception, initial_response

SHARD_EVENT = "SubscribeToShardEvent"


@pytest.fixture(scope="module")
def output_shape() -> Any:
    model = botocore.session.get_session().get_service_model("kinesis")
    return model.operation_model("SubscribeToShard").output_shape


def decode(data: bytes) -> list[EventStreamMessage]:
    buffer = EventStreamBuffer()
    buffer.add_data(data)
    return list(buffer)


def raw_body(data: bytes, chunk: int = 7) -> urllib3.HTTPResponse:
    # botocore hands EventStream the urllib3 response itself and reads it with .stream(); a small
    # chunk size makes frames arrive split across reads, as they do over a socket.
    response = urllib3.HTTPResponse(body=io.BytesIO(data), preload_content=False)
    original = response.stream
    response.stream = lambda amt=chunk, decode_content=None: original(chunk)  # type: ignore[method-assign]
    return response


def subscribe(data: bytes, output_shape: Any) -> dict[str, Any]:
    """Parse ``data`` as a SubscribeToShard HTTP body, the way a boto3 client would."""
    response = {
        "status_code": 200,
        "headers": {"x-amzn-requestid": "req-1"},
        "body": raw_body(data),
        "context": {"operation_name": "SubscribeToShard"},
    }
    parsed: dict[str, Any] = create_parser("json").parse(response, output_shape)
    return parsed


def events(data: bytes, output_shape: Any) -> Iterator[dict[str, Any]]:
    return iter(subscribe(initial_response() + data, output_shape)["EventStream"])


def shard_event(**body: Any) -> bytes:
    return event(SHARD_EVENT, json.dumps(body).encode())


# --- framing -------------------------------------------------------------------------------


def test_headers_and_payload_round_trip_in_order() -> None:
    headers = {":message-type": "event", ":event-type": "Ping", "x-custom": "value"}
    (message,) = decode(encode_message(headers, b'{"a": 1}'))
    assert message.headers == headers
    assert list(message.headers) == list(headers), "header order is kept"
    assert message.payload == b'{"a": 1}'


def test_prelude_lengths_and_crcs_match_the_format() -> None:
    frame = encode_message({"k": "v"}, b"xyz")
    header_bytes = b"\x01k\x07\x00\x01v"
    total, headers_length, prelude_crc = struct.unpack("!III", frame[:12])
    assert (total, headers_length) == (len(frame), len(header_bytes))
    assert frame[12:-4] == header_bytes + b"xyz"
    assert prelude_crc == crc32(frame[:8])
    assert struct.unpack("!I", frame[-4:])[0] == crc32(frame[:-4])
    (message,) = decode(frame)
    assert message.crc == crc32(frame[:-4])
    assert message.prelude.crc == prelude_crc


@pytest.mark.parametrize(
    "offset",
    [0, 5, 10, 14, -8, -1],
    ids=["length", "headers-length", "prelude-crc", "header", "payload", "message-crc"],
)
def test_one_corrupted_byte_fails_botocore_checksum(offset: int) -> None:
    frame = bytearray(event("Ping", b"payload!"))
    frame[offset] ^= 0x01
    with pytest.raises(ChecksumMismatch, match="^Checksum mismatch"):
        decode(bytes(frame))


def test_empty_payload_and_empty_headers() -> None:
    frame = encode_message({}, b"")
    assert len(frame) == 16
    (message,) = decode(frame)
    assert (message.headers, message.payload) == ({}, b"")
    (message,) = decode(event("Ping", b""))
    assert message.payload == b""
    assert message.headers[":event-type"] == "Ping"


def test_unicode_header_values_are_utf8_with_byte_lengths() -> None:
    value = "café ☕ 𝄞"
    frame = encode_message({"x-note": value, "ünï": "ok"}, b"")
    (message,) = decode(frame)
    assert message.headers == {"x-note": value, "ünï": "ok"}
    encoded = value.encode()
    assert struct.pack("!H", len(encoded)) + encoded in frame, "length counts bytes, not characters"


def test_oversized_header_value_is_refused_rather_than_truncated() -> None:
    # struct's own refusal: a header value's length is an unsigned 16-bit field of the frame.
    with pytest.raises(struct.error, match=exactly("'H' format requires 0 <= number <= 65535")):
        encode_message({"x": "a" * 65536}, b"")
    (message,) = decode(encode_message({"x": "a" * 65535}, b""))
    assert len(message.headers["x"]) == 65535


def test_frames_concatenate_into_a_stream() -> None:
    messages = decode(initial_response() + event("A", b"1") + exception("E", "m"))
    assert [m.headers.get(":event-type", m.headers.get(":exception-type")) for m in messages] == [
        "initial-response",
        "A",
        "E",
    ]


def test_initial_response_headers_and_payload() -> None:
    (message,) = decode(initial_response())
    assert message.headers == {
        ":message-type": "event",
        ":event-type": "initial-response",
        ":content-type": "application/json",
    }
    assert message.payload == b"{}"


def test_exception_headers_and_payload() -> None:
    (message,) = decode(exception("ResourceInUseException", 'say "hi"'))
    assert message.headers == {
        ":message-type": "exception",
        ":exception-type": "ResourceInUseException",
        ":content-type": "application/json",
    }
    assert json.loads(message.payload) == {"message": 'say "hi"'}
    assert message.to_response_dict()["status_code"] == 400


# --- end to end through botocore's JSON event-stream parser ----------------------------------


def test_records_event_parses_to_typed_values(output_shape: Any) -> None:
    arrival = datetime(2024, 5, 6, 7, 8, 9, 123000, tzinfo=UTC)
    records = [
        {
            "SequenceNumber": "4960",
            "PartitionKey": "pk",
            "Data": base64.b64encode(b"\x00hi\xff").decode(),
            "ApproximateArrivalTimestamp": round(arrival.timestamp(), 3),
        }
    ]
    stream = events(
        shard_event(Records=records, ContinuationSequenceNumber="4961", MillisBehindLatest=42), output_shape
    )
    parsed = next(stream)
    assert list(parsed) == [SHARD_EVENT]
    body = parsed[SHARD_EVENT]
    assert body["ContinuationSequenceNumber"] == "4961"
    assert body["MillisBehindLatest"] == 42
    (record,) = body["Records"]
    assert record["Data"] == b"\x00hi\xff"
    assert isinstance(record["ApproximateArrivalTimestamp"], datetime)
    assert record["ApproximateArrivalTimestamp"] == arrival
    assert record["PartitionKey"] == "pk"
    assert next(stream, None) is None


def test_child_shards_event_with_null_continuation(output_shape: Any) -> None:
    child = {
        "ShardId": "shardId-000000000001",
        "ParentShards": ["shardId-000000000000"],
        "HashKeyRange": {"StartingHashKey": "0", "EndingHashKey": "99"},
    }
    stream = events(
        shard_event(Records=[], ContinuationSequenceNumber=None, MillisBehindLatest=0, ChildShards=[child]),
        output_shape,
    )
    body = next(stream)[SHARD_EVENT]
    # botocore's JSON parser drops null members, so a closed shard shows no continuation key.
    assert body == {"Records": [], "MillisBehindLatest": 0, "ChildShards": [child]}


def test_several_events_arrive_in_order_after_the_initial_response(output_shape: Any) -> None:
    data = b"".join(
        shard_event(Records=[], ContinuationSequenceNumber=str(n), MillisBehindLatest=n) for n in range(3)
    )
    parsed = subscribe(initial_response() + data, output_shape)
    assert set(parsed) == {"EventStream", "ResponseMetadata"}
    numbers = [e[SHARD_EVENT]["ContinuationSequenceNumber"] for e in parsed["EventStream"]]
    assert numbers == ["0", "1", "2"], "the initial-response is consumed, not yielded"


def test_exception_raises_event_stream_error_with_code_and_message(output_shape: Any) -> None:
    stream = events(
        shard_event(Records=[], ContinuationSequenceNumber="1", MillisBehindLatest=0)
        + exception("ResourceNotFoundException", "Stream s under account 1 not found."),
        output_shape,
    )
    assert SHARD_EVENT in next(stream)
    with pytest.raises(EventStreamError) as caught:
        next(stream)
    assert caught.value.response["Error"] == {
        "Code": "ResourceNotFoundException",
        "Message": "Stream s under account 1 not found.",
    }
    assert caught.value.operation_name == "SubscribeToShard"
    assert str(caught.value) == (
        "An error occurred (ResourceNotFoundException) when calling the "
        "SubscribeToShard operation: Stream s under account 1 not found."
    )


def test_unmodelled_exception_code_loses_code_and_message(output_shape: Any) -> None:
    # Documents why callers must use a code from the event-stream shape: botocore then falls back
    # to :error-code / :error-message headers, which exception() does not send.
    parser = EventStreamJSONParser()
    (message,) = decode(exception("NoSuchThing", "lost"))
    parsed = parser.parse(message.to_response_dict(), output_shape.members["EventStream"])
    assert parsed["Error"] == {"Code": "", "Message": ""}


def test_stream_without_initial_response_is_rejected(output_shape: Any) -> None:
    data = shard_event(Records=[], ContinuationSequenceNumber="1", MillisBehindLatest=0)
    with pytest.raises(ResponseParserError, match="^First event was not of type initial-response$"):
        subscribe(data, output_shape)
    with pytest.raises(ResponseParserError, match="initial-response"):
        subscribe(b"", output_shape)
