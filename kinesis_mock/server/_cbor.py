"""CBOR bodies (``application/x-amz-cbor-1.1``), as the AWS SDK for Java and the KCL send them.

The CBOR protocol carries the same members as JSON 1.1 with two differences: blobs are CBOR byte
strings instead of base64 text, and timestamps are tag 1 holding epoch **milliseconds** (an
integer), not seconds as RFC 8949 says; both directions (aws-sdk-java-v2 ``SdkCborGenerator``
writes ``Instant.toEpochMilli()``, issues aws/aws-sdk-java-v2#184 and #4661; LocalStack PR #11071).
A request is turned into the JSON document the model checker reads (byte strings as base64,
timestamps as epoch seconds), so both encodings go through the same checks; a reply is encoded
from the handler's Python values directly.
"""

from __future__ import annotations

import base64
import datetime
from typing import Any

import cbor2


def _millis_to_seconds(value: Any, immutable: bool) -> Any:
    # A non-number under tag 1 is handed on unchanged, and the model checker rejects it with
    # Kinesis's own type error.
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value / 1000
    return value


_DECODERS = {1: _millis_to_seconds}


def request_document(body: bytes) -> Any:
    """The JSON document of a CBOR request body; ``ValueError`` if it is not CBOR."""
    try:
        value = cbor2.loads(body, semantic_decoders=_DECODERS)
    except (cbor2.CBORError, ValueError, TypeError, OverflowError, RecursionError) as error:
        raise ValueError(str(error)) from None
    return _as_json(value)


def _as_json(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_json(item) for item in value]
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode()
    return value


def _encode_timestamp(encoder: cbor2.CBOREncoder, value: Any) -> None:
    encoder.encode_semantic(1, round(value.timestamp() * 1000))


_ENCODERS: dict[type, Any] = {datetime.datetime: _encode_timestamp}


def dumps(value: Any) -> bytes:
    """The CBOR encoding of a reply's members (bytes as byte strings, datetimes as tag 1 ms)."""
    return cbor2.dumps(value, encoders=_ENCODERS)
