"""Work a hooked kinesis client skips while a mock is active, where the result is the same.

A mocked call answers at ``before-call`` (see :mod:`._hook`), so botocore's work up to there is
most of what the call costs. Two parts of it are done differently on the clients the hook
reaches, each exact by construction and checked against botocore's own in the tests:

- **The JSON body is written only when something reads it** (:func:`defer_bodies`). Plainly valid
  parameters (:mod:`._native`) are the call's parameters as they are, so the mock never needs
  their body, and botocore's serializer cost about a third of a mocked PutRecords. Such a request
  comes out as a :class:`Deferred` dict: the method, path, query string and headers the serializer
  writes (they do not depend on the parameters), and a ``body`` the client's own serializer writes
  the moment anyone reads it (a ``before-call`` handler, botocore sending it because the mock
  stopped meanwhile, a copy). botocore's parameter validation still runs first: the validating
  decorator is left in place and its inner serializer is the one patched.
- **The endpoint parameters are resolved from a plan per operation** (:func:`plan_endpoint_parameters`).
  botocore's ``EndpointRulesetResolver._get_provider_params`` asks, for each of the ruleset's 14
  parameters on every call, four sources through cached lookups (~17 us, a sixth of a mocked
  call). What each source gives is fixed per client and operation except the call's own members
  and the built-ins (which ``before-endpoint-resolution`` handlers may change, and some of which
  are functions, such as the account id), so the plan holds the fixed values and reads only those
  two per call, in botocore's order of precedence. The ``before-endpoint-resolution`` event is
  still emitted, built-ins are still resolved (functions called) each call, and the endpoint
  feature ids are still registered. An operation with operation-context parameters (JMESPath over
  the call), a resolver of another shape (aiobotocore's is asynchronous) or a built-in botocore
  does not know keeps botocore's own function.

Everything is put back on stop (:func:`undo`).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import partial
from typing import Any, NamedTuple
from weakref import WeakSet

from botocore.regions import EndpointResolverBuiltins

from . import _native
from .operations import HANDLERS

_UNKNOWN: Any = object()


class _State:
    # The objects given an instance attribute of this module's: the attribute, on each.
    patched: dict[str, WeakSet[Any]] = {"serialize_to_request": WeakSet(), "_get_provider_params": WeakSet()}


def speed_up(client: Any) -> None:
    """Skip, on a sync botocore client, the work described above."""
    defer_bodies(client._serializer)
    plan_endpoint_parameters(getattr(client, "_ruleset_resolver", None))


def undo() -> None:
    """Remove every patch of this module."""
    for attribute, owners in _State.patched.items():
        for owner in list(owners):
            owner.__dict__.pop(attribute, None)
        owners.clear()


def _patch(owner: Any, attribute: str, replacement: Any) -> None:
    setattr(owner, attribute, replacement)
    _State.patched[attribute].add(owner)


# -- deferred bodies --------------------------------------------------------------------------


def defer_bodies(serializer: Any) -> None:
    """Have a client's serializer write the JSON body of a request only when something reads it
    (sync and async clients alike: both use botocore's serializers)."""
    inner = getattr(serializer, "_serializer", serializer)
    original = inner.serialize_to_request
    templates: dict[str, dict[str, Any] | None] = {}

    def serialize_to_request(parameters: Any, operation_model: Any) -> Any:
        name = operation_model.name
        template = templates.get(name, _UNKNOWN)
        if template is _UNKNOWN:
            template = templates[name] = _template(original, operation_model)
        plain = _native.plain_checker(name) if template is not None else None
        if plain is None:
            return original(parameters, operation_model)
        given = parameters
        if _native.timestamp_members(name):
            parameters = timestamps_written(inner, operation_model, parameters)
        if parameters is None or not plain(parameters):
            return original(given, operation_model)
        return Deferred(template, parameters, partial(original, given, operation_model))

    _patch(inner, "serialize_to_request", serialize_to_request)


def _template(original: Any, operation_model: Any) -> dict[str, Any] | None:
    """What the serializer writes for ``operation_model`` besides the body (it does not depend on
    the parameters), or ``None`` where the mock reads the body anyway: an operation it does not
    answer, or one whose host prefix is made from the parameters."""
    if operation_model.name not in HANDLERS:
        return None
    endpoint = operation_model.endpoint
    if endpoint is not None and "hostPrefix" in endpoint:
        return None
    written = original({}, operation_model)
    if not isinstance(written, dict) or not isinstance(written.get("headers"), dict):
        return None
    del written["body"]
    return written


def timestamps_written(serializer: Any, operation_model: Any, parameters: Any) -> Any:
    """``parameters`` with each timestamp member as the number ``serializer`` writes for it (the
    client's own conversion and precision), as a ``float``; ``None`` if one does not convert."""
    if parameters.__class__ is not dict:
        return None
    members = operation_model.input_shape.members
    written = dict(parameters)
    for name in _native.timestamp_members(operation_model.name):
        value = parameters.get(name)
        if value is not None:
            try:
                number = serializer._convert_timestamp_to_str(
                    value, members[name].serialization.get("timestampFormat")
                )
            except Exception:  # the serializer, when it writes the body, raises the same
                return None
            if number.__class__ not in (int, float):
                return None
            written[name] = float(number)
    return written


class Deferred(dict[str, Any]):
    """A request dict whose ``body`` is written on first reading (by key, ``get``, iteration, a
    copy, or ``in``); the hook reads the parameters instead while it is unwritten or still the one
    written, and the body once a handler has replaced it."""

    __slots__ = ("_write", "parameters", "written")

    def __init__(self, template: dict[str, Any], parameters: Any, write: Callable[[], Any]) -> None:
        super().__init__(template)
        dict.__setitem__(self, "headers", dict(template["headers"]))
        self.parameters = parameters
        self.written: bytes | None = None
        self._write = write

    def unchanged(self) -> bool:
        """Whether the body is unwritten, or still the one written from the parameters."""
        body = dict.get(self, "body", _UNKNOWN)
        return body is _UNKNOWN or body is self.written

    def _fill(self) -> None:
        if not dict.__contains__(self, "body"):
            self.written = self._write()["body"]
            dict.__setitem__(self, "body", self.written)

    def __missing__(self, key: str) -> Any:
        if key != "body":
            raise KeyError(key)
        self._fill()
        return self.written

    def copy(self) -> dict[str, Any]:
        self._fill()
        return dict(dict.items(self))

    def __reduce_ex__(self, protocol: Any) -> Any:
        return dict, (self.copy(),)

    __hash__ = None


def _writing_first(name: str) -> Callable[..., Any]:
    """``dict.<name>``, after writing the body."""
    method = getattr(dict, name)

    def written_first(self: Deferred, *args: Any) -> Any:
        self._fill()
        return method(self, *args)

    return written_first


def _writing_for_body(name: str) -> Callable[..., Any]:
    """``dict.<name>(key, ...)``, after writing the body if ``key`` is ``"body"``."""
    method = getattr(dict, name)

    def written_for_body(self: Deferred, key: Any, *args: Any) -> Any:
        if key == "body":
            self._fill()
        return method(self, key, *args)

    return written_for_body


# Every way of reading the dict but by key (``__missing__``) writes the body first: views and
# iteration, size, comparison and text read the whole; these four read one key.
for _name in ("__iter__", "__len__", "__eq__", "__repr__", "keys", "values", "items", "popitem"):
    setattr(Deferred, _name, _writing_first(_name))
for _name in ("get", "__contains__", "pop", "setdefault"):
    setattr(Deferred, _name, _writing_for_body(_name))


# -- endpoint parameters ----------------------------------------------------------------------


class _Source(NamedTuple):
    """Where one ruleset parameter's value comes from, in botocore's order of precedence: the
    operation's static context value, the call's member, the client's context value, a built-in."""

    name: str
    static: Any
    member: str | None
    client: Any
    builtin: str | None


_RESOLVER_PARTS = (
    "_param_definitions",
    "_get_customized_builtins",
    "_get_static_context_params",
    "_get_dynamic_context_params",
    "_resolve_param_as_client_context_param",
)


def plan_endpoint_parameters(resolver: Any) -> None:
    """Have a sync client's endpoint resolver find its parameters from a plan per operation."""
    original = getattr(resolver, "_get_provider_params", None)
    if original is None or inspect.iscoroutinefunction(original):
        return
    if not all(hasattr(resolver, part) for part in _RESOLVER_PARTS):
        return
    register = getattr(resolver, "_register_endpoint_feature_ids", None)
    plans: dict[str, tuple[_Source, ...] | None] = {}

    def get_provider_params(operation_model: Any, call_args: Any, request_context: Any) -> Any:
        plan = plans.get(operation_model.name, _UNKNOWN)
        if plan is _UNKNOWN:
            plan = plans[operation_model.name] = _plan(resolver, operation_model)
        if plan is None:
            return original(operation_model, call_args, request_context)
        builtins = resolver._get_customized_builtins(operation_model, call_args, request_context)
        params = {}
        for name, static, member, client, builtin in plan:
            value = static
            if value is None and member is not None:
                value = call_args.get(member)
            if value is None:
                value = client
            if value is None and builtin is not None:
                value = builtins.get(builtin)
                if callable(value):
                    value = value()
            if value is not None:
                params[name] = value
                if register is not None:
                    register(name, value)
        return params

    _patch(resolver, "_get_provider_params", get_provider_params)


def _plan(resolver: Any, operation_model: Any) -> tuple[_Source, ...] | None:
    """The sources of each ruleset parameter for ``operation_model``, or ``None`` where botocore's
    own function is kept."""
    known = set(EndpointResolverBuiltins.__members__.values())
    context_parameters = getattr(operation_model, "operation_context_parameters", None) or {}
    static = resolver._get_static_context_params(operation_model)
    dynamic = resolver._get_dynamic_context_params(operation_model)
    sources = []
    for name, definition in resolver._param_definitions.items():
        builtin = definition.builtin
        if name in context_parameters or (builtin is not None and builtin not in known):
            return None  # JMESPath over the call; botocore raises for an unknown built-in
        source = _Source(
            name,
            static.get(name),
            dynamic.get(name),
            resolver._resolve_param_as_client_context_param(name),
            builtin,
        )
        if source[1:] != (None, None, None, None):  # else it is never set: leave it out
            sources.append(source)
    return tuple(sources)
