"""botocore's kinesis service model, compiled once into request checkers.

Real Kinesis checks every request against its model before it looks at any stream: first the JSON
types (``SerializationException``), then lengths, patterns, enums, ranges and sizes
(``ValidationException``, ``N validation errors detected: ...``). botocore checks only required
members, Python types and minimums on the client side, so everything else reaches the service and
must be answered here. The checkers are built from botocore's own ``service-2.json``, so every
operation and member is covered and stays covered when the model grows.

A checker turns the decoded JSON body into the call's parameters with Python values (blobs as
``bytes``, timestamps as epoch seconds), collecting constraint failures in AWS's exact form.
"""

from __future__ import annotations

import binascii
import math
import re
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any

from botocore.loaders import create_loader

from ._wording import at_least, at_most, render, validation_error, violation
from .errors import SerializationException

Checker = Callable[[Any, str, list[str]], Any]

# AWS stops collecting after ten failures and reports ten (kinesalite test/putRecords.js, recorded
# against AWS, expects the records-length error plus records.1 to records.9).
_MAX_ERRORS = 10
_INT_MAX = {"integer": 2**31 - 1, "long": 2**63 - 1}
# Timestamps are Java milliseconds (a long): the latest one, in seconds.
_LATEST_SECONDS = (2**63 - 1) / 1000

# The order in which AWS reports the members of these shapes, as recorded against the service by
# kinesalite's tests (validations/*.js). It is not the model's order and not alphabetical; members
# not listed follow in the model's order. Shapes not listed use the model's order.
_RECORDED_MEMBER_ORDER: Mapping[str, Sequence[str]] = {
    "AddTagsToStreamInput": ("Tags", "StreamName"),
    "CreateStreamInput": ("ShardCount", "StreamName"),
    "DecreaseStreamRetentionPeriodInput": ("RetentionPeriodHours", "StreamName"),
    "DescribeStreamInput": ("Limit", "ExclusiveStartShardId", "StreamName"),
    "GetRecordsInput": ("Limit", "ShardIterator"),
    "GetShardIteratorInput": (
        "ShardId",
        "ShardIteratorType",
        "StartingSequenceNumber",
        "StreamName",
        "Timestamp",
    ),
    "IncreaseStreamRetentionPeriodInput": ("RetentionPeriodHours", "StreamName"),
    "ListShardsInput": (
        "ExclusiveStartShardId",
        "MaxResults",
        "NextToken",
        "StreamCreationTimestamp",
        "StreamName",
    ),
    "ListStreamsInput": ("Limit", "ExclusiveStartStreamName"),
    "ListTagsForStreamInput": ("Limit", "ExclusiveStartTagKey", "StreamName"),
    "MergeShardsInput": ("ShardToMerge", "AdjacentShardToMerge", "StreamName"),
    "PutRecordInput": (
        "SequenceNumberForOrdering",
        "PartitionKey",
        "ExplicitHashKey",
        "Data",
        "StreamName",
    ),
    "PutRecordsInput": ("Records", "StreamName"),
    "PutRecordsRequestEntry": ("PartitionKey", "ExplicitHashKey", "Data"),
    "RemoveTagsFromStreamInput": ("TagKeys", "StreamName"),
    "SplitShardInput": ("NewStartingHashKey", "StreamName", "ShardToSplit"),
}
# Likewise for enum value sets printed in messages (kinesalite test/getShardIterator.js).
_RECORDED_ENUM_ORDER: Mapping[str, Sequence[str]] = {
    "ShardIteratorType": (
        "AFTER_SEQUENCE_NUMBER",
        "LATEST",
        "AT_TIMESTAMP",
        "AT_SEQUENCE_NUMBER",
        "TRIM_HORIZON",
    ),
}
# Members the mock needs whatever the installed model says: newer botocore models make the partition
# key optional for streams with a record distribution strategy, which the mock does not implement,
# so it stays required as in every model up to botocore 1.43.
_ALWAYS_REQUIRED: Mapping[str, frozenset[str]] = {
    "PutRecordInput": frozenset({"PartitionKey"}),
    "PutRecordsRequestEntry": frozenset({"PartitionKey"}),
}
_BASE64_ALPHABET = re.compile(r"[^a-zA-Z0-9+/=]|=[^=]")


