"""Process-wide activation state, shared by every :class:`~kinesis_mock.KinesisMock`.

The stack of active mocks (the innermost last: its options apply) and the one backend they share.
The hook answers from here, so every client of the process sees the same state.
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING

from . import _protocol
from .backend import Backend
from .errors import InternalFailure

if TYPE_CHECKING:
    from ._activation import KinesisMock


class _Runtime:
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


def answer(request: _protocol.Request) -> _protocol.Reply:
    """Answer one kinesis request from the shared backend, as the innermost active mock's account."""
    backend, stack = _Runtime.backend, _Runtime.stack
    if backend is None or not stack:
        return _protocol.Reply(500, error=InternalFailure())
    return _protocol.handle(backend, request, stack[-1]._account)


def apply_innermost() -> None:
    """Give the backend the options of the innermost active mock (call with the lock held)."""
    if _Runtime.backend is not None and _Runtime.stack:
        top = _Runtime.stack[-1]
        _Runtime.backend.quotas = top.quotas
        _Runtime.backend.subscribe_idle_seconds = top.options.subscribe_idle_seconds
        _Runtime.backend.state_change_seconds = top.options.state_change_seconds


def replace_backend(backend: Backend) -> None:
    """Make ``backend`` the shared state (a fresh one on reset, a class's snapshot per test)."""
    with _Runtime.lock:
        _Runtime.backend = backend
        apply_innermost()
