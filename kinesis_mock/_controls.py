"""Test controls: injected faults and the record of calls, on the path every request takes.

:func:`kinesis_mock._protocol.handle` answers the in-process hook (botocore and aiobotocore) and
the server alike, and consults the :class:`Controls` it is given: the faults of
``mock.fail()`` are raised there, after the request's parameters are checked and before the
backend sees it (so a fault never changes state), and every answered request is appended to
``mock.calls``. An injected error is an ordinary error reply: the client's retry handler retries
it as it would AWS's, with the right ``RetryAttempts``.
"""

from __future__ import annotations

import functools
import random
import re
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from . import _clock, _model
from .backend import Backend, StreamRef
from .backend.records import hash_key
from .backend.shard import parse_shard_id, shard_id
from .backend.stream import split_stream_arn
from .backend.tokens import ShardIterator
from .errors import (
    InternalFailure,
    KinesisError,
    LimitExceededException,
    ProvisionedThroughputExceededException,
    ResourceNotFoundException,
)
from .operations import HANDLERS

if TYPE_CHECKING:
    from .operations import Call as Decoded

# Server faults: answered with HTTP 500, as Kinesis answers InternalFailure (kinesalite
# test/helpers.js, recorded against AWS). The model's InternalFailureException is the same fault.
_SERVER_FAULTS = frozenset({"InternalFailure", "InternalFailureException"})
# What a PutRecords entry can fail with (model documentation of PutRecordsResultEntry).
ENTRY_ERRORS = ("InternalFailure", "ProvisionedThroughputExceededException")
_TAGS = re.compile(r"<[^>]+>")


class Call(NamedTuple):
    """One request the mock answered (``mock.calls``): the operation's wire name, the parameters
    as sent (blobs as ``bytes``), the AWS error code of the reply or ``None``, and the calling
    account and the client's region.

    A request refused before its parameters could be read (not JSON, unknown operation, a
    constraint broken) keeps the JSON body as decoded, blobs still base64 (``{}`` if it was not
    JSON)."""

    operation: str
    params: dict[str, Any]
    error: str | None
    account_id: str
    region: str


class Calls(list[Call]):
    """Every request answered, oldest first; ``mock.calls.clear()`` forgets them. Example::

    client.put_record(StreamName="orders", Data=b"x", PartitionKey="k")
    assert [call.operation for call in mock.calls] == ["CreateStream", "PutRecord"]
    """

    def operations(self) -> list[str]:
        """The operation of each call, in order."""
        return [call.operation for call in self]


class Fault:
    """A failure injected by :meth:`KinesisMock.fail`. ``hits`` counts the calls it failed;
    :meth:`remove` stops it (it also stops by itself after ``times`` hits, and with its mock)."""

    def __init__(
        self,
        controls: Controls,
        owner: object,
        operation: str,
        error: str,
        *,
        stream: str | None,
        times: int | None,
        probability: float | None,
        seed: int | None,
        entries: frozenset[int] | None,
        message: str | None,
    ) -> None:
        self.operation, self.error, self.stream, self.message = operation, error, stream, message
        self.times, self.probability, self.entries = times, probability, entries
        self.hits = 0
        self._controls, self._owner = controls, owner
        self._random = random.Random(seed)

    def __repr__(self) -> str:
        scope = f" stream={self.stream!r}" if self.stream is not None else ""
        return f"<Fault {self.operation} -> {self.error}{scope} hits={self.hits} times={self.times}>"

    @property
    def active(self) -> bool:
        """Whether it still fails calls."""
        return self in self._controls.faults

    def remove(self) -> None:
        """Stop failing calls (removing a fault twice is harmless)."""
        with self._controls.lock:
            if self in self._controls.faults:
                self._controls.faults.remove(self)

    def _fires(self, backend: Backend, call: Decoded) -> bool:
        if call.operation != self.operation:
            return False
        if self.stream is not None and not _names(backend, call, self.stream):
            return False
        return self.probability is None or self._random.random() < self.probability