@cache
def service_model() -> dict[str, Any]:
    """The raw kinesis ``service-2.json`` that the installed botocore ships."""
    model: dict[str, Any] = create_loader().load_service_model("kinesis", "service-2")
    return model


def always_required(shape_name: str) -> frozenset[str]:
    """Members of ``shape_name`` the mock requires beyond the model's ``required`` list."""
    return _ALWAYS_REQUIRED.get(shape_name, frozenset())


def operation_names() -> list[str]:
    """Every operation of the installed model, by wire name."""
    return sorted(service_model()["operations"])


def error_codes(operation: str) -> list[str]:
    """The error codes the model lists for ``operation``."""
    errors = service_model()["operations"][operation].get("errors", [])
    return [error["shape"] for error in errors]


@cache
def request_checker(operation: str) -> Callable[[Any], dict[str, Any]]:
    """The checker of ``operation``'s input: JSON body -> parameters, or a raised AWS error."""
    input_ref = service_model()["operations"][operation].get("input")
    check = _compile(input_ref["shape"]) if input_ref else _compile_empty()

    def check_request(body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise SerializationException()
        errors: list[str] = []
        params: dict[str, Any] = check(body, "", errors)
        if errors:
            raise validation_error(errors)
        return params

    return check_request


def _compile_empty() -> Checker:
    return lambda value, path, errors: {}


@cache
def _compile(shape_name: str) -> Checker:
    shape = service_model()["shapes"][shape_name]
    kind = shape["type"]
    if kind == "structure":
        return _structure(shape_name, shape)
    if kind == "list":
        return _list(shape)
    if kind == "map":
        return _map(shape)
    if kind == "string":
        return _string(shape_name, shape)
    if kind in _INT_MAX:
        return _integer(kind, shape)
    if kind == "boolean":
        return _boolean
    if kind == "blob":
        return _blob(shape)
    if kind == "timestamp":
        return _timestamp
    raise NotImplementedError(f"kinesis_mock: shape type {kind!r} of {shape_name} is not modelled")


def _fail(errors: list[str], value: str | None, path: str, rule: str) -> None:
    if len(errors) < _MAX_ERRORS:
        errors.append(violation(value, path, rule))


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def _java_length(text: str) -> int:
    # Kinesis counts UTF-16 code units, as Java's String.length() does.
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def _type_error(value: Any, target: str) -> SerializationException:
    """The SerializationException Kinesis gives for ``value`` where ``target`` was expected."""
    if isinstance(value, list):
        message = "Start of list found where not expected"
    elif isinstance(value, dict):
        message = "Start of structure or map found where not expected."
    elif isinstance(value, bool):
        message = f"class java.lang.Boolean can not be converted to {target}"
    elif isinstance(value, (int, float)):
        message = (
            f"class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to {target}"
        )
    elif target == "an Boolean":
        message = f"'{str(value).upper()}' can not be converted to an Boolean"
    else:
        message = f"class java.lang.String can not be converted to {target}"
    return SerializationException.type(message=message)


def _structure(shape_name: str, shape: dict[str, Any]) -> Checker:
    """A structure checker, generated as straight-line Python for speed.

    Each member gets an inline test of its common, valid case (a short ASCII string within its
    bounds, an int in range, well-formed base64); anything else goes to the member's full checker,
    which produces AWS's exact errors. PutRecords runs this for up to 500 entries per call.
    """
    model_order = list(shape.get("members", {}))
    recorded = [name for name in _RECORDED_MEMBER_ORDER.get(shape_name, ()) if name in model_order]
    order = recorded + [name for name in model_order if name not in recorded]
    required = set(shape.get("required", ())) | _ALWAYS_REQUIRED.get(shape_name, frozenset())
    scope: dict[str, Any] = {
        "_fail": _fail,
        "_type_error": _type_error,
        "SerializationException": SerializationException,
    }
    lines = [
        "def check(value, path, errors):",
        "    if value.__class__ is not dict:",
        "        if isinstance(value, list):",
        "            raise _type_error(value, '')",
        "        raise SerializationException.type(message='Expected null')",
        "    prefix = path + '.' if path else ''",
        "    out = {}",
    ]
    for number, name in enumerate(order):
        target = shape["members"][name]["shape"]
        member = f"_member_{number}"
        scope[member] = _compile(target)
        fast = _fast_test(target, number, scope)
        lines.append(f"    v = value.get({name!r})")
        lines.append("    if v is None:")
        if name in required:
            lines.append(
                f"        _fail(errors, None, prefix + {_lower_first(name)!r}, 'Member must not be null')"
            )
        else:
            lines.append("        pass")
        if fast is not None:
            lines.append(f"    elif {fast}:")
            lines.append(f"        out[{name!r}] = {_fast_value(target)}")
        lines.append("    else:")
        lines.append(f"        out[{name!r}] = {member}(v, prefix + {_lower_first(name)!r}, errors)")
    lines.append("    return out")
    exec("\n".join(lines), scope)
    check: Checker = scope["check"]
    return check


def _fast_test(shape_name: str, number: int, scope: dict[str, Any]) -> str | None:
    """An expression true when ``v`` is a plainly valid value of the shape, or None."""
    shape = service_model()["shapes"][shape_name]
    kind, low, high = shape["type"], shape.get("min", 0), shape.get("max")
    if kind == "string":
        return string_test(shape, "v", scope, str(number))
    if kind in _INT_MAX:
        return f"v.__class__ is int and {low} <= v" + (f" <= {high}" if high is not None else "")
    if kind == "blob":
        scope["_decode_base64"] = _decode_base64
        scope[f"_blob_max_{number}"] = high if high is not None else 2**63
        return f"v.__class__ is str and len(v) <= _blob_max_{number} * 4 // 3 and not {low}"
    return None


def string_test(shape: dict[str, Any], name: str, scope: dict[str, Any], key: str) -> str:
    """An expression true when ``name`` holds an ASCII string (its length is then the one Kinesis
    counts, in UTF-16 code units) that meets the shape's length, enum and pattern; the sets and
    patterns it needs go into ``scope`` under names ending in ``key``."""
    low, high = shape.get("min", 0), shape.get("max")
    test = f"{name}.__class__ is str and {name}.isascii()"
    if low or high is not None:
        test += f" and {low} <= len({name})" + (f" <= {high}" if high is not None else "")
    if "enum" in shape:
        scope[f"_enum_{key}"] = frozenset(shape["enum"])
        test += f" and {name} in _enum_{key}"
    if "pattern" in shape:
        scope[f"_pattern_{key}"] = re.compile(shape["pattern"], re.ASCII).fullmatch
        test += f" and _pattern_{key}({name}) is not None"
    return test


def _fast_value(shape_name: str) -> str:
    kind = service_model()["shapes"][shape_name]["type"]
    return "_decode_base64(v)" if kind == "blob" else "v"


def _length_rules(shape: dict[str, Any]) -> list[str]:
    rules = []
    if "max" in shape:
        rules.append(at_most(shape["max"]))
    if "min" in shape:
        rules.append(at_least(shape["min"]))
    return rules


def _sizes(
    errors: list[str],
    value: Any,
    size: int,
    path: str,
    shape: dict[str, Any],
    member_shape: str | None = None,
) -> None:
    if "min" in shape and size < shape["min"]:
        _fail(
            errors,
            render(value, member_shape),
            path,
            at_least(shape["min"]),
        )
    if "max" in shape and size > shape["max"]:
        _fail(
            errors,
            render(value, member_shape),
            path,
            at_most(shape["max"]),
        )


def _list(shape: dict[str, Any]) -> Checker:
    member_name = shape["member"]["shape"]
    member_shape = service_model()["shapes"][member_name]
    member_check = _compile(member_name)
    is_struct = member_shape["type"] == "structure"
    member_rules = [] if is_struct else _scalar_rules(member_name, member_shape)
    member_ok = _scalar_predicate(member_name, member_shape)

    def check(value: Any, path: str, errors: list[str]) -> list[Any]:
        if not isinstance(value, list):
            if isinstance(value, dict):
                raise _type_error(value, "")
            raise SerializationException.type(message="Expected list or null")
        if is_struct:
            _sizes(errors, value, len(value), path, shape, member_name)
            # Entries are checked under a shared path and, in the rare case one fails, again
            # under its own ("records.7.member"): building 500 paths per call would cost more
            # than the checks.
            checked, shared = [], path + ".member"
            for index, item in enumerate(value, 1):
                before = len(errors)
                checked.append(member_check(item, shared, errors))
                if len(errors) != before:
                    del errors[before:]
                    checked[-1] = member_check(item, f"{path}.{index}.member", errors)
            return checked
        items = [member_check(item, path, []) for item in value]
        _sizes(errors, items, len(items), path, shape)
        if member_rules and not all(member_ok(item) for item in items):
            _fail(errors, render(items), path, f"Member must satisfy constraint: [{', '.join(member_rules)}]")
        return items

    return check


def _map(shape: dict[str, Any]) -> Checker:
    key_name, value_name = shape["key"]["shape"], shape["value"]["shape"]
    shapes = service_model()["shapes"]
    key_check, value_check = _compile(key_name), _compile(value_name)
    key_rules = _scalar_rules(key_name, shapes[key_name])
    value_rules = _scalar_rules(value_name, shapes[value_name])
    key_ok = _scalar_predicate(key_name, shapes[key_name])
    value_ok = _scalar_predicate(value_name, shapes[value_name])

    def check(value: Any, path: str, errors: list[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            if isinstance(value, list):
                raise _type_error(value, "")
            raise SerializationException.type(message="Expected map or null")
        items = {
            key_check(key, path, []): value_check(item, path, [])
            for key, item in value.items()
            if item is not None
        }
        _sizes(errors, items, len(items), path, shape)
        if key_rules and not all(key_ok(key) for key in items):
            _fail(errors, render(items), path, f"Map keys must satisfy constraint: [{', '.join(key_rules)}]")
        if value_rules and not all(value_ok(item) for item in items.values()):
            _fail(
                errors, render(items), path, f"Map value must satisfy constraint: [{', '.join(value_rules)}]"
            )
        return items

    return check


def _enum_values(shape_name: str, shape: dict[str, Any]) -> Sequence[str]:
    return _RECORDED_ENUM_ORDER.get(shape_name, shape.get("enum", ()))


def _scalar_rules(shape_name: str, shape: dict[str, Any]) -> list[str]:
    """The constraints of a list member or map key/value, as AWS lists them in brackets."""
    rules = _length_rules(shape)
    if "enum" in shape:
        rules.append(f"Member must satisfy enum value set: [{', '.join(_enum_values(shape_name, shape))}]")
    if "pattern" in shape:
        rules.append(f"Member must satisfy regular expression pattern: {_shown_pattern(shape['pattern'])}")
    return rules


def _scalar_predicate(shape_name: str, shape: dict[str, Any]) -> Callable[[Any], bool]:
    errors: list[str] = []
    check = _compile(shape_name) if shape["type"] != "structure" else None

    def ok(value: Any) -> bool:
        del errors[:]
        if check is not None:
            check(value, "", errors)
        return not errors

    return ok


def _shown_pattern(pattern: str) -> str:
    """A pattern as AWS prints it in messages: newer models anchor some (``^(0|...)$``), the
    service's own texts never did (kinesalite, recorded against AWS)."""
    anchored = re.fullmatch(r"\^\((.*)\)\$", pattern) or re.fullmatch(r"\^(.*)\$", pattern)
    return anchored.group(1) if anchored else pattern


def _string(shape_name: str, shape: dict[str, Any]) -> Checker:
    enum = _enum_values(shape_name, shape)
    allowed = frozenset(enum)
    enum_rule = f"Member must satisfy enum value set: [{', '.join(enum)}]"
    pattern = re.compile(shape["pattern"], re.ASCII) if "pattern" in shape else None
    shown = _shown_pattern(shape.get("pattern", ""))
    pattern_rule = f"Member must satisfy regular expression pattern: {shown}"
    low, high = shape.get("min"), shape.get("max")

    def check(value: Any, path: str, errors: list[str]) -> str:
        if type(value) is not str:
            raise _type_error(value, "an String")
        if allowed and value not in allowed:
            _fail(errors, value, path, enum_rule)
        if pattern is not None and pattern.fullmatch(value) is None:
            _fail(errors, value, path, pattern_rule)
        if low is not None or high is not None:
            size = _java_length(value)
            if low is not None and size < low:
                _fail(errors, value, path, at_least(low))
            if high is not None and size > high:
                _fail(errors, value, path, at_most(high))
        return value

    return check


def _integer(kind: str, shape: dict[str, Any]) -> Checker:
    ceiling = _INT_MAX[kind]
    target = "an Integer" if kind == "integer" else "an Long"
    low, high = shape.get("min"), shape.get("max")

    def check(value: Any, path: str, errors: list[str]) -> int:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _type_error(value, target)
        number = min(_whole(value, ceiling), ceiling)
        if low is not None and number < low:
            _fail(errors, str(number), path, f"Member must have value greater than or equal to {low}")
        if high is not None and number > high:
            _fail(errors, str(number), path, f"Member must have value less than or equal to {high}")
        return number

    return check


def _whole(value: float, ceiling: int) -> int:
    """``value`` truncated to a whole number, as Kinesis reads any JSON number (a big decimal).

    A number too large for a float (``1e400``) arrives as infinity and stands for a number past
    any bound; NaN is no number at all (only a CBOR body can carry one, JSON cannot: see
    ``_protocol.parse_json``), so the body is not one Kinesis can read.
    """
    if math.isfinite(value):
        return math.floor(value)
    if value != value:
        raise SerializationException()
    return ceiling if value > 0 else -ceiling - 1


def _boolean(value: Any, path: str, errors: list[str]) -> bool:
    if not isinstance(value, bool):
        raise _type_error(value, "an Boolean")
    return value


def _timestamp(value: Any, path: str, errors: list[str]) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _type_error(value, "milliseconds since epoch")
    if not math.isfinite(value):
        # As for integers: infinity is a number past the range of Java's millisecond clock, NaN
        # no number (CBOR only).
        if value != value:
            raise SerializationException()
        return math.copysign(_LATEST_SECONDS, value)
    return float(value)


def _blob(shape: dict[str, Any]) -> Checker:
    def check(value: Any, path: str, errors: list[str]) -> bytes:
        if type(value) is not str:
            raise _type_error(value, "a Blob")
        data = _decode_base64(value)
        _sizes(errors, data, len(data), path, shape)
        return data

    return check


_BASE64_INDEX = {
    c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
}


def _decode_base64(text: str) -> bytes:
    """Base64 as Kinesis's Java decoder takes it, with its three error texts."""
    try:
        data = binascii.a2b_base64(text, strict_mode=True)
    except binascii.Error:
        data = None
    # Non-canonical padding bits decode fine but are refused: the last character before the
    # padding must not carry bits beyond the data.
    if (
        data is not None
        and len(text) % 4 == 0
        and (
            not text.endswith("=")
            or _BASE64_INDEX.get(text[-3] if text[-2] == "=" else text[-2], 1)
            & (15 if text[-2] == "=" else 3)
            == 0
        )
    ):
        return data
    prefix = f"'{text}' can not be converted to a Blob: "
    if len(text) % 4:
        reason = f"Base64 encoded length is expected a multiple of 4 bytes but found: {len(text)}"
    elif (match := _BASE64_ALPHABET.search(text)) is not None:
        reason = f"Invalid Base64 character: '{match.group()[0]}'"
    else:
        # The typo is AWS's (kinesalite validations/index.js, recorded against the service).
        reason = "Invalid last non-pad Base64 character dectected"
    raise SerializationException.type(message=prefix + reason)
