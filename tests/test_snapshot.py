"""Snapshots: mock.save / mock.load keep every answer; bad files are refused whole."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import threading
from pathlib import Path
from typing import Any

import boto3
import pytest
from helpers import REGION, served_client

from kinesis_mock import KinesisMock, KinesisServer, _snapshot, mock_kinesis
from kinesis_mock._snapshot import SnapshotError


def _fill(client: Any) -> dict[str, Any]:
    client.create_stream(StreamName="kept", ShardCount=2)
    client.add_tags_to_stream(StreamName="kept", Tags={"team": "a"})
    arn = client.describe_stream_summary(StreamName="kept")["StreamDescriptionSummary"]["StreamARN"]
    client.register_stream_consumer(StreamARN=arn, ConsumerName="reader")
    puts = [client.put_record(StreamName="kept", Data=bytes([i]), PartitionKey=str(i)) for i in range(6)]
    client.split_shard(StreamName="kept", ShardToSplit="shardId-000000000000", NewStartingHashKey=str(2**126))
    iterator = client.get_shard_iterator(
        StreamName="kept", ShardId=puts[0]["ShardId"], ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    page = client.list_shards(StreamName="kept", MaxResults=1)
    return {"puts": puts, "iterator": iterator, "token": page["NextToken"], "arn": arn}


def _answers(client: Any, saved: dict[str, Any]) -> list[Any]:
    def clean(reply: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in reply.items() if k not in ("ResponseMetadata", "NextShardIterator")}

    return [
        clean(client.get_records(ShardIterator=saved["iterator"])),
        clean(client.list_shards(NextToken=saved["token"])),
        clean(client.list_shards(StreamName="kept")),
        client.list_tags_for_stream(StreamName="kept")["Tags"],
        [c["ConsumerName"] for c in client.list_stream_consumers(StreamARN=saved["arn"])["Consumers"]],
    ]


def test_save_and_load_keep_every_answer(tmp_path: Path) -> None:
    path = tmp_path / "state"
    with mock_kinesis() as mock:
        client = boto3.client("kinesis", region_name=REGION)
        saved = _fill(client)
        before = _answers(client, saved)
        mock.save(path)
        mock.reset()
        assert client.list_streams()["StreamNames"] == []
        mock.load(path)
        assert _answers(client, saved) == before
        after = client.put_record(StreamName="kept", Data=b"n", PartitionKey="0")
        assert int(after["SequenceNumber"]) > max(int(p["SequenceNumber"]) for p in saved["puts"])
    assert not [name for name in os.listdir(tmp_path) if name != "state"]


def _saved_file(tmp_path: Path) -> Path:
    path = tmp_path / "state"
    with mock_kinesis() as mock:
        boto3.client("kinesis", region_name=REGION).create_stream(StreamName="s", ShardCount=1)
        mock.save(path)
    return path


def _refused(path: Path, match: str) -> None:
    with mock_kinesis() as mock:
        client = boto3.client("kinesis", region_name=REGION)
        client.create_stream(StreamName="untouched", ShardCount=1)
        with pytest.raises(SnapshotError, match=match):
            mock.load(path)
        assert client.list_streams()["StreamNames"] == ["untouched"]


def test_a_truncated_file_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    path = _saved_file(tmp_path)
    path.write_bytes(path.read_bytes()[:-10])
    _refused(path, "is corrupt \\(truncated or damaged")


def test_a_file_of_another_version_is_refused(tmp_path: Path) -> None:
    path = _saved_file(tmp_path)
    header, _, payload = path.read_bytes().partition(b"\n")
    fields = json.loads(header[len(_snapshot.MAGIC) :])
    fields["version"] = "0.0.1"
    path.write_bytes(_snapshot.MAGIC + json.dumps(fields).encode() + b"\n" + payload)
    _refused(path, "written by kinesis_mock 0.0.1 .*reads only its own files")


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b"hello", "is not a kinesis_mock state file"),
        (_snapshot.MAGIC + b"{not json\n", "has a corrupt header"),
    ],
)
def test_foreign_files_are_refused(tmp_path: Path, content: bytes, match: str) -> None:
    path = tmp_path / "state"
    path.write_bytes(content)
    _refused(path, match)


def _forged(tmp_path: Path, value: Any) -> Path:
    payload = pickle.dumps(value, protocol=5)
    header = {
        "format": _snapshot.FORMAT,
        "version": _snapshot._version(),
        "sha256": hashlib.sha256(payload).hexdigest(),
        "length": len(payload),
    }
    path = tmp_path / "forged"
    path.write_bytes(_snapshot.MAGIC + json.dumps(header).encode() + b"\n" + payload)
    return path


def test_a_file_that_refers_to_other_code_is_refused(tmp_path: Path) -> None:
    _refused(_forged(tmp_path, os.getcwd), "refers to posix.getcwd")


def test_a_file_that_holds_something_else_is_refused(tmp_path: Path) -> None:
    _refused(_forged(tmp_path, {"a": 1}), "does not hold a kinesis_mock state")


def test_a_payload_that_is_not_a_whole_pickle_is_refused(tmp_path: Path) -> None:
    path = _forged(tmp_path, 1)
    payload = b"\x80\x05K"  # a valid checksum over a broken pickle
    header = {
        "format": 1,
        "version": _snapshot._version(),
        "sha256": hashlib.sha256(payload).hexdigest(),
        "length": 3,
    }
    path.write_bytes(_snapshot.MAGIC + json.dumps(header).encode() + b"\n" + payload)
    _refused(path, "is corrupt")


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    _refused(tmp_path / "nowhere", "cannot read state file .*nowhere")


def test_a_crash_before_the_rename_keeps_the_last_good_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _saved_file(tmp_path)
    good = path.read_bytes()

    def crash(*_: Any) -> None:
        raise OSError("disk gone")

    with mock_kinesis() as mock:
        monkeypatch.setattr(os, "replace", crash)
        with pytest.raises(OSError, match="disk gone"):
            mock.save(path)
    assert path.read_bytes() == good
    assert os.listdir(tmp_path) == ["state"]


def test_save_and_load_need_an_active_mock(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="kinesis_mock: no mock is active"):
        KinesisMock().save(tmp_path / "x")


def test_a_server_loads_and_saves_its_state_file(tmp_path: Path) -> None:
    path = tmp_path / "served.state"
    with KinesisServer(state=path, shard_limit=7) as server:
        client = served_client(server.endpoint_url)
        client.create_stream(StreamName="persisted", ShardCount=1)
        sequence = client.put_record(StreamName="persisted", Data=b"d", PartitionKey="k")["SequenceNumber"]
    with KinesisServer(state=path) as again:
        client = served_client(again.endpoint_url)
        iterator = client.get_shard_iterator(
            StreamName="persisted",
            ShardId="shardId-000000000000",
            ShardIteratorType="AT_SEQUENCE_NUMBER",
            StartingSequenceNumber=sequence,
        )["ShardIterator"]
        assert [r["Data"] for r in client.get_records(ShardIterator=iterator)["Records"]] == [b"d"]
        # The options are the new server's, not the saved ones.
        assert again.mock.backend.quotas.shard_limit is None


def test_a_server_saves_every_interval(tmp_path: Path) -> None:
    path = tmp_path / "periodic.state"
    with KinesisServer(state=path, save_interval=0.01) as server:
        client = served_client(server.endpoint_url)
        client.create_stream(StreamName="periodic", ShardCount=1)
        written = threading.Event()
        original = _snapshot.save

        def watched(backend: Any, where: Any) -> None:
            original(backend, where)
            if backend.region("123456789012", REGION).get("periodic") is not None:
                written.set()

        server.mock.save = lambda path: watched(server.mock.backend, path)  # type: ignore[method-assign]
        assert written.wait(30)
    with mock_kinesis() as mock:
        mock.load(path)
        assert mock.backend.region("123456789012", REGION).get("periodic") is not None
