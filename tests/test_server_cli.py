"""``kinesis-mock serve`` as a separate process: the AWS CLI against it, snapshots across processes."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from helpers import served_client

from kinesis_mock import mock_kinesis

CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "111122223333",
    "AWS_SECRET_ACCESS_KEY": "secret",
    "AWS_DEFAULT_REGION": "eu-west-1",
}


def _environment() -> dict[str, str]:
    return {**os.environ, **CREDENTIALS, "PYTHONUNBUFFERED": "1"}


@contextmanager
def serving(
    *arguments: str, command: tuple[str, ...] = (sys.executable, "-m", "kinesis_mock")
) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    process = subprocess.Popen(
        [*command, "serve", "--port", "0", "--log-level", "warning", *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_environment(),
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), process.communicate()[1]
        yield url, process
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=30)


def _stop(process: subprocess.Popen[str]) -> str:
    process.send_signal(signal.SIGTERM)
    _, errors = process.communicate(timeout=30)
    assert process.returncode == 0, errors
    return errors


def _client(url: str) -> Any:
    return served_client(url, "eu-west-1", "111122223333")


def _aws_cli() -> str:
    found = os.environ.get("KINESIS_MOCK_AWS_CLI") or shutil.which("aws")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("the AWS CLI is needed in CI: .ci/run installs it and sets KINESIS_MOCK_AWS_CLI")
        pytest.skip("the AWS CLI is not installed")
    return found


def aws(url: str, *arguments: str) -> Any:
    done = subprocess.run(
        [_aws_cli(), "--endpoint-url", url, "--output", "json", "kinesis", *arguments],
        capture_output=True,
        text=True,
        env=_environment(),
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout) if done.stdout.strip() else None


def test_the_aws_cli_against_the_server() -> None:
    with serving() as (url, process):
        aws(url, "create-stream", "--stream-name", "cli", "--shard-count", "3")
        aws(url, "wait", "stream-exists", "--stream-name", "cli")
        put = aws(url, "put-record", "--stream-name", "cli", "--data", "hello", "--partition-key", "k")
        iterator = aws(
            url,
            "get-shard-iterator",
            "--stream-name",
            "cli",
            "--shard-id",
            put["ShardId"],
            "--shard-iterator-type",
            "TRIM_HORIZON",
        )["ShardIterator"]
        records = aws(url, "get-records", "--shard-iterator", iterator)["Records"]
        assert [r["SequenceNumber"] for r in records] == [put["SequenceNumber"]]
        first = aws(url, "list-shards", "--stream-name", "cli", "--max-items", "2")
        assert [s["ShardId"] for s in first["Shards"]] == ["shardId-000000000000", "shardId-000000000001"]
        rest = aws(url, "list-shards", "--stream-name", "cli", "--starting-token", first["NextToken"])
        assert [s["ShardId"] for s in rest["Shards"]] == ["shardId-000000000002"]
        described = aws(url, "describe-stream", "--stream-name", "cli", "--max-items", "1")
        assert (
            described["StreamDescription"]["StreamARN"] == "arn:aws:kinesis:eu-west-1:111122223333:stream/cli"
        )
        assert len(described["StreamDescription"]["Shards"]) == 1 and "NextToken" in described
        _stop(process)


def test_the_console_script_logs_one_line_per_request() -> None:
    script = Path(sys.executable).with_name("kinesis-mock")
    command = (str(script),) if script.exists() else (sys.executable, "-m", "kinesis_mock")
    with serving("--log-level", "info", command=command) as (url, process):
        _client(url).list_streams()
        errors = _stop(process)
    assert any(line.endswith(" ms") and "ListStreams 200 " in line for line in errors.splitlines())


def test_a_snapshot_survives_a_new_process(tmp_path: Path) -> None:
    state = str(tmp_path / "kinesis.state")
    with serving("--state", state) as (url, process):
        client = _client(url)
        client.create_stream(StreamName="kept", ShardCount=2)
        puts = [client.put_record(StreamName="kept", Data=bytes([i]), PartitionKey=str(i)) for i in range(10)]
        iterator = client.get_shard_iterator(
            StreamName="kept", ShardId="shardId-000000000001", ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        before = client.get_records(ShardIterator=iterator)["Records"]
        _stop(process)
    with serving("--state", state) as (url, process):
        client = _client(url)
        assert client.get_records(ShardIterator=iterator)["Records"] == before
        for put in puts:
            got = client.get_shard_iterator(
                StreamName="kept",
                ShardId=put["ShardId"],
                ShardIteratorType="AT_SEQUENCE_NUMBER",
                StartingSequenceNumber=put["SequenceNumber"],
            )["ShardIterator"]
            assert (
                client.get_records(ShardIterator=got, Limit=1)["Records"][0]["SequenceNumber"]
                == put["SequenceNumber"]
            )
        _stop(process)


def test_killing_the_server_during_saves_leaves_a_loadable_file(tmp_path: Path) -> None:
    state = tmp_path / "kinesis.state"
    with serving("--state", str(state), "--save-interval", "0.001") as (url, process):
        client = _client(url)
        client.create_stream(StreamName="busy", ShardCount=1)
        client.put_records(StreamName="busy", Records=[{"Data": b"x" * 1000, "PartitionKey": "k"}] * 500)
        # Kill only once a save that holds the 500 records has landed (a loaded machine may take a
        # while for the first one), and while further saves are under way.
        while not (state.exists() and state.stat().st_size > 500 * 1000):
            client.describe_limits()
        for round_ in range(30):
            client.put_record(StreamName="busy", Data=b"y", PartitionKey=str(round_))
        process.kill()
    with mock_kinesis() as mock:
        mock.load(state)
        shard = mock.backend.region("111122223333", "eu-west-1").stream("busy").shards[0]
        assert len(shard) >= 500
    assert [
        p.name for p in tmp_path.iterdir() if p.name != "kinesis.state" and not p.name.endswith(".tmp")
    ] == []


def test_a_bad_state_file_is_a_clear_error(tmp_path: Path) -> None:
    state = tmp_path / "bad.state"
    state.write_bytes(b"not a state file")
    done = subprocess.run(
        [sys.executable, "-m", "kinesis_mock", "serve", "--port", "0", "--state", str(state)],
        capture_output=True,
        text=True,
        env=_environment(),
        timeout=60,
    )
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == f"kinesis-mock: {state} is not a kinesis_mock state file\n"


def test_bad_options_are_clear_errors() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kinesis_mock", "serve", "--port", "0", "--account-id", "12"],
        capture_output=True,
        text=True,
        env=_environment(),
        timeout=60,
    )
    assert (done.returncode, done.stderr) == (
        1,
        "kinesis-mock: account_id must be a 12-digit AWS account id, got '12'\n",
    )


def test_main_serves_until_sigterm_and_saves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from kinesis_mock import cli

    urls: list[str] = []

    def use_then_stop(url: str) -> None:
        _client(url).create_stream(StreamName="in-process", ShardCount=1)
        os.kill(os.getpid(), signal.SIGTERM)

    def ready(url: str, **_: Any) -> None:
        # Called on the server's loop: the calls must come from another thread.
        urls.append(url)
        threading.Thread(target=use_then_stop, args=(url,)).start()

    monkeypatch.setattr(cli, "print", ready, raising=False)
    state = tmp_path / "main.state"
    assert (
        cli.main(
            ["serve", "--port", "0", "--state", str(state), "--shard-limit", "3", "--log-level", "error"]
        )
        == 0
    )
    assert urls and state.exists()
    with mock_kinesis() as mock:
        mock.load(state)
        assert mock.backend.region("111122223333", "eu-west-1").get("in-process") is not None


def test_main_without_the_server_extra(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from kinesis_mock import cli

    monkeypatch.setitem(sys.modules, "kinesis_mock.server._runner", None)
    assert cli.main(["serve", "--port", "0"]) == 1
    assert "pip install 'kinesis-mock[server]'" in capsys.readouterr().err


def test_python_dash_m(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import runpy

    from kinesis_mock import cli

    monkeypatch.setattr(sys, "argv", ["kinesis-mock", "serve", "--account-id", "1"])
    with pytest.raises(SystemExit) as exited:
        runpy.run_path(str(Path(cli.__file__).with_name("__main__.py")), run_name="__main__")
    assert exited.value.code == 1
    assert "account_id must be a 12-digit" in capsys.readouterr().err
