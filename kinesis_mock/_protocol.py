"""The AWS JSON 1.1 wire format: request -> call; result or error -> reply.

Kinesis speaks JSON 1.1 (``X-Amz-Target: Kinesis_20131202.<Operation>``, ``Content-Type:
application/x-amz-json-1.1``). Blobs travel as base64 and timestamps as epoch seconds with a
millisecond fraction; errors are ``{"__type": code, "message": text}`` with HTTP 400, server faults
``{"__type": "InternalFailure"}`` with HTTP 500. Nothing here knows botocore: the in-process hook,
an aiobotocore hook or an HTTP server hand a :class:`Request` to :func:`handle` and render the
:class:`Reply` it returns.
"""

from __future__ import annotations

import base64
import datetime
import json
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from . import _eventstream, _model
from ._controls import Call as Recorded
from ._controls import Controls
from .backend import Backend
from .errors import (
    InternalFailure,
    KinesisError,
    NotImplementedOperation,
    SerializationException,
    UnknownOperationException,
)
from .operations import HANDLERS, Call, Result, dispatch

TARGET_PREFIX = "Kinesis_20131202."
CONTENT_TYPE = "application/x-amz-json-1.1"
EVENT_STREAM_CONTENT_TYPE = "application/vnd.amazon.eventstream"
DEFAULT_ACCOUNT = "123456789012"
_ACCOUNT_ID = re.compile(r"\d{12}")
# SigV4: "AWS4-HMAC-SHA256 Credential=<access key>/<date>/<region>/kinesis/aws4_request, ..."
_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/\d{8}/([^/,\s]+)/")
_log = logging.getLogger("kinesis_mock")
_new_tuple = tuple.__new__


@dataclass(slots=True)
class Request:
    """One request as it arrived: operation name, raw JSON body, client region, access key id.

    ``document`` is the body already decoded to JSON values, when a server had to read it first
    (to answer in AWS's order of checks, or because it came as CBOR); the body is then not read.
    ``params`` are the parameters the body was (or would be) serialized from, when the in-process
    hook found them plainly valid (see :mod:`._native`) and nothing changed the request since:
    they are the call's, and the body is not read (the hook leaves it empty).
    """

    operation: str
    body: bytes
    region: str
    access_key: str | None = None
    document: Any = None
    params: Any = None


@dataclass(slots=True)
class Reply:
    """The answer to a request: a result (Python values) or an error, and its HTTP status."""

    status: int
    result: Result | None = None
    error: KinesisError | None = None


def from_http(target: str | bytes, body: bytes, authorization: str | bytes, default_region: str) -> Request:
    """A request from its HTTP parts: ``X-Amz-Target``, body and the SigV4 ``Authorization``.

    The region and access key id come from the signature's credential scope, as AWS reads them.
    """
    target = target.decode() if isinstance(target, bytes) else target
    authorization = authorization.decode() if isinstance(authorization, bytes) else authorization
    operation = target.removeprefix(TARGET_PREFIX) if target.startswith(TARGET_PREFIX) else ""
    scope = _CREDENTIAL.search(authorization)
    if scope is None:
        return Request(operation, body, default_region)
    return Request(operation, body, scope.group(2), scope.group(1))


def account_for(request: Request, account_id: str | None) -> str:
    """The calling account: the configured one, else a 12-digit access key id, else the default."""
    if account_id is not None:
        return account_id
    key = request.access_key
    if key is not None and _ACCOUNT_ID.fullmatch(key):
        return key
    return DEFAULT_ACCOUNT


def _not_json(literal: str) -> Any:
    raise ValueError(f"{literal} is not JSON")


# Kinesis reads bodies as strict JSON (RFC 8259): NaN, Infinity and -Infinity, which Python's
# parser accepts, are not JSON, so a body holding them is one Kinesis cannot read.
_DECODER = json.JSONDecoder(parse_constant=_not_json)
_BRACKETS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')
# Deeper than any shape of the model: what is nested below this is never a valid value.
_KEPT_DEPTH = 32


def parse_json(body: bytes) -> Any:
    """The JSON value of a request body; ``ValueError`` if it is not strict JSON.

    Python's parser recurses once per level of nesting, so a body nested about a thousand deep
    exhausts the stack although it is JSON. No member of the model is nested more than a few
    levels, so such a body is read with its too-deep parts cut off (replaced by ``null``): the
    model check then refuses it at the first level that has the wrong type, in the same words as
    a shallow one.
    """
    text = body.decode()
    try:
        return _DECODER.decode(text)
    except RecursionError:
        return _DECODER.decode(_cut_below(text, _KEPT_DEPTH))


