"""The one place that touches botocore's client machinery, and boto3.

This module patches ``BaseClient`` and ``Session``, registers event handlers, builds botocore's
response objects (``AWSResponse``, ``EventStream``) and swaps ``boto3.DEFAULT_SESSION``. The other
botocore imports are ``_model``'s, which reads the kinesis service model (``service-2.json``)
through ``botocore.loaders``, and those of the two client-library hooks it loads (``_aiohook`` for
aiobotocore, ``_requests_hook`` for requests).

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

While active, a session that has no credentials of its own hands out the mock's fake ones instead of
walking botocore's provider chain (so no lookup leaves the process: no IMDS, no container endpoint,
no SSO), and a missing region defaults to us-east-1. Neither touches ``os.environ``: moto patches the
environment with ``mock.patch.dict`` and puts back its snapshot on stop, so anything the mock wrote
there would outlive it (or vanish under it) whenever the two stop out of order.

aiobotocore clients (aioboto3's too) are answered the same way by :mod:`._aiohook`, and ``requests``
callers by :mod:`._requests_hook`, each when its library is installed.

On stop every patch is removed, every registered handler is unregistered, and
``boto3.DEFAULT_SESSION`` is put back as it was.
"""

from __future__ import annotations

import base64
import importlib
import importlib.util
from collections.abc import Callable, Generator, Iterator
from functools import cache, partial
from random import getrandbits
from typing import Any
from weakref import WeakKeyDictionary

import boto3
from botocore.awsrequest import AWSResponse
from botocore.client import BaseClient
from botocore.credentials import Credentials
from botocore.eventstream import EventStream
from botocore.hooks import first_non_none_response
from botocore.parsers import EventStreamJSONParser
from botocore.session import Session

from . import _clock, _fastpath, _model, _outputs, _protocol, _sessions

# ``None``: the mock stopped while the call was on its way; it goes on as without the mock.
Answer = Callable[[_protocol.Request], _protocol.Reply | None]
# What :func:`answers` ends on: ``(http_response, parsed)``, a SubscribeToShard reply's event
# source, or ``None`` (the mock stopped).
Outcome = tuple[Any, dict[str, Any]] | Any | None

WIRE = False
_UNIQUE_ID = "kinesis_mock"
CALL_EVENT = "before-call.kinesis"
_SEND_EVENT = "before-send.kinesis"
# What a session without credentials of its own gets while the mock is active.
FAKE_ACCESS_KEY = "KINESISMOCKACCESSKEY"
FAKE_SECRET_KEY = "kinesis-mock-secret-access-key"
DEFAULT_REGION = "us-east-1"
# Client libraries answered by a module of their own, each patched only where it is installed
# (module, the distributions it needs).
_EXTENSIONS = (
    ("kinesis_mock._aiohook", ("aiobotocore",)),
    ("kinesis_mock._requests_hook", ("requests", "responses")),
)


class _State:
    answer: Answer | None = None
    original: Any = None
    original_config: Any = None
    patches: list[tuple[Any, str, Any]] = []
    emitters: WeakKeyDictionary[Any, str] = WeakKeyDictionary()
    extensions: list[Any] = []
    saved_session: Any = None


def install(answer: Answer) -> None:
    """Route every kinesis call to ``answer`` until :func:`uninstall`."""
    _State.answer = answer
    _State.original = patch(BaseClient, "_make_api_call", _make_api_call)
    patch(Session, "get_credentials", _get_credentials)
    _State.original_config = patch(Session, "get_config_variable", _get_config_variable)
    # Clients made through boto3.client() during the mock get a fresh default session, so the
    # caller's own session is never handed to the mock (nor the mock's clients to the caller).
    _State.saved_session = boto3.DEFAULT_SESSION
    boto3.DEFAULT_SESSION = None
    _State.extensions = [importlib.import_module(name) for name in _installed_extensions()]
    for extension in _State.extensions:
        extension.install(answer)
    _sessions.install()


def uninstall() -> None:
    """Undo :func:`install`: botocore, boto3 and the client libraries are as they were before."""
    try:
        for extension in reversed(_State.extensions):
            extension.uninstall()
        for emitter, event in list(_State.emitters.items()):
            emitter.unregister(event, unique_id=_UNIQUE_ID)
        _State.emitters = WeakKeyDictionary()
        _fastpath.undo()
    finally:
        _State.answer = None
        _State.extensions = []
        _sessions.uninstall()
        while _State.patches:
            owner, name, original = _State.patches.pop()
            setattr(owner, name, original)
        boto3.DEFAULT_SESSION = _State.saved_session
        _State.saved_session = None


def patch(owner: Any, name: str, replacement: Any) -> Any:
    """Replace ``owner.name`` until :func:`uninstall`; returns what was there."""
    original = owner.__dict__[name]
    _State.patches.append((owner, name, original))
    setattr(owner, name, replacement)
    return original


def watch(emitter: Any, event: str, handler: Any) -> None:
    """Register ``handler`` for ``event`` on a client's emitter, once per emitter."""
    if emitter not in _State.emitters:
        emitter.register(event, handler, unique_id=_UNIQUE_ID)
        _State.emitters[emitter] = event


@cache
def _installed_extensions() -> tuple[str, ...]:
    return tuple(
        module
        for module, needs in _EXTENSIONS
        if all(importlib.util.find_spec(distribution) is not None for distribution in needs)
    )


