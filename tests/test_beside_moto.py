"""Beside moto: other services stay with moto, Kinesis comes to the mock, and stopping the two in any
order leaves the environment exactly as it was, with no credential lookup leaving the process in
between. (moto is a comparison target, never a dependency: `.ci/run` installs it in one
environment of its matrix; elsewhere this module is skipped.)"""

from __future__ import annotations

import itertools
import os
import socket
from typing import Any

import boto3
import pytest
from helpers import REGION

from kinesis_mock import KinesisMock

moto = pytest.importorskip("moto", reason="moto is not installed in this environment")


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"a socket was opened: {args[1:] or args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    # Credentials looked up on IMDS would connect (and fail the test) instead of being skipped.
    monkeypatch.delenv("AWS_EC2_METADATA_DISABLED")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAUSERSOWN")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "users-own-secret")


ORDERS = [
    pytest.param(starts, stops, id=f"start-{'-'.join(starts)}-stop-{'-'.join(stops)}")
    for starts in itertools.permutations(("moto", "kinesis_mock"))
    for stops in itertools.permutations(("moto", "kinesis_mock"))
]


@pytest.mark.parametrize(("starts", "stops"), ORDERS)
def test_any_order_restores_the_environment(
    monkeypatch: pytest.MonkeyPatch, starts: tuple[str, str], stops: tuple[str, str]
) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    before = dict(os.environ)
    mocks: dict[str, Any] = {"moto": moto.mock_aws(), "kinesis_mock": KinesisMock()}
    for name in starts:
        mocks[name].start()
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="stays-with-moto")
    kinesis = boto3.client("kinesis", region_name=REGION)
    kinesis.create_stream(StreamName="comes-to-us", ShardCount=1)
    assert mocks["kinesis_mock"].backend.region("123456789012", REGION).get("comes-to-us") is not None
    mocks[stops[0]].stop()
    # In between, a new client finds credentials without leaving the process (the guard fails
    # the test otherwise) and works against whichever mock is left.
    if stops[1] == "kinesis_mock":
        assert boto3.client("kinesis", region_name=REGION).list_streams()["StreamNames"] == ["comes-to-us"]
    else:
        assert [b["Name"] for b in boto3.client("s3", region_name=REGION).list_buckets()["Buckets"]] == [
            "stays-with-moto"
        ]
    mocks[stops[1]].stop()
    assert dict(os.environ) == before


def test_the_users_own_credentials_come_back(monkeypatch: pytest.MonkeyPatch) -> None:
    before = dict(os.environ)
    with KinesisMock(), moto.mock_aws():
        boto3.client("kinesis", region_name=REGION).list_streams()
    assert dict(os.environ) == before
    assert boto3.session.Session().get_credentials().access_key == "AKIAUSERSOWN"
