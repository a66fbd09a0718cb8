"""The proof that no socket opens: every client kind under every activation form, with a guard that
fails on any name lookup or connection (toward AWS or anywhere else) while the mock is active.

Client kinds whose library is not installed here are skipped (aiobotocore and aioboto3 run in the
async environments of `.ci/run`, the AWS CLI's driver in its awscli environments, where
KINESIS_MOCK_AWSCLI_ENVIRONMENT=1 makes a missing awscli an error rather than a skip).

The AWS CLI runs in-process (``awscli.clidriver.create_clidriver().main(...)``, as its own entry
point does). Since 1.44.x awscli ships botocore inside itself (``awscli/botocore``) and no longer
depends on the botocore distribution; ``import awscli`` puts a finder on ``sys.meta_path`` that
resolves a top-level ``import botocore`` to that copy (``TopLevelImportAliasFinder``,
awscli/__init__.py). So a process holds one ``botocore`` module either way: the distribution's if
botocore was imported first, awscli's copy if awscli was; the mock patches whichever it is. Both
orders are tested (the second in a fresh interpreter).
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import io
import json
import os
import socket
import subprocess
import sys
import unittest
from collections.abc import Callable, Coroutine
from typing import Any

import boto3
import botocore.session
import pytest
from helpers import REGION, python_path, stream_arn

from kinesis_mock import KinesisMock, mock_kinesis

Exercise = Callable[[], Coroutine[Any, Any, list[str]]]


@pytest.fixture(autouse=True)
def _no_sockets(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"kinesis_mock let a socket open: {args[1:] or args}")

    for name in ("connect", "connect_ex"):
        monkeypatch.setattr(socket.socket, name, refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    # Credential lookups would go to IMDS if the mock let them walk botocore's provider chain.
    monkeypatch.delenv("AWS_EC2_METADATA_DISABLED")


def sync_calls(client: Any) -> list[str]:
    client.create_stream(StreamName="s", ShardCount=1)
    client.put_record(StreamName="s", Data=b"x", PartitionKey="k")
    client.describe_stream_summary(StreamARN=stream_arn("s"))  # an ARN-routed host
    names: list[str] = client.list_streams()["StreamNames"]
    return names


async def via_boto3() -> list[str]:
    return sync_calls(boto3.client("kinesis"))


async def via_botocore() -> list[str]:
    return sync_calls(botocore.session.get_session().create_client("kinesis", region_name=REGION))


async def async_calls(client: Any) -> list[str]:
    await client.create_stream(StreamName="s", ShardCount=1)
    await client.put_record(StreamName="s", Data=b"x", PartitionKey="k")
    await client.describe_stream_summary(StreamARN=stream_arn("s"))
    names: list[str] = (await client.list_streams())["StreamNames"]
    return names


async def via_aiobotocore() -> list[str]:
    import aiobotocore.session

    async with aiobotocore.session.get_session().create_client("kinesis") as client:
        return await async_calls(client)


async def via_aioboto3() -> list[str]:
    import aioboto3

    async with aioboto3.Session().client("kinesis") as client:
        return await async_calls(client)


async def via_requests() -> list[str]:
    from test_requests import signed_post

    url = "https://kinesis.us-east-1.amazonaws.com/"
    signed_post(url, "CreateStream", {"StreamName": "s", "ShardCount": 1})
    names: list[str] = signed_post(url, "ListStreams", {}).json()["StreamNames"]
    return names


def awscli(*arguments: str) -> Any:
    """The AWS CLI's answer (its JSON output, parsed), run in-process as its entry point runs it."""
    from awscli.clidriver import create_clidriver

    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        assert create_clidriver().main(list(arguments)) == 0
    return json.loads(output.getvalue() or "null")


async def via_awscli() -> list[str]:
    assert awscli("kinesis", "create-stream", "--stream-name", "s", "--shard-count", "1") is None
    put = awscli("kinesis", "put-record", "--stream-name", "s", "--data", "x", "--partition-key", "k")
    summary = awscli("kinesis", "describe-stream-summary", "--stream-arn", stream_arn("s"))
    assert summary["StreamDescriptionSummary"]["StreamStatus"] == "ACTIVE"
    # The CLI's answers are the mock's: the record it put is the one a boto3 client reads back.
    client = boto3.client("kinesis")
    shard = {"StreamName": "s", "ShardId": put["ShardId"], "ShardIteratorType": "TRIM_HORIZON"}
    iterator = client.get_shard_iterator(**shard)["ShardIterator"]
    [record] = client.get_records(ShardIterator=iterator)["Records"]
    assert (record["SequenceNumber"], record["Data"]) == (put["SequenceNumber"], b"x")
    names: list[str] = awscli("kinesis", "list-streams")["StreamNames"]
    return names