class Controls:
    """The faults and the calls of one mock session (the in-process one, or a server's)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.faults: list[Fault] = []
        self.calls = Calls()
        self.advanced_ms = 0

    def add(self, fault: Fault) -> Fault:
        with self.lock:
            self.faults.append(fault)
        return fault

    def end(self) -> None:
        """The session is over: no more faults, and the mock clock is back where it was."""
        with self.lock:
            self.faults = []
            _clock.advance(-self.advanced_ms)
            self.advanced_ms = 0

    def restore(self, faults: list[tuple[Fault, int]]) -> None:
        """Back to ``faults`` with their hits then (those of a decorated class's setup) and no
        calls: before each test of the class."""
        with self.lock:
            for fault, hits in faults:
                fault.hits = hits
            self.faults = [fault for fault, _ in faults]
            self.calls.clear()

    def drop(self, owner: object) -> None:
        """End the faults ``owner`` (a mock that stops) injected."""
        with self.lock:
            self.faults = [fault for fault in self.faults if fault._owner is not owner]

    def inject(self, backend: Backend, call: Decoded) -> None:
        """Raise the error of the first fault that fires on ``call``, or mark the PutRecords
        entries one fails; consulted only while there are faults."""
        with self.lock:
            fault = next((fault for fault in self.faults if fault._fires(backend, call)), None)
            if fault is None:
                return
            fault.hits += 1
            if fault.times is not None and fault.hits >= fault.times:
                self.faults.remove(fault)
        if fault.entries is not None:
            call.injected = {index: (fault.error, fault.message) for index in fault.entries}
            return
        error = injected_error(backend, call, fault.error)
        if fault.message is not None:
            error.message = fault.message
        raise error


def errors_of(operation: str) -> list[str]:
    """The error codes ``mock.fail`` accepts for ``operation``: the model's, and InternalFailure."""
    return sorted({"InternalFailure", *_model.error_codes(operation)})


class InjectedError(KinesisError):
    """An error code the mock never answers by itself, answered because a fault says so."""


@functools.cache
def _injected_class(code: str) -> type[InjectedError]:
    status = 500 if code in _SERVER_FAULTS else 400
    return type(code, (InjectedError,), {"code": code, "status": status, "__module__": __name__})


def injected_error(backend: Backend, call: Decoded, code: str) -> KinesisError:
    """``code`` answering ``call``, with AWS's HTTP status and message: as recorded against the
    service where a record exists (errors.py), else the model's description of the error."""
    if code == InternalFailure.code:
        return InternalFailure()  # Kinesis sends server faults without a message
    named = _stream_of(backend, call)
    if named is not None:
        account, name = named
        if code == ProvisionedThroughputExceededException.code:
            shard = _shard_of(backend, call)
            if shard is not None:
                return ProvisionedThroughputExceededException.shard(shard=shard, stream=name, account=account)
            return ProvisionedThroughputExceededException.stream(stream=name, account=account)
        if code == LimitExceededException.code:
            return LimitExceededException.rate(stream=name, account=account)
        if code == ResourceNotFoundException.code:
            return ResourceNotFoundException.stream(stream=name, account=account)
    error = _injected_class(code)()
    if code not in _SERVER_FAULTS:
        error.message = _described(code)
    return error


@functools.cache
def _described(code: str) -> str:
    shape = _model.service_model()["shapes"].get(code, {})
    return " ".join(_TAGS.sub("", shape.get("documentation", "")).split()) or code


def _names(backend: Backend, call: Decoded, stream: str) -> bool:
    named = _stream_of(backend, call)
    if named is None:
        return False
    if not stream.startswith("arn:"):
        return named[1] == stream
    region = stream.split(":")[3] if stream.count(":") >= 5 else ""
    return named == split_stream_arn(stream) and region == call.region


def _stream_of(backend: Backend, call: Decoded) -> tuple[str, str] | None:
    """(account, stream name) of the stream ``call`` acts on, if it names one."""
    p = call.params
    arn = p.get("StreamARN") or _stream_arn_in(p.get("ConsumerARN") or p.get("ResourceARN"))
    if arn is not None:
        return split_stream_arn(arn)
    if "StreamName" in p:
        return call.account, p["StreamName"]
    if "ShardIterator" in p:
        try:
            at = ShardIterator.open(backend.sealer, p["ShardIterator"], 0, call.account, call.region)
        except KinesisError:
            return None
        return at.account, at.stream
    return None


def _stream_arn_in(arn: str | None) -> str | None:
    # arn:aws:kinesis:region:account:stream/name/consumer/c:123 names stream/name.
    if arn is None or "/" not in arn:
        return None
    return arn.split("/consumer/", 1)[0]


def _shard_of(backend: Backend, call: Decoded) -> str | None:
    """The shard ``call`` reads or writes, when it names one (or its record routes to one)."""
    p = call.params
    if "ShardId" in p:
        index = parse_shard_id(p["ShardId"])
        return shard_id(index) if index is not None else None
    if call.operation == "PutRecord":
        try:
            with backend.lock:
                stream = backend.stream(
                    StreamRef(call.account, call.region, p.get("StreamName"), p.get("StreamARN"))
                )
                return stream.route(hash_key(p["PartitionKey"], p.get("ExplicitHashKey"))).shard_id
        except (KinesisError, IndexError):
            return None
    return None


def check_fault(
    operation: str,
    error: str,
    times: int | None,
    probability: float | None,
    entries: Iterable[int] | None,
) -> frozenset[int] | None:
    """ValueError (``kinesis_mock: ...``) for a fault that cannot be; the entries as a set."""
    operations = sorted(HANDLERS)  # those of the model that the mock implements
    if operation not in operations:
        raise ValueError(
            f"kinesis_mock: {operation!r} is not a Kinesis operation; "
            f"the operations are {', '.join(operations)}"
        )
    allowed = errors_of(operation)
    if error not in allowed:
        raise ValueError(
            f"kinesis_mock: {operation} does not fail with {error!r} (botocore's model); "
            f"its errors are {', '.join(allowed)}"
        )
    if times is not None and (isinstance(times, bool) or not isinstance(times, int) or times < 1):
        raise ValueError(f"kinesis_mock: times must be a whole number >= 1 or None, got {times!r}")
    if probability is not None and (isinstance(probability, bool) or not 0 <= probability <= 1):
        raise ValueError(f"kinesis_mock: probability must be between 0 and 1, got {probability!r}")
    return None if entries is None else _entries(operation, error, entries)


def _entries(operation: str, error: str, entries: Iterable[int]) -> frozenset[int]:
    if operation != "PutRecords" or error not in ENTRY_ERRORS:
        raise ValueError(
            "kinesis_mock: entries= fails records of a PutRecords call, with "
            f"{' or '.join(ENTRY_ERRORS)}; got {operation} with {error}"
        )
    chosen = frozenset(entries)
    if not all(isinstance(index, int) and not isinstance(index, bool) and index >= 0 for index in chosen):
        shown = sorted(chosen, key=repr)
        raise ValueError(f"kinesis_mock: entries must be record indexes (whole numbers >= 0), got {shown!r}")
    return chosen
