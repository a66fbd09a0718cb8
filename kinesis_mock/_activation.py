"""Activation: one :class:`KinesisMock` object behind every form.

``@mock_kinesis``, ``@mock_kinesis(...)``, ``with``, ``async with``, decorated coroutines and
classes, ``start()``/``stop()`` and the pytest fixture all build a ``KinesisMock``. Activations
nest: the outermost start installs the hook and starts from empty state, inner ones share that
state, and the outermost stop removes the hook. The innermost active mock's options apply.
Options are parsed by :mod:`._options`, decoration is done by :mod:`._decorate`, and the shared
state lives in :mod:`._runtime`.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterable
from types import TracebackType
from typing import Any, TypeVar, Unpack, overload

from . import _clock, _controls, _decorate, _hook, _inspect, _options, _protocol, _runtime, _snapshot
from ._controls import Calls, Fault
from ._inspect import Record
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
        # The faults and calls of the session this mock was last part of (kept after it stops,
        # so that mock.calls can be read after the with block).
        self._session = _controls.Controls()

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
            if _Runtime.controls is None:
                _Runtime.controls = _controls.Controls()
            self._account = account
            self._session = _Runtime.controls
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
            self._session.drop(self)  # its faults end with it
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
                _Runtime.controls = None
                self._session.end()

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
        self._session = _controls.Controls()
        return self._owned

    def _configure(self, backend: Backend) -> Backend:
        return _runtime.configure(backend, self)

    def _replace(self, backend: Backend) -> None:
        old = self.backend
        if self._owned is not None:
            self._owned = self._configure(backend)
        else:
            _runtime.replace_backend(backend)
        old.fan_out.close_all()

    # -- test controls ----------------------------------------------------------------------

    def fail(
        self,
        operation: str,
        error: str = "InternalFailure",
        *,
        stream: str | None = None,
        times: int | None = 1,
        probability: float | None = None,
        seed: int | None = None,
        entries: Iterable[int] | None = None,
        message: str | None = None,
    ) -> Fault:
        """Make calls of ``operation`` (its wire name, ``"PutRecord"``) fail with ``error``, an
        error code of that operation in botocore's model, answered with AWS's HTTP status and
        message (or ``message``). The state does not change: a failed PutRecord stores nothing.

        ``stream`` (a name or an ARN) limits it to calls on that stream. It fails the next
        ``times`` matching calls (``None``: until removed); with ``probability`` each matching
        call fails with that chance (``seed`` makes the draws repeatable), ``times`` still
        counting the failures. ``entries`` (PutRecords only) fails just the records at those
        indexes of each request, ``ProvisionedThroughputExceededException`` or
        ``InternalFailure``, and stores the others. Example::

            fault = mock.fail("PutRecord", "ProvisionedThroughputExceededException", times=2)
            client.put_record(StreamName="s", Data=b"x", PartitionKey="k")  # retried twice
            assert fault.hits == 2

            mock.fail("PutRecords", "ProvisionedThroughputExceededException", entries=[1])
            reply = client.put_records(StreamName="s", Records=records)
            assert reply["FailedRecordCount"] == 1

        The client's retry policy (legacy, standard or adaptive) retries an injected error as it
        would retry AWS's, sleeping no real time. Faults end when this mock stops.
        """
        chosen = _controls.check_fault(operation, error, times, probability, entries)
        session = self._active_session("fail()")
        fault = Fault(
            session,
            self,
            operation,
            error,
            stream=stream,
            times=times,
            probability=probability,
            seed=seed,
            entries=chosen,
            message=message,
        )
        return session.add(fault)

    def advance(self, seconds: float) -> None:
        """Move the mock clock ``seconds`` forward: shard iterators and NextTokens expire, records
        pass retention, CREATING/UPDATING/DELETING complete (``state_change_seconds``), rolling
        24-hour quotas and throughput windows move on. It adds to whatever time freezegun or
        time-machine report; the offset is undone when the session ends. Example::

            mock.advance(301)  # an iterator issued before is now expired
        """
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not seconds >= 0:
            raise ValueError(f"kinesis_mock: advance() takes seconds >= 0, got {seconds!r}")
        session = self._active_session("advance()")
        step = round(seconds * 1000)
        with session.lock:
            session.advanced_ms += step
            _clock.advance(step)

    def now(self) -> datetime.datetime:
        """The mock clock, as an aware datetime (as botocore parses the mock's timestamps)."""
        return _clock.to_datetime(_clock.now_ms())

    @property
    def calls(self) -> Calls:
        """Every request answered, in order (:class:`~kinesis_mock.Call`: operation, params as
        sent, error code or ``None``, account_id, region); ``mock.calls.clear()`` empties it.
        Nested mocks share one record; it stays readable after the mock stops."""
        return self._session.calls

    def records(
        self,
        stream: str,
        *,
        shard_id: str | None = None,
        account_id: str | None = None,
        region: str | None = None,
    ) -> list[Record]:
        """Every readable record of ``stream`` (a name or an ARN), or of its shard ``shard_id``:
        oldest first within a shard, parents before children. The account is the mock's unless
        ``account_id`` says otherwise; the region is the only one holding such a stream (several
        are a ValueError naming them: pass ``region``). Example::

            client.put_record(StreamName="orders", Data=b"{}", PartitionKey="o-1")
            assert [r.data for r in mock.records("orders")] == [b"{}"]
        """
        return _inspect.records(self.backend, stream, shard_id, self._account_for(account_id), region)

    def streams(self, *, account_id: str | None = None, region: str | None = None) -> list[str]:
        """The names of the account's streams (the mock's account unless told), in ``region`` or
        in every region, sorted. Example: ``assert mock.streams() == ["orders"]``."""
        return _inspect.streams(self.backend, self._account_for(account_id), region)

    def _account_for(self, account_id: str | None) -> str:
        if account_id is not None:
            return _options.check_account(account_id, "account_id")
        return self._account if self._account is not None else _protocol.DEFAULT_ACCOUNT

    def _active_session(self, what: str) -> _controls.Controls:
        if not self.active and self._owned is None:
            raise RuntimeError(f"kinesis_mock: {what} needs an active mock; start() this one first")
        return self._session

    def _end_session(self) -> None:
        """A server's mock at the server's stop: its faults end and its clock offset is undone."""
        self._session.end()


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


def current() -> KinesisMock:
    """The innermost active mock (inside a decorated test, a ``with`` block or the fixture).

    Example::

        @mock_kinesis
        def test_retries():
            kinesis_mock.current().fail("PutRecord", "ProvisionedThroughputExceededException")
    """
    stack = _Runtime.stack
    if not stack:
        raise RuntimeError(
            "kinesis_mock: no mock is active; current() works inside @mock_kinesis, "
            "a `with mock_kinesis()` block or a test using the kinesis_mock fixture"
        )
    return stack[-1]