def _make_api_call(client: Any, operation_name: str, api_params: dict[str, Any]) -> Any:
    if client._service_model.service_name == "kinesis" and client.meta.events not in _State.emitters:
        emitter = client.meta.events
        if WIRE:
            watch(emitter, _SEND_EVENT, _before_send)
        else:
            watch(emitter, CALL_EVENT, partial(_before_call, emitter))
            _fastpath.speed_up(client)
    return _State.original(client, operation_name, api_params)


def _get_credentials(session: Any) -> Any:
    # A session's own credentials (given to it, or loaded before the mock started) are kept: a
    # 12-digit access key among them selects the account. Otherwise botocore would walk its
    # provider chain, which ends on the network (IMDS).
    if session._credentials is not None:
        return session._credentials
    return Credentials(FAKE_ACCESS_KEY, FAKE_SECRET_KEY, method="kinesis-mock")


def _get_config_variable(session: Any, logical_name: str, methods: Any = None) -> Any:
    value = _State.original_config(session, logical_name, methods)
    return DEFAULT_REGION if value is None and logical_name == "region" else value


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
    request = request_of(model, params, request_signer, context)
    exchange = answers(answer, model, params, request, AWSResponse, _Body)
    try:
        question = next(exchange)
        while True:
            question = exchange.send(emitter.emit(**question))
    except StopIteration as done:
        outcome: Outcome = done.value
    if outcome is None or isinstance(outcome, tuple):
        return outcome
    return _event_stream_reply(model, params["url"], outcome)


def answers(
    answer: Answer,
    model: Any,
    params: dict[str, Any],
    request: _protocol.Request,
    response_class: Any,
    body_class: Any,
) -> Generator[dict[str, Any], list[Any], Outcome]:
    """One call's answers, the client's retry handler asked after each (sans-IO, for the sync and
    the async hook alike): yields the ``needs-retry`` event to emit (:func:`retry_question`) and is
    sent the emitter's responses to it. Returns the reply botocore's endpoint would return, the
    event source of a SubscribeToShard reply, or ``None`` if the mock stopped meanwhile."""
    attempts = 1
    while True:
        reply = answer(request)
        if reply is None:
            return None
        events = _protocol.event_source(reply)
        if events is not None:
            return events
        http, parsed = reply_pair(model, params["url"], reply, response_class, body_class)
        if first_non_none_response((yield retry_question(model, params, http, parsed, attempts))) is None:
            parsed["ResponseMetadata"]["RetryAttempts"] = attempts - 1
            return http, parsed
        attempts += 1


def request_of(model: Any, params: dict[str, Any], signer: Any, context: dict[str, Any]) -> _protocol.Request:
    """The request botocore would send, from what ``before-call`` hands its handlers."""
    region = context.get("client_region") or DEFAULT_REGION
    if isinstance(params, _fastpath.Deferred) and params.unchanged():
        return _protocol.Request(model.name, b"", region, _access_key(signer), params=params.parameters)
    body = params["body"]
    return _protocol.Request(
        model.name, body if isinstance(body, bytes) else body.encode(), region, _access_key(signer)
    )


def reply_pair(
    model: Any, url: str, reply: _protocol.Reply, response_class: Any, body_class: Any
) -> tuple[Any, dict[str, Any]]:
    """``(http_response, parsed)`` as botocore's endpoint returns them for ``reply``."""
    metadata = _metadata(reply.status)
    http = response_class(url, reply.status, metadata["HTTPHeaders"], body_class(reply))
    if reply.error is None:
        parsed = {**_outputs.shaped(model.name, reply.result or {}), "ResponseMetadata": metadata}
    else:
        parsed = _parsed_error(reply, metadata)
    return http, parsed


def retry_question(
    model: Any, params: dict[str, Any], http: Any, parsed: dict[str, Any], attempts: int
) -> dict[str, Any]:
    """The ``needs-retry`` event a client's endpoint emits after a response.

    Asking the client's retry handler, as its endpoint does after every response, retries
    retryable errors (LimitExceededException, throttling, 5xx) as configured, and RetryAttempts/
    MaxAttemptsReached come out as against AWS. The mock does not sleep the backoff: its answers do
    not get better with waiting.
    """
    return {
        "event_name": f"needs-retry.kinesis.{model.name}",
        "response": (http, parsed),
        "endpoint": None,
        "operation": model,
        "attempts": attempts,
        "caught_exception": None,
        "request_dict": params,
    }


def _before_send(request: Any, **_: Any) -> AWSResponse | None:
    answer = _State.answer
    if answer is None:
        return None
    reply = answer(
        _protocol.from_http(
            request.headers.get("X-Amz-Target", b""),
            request.body or b"",
            request.headers.get("Authorization", b""),
            DEFAULT_REGION,
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


def _event_stream_reply(model: Any, url: str, events: Any) -> tuple[AWSResponse, dict[str, Any]]:
    """botocore's own EventStream over the encoded frames, after the initial response, as its
    JSON parser hands it over (botocore.parsers.BaseJSONParser._handle_event_stream)."""
    metadata = event_stream_metadata()
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


def event_stream_metadata() -> dict[str, Any]:
    """The ``ResponseMetadata`` of a SubscribeToShard reply."""
    metadata = _metadata(200)
    metadata["HTTPHeaders"]["content-type"] = _protocol.EVENT_STREAM_CONTENT_TYPE
    return metadata


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
