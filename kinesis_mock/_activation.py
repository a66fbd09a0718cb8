"""Activation: one :class:`KinesisMock` object behind every form.

``@mock_kinesis``, ``@mock_kinesis(...)``, ``with``, ``async with``, decorated coroutines and
classes, ``start()``/``stop()`` and the pytest fixture all build a ``KinesisMock``. Activations
nest: the outermost start installs the hook and starts from empty state, inner ones share that
state, and the outermost stop removes the hook. The innermost active mock's options apply.
"""

from __future__ import annotations

import copy
import functools
import inspect
import os
import re
import threading
import unittest
from collections.abc import Callable
from types import TracebackType
from typing import Any, TypeVar, overload

from . import _hook, _protocol
from .backend import Backend, Quotas
from .errors import InternalFailure

T = TypeVar("T")
_ACCOUNT_ID = re.compile(r"\d{12}")
ACCOUNT_ENV = "KINESIS_MOCK_ACCOUNT_ID"


class _Runtime:
    """Process-wide activation state, shared by every KinesisMock."""

    lock = threading.RLock()
    stack: list[KinesisMock] = []
    backend: Backend | None = None


def _after_fork_in_child() -> None:
    """A child forked while another thread held a lock would wait for it forever: the thread is
    gone in the child. Give the child fresh locks (multiprocessing consumers fork like this)."""
    _Runtime.lock = threading.RLock()
    if _Runtime.backend is not None:
        _Runtime.backend.after_fork()


os.register_at_fork(after_in_child=_after_fork_in_child)


def _answer(request: _protocol.Request) -> _protocol.Reply:
    backend, stack = _Runtime.backend, _Runtime.stack
    if backend is None or not stack:
        return _protocol.Reply(500, error=InternalFailure())
    return _protocol.handle(backend, request, stack[-1]._account)


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

    Options (the quotas are AWS's defaults unless given; each applies per account and region, or
    per stream where AWS's does):
        account_id: the account every call acts as. Default: ``$KINESIS_MOCK_ACCOUNT_ID``, else the
            client's access key id when it is 12 digits, else ``123456789012``.
        shard_limit: open shards per account and region (AWS: 20,000 in us-east-1, us-west-2 and
            eu-west-1, 1,000 elsewhere).
        on_demand_stream_limit: ON_DEMAND streams per account and region (50).
        creating_stream_limit: streams CREATING or DELETING at once per account and region (5).
        tag_limit: tags per stream or consumer (50).
        consumer_limit: registered consumers per stream (20).
        consumers_creating_limit: consumers CREATING at once per stream (5).
        put_records_max_entries: records per PutRecords call (500, the model's maximum).
        put_records_max_bytes: bytes per PutRecords call, partition keys included (10 MiB).
        max_record_size_kib: MaxRecordSizeInKiB of a new stream (1024).
        shards_per_stream: UpdateShardCount's ceiling per stream (10,000).
        scaling_operations_per_day: UpdateShardCount calls per stream per rolling 24 hours (10).
        mode_switches_per_day: UpdateStreamMode switches per stream per rolling 24 hours (2).
        encryption_changes_per_day: Start (and, separately, Stop) StreamEncryption per stream per
            rolling 24 hours (25).
        subscribe_idle_seconds: how long (real time) a SubscribeToShard subscription with nothing
            to deliver waits for a write before it sends an empty event (0.1 s; AWS sends one
            about every 5 s).
        state_change_seconds: how long, by the mock clock, streams stay CREATING, UPDATING and
            DELETING and consumers CREATING and DELETING (0: every change completes at once).
    """

    def __init__(
        self,
        *,
        account_id: str | None = None,
        shard_limit: int | None = None,
        on_demand_stream_limit: int = 50,
        creating_stream_limit: int = 5,
        tag_limit: int = 50,
        consumer_limit: int = 20,
        consumers_creating_limit: int = 5,
        put_records_max_entries: int = 500,
        put_records_max_bytes: int = 10 * 1024 * 1024,
        max_record_size_kib: int = 1024,
        shards_per_stream: int = 10_000,
        scaling_operations_per_day: int = 10,
        mode_switches_per_day: int = 2,
        encryption_changes_per_day: int = 25,
        subscribe_idle_seconds: float = 0.1,
        state_change_seconds: float = 0.0,
    ) -> None:
        if account_id is not None:
            _check_account(account_id, "account_id")
        quotas = {name: value for name, value in locals().items() if name in Quotas.__dataclass_fields__}
        for name, value in quotas.items():
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                raise ValueError(f"kinesis_mock: {name} must be a whole number >= 0, got {value!r}")
        for name, seconds in (
            ("subscribe_idle_seconds", subscribe_idle_seconds),
            ("state_change_seconds", state_change_seconds),
        ):
            if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds < 0:
                raise ValueError(f"kinesis_mock: {name} must be a number >= 0, got {seconds!r}")
        self.account_id = account_id
        self.quotas = Quotas(**quotas)
        self.subscribe_idle_seconds = float(subscribe_idle_seconds)
        self.state_change_seconds = float(state_change_seconds)
        self._account: str | None = account_id
        self._class_snapshot: Backend | None = None

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
            account = _check_account(os.environ[ACCOUNT_ENV], ACCOUNT_ENV)
        with _Runtime.lock:
            if not _Runtime.stack:
                _Runtime.backend = Backend(self.quotas)
                _hook.install(_answer)
            self._account = account
            _Runtime.stack.append(self)
            self._apply_top()
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
                self._apply_top()
                return
            try:
                _hook.uninstall()
            finally:
                _Runtime.backend = None

    @staticmethod
    def _apply_top() -> None:
        if _Runtime.backend is not None:
            top = _Runtime.stack[-1]
            _Runtime.backend.quotas = top.quotas
            _Runtime.backend.subscribe_idle_seconds = top.subscribe_idle_seconds
            _Runtime.backend.state_change_seconds = top.state_change_seconds

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

    # -- inspection -------------------------------------------------------------------------

    @property
    def backend(self) -> Backend:
        """The state every active mock shares (raises if no mock is active)."""
        backend = _Runtime.backend
        if backend is None:
            raise RuntimeError("kinesis_mock: no mock is active; start() one first")
        return backend

    def reset(self) -> None:
        """Drop every stream of every account and region, as if the mock had just started."""
        with _Runtime.lock:
            _Runtime.backend = Backend(self.backend.quotas)
            if _Runtime.stack:
                self._apply_top()

    # -- decoration -------------------------------------------------------------------------

    def __call__(self, target: T) -> T:
        """Decorate a function, a coroutine function or a test class."""
        if inspect.isclass(target):
            return self._decorate_class(target)  # type: ignore[return-value]
        if callable(target):
            return self._decorate_function(target)  # type: ignore[return-value]
        raise TypeError(
            f"kinesis_mock: cannot decorate {target!r}; decorate a function, a coroutine "
            "function or a class, or use `with mock_kinesis():`"
        )

    def _decorate_function(self, func: Callable[..., Any]) -> Callable[..., Any]:
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def run_async(*args: Any, **kwargs: Any) -> Any:
                async with self:
                    return await func(*args, **kwargs)

            return run_async

        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> Any:
            with self:
                return func(*args, **kwargs)

        return run

    def _decorate_class(self, cls: type[Any]) -> type[Any]:
        """Active from class setup to class teardown; each test starts from the class's state.

        For ``unittest.TestCase`` that spans ``setUpClass`` .. ``tearDownClass``, for pytest-style
        classes ``setup_class`` .. ``teardown_class``. What class setup creates is there in every
        test, and what one test changes is undone before the next (setUp/setup_method).
        """
        testcase = issubclass(cls, unittest.TestCase)
        names = (
            ("setUpClass", "tearDownClass", "setUp")
            if testcase
            else ("setup_class", "teardown_class", "setup_method")
        )
        prefixes = unittest.TestLoader.testMethodPrefix if testcase else "test"
        for name, member in list(vars(cls).items()):
            if name.startswith(prefixes) and inspect.isfunction(member):
                setattr(cls, name, self._decorate_function(member))
        setattr(cls, names[0], classmethod(self._class_setup(getattr(cls, names[0], None))))
        setattr(cls, names[1], classmethod(self._class_teardown(getattr(cls, names[1], None))))
        setattr(cls, names[2], self._test_setup(getattr(cls, names[2], None)))
        return cls

    def _class_setup(self, original: Any) -> Callable[[type[Any]], None]:
        def setup(klass: type[Any]) -> None:
            self.start()
            try:
                _call_class_hook(original, klass)
                self._class_snapshot = copy.deepcopy(self.backend)
            except BaseException:
                self.stop()
                raise

        return setup

    def _class_teardown(self, original: Any) -> Callable[[type[Any]], None]:
        def teardown(klass: type[Any]) -> None:
            try:
                _call_class_hook(original, klass)
            finally:
                self._class_snapshot = None
                if self.active:
                    self.stop()

        return teardown

    def _test_setup(self, original: Any) -> Callable[..., None]:
        original = getattr(original, "__func__", original)
        wants_method = original is not None and original.__code__.co_argcount >= 2

        def setup(instance: Any, method: Any = None) -> None:
            if self._class_snapshot is not None:
                with _Runtime.lock:
                    _Runtime.backend = copy.deepcopy(self._class_snapshot)
            if original is not None:
                original(instance, method) if wants_method else original(instance)

        return setup


def _call_class_hook(original: Any, klass: type[Any]) -> None:
    if original is None:
        return
    func = getattr(original, "__func__", original)
    func(klass) if func.__code__.co_argcount >= 1 else func()


def _check_account(value: str, source: str) -> str:
    if not isinstance(value, str) or not _ACCOUNT_ID.fullmatch(value):
        raise ValueError(f"kinesis_mock: {source} must be a 12-digit AWS account id, got {value!r}")
    return value


OPTIONS = tuple(inspect.signature(KinesisMock.__init__).parameters)[1:]


@overload
def mock_kinesis(target: T, /) -> T: ...


@overload
def mock_kinesis(
    *,
    account_id: str | None = ...,
    shard_limit: int | None = ...,
    on_demand_stream_limit: int = ...,
    creating_stream_limit: int = ...,
    tag_limit: int = ...,
    consumer_limit: int = ...,
    consumers_creating_limit: int = ...,
    put_records_max_entries: int = ...,
    put_records_max_bytes: int = ...,
    max_record_size_kib: int = ...,
    shards_per_stream: int = ...,
    scaling_operations_per_day: int = ...,
    mode_switches_per_day: int = ...,
    encryption_changes_per_day: int = ...,
    subscribe_idle_seconds: float = ...,
    state_change_seconds: float = ...,
) -> KinesisMock: ...


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
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise TypeError(
            f"kinesis_mock: unknown option {', '.join(map(repr, unknown))}; "
            f"the options are {', '.join(OPTIONS)}"
        )
    mock = KinesisMock(**options)
    return mock if target is None else mock(target)
