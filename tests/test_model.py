"""Model-driven request checking, in AWS's exact words (kinesalite's recordings against AWS)."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from helpers import IMPLEMENTED, needs_model, validation

from kinesis_mock import _model, _protocol
from kinesis_mock.backend import Backend
from kinesis_mock.errors import SerializationException


def answer(operation: str, body: Any) -> tuple[str, str | None]:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    reply = _protocol.handle(Backend(), _protocol.Request(operation, raw, "us-east-1"))
    assert reply.error is not None, reply.result
    return reply.error.code, reply.error.message


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


NULL = "Member must not be null"
NAME_PATTERN = "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"
MIN1 = "Member must have length greater than or equal to 1"


def v(value: str | None, path: str, rule: str) -> str:
    shown = "null" if value is None else f"'{value}'"
    return f"Value {shown} at '{path}' failed to satisfy constraint: {rule}"


@pytest.mark.parametrize(
    ("operation", "body", "errors"),
    [
        ("PutRecords", {}, [v(None, "records", NULL)]),
        (
            "PutRecords",
            {"StreamName": "", "Records": []},
            [
                v("[]", "records", MIN1),
                v("", "streamName", NAME_PATTERN),
                v("", "streamName", MIN1),
            ],
        ),
        (
            "PutRecords",
            {"StreamName": "", "Records": [{"PartitionKey": "", "Data": "", "ExplicitHashKey": ""}]},
            [
                v("", "records.1.member.partitionKey", MIN1),
                v(
                    "",
                    "records.1.member.explicitHashKey",
                    "Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38})",
                ),
                v("", "streamName", NAME_PATTERN),
                v("", "streamName", MIN1),
            ],
        ),
        (
            "PutRecord",
            {
                "StreamName": "",
                "PartitionKey": "",
                "Data": "",
                "ExplicitHashKey": "",
                "SequenceNumberForOrdering": "",
            },
            [
                v(
                    "",
                    "sequenceNumberForOrdering",
                    "Member must satisfy regular expression pattern: 0|([1-9]\\d{0,128})",
                ),
                v("", "partitionKey", MIN1),
                v(
                    "",
                    "explicitHashKey",
                    "Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38})",
                ),
                v("", "streamName", NAME_PATTERN),
                v("", "streamName", MIN1),
            ],
        ),
        ("GetShardIterator", {}, [v(None, "shardId", NULL), v(None, "shardIteratorType", NULL)]),
        (
            "GetShardIterator",
            {"StreamName": "", "ShardIteratorType": "", "ShardId": "", "StartingSequenceNumber": ""},
            [
                v("", "shardId", NAME_PATTERN),
                v("", "shardId", MIN1),
                v(
                    "",
                    "shardIteratorType",
                    "Member must satisfy enum value set: [AFTER_SEQUENCE_NUMBER, "
                    "LATEST, AT_TIMESTAMP, AT_SEQUENCE_NUMBER, TRIM_HORIZON]",
                ),
                v(
                    "",
                    "startingSequenceNumber",
                    "Member must satisfy regular expression pattern: 0|([1-9]\\d{0,128})",
                ),
                v("", "streamName", NAME_PATTERN),
                v("", "streamName", MIN1),
            ],
        ),
        (
            "GetRecords",
            {"ShardIterator": "x", "Limit": 100000},
            [
                v("100000", "limit", "Member must have value less than or equal to 10000"),
            ],
        ),
        (
            "AddTagsToStream",
            {"StreamName": "", "Tags": {}},
            [
                v("{}", "tags", MIN1),
                v("", "streamName", NAME_PATTERN),
                v("", "streamName", MIN1),
            ],
        ),
        (
            "AddTagsToStream",
            {"StreamName": "s", "Tags": {"a": "1", "k" * 129: "3"}},
            [
                v(
                    "{a=1, " + "k" * 129 + "=3}",
                    "tags",
                    "Map keys must satisfy constraint: [Member must "
                    "have length less than or equal to 128, Member must have length greater than or equal "
                    "to 1]",
                ),
            ],
        ),
        (
            "AddTagsToStream",
            {"StreamName": "s", "Tags": {"c": "x" * 257}},
            [
                v(
                    "{c=" + "x" * 257 + "}",
                    "tags",
                    "Map value must satisfy constraint: [Member must have "
                    "length less than or equal to 256, Member must have length greater than or equal to 0]",
                ),
            ],
        ),
        (
            "RemoveTagsFromStream",
            {"StreamName": "s", "TagKeys": ["ok", "k" * 129]},
            [
                v(
                    "[ok, " + "k" * 129 + "]",
                    "tagKeys",
                    "Member must satisfy constraint: [Member must "
                    "have length less than or equal to 128, Member must have length greater than or equal "
                    "to 1]",
                ),
            ],
        ),
        (
            "EnableEnhancedMonitoring",
            {"StreamName": "s", "ShardLevelMetrics": ["Nope"]},
            [
                v(
                    "[Nope]",
                    "shardLevelMetrics",
                    "Member must satisfy constraint: [Member must satisfy "
                    "enum value set: [IncomingBytes, IncomingRecords, OutgoingBytes, OutgoingRecords, "
                    "WriteProvisionedThroughputExceeded, ReadProvisionedThroughputExceeded, "
                    "IteratorAgeMilliseconds, ALL]]",
                ),
            ],
        ),
        (
            "CreateStream",
            {"StreamName": "s", "StreamModeDetails": {}},
            [
                v(None, "streamModeDetails.streamMode", NULL),
            ],
        ),
        (
            "ListShards",
            {"ShardFilter": {"Type": "SOON"}},
            [
                v(
                    "SOON",
                    "shardFilter.type",
                    "Member must satisfy enum value set: [AFTER_SHARD_ID, "
                    "AT_TRIM_HORIZON, FROM_TRIM_HORIZON, AT_LATEST, AT_TIMESTAMP, FROM_TIMESTAMP]",
                ),
            ],
        ),
    ],
)
def test_constraint_failures(operation: str, body: Any, errors: list[str]) -> None:
    assert answer(operation, body) == ("ValidationException", validation(*errors))


def test_at_most_ten_failures_are_reported() -> None:
    records = [{"PartitionKey": "", "Data": ""} for _ in range(501)]
    entry = "com.amazonaws.kinesis.v20131202.PutRecordsRequestEntry@c965e310"
    expected = [
        v(
            "[" + ", ".join([entry] * 501) + "]",
            "records",
            "Member must have length less than or equal to 500",
        )
    ]
    expected += [v("", f"records.{i}.member.partitionKey", MIN1) for i in range(1, 10)]
    assert answer("PutRecords", {"StreamName": "s", "Records": records}) == (
        "ValidationException",
        validation(*expected),
    )


def test_blobs_are_measured_decoded_and_shown_as_java_buffers() -> None:
    size = 10 * 1024 * 1024 + 1
    code, message = answer("PutRecord", {"StreamName": "s", "PartitionKey": "k", "Data": b64(bytes(size))})
    assert (code, message) == (
        "ValidationException",
        validation(
            v(
                f"java.nio.HeapByteBuffer[pos=0 lim={size} cap={size}]",
                "data",
                "Member must have length less than or equal to 10485760",
            )
        ),
    )


def test_lengths_count_utf16_code_units_as_java_does() -> None:
    key = "😀" * 128 + "a"  # 257 UTF-16 code units in 129 characters
    assert answer("PutRecord", {"StreamName": "s", "PartitionKey": key, "Data": ""}) == (
        "ValidationException",
        validation(v(key, "partitionKey", "Member must have length less than or equal to 256")),
    )


BOOL = "class java.lang.Boolean can not be converted to "
NUMBER = "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to "


@pytest.mark.parametrize(
    ("operation", "body", "message"),
    [
        ("DescribeStream", {"StreamName": True}, BOOL + "an String"),
        ("DescribeStream", {"StreamName": 1.5}, NUMBER + "an String"),
        ("DescribeStream", {"StreamName": ["s"]}, "Start of list found where not expected"),
        ("DescribeStream", {"StreamName": {}}, "Start of structure or map found where not expected."),
        (
            "DescribeStream",
            {"StreamName": "s", "Limit": "5"},
            "class java.lang.String can not be converted to an Integer",
        ),
        ("DescribeStream", {"StreamName": "s", "Limit": False}, BOOL + "an Integer"),
        (
            "DeleteStream",
            {"StreamName": "s", "EnforceConsumerDeletion": "yes"},
            "'YES' can not be converted to an Boolean",
        ),
        ("DeleteStream", {"StreamName": "s", "EnforceConsumerDeletion": 1}, NUMBER + "an Boolean"),
        ("PutRecord", {"StreamName": "s", "PartitionKey": "k", "Data": 5}, NUMBER + "a Blob"),
        (
            "PutRecord",
            {"StreamName": "s", "PartitionKey": "k", "Data": "abc"},
            "'abc' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 "
            "bytes but found: 3",
        ),
        (
            "PutRecord",
            {"StreamName": "s", "PartitionKey": "k", "Data": "ab!="},
            "'ab!=' can not be converted to a Blob: Invalid Base64 character: '!'",
        ),
        (
            "PutRecord",
            {"StreamName": "s", "PartitionKey": "k", "Data": "YR=="},
            "'YR==' can not be converted to a Blob: Invalid last non-pad Base64 character dectected",
        ),
        (
            "ListShards",
            {"StreamName": "s", "StreamCreationTimestamp": "today"},
            "class java.lang.String can not be converted to milliseconds since epoch",
        ),
        ("PutRecords", {"StreamName": "s", "Records": "x"}, "Expected list or null"),
        (
            "PutRecords",
            {"StreamName": "s", "Records": {}},
            "Start of structure or map found where not expected.",
        ),
        ("PutRecords", {"StreamName": "s", "Records": [5]}, "Expected null"),
        ("AddTagsToStream", {"StreamName": "s", "Tags": "x"}, "Expected map or null"),
        ("AddTagsToStream", {"StreamName": "s", "Tags": []}, "Start of list found where not expected"),
        ("CreateStream", {"StreamName": "s", "StreamModeDetails": "ON_DEMAND"}, "Expected null"),
    ],
)
def test_wrong_json_types(operation: str, body: Any, message: str) -> None:
    assert answer(operation, body) == ("SerializationException", message)


def test_type_errors_win_over_constraint_errors() -> None:
    assert answer("PutRecords", {"StreamName": "", "Records": "x"}) == (
        "SerializationException",
        "Expected list or null",
    )


def test_numbers_are_floored_and_clamped_like_java_integers() -> None:
    assert answer("GetRecords", {"ShardIterator": "x", "Limit": 1e11}) == (
        "ValidationException",
        validation(v("2147483647", "limit", "Member must have value less than or equal to 10000")),
    )
    params = _model.request_checker("DescribeStream")({"StreamName": "s", "Limit": 5.9})
    assert params == {"StreamName": "s", "Limit": 5}


def test_checked_parameters_have_python_values() -> None:
    params = _model.request_checker("PutRecords")(
        {
            "StreamName": "s",
            "Unknown": 1,
            "StreamARN": None,
            "Records": [{"PartitionKey": "k", "Data": b64(b"\x00\x01"), "ExplicitHashKey": "7"}],
        }
    )
    assert params == {
        "StreamName": "s",
        "Records": [{"PartitionKey": "k", "ExplicitHashKey": "7", "Data": b"\x00\x01"}],
    }
    stamp = _model.request_checker("GetShardIterator")(
        {"ShardId": "0", "ShardIteratorType": "AT_TIMESTAMP", "Timestamp": 1700000000}
    )
    assert stamp["Timestamp"] == 1700000000.0


@needs_model(*IMPLEMENTED)
def test_every_operation_of_the_model_has_a_checker() -> None:
    assert set(_model.operation_names()) >= IMPLEMENTED
    for name in sorted(IMPLEMENTED):
        with pytest.raises(SerializationException) as excinfo:
            _model.request_checker(name)([])
        # A body that is no JSON object gets the bare code, no message.
        assert (excinfo.value.template, excinfo.value.message) == (None, None), name
        assert _model.error_codes(name), name
