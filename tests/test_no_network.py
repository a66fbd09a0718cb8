"""The proof that no socket opens: every client kind under every activation form, with a guard that
fails on any name lookup or connection (toward AWS or anywhere else) while the mock is active.

Client kinds whose library is not installed here are skipped (aiobotocore and aioboto3 run in the
async environments of `.ci/run`).
"""

from __future__ import annotations

import asyncio
import importlib.util
import socket
import unittest
from collections.abc import Callable, Coroutine
from typing import Any

import boto3
import botocore.session
import pytest
from helpers import REGION, stream_arn

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


def installed(name: str) -> Any:
    return pytest.mark.skipif(importlib.util.find_spec(name) is None, reason=f"{name} is not installed here")


CLIENTS = [
    pytest.param(via_boto3, id="boto3"),
    pytest.param(via_botocore, id="botocore"),
    pytest.param(via_aiobotocore, id="aiobotocore", marks=installed("aiobotocore")),
    pytest.param(via_aioboto3, id="aioboto3", marks=installed("aioboto3")),
    pytest.param(via_requests, id="requests"),
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
