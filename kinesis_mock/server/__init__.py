"""Server mode: the same mock as an HTTP endpoint, for the AWS CLI, other SDKs and other processes.

Needs the ``server`` extra (``pip install 'kinesis-mock[server]'``: hypercorn and cbor2); importing
kinesis_mock alone never imports them.
"""

from __future__ import annotations

import asyncio
import os
import threading
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .._activation import KinesisMock
    from ._runner import Endpoint

__all__ = ["KinesisServer"]


class KinesisServer:
    """A Kinesis endpoint on a background thread, answering from its own :class:`KinesisMock`.

    Example::

        with KinesisServer(port=0) as server:
            client = boto3.client("kinesis", endpoint_url=server.endpoint_url, region_name="us-east-1")
            client.create_stream(StreamName="orders", ShardCount=1)
            assert server.mock.backend.regions()

    ``port=0`` picks a free port; ``state`` names a file loaded at start if it exists and saved at
    stop (and every ``save_interval`` seconds); ``http2=True`` serves HTTP/2 (h2c) besides
    HTTP/1.1, with a slower HTTP/1.1 (see :mod:`._runner`); the other keyword arguments are
    :class:`KinesisMock`'s options. In-process clients that do not pass ``endpoint_url`` are not
    affected: the server's state is its own.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        state: str | os.PathLike[str] | None = None,
        save_interval: float | None = None,
        region_default: str = "us-east-1",
        http2: bool = False,
        **options: Any,
    ) -> None:
        from .._activation import mock_kinesis

        #: The server's mock: its backend is the server's state, and its controls act on it.
        self.mock: KinesisMock = mock_kinesis(**options)
        self._settings = (host, port, state, save_interval, region_default, http2)
        self._endpoint: Endpoint | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def __repr__(self) -> str:
        where = self.endpoint_url if self._thread is not None else "stopped"
        return f"<KinesisServer {where}>"

    @property
    def endpoint_url(self) -> str:
        """``http://host:port`` of the running server, for ``endpoint_url=`` or ``--endpoint-url``."""
        if self._endpoint is None or self._thread is None:
            raise RuntimeError("kinesis_mock: the server is not running; start() it first")
        return self._endpoint.endpoint_url

    def start(self) -> KinesisServer:
        """Bind, load the state file if any, and serve on a background thread."""
        if self._thread is not None:
            raise RuntimeError("kinesis_mock: this KinesisServer is already running")
        try:
            from ._runner import Endpoint
        except ImportError as error:
            raise ImportError(
                f"kinesis_mock: server mode needs the 'server' extra ({error.name} is missing); "
                "install it with: pip install 'kinesis-mock[server]'"
            ) from error
        endpoint = Endpoint(self.mock, *self._settings)
        endpoint.prepare()
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            self._loop = _new_loop()
            try:
                self._loop.run_until_complete(endpoint.run(lambda _: ready.set()))
            except BaseException as error:
                failure.append(error)
            finally:
                self._loop.close()
                ready.set()

        self._endpoint = endpoint
        self._thread = threading.Thread(target=run, name="kinesis-mock-server", daemon=True)
        self._thread.start()
        ready.wait()
        if failure:
            self._thread.join()
            self._thread = None
            raise failure[0]
        return self

    def stop(self) -> None:
        """Stop serving (live subscriptions end) and save the state file, if one is configured."""
        thread, endpoint, loop = self._thread, self._endpoint, self._loop
        if thread is None or endpoint is None or loop is None:
            raise RuntimeError("kinesis_mock: stop() was called on a KinesisServer that is not running")
        loop.call_soon_threadsafe(endpoint.request_stop)
        thread.join()
        self._thread = None
        self.mock._end_session()  # its faults end, and its advance() of the clock is undone

    def __enter__(self) -> KinesisServer:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def _new_loop() -> asyncio.AbstractEventLoop:
    try:
        import uvloop
    except ImportError:  # uvloop is not built for every platform (Windows)
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()
