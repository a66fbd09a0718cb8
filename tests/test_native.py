"""The caller's own parameters: read in place of the JSON body only when nothing changed the
request and they are plainly valid, so the answer is the one the body would have given."""

from __future__ import annotations

import copy
import datetime
import json
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from botocore.exceptions import ParamValidationError
from botocore.serialize import create_serializer
from fuzz_strategies import IMAGINED, calls
from helpers import REGION, error_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kinesis_mock import _fastpath, _model, _native, mock_kinesis
from kinesis_mock.errors import KinesisError

_MODEL = boto3.session.Session().client("kinesis", region_name=REGION).meta.service_model
_SERIALIZER = create_serializer("json", include_validation=False)


@settings(max_examples=300, suppress_health_check=list(HealthCheck), deadline=None)
@given(st.data())
def test_plain_parameters_are_those_the_body_decodes_to(data: st.DataObject) -> None:
    operation, params = data.draw(calls(_MODEL, IMAGINED, _model.operation_names(), broken_percent=50))
    plain = _native.plain_checker(operation)
    model = _MODEL.operation_model(operation)
    # As the hook does: timestamps as the numbers the serializer writes for them.
    given, params = params, _fastpath.timestamps_written(_SERIALIZER, model, params)
    if plain is None or params is None or not plain(params):
        return
    body = _SERIALIZER.serialize_to_request(given, model)["body"]
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
        assert "serialize_to_request" in vars(client._serializer._serializer)
    assert "serialize_to_request" not in vars(client._serializer._serializer)
    assert not _fastpath._State.patched["serialize_to_request"]


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
            "members": {"When": {"shape": "FakeStamps"}},
        },
        "FakeDated": {
            "type": "structure",
            "members": {"When": {"shape": "FakeStamp"}, "Inner": {"shape": "FakeDatedInner"}},
        },
        "FakeDatedInner": {"type": "structure", "members": {"When": {"shape": "FakeStamp"}}},
    }
    operations = {
        "Bare": {},
        "Loose": {"input": {"shape": "FakeInput"}},
        "Strict": {"input": {"shape": "FakeStrict"}},
        "Dated": {"input": {"shape": "FakeDated"}},
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
    # A timestamp is plain at the top only, as the float the hook converted it to.
    dated = _native.plain_checker.__wrapped__("Dated")
    assert dated is not None
    assert dated({"When": 1.5})
    assert not dated({"When": 1})
    assert not dated({"When": float("inf")})
    assert not dated({"When": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)})
    assert not dated({"Inner": {"When": 1.5}})
    assert _native.timestamp_members.__wrapped__("Dated") == ("When",)
    assert _native.timestamp_members.__wrapped__("Bare") == ()


_PLAIN_CALLS = [
    ("PutRecords", {"StreamName": "s", "Records": [{"Data": b"x", "PartitionKey": "k"}]}),
    ("PutRecord", {"StreamName": "s", "Data": b"\x00\xff", "PartitionKey": "k", "ExplicitHashKey": "7"}),
    ("GetShardIterator", {"StreamName": "s", "ShardId": "0", "ShardIteratorType": "TRIM_HORIZON"}),
    (
        "GetShardIterator",
        {
            "StreamName": "s",
            "ShardId": "0",
            "ShardIteratorType": "AT_TIMESTAMP",
            "Timestamp": datetime.datetime(2026, 1, 1, 0, 0, 1, 987654, tzinfo=datetime.UTC),
        },
    ),
    ("ListStreams", {}),
]


@pytest.mark.parametrize(("operation", "params"), _PLAIN_CALLS)
def test_a_deferred_request_is_the_one_the_serializer_writes(
    make_client: Any, operation: str, params: dict[str, Any]
) -> None:
    plain_client = make_client()
    model = plain_client.meta.service_model.operation_model(operation)
    expected = plain_client._serializer.serialize_to_request(params, model)
    with mock_kinesis():
        client = make_client()
        client.list_streams()  # its first call hooks the client
        deferred = client._serializer.serialize_to_request(params, model)
        assert isinstance(deferred, _fastpath.Deferred)
        assert "body" not in dict.keys(deferred)  # nothing wrote it yet
        assert deferred.unchanged()
        assert deferred == expected
    # Written on reading, even once the mock has stopped (a call that raced the stop is sent).
    late = client._serializer.serialize_to_request(params, model)
    assert not isinstance(late, _fastpath.Deferred)
    with mock_kinesis():
        client.list_streams()
        deferred = client._serializer.serialize_to_request(params, model)
    assert deferred["body"] == expected["body"]
    assert deferred.unchanged()


def test_every_way_of_reading_a_deferred_request_writes_its_body(make_client: Any) -> None:
    params, operation = _PLAIN_CALLS[0][1], _PLAIN_CALLS[0][0]
    model = make_client().meta.service_model.operation_model(operation)
    body = make_client()._serializer.serialize_to_request(params, model)["body"]
    readings: dict[str, Callable[[Any], Any]] = {
        "key": lambda r: r["body"],
        "get": lambda r: r.get("body"),
        "in": lambda r: "body" in r and r["body"],
        "items": lambda r: dict(r.items())["body"],
        "keys": lambda r: list(r.keys()) and dict.__getitem__(r, "body"),
        "values": lambda r: next(v for v in r.values() if isinstance(v, bytes)),
        "iteration": lambda r: [k for k in r] and dict.__getitem__(r, "body"),
        "dict": lambda r: dict(r)["body"],
        "unpacking": lambda r: {**r}["body"],
        "copy": lambda r: r.copy()["body"],
        "copy.copy": lambda r: copy.copy(r)["body"],
        "deepcopy": lambda r: copy.deepcopy(r)["body"],
        "pop": lambda r: r.pop("body"),
        "setdefault": lambda r: r.setdefault("body", b"other"),
        "len": lambda r: len(r) and dict.__getitem__(r, "body"),
        "repr": lambda r: repr(r) and dict.__getitem__(r, "body"),
        "popitem": lambda r: dict(r.popitem() for _ in range(len(r)))["body"],
    }
    with mock_kinesis():
        client = make_client()
        client.list_streams()
        for way, read in readings.items():
            deferred = client._serializer.serialize_to_request(params, model)
            assert isinstance(deferred, _fastpath.Deferred)
            assert read(deferred) == body, way


def test_a_handler_reading_the_body_sees_the_serializers_and_the_call_goes_on(make_client: Any) -> None:
    seen: list[Any] = []
    with mock_kinesis():
        client = make_client()

        def read(params: dict[str, Any], **_: Any) -> None:
            seen.append(json.loads(params["body"]))

        client.meta.events.register("before-call.kinesis.PutRecords", read)
        client.create_stream(StreamName="s", ShardCount=1)
        client.put_records(StreamName="s", Records=[{"Data": b"x", "PartitionKey": "mine"}])
        iterator = client.get_shard_iterator(StreamName="s", ShardId="0", ShardIteratorType="TRIM_HORIZON")
        records = client.get_records(ShardIterator=iterator["ShardIterator"])["Records"]
    assert seen == [{"StreamName": "s", "Records": [{"Data": "eA==", "PartitionKey": "mine"}]}]
    assert [(r["PartitionKey"], r["Data"]) for r in records] == [("mine", b"x")]


def test_botocores_parameter_validation_still_comes_first(kinesis_mock: Any, client: Any) -> None:
    with pytest.raises(ParamValidationError) as excinfo:
        client.put_record(StreamName=5, Data=b"x", PartitionKey="k")
    assert "Invalid type for parameter StreamName, value: 5" in str(excinfo.value)
    assert kinesis_mock.calls == []  # refused before the mock saw it
