"""The one place that touches botocore's client machinery, and boto3.

This module patches ``BaseClient``, registers event handlers, builds botocore's response objects
(``AWSResponse``, ``EventStream``) and swaps ``boto3.DEFAULT_SESSION``. The only other botocore
import is in ``_model``, which reads the kinesis service model (``service-2.json``) through
``botocore.loaders``; nothing else in the package imports botocore or boto3.

While a mock is active, ``BaseClient._make_api_call`` is wrapped: the first call of every kinesis
client (created before or after activation, even before ``import kinesis_mock``) registers one
``before-call.kinesis`` handler on that client's event emitter. botocore fires ``before-call``
after it has validated the parameters, serialized the JSON body and resolved the endpoint (the
ARN-routed ``{account}.control-kinesis...`` hosts and custom ``endpoint_url`` included) and before
it signs or sends anything; a handler that returns ``(http_response, parsed)`` ends the call there.
So no request is signed, no credential is read and no socket is opened, and the reply skips
botocore's HTTP and parsing layers, which is why a mocked call costs less than botocore answering
from a canned HTTP response.

The parsed reply is exactly what botocore would parse off the wire from :func:`_protocol.encode`'s
bytes (the tests check both paths against each other); ``WIRE = True`` makes the hook answer at
``before-send`` with those bytes instead, for such comparisons.

On stop the wrapper is removed, every registered handler is unregistered, and the environment and
``boto3.DEFAULT_SESSION`` are put back exactly as they were.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Callable, Iterator
from functools import cache, partial
from random import getrandbits
from typing import Any
from weakref import WeakSet

import boto3
from botocore.awsrequest import AWSResponse
from botocore.client import BaseClient
from botocore.eventstream import EventStream
from botocore.hooks import first_non_none_response
from botocore.parsers import EventStreamJSONParser

from . import _clock, _model, _protocol, _sessions

# ``None``: the mock stopped while the call was on its way; it goes on as without the mock.
Answer = Callable[[_protocol.Request], _protocol.Reply | None]

WIRE = False
_UNIQUE_ID = "kinesis_mock"
_CALL_EVENT = "before-call.kinesis"
_SEND_EVENT = "before-send.kinesis"
# The request-dict key under which a client's serializer notes its input (see _record_parameters).
_PARAMETERS = "kinesis_mock_parameters"
# While active, clients read these instead of any real credentials or profile (the environment
# provider comes first in botocore's chain, so nothing else is consulted, IMDS included).
_FAKE_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "KINESISMOCKACCESSKEY",
    "AWS_SECRET_ACCESS_KEY": "kinesis-mock-secret-access-key",
}
_CLEARED_ENVIRONMENT = ("AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN")
_DEFAULT_REGION = "us-east-1"


class _State:
    answer: Answer | None = None
    event: str = _CALL_EVENT
    original: Any = None
    emitters: WeakSet[Any] = WeakSet()
    serializers: WeakSet[Any] = WeakSet()
    saved_environment: dict[str, str | None] = {}
    saved_session: Any = None


def install(answer: Answer) -> None:
    """Route every kinesis call to ``answer`` until :func:`uninstall`."""
    _State.answer = answer
    _State.event = _SEND_EVENT if WIRE else _CALL_EVENT
    _State.original = BaseClient.__dict__["_make_api_call"]
    BaseClient._make_api_call = _make_api_call
    _isolate()
    _sessions.install()


def uninstall() -> None:
    """Undo :func:`install`: botocore, boto3 and the environment are as they were before."""
    try:
        for emitter in list(_State.emitters):
            emitter.unregister(_State.event, unique_id=_UNIQUE_ID)
        _State.emitters = WeakSet()
        for serializer in list(_State.serializers):
            del serializer.serialize_to_request
        _State.serializers = WeakSet()
        BaseClient._make_api_call = _State.original
    finally:
        _State.answer = None
        _sessions.uninstall()
        _restore()


def _make_api_call(client: Any, operation_name: str, api_params: dict[str, Any]) -> Any:
    if client._service_model.service_name == "kinesis":
        emitter = client.meta.events
        if emitter not in _State.emitters:
            if _State.event == _SEND_EVENT:
                emitter.register(_SEND_EVENT, _before_send, unique_id=_UNIQUE_ID)
            else:
                emitter.register(_CALL_EVENT, partial(_before_call, emitter), unique_id=_UNIQUE_ID)
                _record_parameters(client._serializer)
            _State.emitters.add(emitter)
    return _State.original(client, operation_name, api_params)


def _record_parameters(serializer: Any) -> None:
    """Have the client's serializer note, in the request it makes, the parameters it made it from
    and the body it wrote: ``before-call`` then reads the caller's own values (no JSON or base64
    to decode) unless a handler has replaced the body since, when it reads the body."""
    original = serializer.serialize_to_request

    def serialize_to_request(parameters: Any, operation_model: Any) -> Any:
        request = original(parameters, operation_model)
        request[_PARAMETERS] = (parameters, request["body"])
        return request

    serializer.serialize_to_request = serialize_to_request
    _State.serializers.add(serializer)


def _before_call(
    emitter: Any,
    model: Any,
    params: dict[str, Any],
    request_signer: Any,
    context: dict[str, Any],
    **_: Any,
) -> tuple[AWSResponse, dict[str, Any]] | None:
    answer = _State.answer
    if answer is None:
        return None
    body = params["body"]
    recorded = params.get(_PARAMETERS)
    request = _protocol.Request(
        model.name,
        body if isinstance(body, bytes) else body.encode(),
        context.get("client_region") or _DEFAULT_REGION,
        _access_key(request_signer),
        params=recorded[0] if recorded is not None and recorded[1] is body else None,
    )
    attempts = 1
    while True:
        reply = answer(request)
        if reply is None:
            return None
        metadata = _metadata(reply.status)
        http = AWSResponse(params["url"], reply.status, metadata["HTTPHeaders"], _Body(reply))
        events = _protocol.event_source(reply)
        if events is not None:
            return _event_stream_reply(model, params["url"], events, metadata)
        if reply.error is None:
            parsed = {**(reply.result or {}), "ResponseMetadata": metadata}
        else:
            parsed = _parsed_error(reply, metadata)
        # Ask this client's retry handler, as its endpoint does after every response, so
        # retryable errors (LimitExceededException, throttling, 5xx) are retried as configured
        # and RetryAttempts/MaxAttemptsReached come out as against AWS. The mock does not sleep
        # the backoff: its answers do not get better with waiting.
        delay = first_non_none_response(
            emitter.emit(
                f"needs-retry.kinesis.{model.name}",
                response=(http, parsed),
                endpoint=None,
                operation=model,
                attempts=attempts,
                caught_exception=None,
                request_dict=params,
            )
        )
        if delay is None:
            metadata["RetryAttempts"] = attempts - 1
            return http, parsed
        attempts += 1


def _before_send(request: Any, **_: Any) -> AWSResponse | None:
    answer = _State.answer
    if answer is None:
        return None
    reply = answer(
        _protocol.from_http(
            request.headers.get("X-Amz-Target", b""),
            request.body or b"",
            request.headers.get("Authorization", b""),
            _DEFAULT_REGION,
        )
    )
    if reply is None:
        return None
    headers = _metadata(reply.status)["HTTPHeaders"]
    events = _protocol.event_source(reply)
    if events is not None:
        headers["content-type"] = _protocol.EVENT_STREAM_CONTENT_TYPE
        return AWSResponse(request.url, 200, headers, _Frames(events))
    body = _protocol.encode(reply)
    headers["content-length"] = str(len(body))
    return AWSResponse(request.url, reply.status, headers, _Body(reply, body))


def _event_stream_reply(
    model: Any, url: str, events: Any, metadata: dict[str, Any]
) -> tuple[AWSResponse, dict[str, Any]]:
    """botocore's own EventStream over the encoded frames, after the initial response, as its
    JSON parser hands it over (botocore.parsers.BaseJSONParser._handle_event_stream)."""
    metadata["HTTPHeaders"]["content-type"] = _protocol.EVENT_STREAM_CONTENT_TYPE
    frames = _Frames(events)
    shape = model.output_shape.members["EventStream"]
    stream = EventStream(frames, shape, EventStreamJSONParser(), model.name)
    stream.get_initial_response()
    http = AWSResponse(url, 200, metadata["HTTPHeaders"], frames)
    return http, {"EventStream": stream, "ResponseMetadata": metadata}


class _Frames:
    """A streaming event-stream body; closing it ends the subscription behind it."""

    def __init__(self, events: Any) -> None:
        self._events = events
        self._frames = _protocol.event_frames(events)

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield from self._frames

    def close(self) -> None:
        self._events.close()


def _access_key(signer: Any) -> str | None:
    # Read the key without touching the ``access_key`` property of refreshable credentials,
    # which may refresh them over the network.
    credentials = getattr(signer, "_credentials", None)
    if credentials is None:
        return None
    fields = vars(credentials)
    key = fields.get("access_key", fields.get("_access_key"))
    return key if isinstance(key, str) else None


def _metadata(status: int) -> dict[str, Any]:
    request_id = _request_id()
    headers = {
        "x-amzn-requestid": request_id,
        "x-amz-id-2": base64.b64encode(getrandbits(576).to_bytes(72, "big")).decode(),
        "date": _clock.http_date(_clock.now_ms()),
        "content-type": _protocol.CONTENT_TYPE,
    }
    return {
        "RequestId": request_id,
        "HTTPStatusCode": status,
        "HTTPHeaders": headers,
        "RetryAttempts": 0,
    }


def _request_id() -> str:
    """A random (version 4) UUID, as AWS's request ids are, in a third of ``uuid.uuid4``'s time
    (the ids need to be unique, not unpredictable: ``random`` is reseeded in forked children)."""
    digits = f"{getrandbits(128):032x}"
    variant = "89ab"[int(digits[16], 16) & 3]
    return f"{digits[:8]}-{digits[8:12]}-4{digits[13:16]}-{variant}{digits[17:20]}-{digits[20:]}"


def _parsed_error(reply: _protocol.Reply, metadata: dict[str, Any]) -> dict[str, Any]:
    error = reply.error
    assert error is not None
    parsed: dict[str, Any] = {
        "Error": {"Message": error.message or "", "Code": error.code},
        "ResponseMetadata": metadata,
    }
    # botocore copies the members of a modeled error shape (Kinesis's have ``message``) to the top
    # level (botocore.endpoint.Endpoint._add_modeled_error_fields).
    if error.message is not None and error.code in _modeled_error_codes():
        parsed["message"] = error.message
    return parsed


@cache
def _modeled_error_codes() -> frozenset[str]:
    shapes = _model.service_model()["shapes"]
    return frozenset(name for name, shape in shapes.items() if shape.get("exception"))


class _Body:
    """The raw body of a reply, encoded only if someone reads ``http_response.content``."""

    def __init__(self, reply: _protocol.Reply, body: bytes | None = None) -> None:
        self._reply = reply
        self._body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        if self._body is None:
            self._body = _protocol.encode(self._reply)
        yield self._body


def _isolate() -> None:
    saved = {name: os.environ.get(name) for name in (*_FAKE_ENVIRONMENT, *_CLEARED_ENVIRONMENT)}
    if not (os.environ.get("AWS_DEFAULT_REGION") or os.environ.get("AWS_REGION")):
        saved["AWS_DEFAULT_REGION"] = os.environ.get("AWS_DEFAULT_REGION")
        os.environ["AWS_DEFAULT_REGION"] = _DEFAULT_REGION
    _State.saved_environment = saved
    os.environ.update(_FAKE_ENVIRONMENT)
    for name in _CLEARED_ENVIRONMENT:
        os.environ.pop(name, None)
    # Clients made through boto3.client() during the mock get a fresh default session, so the
    # caller's own session never caches the mock's credentials.
    _State.saved_session = boto3.DEFAULT_SESSION
    boto3.DEFAULT_SESSION = None


def _restore() -> None:
    for name, value in _State.saved_environment.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    _State.saved_environment = {}
    boto3.DEFAULT_SESSION = _State.saved_session
    _State.saved_session = None
