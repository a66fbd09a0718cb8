"""How AWS words a broken model constraint, in one place for the request checker and the backend.

Kinesis reports a value that breaks a constraint of the service model as ValidationException
``1 validation error detected: Value '...' at 'records.1.member.data' failed to satisfy
constraint: Member must have length less than or equal to 1048576``, printing the value in its
Java ``toString`` form (kinesalite validations/*.js, recorded against AWS). Both the model-driven
request checker (``_model``) and the backend's own checks (a record over its stream's size cap)
word errors this way; neither imports the other, and nothing here imports botocore.
"""

from __future__ import annotations

from typing import Any

from .errors import ValidationException


def render(value: Any, member_shape: str | None = None) -> str:
    """A value as AWS prints it inside ``Value '...'`` (Java toString forms); a list of
    structures of ``member_shape`` prints as the Java SDK's default object names."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, bytes):
        return f"java.nio.HeapByteBuffer[pos=0 lim={len(value)} cap={len(value)}]"
    if isinstance(value, list):
        if member_shape is not None:
            return "[" + ", ".join(struct_name(member_shape) for _ in value) + "]"
        return "[" + ", ".join(render(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}={render(item)}" for key, item in value.items()) + "}"
    return str(value)


def struct_name(shape_name: str) -> str:
    """The Java SDK's default toString of a structure; kinesalite recorded this constant hash
    against AWS."""
    return f"com.amazonaws.kinesis.v20131202.{shape_name}@c965e310"


def at_most(limit: int) -> str:
    """The rule of a ``max`` length."""
    return f"Member must have length less than or equal to {limit}"


def at_least(limit: int) -> str:
    """The rule of a ``min`` length."""
    return f"Member must have length greater than or equal to {limit}"


def violation(shown: str | None, path: str, rule: str) -> str:
    """One broken constraint: ``Value '...' at 'path' failed to satisfy constraint: rule``
    (``shown`` is the rendered value, ``None`` for a missing one)."""
    value = "null" if shown is None else f"'{shown}'"
    return f"Value {value} at '{path}' failed to satisfy constraint: {rule}"


def validation_error(violations: list[str]) -> ValidationException:
    """The ValidationException reporting ``violations``."""
    count = len(violations)
    return ValidationException.constraints(
        count=count, noun="errors" if count > 1 else "error", errors="; ".join(violations)
    )