def _cut_below(text: str, depth: int) -> str:
    """``text`` with every array or object nested deeper than ``depth`` replaced by ``null``."""
    kept: list[str] = []
    level, resume = 0, 0
    for token in _BRACKETS.finditer(text):
        bracket = token.group()
        if bracket in ("[", "{"):
            level += 1
            if level == depth + 1:
                kept.append(text[resume : token.start()])
        elif bracket in ("]", "}"):
            if level == depth + 1:
                kept.append("null")
                resume = token.end()
            level -= 1
    if level <= depth:  # else the text ends inside a cut part: what is kept does not parse either
        kept.append(text[resume:])
    return "".join(kept)


def decode(request: Request, account_id: str | None) -> Call:
    """Check the body against the model and build the call (AWS's errors for bad input)."""
    if request.operation not in _model.service_model()["operations"]:
        raise UnknownOperationException()
    if request.operation not in HANDLERS:
        # An operation of a newer botocore than the mock knows: say so, before its input (whose
        # shapes may be new too) is looked at.
        raise NotImplementedOperation.operation(
            operation=request.operation, available=", ".join(sorted(HANDLERS))
        )
    if request.params is not None:
        return Call(request.operation, request.params, account_for(request, account_id), request.region)
    body = request.document
    if body is None:
        if not request.body:
            raise SerializationException()
        try:
            body = parse_json(request.body)
        except ValueError:
            raise SerializationException() from None
    params = _model.request_checker(request.operation)(body)
    return Call(request.operation, params, account_for(request, account_id), request.region)


def handle(
    backend: Backend, request: Request, account_id: str | None = None, controls: Controls | None = None
) -> Reply:
    """Answer one request from ``backend``. Never raises: every failure is an AWS-shaped reply.

    With ``controls`` (the test controls of the mock answering), its faults are injected and the
    call is recorded in its ``calls``."""
    call: Call | None = None
    try:
        call = decode(request, account_id)
        if controls is not None and controls.faults:
            controls.inject(backend, call)
        reply = Reply(200, dispatch(backend, call))
    except KinesisError as error:
        reply = Reply(error.status, error=error)
    except Exception:
        # A bug of the mock, not of the caller: answer as Kinesis answers a server fault, and
        # keep the traceback in the log so that it can be reported.
        _log.exception("kinesis_mock: %s failed", request.operation)
        reply = Reply(500, error=InternalFailure())
    if controls is not None:
        code = None if reply.error is None else reply.error.code
        if call is not None:
            # tuple.__new__ skips the named tuple's Python-level __new__: half the cost of
            # recording, which every call pays.
            record = _new_tuple(Recorded, (call.operation, call.params, code, call.account, call.region))
        else:
            account = account_for(request, account_id)
            record = Recorded(request.operation, _as_sent(request), code, account, request.region)
        controls.calls.append(record)
    return reply


def _as_sent(request: Request) -> dict[str, Any]:
    """The JSON body of a request refused before its parameters were read, or ``{}``."""
    body = request.document
    if body is None:
        try:
            body = parse_json(request.body)
        except ValueError:
            return {}
    return body if isinstance(body, dict) else {}


def encode(reply: Reply) -> bytes:
    """The JSON body of ``reply`` as Kinesis sends it."""
    if reply.error is None:
        return json.dumps(reply.result, default=_wire_value, separators=(",", ":")).encode()
    return json.dumps(error_document(reply.error), separators=(",", ":")).encode()


def error_document(error: KinesisError) -> dict[str, str]:
    """The members of an error body, whatever it is encoded in (JSON or CBOR)."""
    body = {"__type": error.code}
    if error.message is not None:
        # SerializationException alone spells the key with a capital M (kinesalite
        # validations/index.js, recorded against AWS); botocore reads either spelling.
        key = "Message" if isinstance(error, SerializationException) else "message"
        body[key] = error.message
    return body


def event_source(reply: Reply) -> Any:
    """The events of an event-stream reply (SubscribeToShard), or ``None`` for any other reply."""
    if reply.error is None and reply.result is not None:
        return reply.result.get("EventStream")
    return None


def event_frames(
    events: Iterable[tuple[str, Any]],
    payload: Callable[[Any], bytes] | None = None,
    content_type: str = "application/json",
) -> Iterator[bytes]:
    """An event-stream body: ``initial-response`` first (botocore requires it), then one message
    per event; an error that arises while streaming is sent as an exception message, last.

    Payloads are JSON unless ``payload`` encodes them otherwise (a server answering CBOR)."""
    encode_payload = payload or _json_payload
    yield _eventstream.event("initial-response", encode_payload({}), content_type)
    for kind, event in events:
        if kind == "error":
            message = event.message or ""
            body = encode_payload({"message": message})
            yield _eventstream.exception(event.code, message, body, content_type)
            return
        yield _eventstream.event(kind, encode_payload(event), content_type)


def _json_payload(value: Any) -> bytes:
    return json.dumps(value, default=_wire_value, separators=(",", ":")).encode()


def _wire_value(value: Any) -> Any:
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, datetime.datetime):
        return round(value.timestamp(), 3)
    raise TypeError(f"kinesis_mock: cannot put {type(value).__name__} on the wire")
