"""kinesis_mock: a fast, faithful in-process mock of Amazon Kinesis Data Streams.

Every boto3/botocore kinesis call made while the mock is active is answered in-process, from
state kept per account and region, exactly as real Kinesis answers it::

    import boto3
    from kinesis_mock import mock_kinesis

    @mock_kinesis
    def test_orders():
        client = boto3.client("kinesis", region_name="us-east-1")
        client.create_stream(StreamName="orders", ShardCount=1)
        assert client.list_streams()["StreamNames"] == ["orders"]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import errors
from .errors import (
    ExpiredIteratorException,
    ExpiredNextTokenException,
    InternalFailure,
    InvalidArgumentException,
    KinesisError,
    LimitExceededException,
    NotImplementedOperation,
    ProvisionedThroughputExceededException,
    ResourceInUseException,
    ResourceNotFoundException,
    SerializationException,
    UnknownOperationException,
    ValidationException,
)

if TYPE_CHECKING:
    from ._activation import KinesisMock, mock_kinesis
    from ._controls import Call, Calls, Fault
    from ._inspect import Record
    from .server import KinesisServer

__version__ = "0.1.0"

__all__ = [
    "Call",
    "Calls",
    "ExpiredIteratorException",
    "ExpiredNextTokenException",
    "Fault",
    "InternalFailure",
    "InvalidArgumentException",
    "KinesisError",
    "KinesisMock",
    "KinesisServer",
    "LimitExceededException",
    "NotImplementedOperation",
    "ProvisionedThroughputExceededException",
    "Record",
    "ResourceInUseException",
    "ResourceNotFoundException",
    "SerializationException",
    "UnknownOperationException",
    "ValidationException",
    "__version__",
    "current",
    "errors",
    "mock_kinesis",
]


def current() -> KinesisMock:
    """The innermost active mock: inside a test decorated with ``@mock_kinesis``, a ``with
    mock_kinesis()`` block or a test using the fixture (RuntimeError when none is active).

    Example::

        @mock_kinesis
        def test_producer_retries():
            kinesis_mock.current().fail("PutRecord", "ProvisionedThroughputExceededException")
            produce()
    """
    from ._activation import current as innermost

    return innermost()


_LAZY = {"Call": "_controls", "Calls": "_controls", "Fault": "_controls", "Record": "_inspect"}


def __getattr__(name: str) -> object:
    # KinesisMock and mock_kinesis load botocore and boto3 (most of a second): import them on
    # first use, so that loading the pytest plugin (which imports this package) stays cheap.
    if name in ("KinesisMock", "mock_kinesis"):
        from . import _activation

        return getattr(_activation, name)
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    if name == "KinesisServer":
        from .server import KinesisServer

        return KinesisServer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
