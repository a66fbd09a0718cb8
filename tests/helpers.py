"""Helpers the tests import (kept out of conftest.py, which pytest imports itself)."""

from __future__ import annotations

import os
import re
from typing import Any

import botocore
import pytest

from kinesis_mock import _model

REGION = "us-east-1"
# The checkout under test: a Python process the tests start imports kinesis_mock from here, not
# from whatever installation of it the interpreter has (an editable one may point elsewhere).
PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def python_path(*first: str) -> str:
    """A PYTHONPATH for a child process: ``first``, the checkout under test, then the caller's."""
    return os.pathsep.join([*first, PROJECT_ROOT, *filter(None, [os.environ.get("PYTHONPATH")])])


ACCOUNT = "123456789012"
HASH_MAX = 2**128 - 1
# The 39 operations of botocore's kinesis model as of botocore 1.43 (the mock implements them all;
# a newer botocore's further operations answer NotImplemented).
IMPLEMENTED = frozenset(
    {
        "AddTagsToStream",
        "CreateStream",
        "DecreaseStreamRetentionPeriod",
        "DeleteResourcePolicy",
        "DeleteStream",
        "DeregisterStreamConsumer",
        "DescribeAccountSettings",
        "DescribeLimits",
        "DescribeStream",
        "DescribeStreamConsumer",
        "DescribeStreamSummary",
        "DisableEnhancedMonitoring",
        "EnableEnhancedMonitoring",
        "GetRecords",
        "GetResourcePolicy",
        "GetShardIterator",
        "IncreaseStreamRetentionPeriod",
        "ListShards",
        "ListStreamConsumers",
        "ListStreams",
        "ListTagsForResource",
        "ListTagsForStream",
        "MergeShards",
        "PutRecord",
        "PutRecords",
        "PutResourcePolicy",
        "RegisterStreamConsumer",
        "RemoveTagsFromStream",
        "SplitShard",
        "StartStreamEncryption",
        "StopStreamEncryption",
        "SubscribeToShard",
        "TagResource",
        "UntagResource",
        "UpdateAccountSettings",
        "UpdateMaxRecordSize",
        "UpdateShardCount",
        "UpdateStreamMode",
        "UpdateStreamWarmThroughput",
    }
)


MODEL_OPERATIONS = frozenset(_model.operation_names())


def needs_model(*operations: str) -> pytest.MarkDecorator:
    """Skip (never fail) where the installed botocore's kinesis model lacks ``operations``: a user
    of that botocore cannot call them, and the mock answers them as that model's service would."""
    missing = sorted(set(operations) - MODEL_OPERATIONS)
    return pytest.mark.skipif(
        bool(missing), reason=f"botocore {botocore.__version__}'s kinesis model has no {', '.join(missing)}"
    )


def error_of(excinfo: pytest.ExceptionInfo[Any]) -> tuple[str, str]:
    """(code, message) of a botocore ClientError."""
    error = excinfo.value.response["Error"]
    return error["Code"], error["Message"]


def stream_arn(name: str, account: str = ACCOUNT, region: str = REGION) -> str:
    return f"arn:aws:kinesis:{region}:{account}:stream/{name}"


def validation(*errors: str) -> str:
    """The ValidationException message AWS builds from ``errors``."""
    noun = "errors" if len(errors) > 1 else "error"
    return f"{len(errors)} validation {noun} detected: " + "; ".join(errors)


def shard_limit(account: str, *, current: int, limit: int, additional: int, region: str = REGION) -> str:
    """The LimitExceededException message of a request that would pass the account's shard quota."""
    return (
        f"This request would exceed the shard limit for the account {account} in {region}. Current shard "
        f"count for the account: {current}. Limit: {limit}. Number of additional shards that would have "
        "resulted from this request: "
        f"{additional}. Refer to the AWS Service Limits page (http://docs.aws.amazon.com/general/latest/gr/"
        "aws_service_limits.html) for current limits and how to request higher limits."
    )


def exactly(message: str) -> str:
    """A ``pytest.raises(match=...)`` pattern for exactly ``message``."""
    return f"^{re.escape(message)}$"


def strip_metadata(response: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in response.items() if key != "ResponseMetadata"}


def served_client(url: str, region: str = REGION, access_key: str = "AKIDEXAMPLE", **options: Any) -> Any:
    """A real boto3 kinesis client of a server at ``url`` (the account is ``access_key`` when it
    is 12 digits, else the default one)."""
    import boto3

    return boto3.client(
        "kinesis",
        endpoint_url=url,
        region_name=region,
        aws_access_key_id=access_key,
        aws_secret_access_key="secret",
        **options,
    )
