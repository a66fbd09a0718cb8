"""Running the endpoint on an asyncio loop, with snapshots on start, stop and every N seconds.

Two established ASGI servers serve the one application, chosen by ``http2``:

- uvicorn with httptools (the default): HTTP/1.1 only, with a C parser. An HTTP round trip costs
  well under kinesalite's, which matters to tests that make thousands of calls.
- hypercorn (``http2=True``): HTTP/1.1 and HTTP/2 on the same port, including h2c with prior
  knowledge on a plain socket, which the AWS SDKs for Java v2 and JavaScript v3 use for
  SubscribeToShard. Its pure-Python HTTP/1.1 costs about 1 ms more per request.

The same coroutine runs in a background thread for :class:`KinesisServer` and on the main thread
for ``kinesis-mock serve``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import uvicorn

from .._activation import ACCOUNT_ENV, KinesisMock
from .._options import check_account
from ._app import App

_log = logging.getLogger("kinesis_mock.server")


class Endpoint:
    """One server: its mock (which owns the backend), its address and its state file."""

    def __init__(
        self,
        mock: KinesisMock,
        host: str,
        port: int,
        state: str | os.PathLike[str] | None,
        save_interval: float | None,
        region_default: str,
        http2: bool,
    ) -> None:
        account = mock.account_id
        if account is None and os.environ.get(ACCOUNT_ENV):
            account = check_account(os.environ[ACCOUNT_ENV], ACCOUNT_ENV)
        self.mock, self.state, self.save_interval = mock, state, save_interval
        self.app = App(mock, account, region_default)
        self.host, self.port, self.http2 = host, port, http2
        self._stop: Callable[[], None] | None = None

    def prepare(self) -> None:
        """The mock's own backend, loaded from the state file when there is one."""
        self.mock._own_backend()
        if self.state is not None and Path(self.state).exists():
            self.mock.load(self.state)

    @property
    def endpoint_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    async def run(self, ready: Callable[[str], None]) -> None:
        """Serve until :meth:`request_stop`; save the state at the end when a file is configured."""
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self.port))
            sock.listen(2048)
            sock.setblocking(False)
        except OSError:
            sock.close()
            raise
        self.port = sock.getsockname()[1]
        saver = asyncio.ensure_future(self._save_periodically())
        try:
            serve = self._hypercorn if self.http2 else self._uvicorn
            ready(self.endpoint_url)
            await serve(sock)
        finally:
            saver.cancel()
            sock.close()
            self.app.close()
            if self.state is not None:
                self.mock.save(self.state)

    def _uvicorn(self, sock: socket.socket) -> Any:
        config = uvicorn.Config(
            self.app,
            http="httptools",
            lifespan="off",
            access_log=False,
            log_config=None,
            server_header=False,
            timeout_graceful_shutdown=2,
        )
        server = _QuietServer(config)
        self._stop = lambda: setattr(server, "should_exit", True)
        return server.serve(sockets=[sock])

    def _hypercorn(self, sock: socket.socket) -> Any:
        from hypercorn.asyncio.run import worker_serve
        from hypercorn.config import Config, Sockets
        from hypercorn.utils import wrap_app

        config = Config()
        config.errorlog = logging.getLogger("kinesis_mock.server.http")
        config.accesslog = None
        config.include_server_header = False
        # botocore keeps its connections alive; hypercorn's default closes one every 1,000 requests.
        config.keep_alive_max_requests = 2**31
        config.graceful_timeout = 2.0
        stopped = asyncio.Event()
        self._stop = stopped.set
        app = wrap_app(self.app, config.wsgi_max_body_size, "asgi")  # type: ignore[arg-type]
        return worker_serve(app, config, sockets=Sockets([], [sock], []), shutdown_trigger=stopped.wait)

    def request_stop(self) -> None:
        """Stop accepting, end live subscriptions (so their streams finish) and shut down."""
        self.mock.backend.fan_out.close_all()
        if self._stop is not None:
            self._stop()

    async def _save_periodically(self) -> None:
        if self.state is None or not self.save_interval:
            return
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(self.save_interval)
            try:
                await loop.run_in_executor(None, self.mock.save, self.state)
            except OSError as error:
                _log.error("kinesis_mock: saving the state to %s failed: %s", self.state, error)


class _QuietServer(uvicorn.Server):
    """uvicorn without its own signal handling: on the main thread it would take SIGINT/SIGTERM
    and raise them again after shutdown; ``kinesis-mock serve`` handles them itself (and saves)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield
