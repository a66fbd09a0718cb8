"""Process-wide activation state, shared by every :class:`~kinesis_mock.KinesisMock`.

The stack of active mocks (the innermost last: its options apply) and the one backend they share.
The hook answers from here, so every client of the process sees the same state.
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING, Any

from . import _protocol
from ._controls import Controls
from .backend import Backend, Throughput

if TYPE_CHECKING:
    from ._activation import KinesisMock


class _Runtime:
    lock = threading.RLock()
    stack: list[KinesisMock] = []
    backend: Backend | None = None
    # The thread that started the outermost active mock: activations nest in that thread only.
    owner: int | None = None
    # The faults and calls of the in-process session (from the outermost start to its stop).
    controls: Controls | None = None


def _held_at_fork() -> list[Any]:
    """The locks a fork waits for, in the order every thread takes them: activation, test
    controls (a fault's check may read the state), state."""
    locks: list[Any] = [_Runtime.lock]
    if _Runtime.controls is not None:
        locks.append(_Runtime.controls.lock)
    if _Runtime.backend is not None:
        locks.append(_Runtime.backend.lock)
    return locks


def _before_fork() -> None:
    """Fork at a consistent point: with the activation, controls and state locks held, no call is
    halfway through a change, so the child's copy of the state is whole (a PutRecords cut off
    after its counter moved but before its records were stored would make the child reissue
    sequence numbers, and a half-sorted column would make its reads loop)."""
    for lock in _held_at_fork():
        lock.acquire()


def _after_fork_in_parent() -> None:
    for lock in reversed(_held_at_fork()):
        lock.release()


def _after_fork_in_child() -> None:
    """The child has only the thread that forked: it gets fresh locks (the old ones are held by
    that thread's parent copy) and owns the activations it inherited."""
    _Runtime.lock = threading.RLock()
    if _Runtime.controls is not None:
        _Runtime.controls.lock = threading.Lock()
    if _Runtime.backend is not None:
        _Runtime.backend.after_fork()
    if _Runtime.stack:
        _Runtime.owner = threading.get_ident()


os.register_at_fork(
    before=_before_fork, after_in_parent=_after_fork_in_parent, after_in_child=_after_fork_in_child
)


def answer(request: _protocol.Request) -> _protocol.Reply | None:
    """Answer one kinesis request from the shared backend, as the innermost active mock's account;
    ``None`` once the last mock has stopped (a call that raced the stop is not the mock's to
    answer: it goes on as it would without the mock)."""
    with _Runtime.lock:
        backend, stack = _Runtime.backend, _Runtime.stack
        if backend is None or not stack:
            return None
        account, controls = stack[-1]._account, _Runtime.controls
    return _protocol.handle(backend, request, account, controls)


def claim(starting: KinesisMock) -> None:
    """Refuse to start ``starting`` in another thread than the one whose mocks are active (call
    with the lock held): all clients of the process talk to one state, which one thread's
    activations configure; two threads each believing they own a separate mock would not."""
    me = threading.get_ident()
    if _Runtime.stack and _Runtime.owner != me:
        owner = next((t.name for t in threading.enumerate() if t.ident == _Runtime.owner), "another thread")
        raise RuntimeError(
            f"kinesis_mock: a KinesisMock is already active in thread {owner!r}; a mock is "
            "process-wide (every client of the process talks to the same state), so mocks can "
            f"only be nested in the thread that started the first one. Start {starting!r} in that "
            "thread, or stop the active one first; threads you start under a mock use it as is"
        )
    _Runtime.owner = me


def configure(backend: Backend, mock: KinesisMock) -> Backend:
    """Give ``backend`` the options of ``mock``."""
    options = mock.options
    backend.quotas = mock.quotas
    backend.subscribe_idle_seconds = options.subscribe_idle_seconds
    backend.state_change_seconds = options.state_change_seconds
    # Meters are made only when asked for: with the option off nothing is counted.
    backend.throughput = (backend.throughput or Throughput()) if options.throughput_limits else None
    return backend


def apply_innermost() -> None:
    """Give the backend the options of the innermost active mock (call with the lock held)."""
    if _Runtime.backend is not None and _Runtime.stack:
        configure(_Runtime.backend, _Runtime.stack[-1])


def replace_backend(backend: Backend) -> None:
    """Make ``backend`` the shared state (a fresh one on reset, a class's snapshot per test)."""
    with _Runtime.lock:
        _Runtime.backend = backend
        apply_innermost()
