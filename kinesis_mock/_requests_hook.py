"""``requests`` callers (and anything built on requests), answered through ``responses``.

While a mock is active, a ``responses.RequestsMock`` answers JSON 1.1 POSTs to Kinesis endpoints
from the same backend: ``kinesis.{region}.amazonaws.com``, ``{account}.control-kinesis.{region}
.amazonaws.com``, ``{account}.data-kinesis.{region}.amazonaws.com`` (``.amazonaws.com.cn`` too), and
``$AWS_ENDPOINT_URL_KINESIS`` when set at start. The region and the access key id come from the SigV4
credential scope of the ``Authorization`` header, as AWS reads them.

Everything else passes through to whatever ``HTTPAdapter.send`` was when the mock started: the
network, or a user's own ``responses`` mock started before ours, which so keeps answering. A user's
mock started inside ours patches over it and answers first, as responses mocks nest.

Imported only when both requests and responses are installed (the ``requests`` extra).
"""

from __future__ import annotations

import itertools
import os
import re
from typing import Any

import requests
import responses
from requests.adapters import HTTPAdapter

from . import _hook, _protocol

_AWS_HOSTS = re.compile(
    r"https?://(?:\d{12}\.(?:control|data)-)?kinesis(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?(?::\d+)?/"
)
_ENDPOINT_ENV = "AWS_ENDPOINT_URL_KINESIS"


class _State:
    mock: responses.RequestsMock | None = None


def install(answer: _hook.Answer) -> None:
    """Answer Kinesis requests made with requests from ``answer`` until :func:`uninstall`."""
    # Not responses' own saved copy: whatever answers requests now (a user's mock, or the network).
    current: Any = HTTPAdapter.send
    mock = responses.RequestsMock(assert_all_requests_are_fired=False, real_adapter_send=current)
    callback = _callback(answer)
    mock.add_callback(responses.POST, _AWS_HOSTS, callback=callback, content_type=None)
    endpoint = os.environ.get(_ENDPOINT_ENV)
    if endpoint:
        mock.add_callback(
            responses.POST,
            re.compile(re.escape(endpoint.rstrip("/")) + "/?$"),
            callback=callback,
            content_type=None,
        )
    mock.add_passthru(re.compile(".*"))
    mock.start()
    _State.mock = mock


def uninstall() -> None:
    """Stop answering; ``HTTPAdapter.send`` is as it was before :func:`install`."""
    mock, _State.mock = _State.mock, None
    if mock is not None:
        mock.stop(allow_assert=False)


def _callback(answer: _hook.Answer) -> Any:
    def respond(request: Any) -> tuple[int, dict[str, str], bytes]:
        body = request.body or b""
        reply = answer(
            _protocol.from_http(
                request.headers.get("X-Amz-Target", ""),
                body.encode() if isinstance(body, str) else body,
                request.headers.get("Authorization", ""),
                _hook.DEFAULT_REGION,
            )
        )
        if reply is None:
            # The mock stopped while this request was on its way; it is not the mock's to answer.
            raise requests.ConnectionError("kinesis_mock: the mock stopped during this request")
        headers = _hook.event_stream_metadata()["HTTPHeaders"]
        events = _protocol.event_source(reply)
        if events is not None:
            # responses buffers the whole body; a SubscribeToShard over requests gets the events
            # that are there when it is answered (the subscription is closed after one batch).
            return 200, headers, _first_frames(events)
        headers["content-type"] = _protocol.CONTENT_TYPE
        return reply.status, headers, _protocol.encode(reply)

    return respond


def _first_frames(events: Any) -> bytes:
    try:
        return b"".join(itertools.islice(_protocol.event_frames(events), 2))
    finally:
        events.close()
