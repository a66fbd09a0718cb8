"""aiobotocore (and aioboto3, built on it): the same in-process answers on the async client.

``AioBaseClient`` overrides ``BaseClient._make_api_call`` with a coroutine of its own, so the sync
wrapper never runs for it. This module wraps that coroutine the same way: the first call of a kinesis
client registers a ``before-call.kinesis`` handler on its emitter. aiobotocore's emitter awaits a
handler's result when it is awaitable (``AioHierarchicalEmitter._emit``), and its
``_make_api_call`` ends the call on a handler's ``(http_response, parsed)`` exactly as botocore's
does (aiobotocore/client.py, 2.x and 3.x), so nothing is signed or sent. The retry handler is asked
on the same async emitter, as aiobotocore's endpoint asks it (``AioEndpoint._needs_retry``).

``SubscribeToShard`` answers with aiobotocore's own ``AioEventStream`` (``async for event in
stream``) over the encoded frames. Waiting for the next event happens in a worker thread, so the
event loop keeps running the producers whose writes the subscription is waiting for.

Imported only when aiobotocore is installed (importing kinesis_mock never imports it).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from functools import partial
from typing import Any

from aiobotocore.awsrequest import AioAWSResponse
from aiobotocore.client import AioBaseClient
from aiobotocore.credentials import AioCredentials
from aiobotocore.eventstream import AioEventStream
from aiobotocore.parsers import AioEventStreamJSONParser
from aiobotocore.session import AioSession

from . import _fastpath, _hook, _protocol


class _State:
    original: Any = None


def install(answer: _hook.Answer) -> None:
    """Answer aiobotocore's kinesis clients from ``answer`` until :func:`_hook.uninstall`."""
    _State.original = _hook.patch(AioBaseClient, "_make_api_call", _make_api_call)
    _hook.patch(AioSession, "get_credentials", _get_credentials)


def uninstall() -> None:
    """Nothing of its own to undo: :func:`_hook.uninstall` removes the patches."""


async def _make_api_call(client: Any, operation_name: str, api_params: dict[str, Any]) -> Any:
    if client._service_model.service_name == "kinesis" and client.meta.events not in _hook._State.emitters:
        emitter = client.meta.events
        _hook.watch(emitter, _hook.CALL_EVENT, partial(_before_call, emitter))
        _fastpath.defer_bodies(client._serializer)
    return await _State.original(client, operation_name, api_params)


async def _get_credentials(session: Any) -> Any:
    # As the sync session's (see _hook._get_credentials): never walk the provider chain.
    if session._credentials is not None:
        return session._credentials
    return AioCredentials(_hook.FAKE_ACCESS_KEY, _hook.FAKE_SECRET_KEY, method="kinesis-mock")


async def _before_call(
    emitter: Any,
    model: Any,
    params: dict[str, Any],
    request_signer: Any,
    context: dict[str, Any],
    **_: Any,
) -> tuple[AioAWSResponse, dict[str, Any]] | None:
    answer = _hook._State.answer
    if answer is None:
        return None
    request = _hook.request_of(model, params, request_signer, context)
    exchange = _hook.answers(answer, model, params, request, AioAWSResponse, _Body)
    try:
        question = next(exchange)
        while True:
            question = exchange.send(await emitter.emit(**question))
    except StopIteration as done:
        outcome: _hook.Outcome = done.value
    if outcome is None or isinstance(outcome, tuple):
        return outcome
    return await _event_stream_reply(model, params["url"], outcome)


async def _event_stream_reply(model: Any, url: str, events: Any) -> tuple[AioAWSResponse, dict[str, Any]]:
    """aiobotocore's EventStream after the initial response, as its JSON parser hands it over
    (aiobotocore.parsers.AioJSONParser._handle_event_stream)."""
    metadata = _hook.event_stream_metadata()
    frames = _Frames(events)
    shape = model.output_shape.members["EventStream"]
    stream = AioEventStream(frames, shape, AioEventStreamJSONParser(), model.name)
    await stream.get_initial_response()
    http = AioAWSResponse(url, 200, metadata["HTTPHeaders"], frames)
    return http, {"EventStream": stream, "ResponseMetadata": metadata}


class _Frames:
    """A streaming event-stream body as aiobotocore reads it (``raw.content.iter_chunks()``, as
    from aiohttp); closing it ends the subscription behind it."""

    def __init__(self, events: Any) -> None:
        self._events = events
        self._frames = _protocol.event_frames(events)
        self.content = self

    async def iter_chunks(self) -> AsyncIterator[tuple[bytes, bool]]:
        # The first frame is the initial response, which never waits.
        yield next(self._frames), True
        while True:
            frame = await asyncio.to_thread(next, self._frames, None)
            if frame is None:
                return
            yield frame, True

    def close(self) -> None:
        self._events.close()


class _Body:
    """The raw body of a reply, encoded only if someone awaits ``http_response.content``."""

    def __init__(self, reply: _protocol.Reply) -> None:
        self._reply = reply

    async def read(self) -> bytes:
        return _protocol.encode(self._reply)
