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
    ResourceInUseException,
    ResourceNotFoundException,
    SerializationException,
    UnknownOperationException,
    ValidationException,
)

if TYPE_CHECKING:
    from ._activation import KinesisMock, mock_kinesis
    from .server import KinesisServer

__version__ = "0.1.0"

__all__ = [
    "ExpiredIteratorException",
    "ExpiredNextTokenException",
    "InternalFailure",
    "InvalidArgumentException",
    "KinesisError",
    "KinesisMock",
    "KinesisServer",
    "LimitExceededException",
    "NotImplementedOperation",
    "ResourceInUseException",
    "ResourceNotFoundException",
    "SerializationException",
    "UnknownOperationException",
    "ValidationException",
    "__version__",
    "errors",
    "mock_kinesis",
]


def __getattr__(name: str) -> object:
    # KinesisMock and mock_kinesis load botocore and boto3 (most of a second): import them on
    # first use, so that loading the pytest plugin (which imports this package) stays cheap.
    if name in ("KinesisMock", "mock_kinesis"):
        from . import _activation

        return getattr(_activation, name)
    if name == "KinesisServer":
        from .server import KinesisServer

        return KinesisServer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
