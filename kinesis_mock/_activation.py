"""Activation: one :class:`KinesisMock` object behind every form.

``@mock_kinesis``, ``@mock_kinesis(...)``, ``with``, ``async with``, decorated coroutines and
classes, ``start()``/``stop()`` and the pytest fixture all build a ``KinesisMock``. Activations
nest: the outermost start installs the hook and starts from empty state, inner ones share that
state, and the outermost stop removes the hook. The innermost active mock's options apply.
Options are parsed by :mod:`._options`, decoration is done by :mod:`._decorate`, and the shared
state lives in :mod:`._runtime`.
"""

from __future__ import annotations

import os
from types import TracebackType
from typing import Any, TypeVar, Unpack, overload

from . import _decorate, _hook, _options, _runtime, _snapshot
from ._options import Options, OptionValues
from ._runtime import _Runtime
from .backend import Backend, Quotas

T = TypeVar("T")
ACCOUNT_ENV = "KINESIS_MOCK_ACCOUNT_ID"
_QUOTAS = tuple(Quotas.__dataclass_fields__)


class KinesisMock:
    """An in-process Amazon Kinesis Data Streams, answering every boto3/botocore kinesis call.

    Use it in any of these forms; they all share one state while nested::

        @mock_kinesis
        def test_put():
            client = boto3.client("kinesis", region_name="us-east-1")
            client.create_stream(StreamName="orders", ShardCount=1)

        with mock_kinesis(account_id="111122223333") as mock:
            ...

        mock = KinesisMock(); mock.start(); ...; mock.stop()

    An unknown option is a TypeError and a bad value a ValueError, both naming the option.
    """

    def __init__(self, **options: Unpack[OptionValues]) -> None:
        self.options: Options = _options.parse(options)
        self.quotas = Quotas(**{name: getattr(self.options, name) for name in _QUOTAS})
        self._account: str | None = self.options.account_id
        # A server's mock owns its backend, apart from the process-wide one of in-process mocks.
        self._owned: Backend | None = None

    @property
    def account_id(self) -> str | None:
        """The ``account_id`` option (``None``: the environment or the client decides)."""
        return self.options.account_id

    def __repr__(self) -> str:
        state = "active" if self.active else "inactive"
        return f"<KinesisMock {state} account_id={self.account_id!r}>"

    # -- activation -------------------------------------------------------------------------

    @property
    def active(self) -> bool:
        """Whether this mock is started (and not yet stopped)."""
        return self in _Runtime.stack

    def start(self) -> KinesisMock:
        """Activate. The outermost activation installs the hook and starts from empty state."""
        account = self.account_id
        if account is None and os.environ.get(ACCOUNT_ENV):
            account = _options.check_account(os.environ[ACCOUNT_ENV], ACCOUNT_ENV)
        with _Runtime.lock:
            _runtime.claim(self)
            if not _Runtime.stack:
                _Runtime.backend = Backend(self.quotas)
                _hook.install(_runtime.answer)
            self._account = account
            _Runtime.stack.append(self)
            _runtime.apply_innermost()
        return self

    def stop(self) -> None:
        """Deactivate. The outermost stop removes the hook and restores the environment."""
        with _Runtime.lock:
            if self not in _Runtime.stack:
                raise RuntimeError(
                    "kinesis_mock: stop() was called on a KinesisMock that is not started; "
                    "call start() first, or use it as a decorator or context manager"
                )
            position = len(_Runtime.stack) - 1 - _Runtime.stack[::-1].index(self)
            del _Runtime.stack[position]
            if _Runtime.stack:
                _runtime.apply_innermost()
                return
            backend, _Runtime.backend, _Runtime.owner = _Runtime.backend, None, None
            try:
                _hook.uninstall()
            finally:
                # Open SubscribeToShard streams end with the mock, as when their state is reset.
                if backend is not None:
                    backend.fan_out.close_all()

    def __enter__(self) -> KinesisMock:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    async def __aenter__(self) -> KinesisMock:
        return self.start()

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def __call__(self, target: T) -> T:
        """Decorate a function, a coroutine function or a test class (see :mod:`._decorate`)."""
        decorated: T = _decorate.decorate(self, target)
        return decorated

    # -- state ------------------------------------------------------------------------------

    @property
    def backend(self) -> Backend:
        """The state every active mock shares (raises if no mock is active); for the mock of a
        :class:`~kinesis_mock.KinesisServer`, the server's own state."""
        backend = self._owned if self._owned is not None else _Runtime.backend
        if backend is None:
            raise RuntimeError("kinesis_mock: no mock is active; start() one first")
        return backend

    def reset(self) -> None:
        """Drop every stream of every account and region, as if the mock had just started."""
        self._replace(Backend(self.backend.quotas))

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the whole state to ``path`` atomically (a crash mid-save keeps the last file).

        Example::

            with mock_kinesis() as mock:
                ...
                mock.save("kinesis.state")
        """
        _snapshot.save(self.backend, path)

    def load(self, path: str | os.PathLike[str]) -> None:
        """Replace the whole state with the one saved at ``path`` (refused, changing nothing, if
        the file is corrupt or from another version of kinesis_mock)."""
        self._replace(_snapshot.load(path, self.backend.quotas))

    def _own_backend(self) -> Backend:
        """Give this mock a backend of its own (a server's), with its options applied."""
        self._owned = self._configure(Backend(self.quotas))
        return self._owned

    def _configure(self, backend: Backend) -> Backend:
        backend.quotas = self.quotas
        backend.subscribe_idle_seconds = self.options.subscribe_idle_seconds
        backend.state_change_seconds = self.options.state_change_seconds
        return backend

    def _replace(self, backend: Backend) -> None:
        old = self.backend
        if self._owned is not None:
            self._owned = self._configure(backend)
        else:
            _runtime.replace_backend(backend)
        old.fan_out.close_all()


if KinesisMock.__doc__ is not None:  # None under python -OO
    KinesisMock.__doc__ += "\n" + "\n".join("    " + line for line in _options.docstring().splitlines())


@overload
def mock_kinesis(target: T, /) -> T: ...


@overload
def mock_kinesis(**options: Unpack[OptionValues]) -> KinesisMock: ...


def mock_kinesis(target: Any = None, /, **options: Any) -> Any:
    """Activate the Kinesis mock: ``@mock_kinesis``, ``@mock_kinesis(...)`` or ``with mock_kinesis():``.

    Example::

        @mock_kinesis
        def test_stream_is_created():
            client = boto3.client("kinesis", region_name="us-east-1")
            client.create_stream(StreamName="s", ShardCount=1)
            assert client.list_streams()["StreamNames"] == ["s"]

    ``options`` are :class:`KinesisMock`'s.
    """
    mock = KinesisMock(**options)
    return mock if target is None else mock(target)
