"""Decorating with a mock: functions, coroutine functions and test classes.

User hooks are called with the signatures their frameworks document, never by inspecting their
code (a hook wrapped by a decorator has the wrapper's code): ``setUpClass(cls)``,
``tearDownClass(cls)`` and ``setUp(self)`` as unittest calls them, ``setup_class(cls)``,
``teardown_class(cls)`` and ``setup_method(self, method)`` as pytest documents them (pytest passes
the test method to a ``setup_method`` that takes one, and ours does). A class hook is bound the
way Python binds it (a classmethod to the class being set up, a staticmethod to nothing).
"""

from __future__ import annotations

import copy
import functools
import inspect
import unittest
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import _runtime
from ._controls import Controls, Fault
from .backend import Backend

if TYPE_CHECKING:
    from ._activation import KinesisMock

_UNITTEST_HOOKS = ("setUpClass", "tearDownClass", "setUp")
_PYTEST_HOOKS = ("setup_class", "teardown_class", "setup_method")


def decorate(mock: KinesisMock, target: Any) -> Any:
    """``target`` (a function, a coroutine function or a class) run under ``mock``."""
    if inspect.isclass(target):
        return decorate_class(mock, target)
    if callable(target):
        return decorate_function(mock, target)
    raise TypeError(
        f"kinesis_mock: cannot decorate {target!r}; decorate a function, a coroutine "
        "function or a class, or use `with mock_kinesis():`"
    )


def decorate_function(mock: KinesisMock, func: Callable[..., Any]) -> Callable[..., Any]:
    """``func`` run with ``mock`` active (awaited inside it when ``func`` is a coroutine function)."""
    if inspect.iscoroutinefunction(func):

        @functools.wraps(func)
        async def run_async(*args: Any, **kwargs: Any) -> Any:
            async with mock:
                return await func(*args, **kwargs)

        return run_async

    @functools.wraps(func)
    def run(*args: Any, **kwargs: Any) -> Any:
        with mock:
            return func(*args, **kwargs)

    return run


@dataclass
class _ClassState:
    """What class setup built, restored before every test of the class: the state, and the
    faults class setup injected (a test's own faults end with it; each test's calls are its own)."""

    snapshot: Backend | None = None
    controls: Controls | None = None
    faults: list[tuple[Fault, int]] = field(default_factory=list)


def decorate_class(mock: KinesisMock, cls: type[Any]) -> type[Any]:
    """Active from class setup to class teardown; each test starts from the class's state.

    For ``unittest.TestCase`` that spans ``setUpClass`` .. ``tearDownClass``, for pytest-style
    classes ``setup_class`` .. ``teardown_class``. What class setup creates is there in every
    test, and what one test changes is undone before the next (in setUp/setup_method).
    """
    testcase = issubclass(cls, unittest.TestCase)
    class_setup, class_teardown, test_setup = _UNITTEST_HOOKS if testcase else _PYTEST_HOOKS
    prefix = unittest.TestLoader.testMethodPrefix if testcase else "test"
    for name, member in list(vars(cls).items()):
        if name.startswith(prefix) and inspect.isfunction(member):
            setattr(cls, name, decorate_function(mock, member))
    state = _ClassState()
    hooks = {
        name: inspect.getattr_static(cls, name, None) for name in (class_setup, class_teardown, test_setup)
    }
    setattr(cls, class_setup, classmethod(_class_setup(mock, state, hooks[class_setup])))
    setattr(cls, class_teardown, classmethod(_class_teardown(mock, state, hooks[class_teardown])))
    if testcase:
        cls.setUp = _unittest_setup(state, hooks[test_setup])
    else:
        cls.setup_method = _pytest_setup(state, hooks[test_setup])
    return cls


def _bound(hook: Any, instance: Any) -> Any:
    """``hook`` as ``instance.name`` would give it (bound if it is a descriptor, as functions are)."""
    get = getattr(type(hook), "__get__", None)
    return hook if get is None else get(hook, instance, type(instance))


def _call_class_hook(hook: Any, klass: type[Any]) -> None:
    """Call a class hook as its class would: a classmethod with ``klass``, a staticmethod bare, and
    a plain function (pytest accepts ``def setup_class(cls)`` without ``@classmethod``) with ``klass``."""
    if hook is None:
        return
    if isinstance(hook, (classmethod, staticmethod)):
        hook.__get__(None, klass)()
    else:
        hook(klass)


def _class_setup(mock: KinesisMock, state: _ClassState, hook: Any) -> Callable[[type[Any]], None]:
    def setup(klass: type[Any]) -> None:
        mock.start()
        try:
            _call_class_hook(hook, klass)
            state.snapshot = copy.deepcopy(mock.backend)
            state.controls = mock._session
            state.faults = [(fault, fault.hits) for fault in mock._session.faults]
        except BaseException:
            mock.stop()
            raise

    return setup


def _class_teardown(mock: KinesisMock, state: _ClassState, hook: Any) -> Callable[[type[Any]], None]:
    def teardown(klass: type[Any]) -> None:
        try:
            _call_class_hook(hook, klass)
        finally:
            state.snapshot = None
            if mock.active:
                mock.stop()

    return teardown


def _restore(state: _ClassState) -> None:
    if state.snapshot is not None:
        fresh = copy.deepcopy(state.snapshot)
        previous = _runtime._Runtime.backend
        assert previous is not None  # the class's mock is active from class setup to teardown
        fresh.follow(previous)
        _runtime.replace_backend(fresh)
    if state.controls is not None:
        state.controls.restore(state.faults)


def _unittest_setup(state: _ClassState, hook: Any) -> Callable[[Any], None]:
    def setUp(instance: Any) -> None:
        _restore(state)
        if hook is not None:
            _bound(hook, instance)()

    return setUp


def _pytest_setup(state: _ClassState, hook: Any) -> Callable[[Any, Any], None]:
    def setup_method(instance: Any, method: Any) -> None:
        _restore(state)
        if hook is not None:
            _bound(hook, instance)(method)

    return setup_method
