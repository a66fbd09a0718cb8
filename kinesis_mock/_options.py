"""The options of a mock, defined once.

Every option is one field of :class:`Options`: its name, type, default, the text the README's
options table and ``KinesisMock``'s docstring show, and its validation. ``KinesisMock(...)``,
``mock_kinesis(...)`` and the pytest marker all parse their keywords with :func:`parse`;
:class:`OptionValues` (the keywords' static typing) and the README table are held against the
fields by tests. Only the standard library is imported here: the pytest plugin reads the option
names without loading botocore.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from typing import Any, TypedDict

_ACCOUNT_ID = re.compile(r"\d{12}")


def check_account(value: object, source: str) -> str:
    """``value`` if it is a 12-digit account id, else ValueError naming ``source``."""
    if not isinstance(value, str) or not _ACCOUNT_ID.fullmatch(value):
        raise ValueError(f"kinesis_mock: {source} must be a 12-digit AWS account id, got {value!r}")
    return value


def _whole_number(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"kinesis_mock: {name} must be a whole number >= 0, got {value!r}")


def _seconds(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ValueError(f"kinesis_mock: {name} must be a number >= 0, got {value!r}")


def _flag(name: str, value: object) -> None:
    if not isinstance(value, bool):
        raise ValueError(f"kinesis_mock: {name} must be True or False, got {value!r}")


def _account(name: str, value: object) -> None:
    check_account(value, name)


def _option(
    default: Any, meaning: str, check: Callable[[str, object], None], shown: str | None = None, *, quota: bool
) -> Any:
    """A field of :class:`Options`. ``meaning`` and ``shown`` (the default as the README writes it)
    are the README's columns; ``None`` is always accepted (it means "AWS's default")."""
    text = {"meaning": meaning, "default": shown if shown is not None else f"{default:,}", "quota": quota}
    return dataclasses.field(default=default, metadata={**text, "check": check})


@dataclasses.dataclass(frozen=True)
class Options:
    """What a :class:`~kinesis_mock.KinesisMock` was built with (its keyword arguments, checked)."""

    account_id: str | None = _option(
        None,
        "the 12-digit account every call acts as",
        _account,
        "`$KINESIS_MOCK_ACCOUNT_ID`, else the client's access key id if 12 digits, else `123456789012`",
        quota=False,
    )
    shard_limit: int | None = _option(
        None,
        "open shards per account and region",
        _whole_number,
        "20,000 in us-east-1, us-west-2, eu-west-1; 1,000 elsewhere",
        quota=True,
    )
    on_demand_stream_limit: int = _option(
        50, "ON_DEMAND streams per account and region", _whole_number, quota=True
    )
    creating_stream_limit: int = _option(
        5,
        "streams CREATING or DELETING at once (binds with `state_change_seconds`)",
        _whole_number,
        quota=True,
    )
    tag_limit: int = _option(50, "tags per stream or consumer", _whole_number, quota=True)
    consumer_limit: int = _option(20, "registered consumers per stream", _whole_number, quota=True)
    consumers_creating_limit: int = _option(
        5,
        "consumers CREATING at once per stream (binds with `state_change_seconds`)",
        _whole_number,
        quota=True,
    )
    put_records_max_entries: int = _option(500, "records per PutRecords call", _whole_number, quota=True)
    put_records_max_bytes: int = _option(
        10 * 1024 * 1024,
        "bytes per PutRecords call, partition keys included",
        _whole_number,
        "10 MiB",
        quota=True,
    )
    max_record_size_kib: int = _option(
        1024, "`MaxRecordSizeInKiB` of a new stream", _whole_number, "1024", quota=True
    )
    shards_per_stream: int = _option(
        10_000, "UpdateShardCount's ceiling per stream", _whole_number, quota=True
    )
    scaling_operations_per_day: int = _option(
        10, "UpdateShardCount calls per stream per rolling 24 h", _whole_number, quota=True
    )
    mode_switches_per_day: int = _option(
        2, "capacity-mode switches per stream per rolling 24 h", _whole_number, quota=True
    )
    encryption_changes_per_day: int = _option(
        25,
        "Start (and, separately, Stop) StreamEncryption per stream per rolling 24 h",
        _whole_number,
        quota=True,
    )
    subscribe_idle_seconds: float = _option(
        0.1,
        "how long (real time) a SubscribeToShard subscription with nothing to deliver waits for a "
        "write before it sends an empty event (AWS sends one about every 5 s)",
        _seconds,
        quota=False,
    )
    state_change_seconds: float = _option(
        0.0,
        "how long, by the mock clock, streams stay CREATING, UPDATING and DELETING and consumers "
        "CREATING and DELETING; 0 completes every change at once",
        _seconds,
        "0",
        quota=False,
    )
    throughput_limits: bool = _option(
        False,
        "per-shard throughput by the mock clock: 1 MiB/s and 1,000 records/s of writes, 2 MiB/s "
        "and 5 GetRecords/s of reads, 5 GetShardIterator/s; ON_DEMAND streams 4 MiB/s (or their "
        "warm throughput) as a whole. Over them, ProvisionedThroughputExceededException",
        _flag,
        "off",
        quota=False,
    )

    def __post_init__(self) -> None:
        for spec in dataclasses.fields(self):
            value = getattr(self, spec.name)
            if value is not None or spec.default is not None:
                spec.metadata["check"](spec.name, value)


class OptionValues(TypedDict, total=False):
    """The keywords ``KinesisMock(...)`` and ``mock_kinesis(...)`` accept, for type checkers
    (``**options: Unpack[OptionValues]``). A test holds it against :class:`Options`."""

    account_id: str | None
    shard_limit: int | None
    on_demand_stream_limit: int
    creating_stream_limit: int
    tag_limit: int
    consumer_limit: int
    consumers_creating_limit: int
    put_records_max_entries: int
    put_records_max_bytes: int
    max_record_size_kib: int
    shards_per_stream: int
    scaling_operations_per_day: int
    mode_switches_per_day: int
    encryption_changes_per_day: int
    subscribe_idle_seconds: float
    state_change_seconds: float
    throughput_limits: bool


NAMES = tuple(spec.name for spec in dataclasses.fields(Options))


def parse(options: Mapping[str, object], where: str = "") -> Options:
    """Check keyword options and build :class:`Options`: TypeError for an unknown name (listing the
    known ones), ValueError for a bad value. ``where`` says where they were written, if not in a call."""
    unknown = sorted(set(options) - set(NAMES))
    if unknown:
        raise TypeError(
            f"kinesis_mock: unknown option {', '.join(map(repr, unknown))}{where}; "
            f"the options are {', '.join(NAMES)}"
        )
    return Options(**options)  # type: ignore[arg-type]


def table(quota: bool) -> list[tuple[str, str, str]]:
    """The README's options table (``quota=False``) or quotas table: (name, default, meaning) rows."""
    return [
        (spec.name, spec.metadata["default"], spec.metadata["meaning"])
        for spec in dataclasses.fields(Options)
        if spec.metadata["quota"] is quota
    ]


def docstring() -> str:
    """The options part of ``KinesisMock``'s docstring."""
    lines = ["Options (each may be omitted; the quotas' defaults are AWS's):"]
    for name, default, meaning in table(False) + table(True):
        lines.append(f"    {name}: {meaning.replace('`', '``')}. Default: {default.replace('`', '``')}.")
    return "\n".join(lines)