def installed(name: str, needed: str = "") -> pytest.MarkDecorator:
    """Skip where ``name`` is not installed, unless the environment variable ``needed`` says this
    environment was built for it (then the test runs, and fails without it)."""
    missing = importlib.util.find_spec(name) is None and os.environ.get(needed) != "1"
    return pytest.mark.skipif(missing, reason=f"{name} is not installed here")


CLIENTS = [
    pytest.param(via_boto3, id="boto3"),
    pytest.param(via_botocore, id="botocore"),
    pytest.param(via_aiobotocore, id="aiobotocore", marks=installed("aiobotocore")),
    pytest.param(via_aioboto3, id="aioboto3", marks=installed("aioboto3")),
    pytest.param(via_requests, id="requests"),
    pytest.param(via_awscli, id="awscli", marks=installed("awscli", "KINESIS_MOCK_AWSCLI_ENVIRONMENT")),
]


def decorated(exercise: Exercise) -> list[str]:
    @mock_kinesis
    def run() -> list[str]:
        return asyncio.run(exercise())

    return run()


def decorated_with_options(exercise: Exercise) -> list[str]:
    @mock_kinesis(shard_limit=10)
    def run() -> list[str]:
        return asyncio.run(exercise())

    return run()


def with_block(exercise: Exercise) -> list[str]:
    with mock_kinesis():
        return asyncio.run(exercise())


def start_stop(exercise: Exercise) -> list[str]:
    mock = KinesisMock().start()
    try:
        return asyncio.run(exercise())
    finally:
        mock.stop()


def async_with(exercise: Exercise) -> list[str]:
    async def run() -> list[str]:
        async with mock_kinesis():
            return await exercise()

    return asyncio.run(run())


def decorated_coroutine(exercise: Exercise) -> list[str]:
    @mock_kinesis
    async def run() -> list[str]:
        return await exercise()

    return asyncio.run(run())


def decorated_test_case(exercise: Exercise) -> list[str]:
    names: list[str] = []

    @mock_kinesis
    class Case(unittest.TestCase):
        def test_calls(self) -> None:
            names.extend(asyncio.run(exercise()))

    result = unittest.TestResult()
    unittest.TestLoader().loadTestsFromTestCase(Case).run(result)
    assert result.wasSuccessful(), result.failures + result.errors
    return names


FORMS = [decorated, decorated_with_options, with_block, start_stop, async_with, decorated_coroutine]
FORMS.append(decorated_test_case)


@pytest.mark.parametrize("exercise", CLIENTS)
@pytest.mark.parametrize("form", FORMS)
def test_no_socket_opens(form: Callable[[Exercise], list[str]], exercise: Exercise) -> None:
    assert form(exercise) == ["s"]


@pytest.mark.parametrize("exercise", CLIENTS)
def test_no_socket_opens_under_the_fixture(kinesis_mock: KinesisMock, exercise: Exercise) -> None:
    assert asyncio.run(exercise()) == ["s"]


@pytest.mark.parametrize("exercise", CLIENTS)
@pytest.mark.kinesis_mock(account_id="123456789012")
def test_no_socket_opens_under_the_marker(exercise: Exercise) -> None:
    assert asyncio.run(exercise()) == ["s"]


AWSCLI_FIRST = """
import awscli.clidriver  # first: a vendoring awscli's botocore becomes the process's botocore
import socket, sys, test_no_network
def refuse(*args, **kwargs):
    raise AssertionError(f"kinesis_mock let a socket open: {args[1:] or args}")
socket.socket.connect = socket.socket.connect_ex = refuse
socket.getaddrinfo = socket.create_connection = refuse
print(test_no_network.with_block(test_no_network.via_awscli), sys.modules["botocore"].__file__)
"""


@installed("awscli", "KINESIS_MOCK_AWSCLI_ENVIRONMENT")
def test_no_socket_opens_with_awscli_imported_before_botocore() -> None:
    # The environment as the guard left it (the AWS configuration of the machine hidden, IMDS on).
    environment = {**os.environ, "PYTHONPATH": python_path(os.path.dirname(__file__))}
    command = [sys.executable, "-c", AWSCLI_FIRST]
    run = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    names, botocore_file = run.stdout.rsplit(" ", 1)
    assert names == "['s']"
    # The process's botocore is awscli's own copy exactly where awscli carries one.
    spec = importlib.util.find_spec("awscli")
    assert spec is not None and spec.origin is not None
    vendored = os.path.isdir(os.path.join(os.path.dirname(spec.origin), "botocore"))
    assert botocore_file.startswith(os.path.dirname(spec.origin) + os.sep) == vendored
