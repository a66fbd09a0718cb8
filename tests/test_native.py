"""The caller's own parameters: read in place of the JSON body only when nothing changed the
request and they are plainly valid, so the answer is the one the body would have given."""

from __future__ import annotations

import datetime
import json
from typing import Any

import boto3
import pytest
from botocore.serialize import create_serializer
from fuzz_strategies import Made, Setup, calls
from helpers import REGION, error_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kinesis_mock import _hook, _model, _native, mock_kinesis
from kinesis_mock.errors import KinesisError

_MODEL = boto3.session.Session().client("kinesis", region_name=REGION).meta.service_model
_SETUP = Setup(
    {"alpha": Made(("shardId-000000000000",), ("4" * 56,), ("0",))},
    ("arn:aws:kinesis:us-east-1:123456789012:stream/alpha/consumer/c:1",),
    ("AAAAAAAAAAE=",),
    ("token",),
    datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
)
_SERIALIZER = create_serializer("json", include_validation=False)


@settings(max_examples=300, suppress_health_check=list(HealthCheck), deadline=None)
@given(st.data())
def test_plain_parameters_are_those_the_body_decodes_to(data: st.DataObject) -> None:
    operation, params = data.draw(calls(_MODEL, _SETUP, _model.operation_names(), broken_percent=50))
    plain = _native.plain_checker(operation)
    if plain is None or not plain(params):
        return
    body = _SERIALIZER.serialize_to_request(params, _MODEL.operation_model(operation))["body"]
    try:
        decoded = _model.request_checker(operation)(json.loads(body or b"{}"))
    except KinesisError as error:  # pragma: no cover - the failure this test is for
        pytest.fail(f"{operation} {params!r} is plain, but its body is refused: {error}")
    assert decoded == params


def test_a_handler_that_rewrites_the_request_is_honoured(make_client: Any) -> None:
    with mock_kinesis():
        client = make_client()

        def rewrite(params: dict[str, Any], **_: Any) -> None:
            params["body"] = params["body"].replace(b'"mine"', b'"theirs"')

        client.meta.events.register("before-call.kinesis.PutRecords", rewrite)
        client.create_stream(StreamName="s", ShardCount=1)
        client.put_records(StreamName="s", Records=[{"Data": b"x", "PartitionKey": "mine"}])
        client.put_record(StreamName="s", Data=b"y", PartitionKey="mine")
        iterator = client.get_shard_iterator(StreamName="s", ShardId="0", ShardIteratorType="TRIM_HORIZON")
        records = client.get_records(ShardIterator=iterator["ShardIterator"])["Records"]
        assert [(r["PartitionKey"], r["Data"]) for r in records] == [("theirs", b"x"), ("mine", b"y")]


def test_parameters_that_are_not_plain_get_the_bodys_answer(client: Any) -> None:
    client.create_stream(StreamName="s", ShardCount=1)
    written = client.put_records(
        StreamName="s",
        Records=[
            {"Data": bytearray(b"a"), "PartitionKey": "k"},
            {"Data": "text", "PartitionKey": "ключ"},
        ],
    )
    assert written["FailedRecordCount"] == 0
    with pytest.raises(client.exceptions.ClientError) as excinfo:
        client.put_records(StreamName="s", Records=[{"Data": b"a", "PartitionKey": "k" * 257}])
    assert error_of(excinfo) == (
        "ValidationException",
        "1 validation error detected: Value '"
        + "k" * 257
        + "' at 'records.1.member.partitionKey' failed to satisfy constraint: "
        "Member must have length less than or equal to 256",
    )
    iterator = client.get_shard_iterator(StreamName="s", ShardId="0", ShardIteratorType="TRIM_HORIZON")
    records = client.get_records(ShardIterator=iterator["ShardIterator"])["Records"]
    assert [(r["PartitionKey"], r["Data"]) for r in records] == [("k", b"a"), ("ключ", b"text")]


def test_stopping_leaves_the_clients_serializer_as_it_was(make_client: Any) -> None:
    with mock_kinesis():
        client = make_client()
        client.list_streams()
        assert "serialize_to_request" in vars(client._serializer)
    assert "serialize_to_request" not in vars(client._serializer)
    assert not _hook._State.serializers


def test_shapes_that_are_never_plain(monkeypatch: pytest.MonkeyPatch) -> None:
    shapes = {
        "FakeStamp": {"type": "timestamp"},
        "FakeStamps": {"type": "list", "member": {"shape": "FakeStamp"}},
        "FakeName": {"type": "string", "min": 1},
        "FakeInner": {"type": "structure", "members": {"Name": {"shape": "FakeName"}}},
        "FakeInput": {
            "type": "structure",
            "required": ["Name"],
            "members": {
                "Name": {"shape": "FakeName"},
                "Stamps": {"shape": "FakeStamps"},
                "Inner": {"shape": "FakeInner"},
            },
        },
        "FakeStrict": {
            "type": "structure",
            "required": ["When"],
            "members": {"When": {"shape": "FakeStamp"}},
        },
    }
    operations = {
        "Bare": {},
        "Loose": {"input": {"shape": "FakeInput"}},
        "Strict": {"input": {"shape": "FakeStrict"}},
    }
    monkeypatch.setattr(_model, "service_model", lambda: {"shapes": shapes, "operations": operations})
    assert _native.plain_checker.__wrapped__("Strict") is None
    bare = _native.plain_checker.__wrapped__("Bare")
    assert bare is not None and bare({}) and not bare({"X": 1})
    loose = _native.plain_checker.__wrapped__("Loose")
    assert loose is not None
    assert loose({"Name": "n", "Inner": {"Name": "m"}})
    assert not loose({"Name": "n", "Stamps": []})  # never looked at: not plain
    assert not loose({"Name": "n", "Inner": {"Name": ""}})
    assert not loose({"Inner": {"Name": "m"}})
