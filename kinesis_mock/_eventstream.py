"""The AWS event-stream wire format (``application/vnd.amazon.eventstream``), encoding side only.

``SubscribeToShard`` answers with a stream of binary-framed messages rather than one JSON body.
This module builds those frames; it deliberately imports nothing from botocore so that a future
HTTP server can use it too. The layout, as botocore's ``botocore/eventstream.py`` parses it::

    total length (uint32 BE) | headers length (uint32 BE) | prelude CRC32 (uint32 BE)
    headers | payload | message CRC32 (uint32 BE)

The prelude CRC covers the first 8 bytes; the message CRC covers everything before it, prelude
CRC included. A JSON-protocol stream must open with :func:`initial_response`::

    body = initial_response() + event("SubscribeToShardEvent", b'{"Records": []}')
"""

from __future__ import annotations

import json
import struct
from binascii import crc32
from collections.abc import Mapping

__all__ = ["encode_message", "event", "exception", "initial_response"]

# Header value type 7 is "string": a uint16 BE byte length, then UTF-8 bytes (botocore's
# EventStreamHeaderParser._HEADER_TYPE_MAP). Every header Kinesis sends is a string.
_STRING_TYPE = 7
_PRELUDE = struct.Struct("!II")
_UINT32 = struct.Struct("!I")
# Prelude (length, headers length, prelude CRC) plus the trailing message CRC.
_FRAMING_LENGTH = 12 + 4
_JSON = "application/json"


def _crc(data: bytes, start: int = 0) -> int:
    # binascii.crc32 is zlib's CRC-32 (the one botocore checks); the mask keeps it unsigned.
    return crc32(data, start) & 0xFFFFFFFF


def _encode_header(name: str, value: str) -> bytes:
    raw_name = name.encode("utf-8")
    raw_value = value.encode("utf-8")
    # Names carry a 1-byte length and values a 2-byte one; struct raises on overflow, which is
    # better than emitting a frame botocore would misread.
    return (
        struct.pack("!B", len(raw_name))
        + raw_name
        + struct.pack("!BH", _STRING_TYPE, len(raw_value))
        + raw_value
    )


def encode_message(headers: Mapping[str, str], payload: bytes) -> bytes:
    """Encode one event-stream message with string-typed headers, kept in the given order.

    Example::

        frame = encode_message({":message-type": "event", ":event-type": "Ping"}, b"")
        assert len(frame) == int.from_bytes(frame[:4], "big")
    """
    raw_headers = b"".join(_encode_header(name, value) for name, value in headers.items())
    prelude = _PRELUDE.pack(_FRAMING_LENGTH + len(raw_headers) + len(payload), len(raw_headers))
    prelude_crc = _UINT32.pack(_crc(prelude))
    body = prelude_crc + raw_headers + payload
    # botocore seeds the message CRC with the prelude CRC and continues from its bytes, which is
    # the same as one CRC over the whole message so far.
    return prelude + body + _UINT32.pack(_crc(body, _crc(prelude)))


def event(event_type: str, payload: bytes, content_type: str = _JSON) -> bytes:
    """Encode an event whose JSON ``payload`` botocore parses against the member ``event_type``.

    Example::

        frame = event("SubscribeToShardEvent", b'{"Records": [], "MillisBehindLatest": 0}')
    """
    return encode_message(
        {":message-type": "event", ":event-type": event_type, ":content-type": content_type}, payload
    )


def initial_response() -> bytes:
    """Encode the ``initial-response`` event that must open a JSON-protocol event stream.

    botocore's JSON parser (``JSONParser._handle_event_stream``) consumes the first message as
    the operation's non-streaming output and fails the whole call if its ``:event-type`` is not
    ``initial-response``. ``SubscribeToShardOutput`` has no other members, so the payload is ``{}``.

    Example::

        body = initial_response() + event("SubscribeToShardEvent", payload)
    """
    return event("initial-response", b"{}")


def exception(code: str, message: str, payload: bytes | None = None, content_type: str = _JSON) -> bytes:
    """Encode an exception event; botocore raises ``EventStreamError`` with ``code`` and ``message``.

    ``payload`` replaces the JSON ``{"message": ...}`` body (a CBOR stream sends its own).
    ``code`` should name a member of the operation's event-stream shape (for ``SubscribeToShard``,
    e.g. ``ResourceNotFoundException``): botocore reads the message from the JSON payload only
    for modelled exceptions, and otherwise looks for ``:error-code``/``:error-message`` headers.

    Example::

        frame = exception("ResourceInUseException", "Another active subscription exists.")
    """
    if payload is None:
        payload = json.dumps({"message": message}).encode("utf-8")
    return encode_message(
        {":message-type": "exception", ":exception-type": code, ":content-type": content_type},
        payload,
    )
