"""The ASGI application: HTTP in, the shared protocol code, HTTP out.

Every request goes through the front door (:mod:`._front`), then :func:`kinesis_mock._protocol.handle`
against the server's backend, exactly as the in-process hook calls it; the reply is encoded by
``_protocol.encode`` (JSON) or as CBOR. Ordinary operations hold the backend's lock for
microseconds, so they run on the event loop. A SubscribeToShard event stream waits for records,
so its frames are produced on a worker thread, one at a time, and sent as they come (chunked
HTTP/1.1, or DATA frames over HTTP/2); when the client goes away the subscription is closed.
"""

from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from .. import _protocol
from . import _cbor, _front

if TYPE_CHECKING:
    from .._activation import KinesisMock

Scope = dict[str, Any]
Message = dict[str, Any]
_log = logging.getLogger("kinesis_mock.server")
# The largest request body accepted: a full PutRecords (10 MiB of data and keys) as base64 JSON
# is about 13.4 MiB. Kinesis answers a body over its limit with HTTP 413 (kinesalite
# test/connection.js, recorded against AWS; the body of that answer is not recorded).
MAX_BODY = 16 * 1024 * 1024


class App:
    """The Kinesis endpoint over ASGI, answering from ``mock.backend``."""

    def __init__(self, mock: KinesisMock, account: str | None, default_region: str) -> None:
        self.mock, self.account, self.default_region = mock, account, default_region
        # Each live subscription occupies one worker while it waits for records.
        self.workers = ThreadPoolExecutor(max_workers=256, thread_name_prefix="kinesis-mock-stream")

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
        elif scope["type"] == "http":
            await self._http(scope, receive, send)

    async def _http(self, scope: Scope, receive: Any, send: Any) -> None:
        started = time.perf_counter()
        headers = {
            name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]
        }
        body = await _read_body(receive, headers)
        if body is None:
            answer = _front.Response(413, _front.base_headers("origin" in headers))
            await _respond(send, answer)
            return self._log("-", 413, started)
        query = scope.get("query_string", b"").decode("latin-1")
        admitted = _front.admit(scope["method"], query, headers, body, self.default_region)
        if isinstance(admitted, _front.Response):
            await _respond(send, admitted)
            return self._log(headers.get("x-amz-target", "-"), admitted.status, started)
        request = admitted.request
        reply = _protocol.handle(self.mock.backend, request, self.account, self.mock._session)
        events = _protocol.event_source(reply)
        response_headers = _front.base_headers("origin" in headers)
        if events is not None:
            self._log(request.operation, 200, started)
            return await self._stream(send, receive, events, admitted.cbor, response_headers)
        if admitted.cbor:
            response_headers["content-type"] = _front.CBOR
            document = reply.result if reply.error is None else _protocol.error_document(reply.error)
            payload = _cbor.dumps(document)
        else:
            response_headers["content-type"] = _front.JSON
            payload = _protocol.encode(reply)
        await _respond(send, _front.Response(reply.status, response_headers, payload))
        self._log(request.operation, reply.status, started)

    async def _stream(
        self, send: Any, receive: Any, events: Any, cbor: bool, headers: dict[str, str]
    ) -> None:
        if cbor:
            frames = _protocol.event_frames(events, _cbor.dumps, _front.CBOR)
        else:
            frames = _protocol.event_frames(events)
        headers["content-type"] = _protocol.EVENT_STREAM_CONTENT_TYPE
        loop = asyncio.get_running_loop()
        gone = asyncio.ensure_future(_disconnected(receive))
        try:
            await send({"type": "http.response.start", "status": 200, "headers": _encode(headers)})
            while True:
                frame = loop.run_in_executor(self.workers, next, frames, None)
                await asyncio.wait((frame, gone), return_when=asyncio.FIRST_COMPLETED)
                if gone.done() or (await frame) is None:
                    break
                await send({"type": "http.response.body", "body": frame.result(), "more_body": True})
            if not gone.done():
                await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            # The client went away, the stream ended or the server is stopping: either way the
            # subscription is over, and a worker blocked waiting for records is released.
            events.close()
            gone.cancel()

    def _log(self, operation: str, status: int, started: float) -> None:
        if _log.isEnabledFor(logging.INFO):
            _log.info("%s %d %.1f ms", operation, status, (time.perf_counter() - started) * 1000)

    def close(self) -> None:
        """Release the worker threads (live subscriptions were closed with their connections)."""
        self.workers.shutdown(wait=False, cancel_futures=True)


async def _read_body(receive: Any, headers: dict[str, str]) -> bytes | None:
    """The whole request body, or ``None`` once it passes :data:`MAX_BODY` (read no further)."""
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        return None
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b""
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


async def _disconnected(receive: Any) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


async def _respond(send: Any, response: _front.Response) -> None:
    headers = dict(response.headers)
    headers["content-length"] = str(len(response.body))
    await send({"type": "http.response.start", "status": response.status, "headers": _encode(headers)})
    await send({"type": "http.response.body", "body": response.body})


def _encode(headers: dict[str, str]) -> list[tuple[bytes, bytes]]:
    return [(name.encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()]


async def _lifespan(receive: Any, send: Any) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
