"""Replies as the installed botocore model shapes them.

The handlers build replies with every member of the newest model the mock knows (botocore 1.43:
``MaxRecordSizeInKiB``, ``WarmThroughput``, ...). botocore's parser keeps only the members of the
installed model's output shape, so against AWS an older botocore never shows the newer members.
The fast path hands the reply over without parsing, so on an older model it drops them here.

On a model that has every operation the mock implements, the members came with those operations,
so nothing needs dropping and :func:`shaped` costs one cached lookup.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from . import _model
from .operations import HANDLERS

Pruner = Callable[[Any], Any]


def shaped(operation: str, result: dict[str, Any]) -> dict[str, Any]:
    """``result`` with only the members the installed model's output shape has."""
    prune = _output_pruner(operation)
    return result if prune is None else prune(result)


@cache
def model_is_current() -> bool:
    """Whether the installed model has every operation the mock implements."""
    return set(HANDLERS) <= set(_model.service_model()["operations"])


@cache
def _output_pruner(operation: str) -> Pruner | None:
    if model_is_current():
        return None
    output = _model.service_model()["operations"][operation].get("output")
    return _pruner(output["shape"]) if output else _identity


def _identity(value: Any) -> Any:
    return value


@cache
def _pruner(shape_name: str) -> Pruner:
    shape = _model.service_model()["shapes"][shape_name]
    kind = shape["type"]
    if kind == "structure":
        members = {name: _pruner(ref["shape"]) for name, ref in shape["members"].items()}
        return lambda value: {name: members[name](item) for name, item in value.items() if name in members}
    if kind == "list":
        member = _pruner(shape["member"]["shape"])
        return lambda value: [member(item) for item in value]
    if kind == "map":
        item_pruner = _pruner(shape["value"]["shape"])
        return lambda value: {key: item_pruner(item) for key, item in value.items()}
    return _identity
