"""State snapshots: the whole backend written to a file and read back, or refused whole.

The file is a header line and a pickle of the backend object graph::

    KINESIS-MOCK-STATE {"format": 1, "version": "0.1.0", "sha256": "...", "length": 1234}\\n
    <pickle, protocol 5>

Why a pickle of the objects rather than an explicit format: the backend is the one description of
the state (streams, shards with lineage, record columns, consumers, tags, policies, settings,
quota counters, the token key), and it changes shape often. A generic copy of the object graph
follows every such change without a second schema to keep in step, so after a load every sequence
number, iterator, NextToken and ListShards answer is as before. What a pickle does not do by
itself is handled here:

- Locks, conditions and live subscriptions are not state: the graph is taken as
  ``copy.deepcopy(backend)`` under the backend's lock, which gives fresh locks and no
  subscriptions (``Backend.__deepcopy__``), and locks are written as "a new lock".
- A file is only ever read by the version of kinesis_mock that wrote it: another version's classes
  may differ, so the header's version must match exactly, and the refusal says which it was.
- Loading runs no code from the file: the unpickler resolves only kinesis_mock's own classes and a
  short list of plain standard types (``array``, ``datetime``, ``collections``), so a crafted file
  cannot call anything else.
- A checksum over the payload catches a truncated or damaged file; nothing is replaced until the
  whole file has been read and checked.
- Writes are atomic: a temporary file in the same directory, flushed and fsynced, then renamed over
  the target (and the directory fsynced), so a crash mid-save leaves the last good file.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import os
import pickle
import tempfile
import threading
from pathlib import Path
from typing import Any

from .backend import Backend, Quotas

MAGIC = b"KINESIS-MOCK-STATE "
FORMAT = 1
_LOCK_TYPES = (type(threading.Lock()), type(threading.RLock()))
# (module, name) pairs a state file may refer to besides kinesis_mock's own classes.
_ALLOWED = frozenset(
    {
        ("array", "array"),
        ("array", "_array_reconstructor"),
        ("builtins", "bytearray"),
        ("builtins", "frozenset"),
        ("builtins", "set"),
        ("builtins", "object"),
        ("collections", "OrderedDict"),
        ("collections", "defaultdict"),
        ("collections", "deque"),
        ("copyreg", "_reconstructor"),
        ("datetime", "date"),
        ("datetime", "datetime"),
        ("datetime", "timedelta"),
        ("datetime", "timezone"),
        ("threading", "Condition"),
        ("threading", "RLock"),
    }
)


class SnapshotError(ValueError):
    """A state file that cannot be loaded: missing, corrupt, or from another version."""


def save(backend: Backend, path: str | os.PathLike[str]) -> None:
    """Write ``backend``'s whole state to ``path`` atomically."""
    with backend.lock:
        state = copy.deepcopy(backend)
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=5).dump(state)
    payload = buffer.getvalue()
    header = {
        "format": FORMAT,
        "version": _version(),
        "sha256": hashlib.sha256(payload).hexdigest(),
        "length": len(payload),
    }
    _write_atomically(Path(path), MAGIC + json.dumps(header).encode() + b"\n" + payload)


def load(path: str | os.PathLike[str], quotas: Quotas) -> Backend:
    """The backend saved at ``path``; :class:`SnapshotError` (and nothing loaded) if it is not a
    complete state file of this version of kinesis_mock."""
    where = os.fspath(path)
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise SnapshotError(f"kinesis_mock: cannot read state file {where}: {error.strerror}") from None
    payload = _checked_payload(data, where)
    try:
        backend = _Unpickler(io.BytesIO(payload)).load()
    except SnapshotError:
        raise
    except Exception as error:
        raise SnapshotError(f"kinesis_mock: state file {where} is corrupt ({error})") from None
    if not isinstance(backend, Backend):
        raise SnapshotError(f"kinesis_mock: state file {where} does not hold a kinesis_mock state")
    backend.quotas = quotas
    return backend


def _checked_payload(data: bytes, where: str) -> bytes:
    if not data.startswith(MAGIC):
        raise SnapshotError(f"kinesis_mock: {where} is not a kinesis_mock state file")
    line, _, payload = data[len(MAGIC) :].partition(b"\n")
    try:
        header = json.loads(line)
        expected_format, version = header["format"], header["version"]
        digest, length = header["sha256"], header["length"]
    except (ValueError, KeyError, TypeError):
        raise SnapshotError(f"kinesis_mock: state file {where} has a corrupt header") from None
    if expected_format != FORMAT or version != _version():
        raise SnapshotError(
            f"kinesis_mock: state file {where} was written by kinesis_mock {version} (file format "
            f"{expected_format}); this is kinesis_mock {_version()} (format {FORMAT}), which reads only "
            "its own files. Load it with that version, or start from empty state"
        )
    if len(payload) != length or hashlib.sha256(payload).hexdigest() != digest:
        raise SnapshotError(
            f"kinesis_mock: state file {where} is corrupt (truncated or damaged: its checksum does not match)"
        )
    return payload


def _write_atomically(path: Path, data: bytes) -> None:
    directory = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    # The rename itself is durable once the directory entry is on disk.
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _version() -> str:
    from . import __version__

    return __version__


def _new_lock() -> Any:
    return threading.RLock()


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        # A lock is written as "a fresh lock"; a Condition as a Condition over its (fresh) lock.
        if isinstance(obj, _LOCK_TYPES):
            return threading.RLock, ()
        if isinstance(obj, threading.Condition):
            return threading.Condition, (obj._lock,)  # type: ignore[attr-defined]
        return NotImplemented


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module == "kinesis_mock" or module.startswith("kinesis_mock.") or (module, name) in _ALLOWED:
            return super().find_class(module, name)
        raise SnapshotError(
            f"kinesis_mock: refusing a state file that refers to {module}.{name}, "
            "which kinesis_mock never writes"
        )
