"""The caller's own parameters, taken as they are when they are plainly valid.

In process, the mock can read the parameters a botocore client was called with (see
:mod:`._hook`) instead of decoding the JSON body botocore made of them, base64 blobs included.
A checker of this module says whether such parameters are *plainly* valid: every member present is
a string, whole number, boolean or ``bytes`` blob (or a list or structure of those) that passes the
model's length, range, enum and pattern constraints as written, and every required member is
there. Then the parameters are the call's parameters, the very dicts and lists the caller built
(nothing rebuilds 500 entries); anything else (a timestamp, a map, a ``bytearray``, a non-ASCII
string, any violation) is not plain, and the request goes the usual way through its JSON body,
which gives AWS's exact errors. So a plain answer never accepts what :mod:`._model` would refuse.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cache
from typing import Any

from . import _model

Plain = Callable[[Any], bool]


@cache
def plain_checker(operation: str) -> Plain | None:
    """Whether parameters of ``operation`` are plainly valid; ``None`` when some required member
    can never be plain (the JSON body is always read then)."""
    input_ref = _model.service_model()["operations"][operation].get("input")
    if input_ref is None:
        return _function(["return not value"], {})
    return _plain(input_ref["shape"], top=True)


@cache
def timestamp_members(operation: str) -> tuple[str, ...]:
    """The members of ``operation``'s input that are timestamps. The hook hands them over as the
    epoch seconds (a ``float``) the client's serializer writes for them, so that a plain check
    sees the number the body would hold (a timestamp given any other way is not plain)."""
    input_ref = _model.service_model()["operations"][operation].get("input")
    if input_ref is None:
        return ()
    shapes = _model.service_model()["shapes"]
    members = shapes[input_ref["shape"]]["members"]
    return tuple(name for name, ref in members.items() if shapes[ref["shape"]]["type"] == "timestamp")


@cache
def _plain(shape_name: str, top: bool = False) -> Plain | None:
    shape = _model.service_model()["shapes"][shape_name]
    if shape["type"] == "structure":
        return _structure(shape_name, shape, top)
    if shape["type"] == "list":
        member = _plain(shape["member"]["shape"])
        if member is None:
            return None
        sized = _sized("value.__class__ is list", shape, "value")
        return _function(
            [
                f"if not ({sized}):",
                "    return False",
                "for item in value:",
                "    if not member(item):",
                "        return False",
                "return True",
            ],
            {"member": member},
        )
    scope: dict[str, Any] = {}
    test = _test(shape_name, "value", scope)
    if test is None:
        return None
    return _function([f"return {test}"], scope)


def _test(shape_name: str, name: str, scope: dict[str, Any]) -> str | None:
    """An expression true when ``name`` holds a plainly valid scalar of the shape, or ``None``."""
    shape = _model.service_model()["shapes"][shape_name]
    kind = shape["type"]
    if kind == "string":
        return _model.string_test(shape, name, scope, shape_name)
    if kind in ("integer", "long"):
        ceiling = 2**31 - 1 if kind == "integer" else 2**63 - 1
        high = min(shape.get("max", ceiling), ceiling)
        return f"{name}.__class__ is int and {shape.get('min', -ceiling - 1)} <= {name} <= {high}"
    if kind == "boolean":
        return f"{name}.__class__ is bool"
    if kind == "blob":
        return _sized(f"{name}.__class__ is bytes", shape, name)
    return None  # timestamps, maps, ...: read from the JSON body


def _sized(test: str, shape: dict[str, Any], name: str) -> str:
    if "min" in shape:
        test += f" and len({name}) >= {shape['min']}"
    if "max" in shape:
        test += f" and len({name}) <= {shape['max']}"
    return test


def _structure(shape_name: str, shape: dict[str, Any], top: bool) -> Plain | None:
    """Straight-line code, one test per member, like :mod:`._model`'s checkers. Timestamps are
    plain only at the top (see :func:`timestamp_members`), as the number the serializer wrote."""
    required = set(shape.get("required", ())) | _model.always_required(shape_name)
    scope: dict[str, Any] = {"isfinite": math.isfinite}
    lines = ["if value.__class__ is not dict:", "    return False", "present = 0"]
    for number, (name, ref) in enumerate(shape["members"].items()):
        test = _test(ref["shape"], "v", scope)
        if test is None and top and _model.service_model()["shapes"][ref["shape"]]["type"] == "timestamp":
            test = "v.__class__ is float and isfinite(v)"
        if test is None and _model.service_model()["shapes"][ref["shape"]]["type"] in ("structure", "list"):
            nested = _plain(ref["shape"])
            if nested is not None:
                scope[f"nested_{number}"] = nested
                test = f"nested_{number}(v)"
        if test is None:
            if name in required:
                return None
            continue  # given, it is not counted as present: the whole is not plain
        lines += [f"v = value.get({name!r})", "if v is None:"]
        lines.append("    return False" if name in required else "    pass")
        lines += [f"elif not ({test}):", "    return False", "else:", "    present += 1"]
    # A member the tests did not look at (or a None) makes the whole not plain.
    lines.append("return present == len(value)")
    return _function(lines, scope)


def _function(body: list[str], scope: dict[str, Any]) -> Plain:
    exec("\n".join(["def plain(value):", *("    " + line for line in body)]), scope)
    plain: Plain = scope["plain"]
    return plain
