"""The botocore hook: what it intercepts, what it leaves alone, and what it puts back."""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import textwrap
from typing import Any

import boto3
import botocore.client
import botocore.handlers
import pytest
from botocore.awsrequest import AWSResponse
from botocore.stub import Stubber
from helpers import ACCOUNT, REGION, error_of, stream_arn

from kinesis_mock import _hook, mock_kinesis
from kinesis_mock.operations import _registry


class _Raw:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **_: Any) -> Any:
        yield self.body


def record_urls(client: Any) -> list[str]:
    urls: list[str] = []
    client.meta.events.register_first("before-call.kinesis", lambda params, **_: urls.append(params["url"]))
    return urls


def test_client_created_before_activation_is_intercepted(make_client: Any) -> None:
    client = make_client()
    with mock_kinesis():
        client.create_stream(StreamName="early", ShardCount=1)
        assert client.list_streams()["StreamNames"] == ["early"]


def test_client_created_before_the_import_needs_no_extra_line(tmp_path: Any) -> None:
    script = tmp_path / "early.py"
    script.write_text(
        textwrap.dedent("""
        import boto3
        client = boto3.client("kinesis", region_name="us-east-1")
        from kinesis_mock import mock_kinesis
        with mock_kinesis():
            client.create_stream(StreamName="before-import", ShardCount=1)
            print(client.list_streams()["StreamNames"])
    """)
    )
    environment = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    environment["AWS_EC2_METADATA_DISABLED"] = "true"
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, env=environment, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['before-import']"


def test_arn_routed_hosts_are_intercepted(kinesis_mock: Any, make_client: Any) -> None:
    client = make_client()
    urls = record_urls(client)
    client.create_stream(StreamName="s", ShardCount=1)
    summary = client.describe_stream_summary(StreamARN=stream_arn("s"))
    assert summary["StreamDescriptionSummary"]["StreamName"] == "s"
    client.update_stream_mode(StreamARN=stream_arn("s"), StreamModeDetails={"StreamMode": "ON_DEMAND"})
    assert urls == [
        f"https://kinesis.{REGION}.amazonaws.com/",
        f"https://{ACCOUNT}.control-kinesis.{REGION}.amazonaws.com/",
        f"https://{ACCOUNT}.control-kinesis.{REGION}.amazonaws.com/",
    ]


def test_custom_endpoint_url_is_intercepted(kinesis_mock: Any, make_client: Any) -> None:
    client = make_client(endpoint_url="http://localhost:4567")
    urls = record_urls(client)
    client.create_stream(StreamName="local", ShardCount=1)
    assert client.list_streams()["StreamNames"] == ["local"]
    assert urls == ["http://localhost:4567/", "http://localhost:4567/"]


def test_other_services_are_never_touched(kinesis_mock: Any) -> None:
    s3 = boto3.session.Session().client("s3", region_name=REGION)
    with Stubber(s3) as stub:
        stub.add_response("list_buckets", {"Buckets": [], "Owner": {"ID": "me"}})
        assert s3.list_buckets()["Owner"] == {"ID": "me"}
        stub.assert_no_pending_responses()
    assert s3.meta.events not in _hook._State.emitters
    assert "kinesis_mock" not in s3.meta.events._emitter._unique_id_handlers


def test_inactive_botocore_behaves_as_without_the_library(make_client: Any) -> None:
    original = botocore.client.BaseClient.__dict__["_make_api_call"]
    builtin = list(botocore.handlers.BUILTIN_HANDLERS)
    client = make_client()
    before = list(client.meta.events._emitter._handlers.prefix_search("before-call.kinesis.ListStreams"))
    with mock_kinesis():
        client.list_streams()
        assert botocore.client.BaseClient.__dict__["_make_api_call"] is not original
    assert botocore.client.BaseClient.__dict__["_make_api_call"] is original
    assert builtin == botocore.handlers.BUILTIN_HANDLERS
    assert (
        list(client.meta.events._emitter._handlers.prefix_search("before-call.kinesis.ListStreams")) == before
    )
    assert "kinesis_mock" not in client.meta.events._emitter._unique_id_handlers

    # The call now goes all the way to botocore's send stage, signed, as without the library.
    sent: list[Any] = []

    def canned(request: Any, **_: Any) -> AWSResponse:
        sent.append(request)
        body = json.dumps({"StreamNames": ["real"], "HasMoreStreams": False}).encode()
        return AWSResponse(request.url, 200, {}, _Raw(body))

    client.meta.events.register("before-send.kinesis", canned)
    credentialed = boto3.session.Session(aws_access_key_id="AKIAREAL", aws_secret_access_key="secret").client(
        "kinesis", region_name=REGION
    )
    credentialed.meta.events.register("before-send.kinesis", canned)
    assert credentialed.list_streams()["StreamNames"] == ["real"]
    assert b"AKIAREAL" in sent[0].headers["Authorization"]


def test_environment_is_never_touched_and_default_session_is_restored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREALKEY")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "real-secret")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "real-token")
    session = boto3.session.Session()
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", session)
    environment = dict(os.environ)
    with mock_kinesis():
        assert dict(os.environ) == environment
        client = boto3.client("kinesis")  # the default session, no region given
        assert boto3.DEFAULT_SESSION is not session
        credentials = client._request_signer._credentials
        assert (credentials.access_key, credentials.token) == ("KINESISMOCKACCESSKEY", None)
        assert client.meta.region_name == REGION
        client.create_stream(StreamName="s", ShardCount=1)
    assert dict(os.environ) == environment
    assert boto3.DEFAULT_SESSION is session
    assert session.get_credentials().access_key == "AKIAREALKEY"


def test_a_session_keeps_its_own_credentials(kinesis_mock: Any) -> None:
    session = boto3.session.Session(aws_access_key_id="AKIAGIVEN", aws_secret_access_key="given")
    client = session.client("kinesis", region_name=REGION)
    assert client._request_signer._credentials.access_key == "AKIAGIVEN"
    assert client.list_streams()["StreamNames"] == []


def test_existing_region_configuration_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    with mock_kinesis():
        client = boto3.client("kinesis")
        client.create_stream(StreamName="s", ShardCount=1)
        assert client.describe_stream_summary(StreamName="s")["StreamDescriptionSummary"][
            "StreamARN"
        ] == stream_arn("s", region="eu-west-1")
    assert os.environ["AWS_DEFAULT_REGION"] == "eu-west-1"


def test_no_socket_no_signature_no_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"socket connect attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.delenv("AWS_EC2_METADATA_DISABLED")
    signed: list[str] = []
    with mock_kinesis():
        client = boto3.client("kinesis", region_name="ap-southeast-2")
        client.meta.events.register("before-sign.kinesis", lambda **kw: signed.append("signed"))
        client.create_stream(StreamName="offline", ShardCount=2)
        client.describe_stream(StreamName="offline")
        client.update_stream_mode(
            StreamARN=stream_arn("offline", region="ap-southeast-2"),
            StreamModeDetails={"StreamMode": "ON_DEMAND"},
        )
        client.delete_stream(StreamName="offline")
    assert signed == []


class TestAccounts:
    def test_default_account(self, kinesis_mock: Any, make_client: Any) -> None:
        client = make_client()
        client.create_stream(StreamName="s", ShardCount=1)
        assert client.describe_stream_summary(StreamName="s")["StreamDescriptionSummary"][
            "StreamARN"
        ] == stream_arn("s")

    def test_twelve_digit_access_key_selects_the_account(self, kinesis_mock: Any) -> None:
        def client_of(key: str) -> Any:
            return boto3.session.Session(aws_access_key_id=key, aws_secret_access_key="x").client(
                "kinesis", region_name=REGION
            )

        alice, bob = client_of("111111111111"), client_of("222222222222")
        alice.create_stream(StreamName="shared-name", ShardCount=1)
        bob.create_stream(StreamName="shared-name", ShardCount=3)
        assert alice.describe_limits()["OpenShardCount"] == 1
        assert bob.describe_limits()["OpenShardCount"] == 3
        with pytest.raises(bob.exceptions.ResourceNotFoundException) as excinfo:
            bob.describe_stream(StreamName="only-alice")
        assert error_of(excinfo)[1] == "Stream only-alice under account 222222222222 not found."
        # A StreamARN names its owner: cross-account access by ARN reaches alice's stream.
        arn = stream_arn("shared-name", account="111111111111")
        assert bob.describe_stream_summary(StreamARN=arn)["StreamDescriptionSummary"]["OpenShardCount"] == 1

    def test_environment_variable_then_constructor(
        self, monkeypatch: pytest.MonkeyPatch, make_client: Any
    ) -> None:
        monkeypatch.setenv("KINESIS_MOCK_ACCOUNT_ID", "333333333333")
        with mock_kinesis():
            client = make_client()
            client.create_stream(StreamName="s", ShardCount=1)
            assert client.describe_stream_summary(StreamName="s")["StreamDescriptionSummary"][
                "StreamARN"
            ] == stream_arn("s", account="333333333333")
        with mock_kinesis(account_id="444444444444"):
            client = make_client()
            client.create_stream(StreamName="s", ShardCount=1)
            assert client.list_streams()["StreamSummaries"][0]["StreamARN"] == stream_arn(
                "s", account="444444444444"
            )
        monkeypatch.setenv("KINESIS_MOCK_ACCOUNT_ID", "nope")
        with pytest.raises(ValueError, match="^kinesis_mock: KINESIS_MOCK_ACCOUNT_ID must be"):
            mock_kinesis().start()

    def test_regions_are_isolated(self, kinesis_mock: Any, make_client: Any) -> None:
        east, west = make_client("us-east-1"), make_client("us-west-2")
        east.create_stream(StreamName="s", ShardCount=1)
        assert west.list_streams()["StreamNames"] == []
        west.create_stream(StreamName="s", ShardCount=2)
        assert west.describe_stream_summary(StreamName="s")["StreamDescriptionSummary"][
            "StreamARN"
        ] == stream_arn("s", region="us-west-2")
        assert east.describe_limits()["OpenShardCount"] == 1


def test_wrong_json_types_get_a_serialization_exception(kinesis_mock: Any, make_client: Any) -> None:
    client = make_client()

    def corrupt(params: dict[str, Any], **_: Any) -> None:
        params["body"] = b'{"StreamName": 5, "ShardCount": 1}'

    client.meta.events.register_first("before-call.kinesis.CreateStream", corrupt)
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        client.create_stream(StreamName="s", ShardCount=1)
    assert error_of(excinfo) == (
        "SerializationException",
        "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String",
    )
    assert client.list_streams()["StreamNames"] == []


def test_a_fault_of_the_mock_is_an_internal_failure(
    kinesis_mock: Any,
    make_client: Any,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(backend: Any, call: Any) -> Any:
        raise ZeroDivisionError("bug")

    monkeypatch.setitem(_registry.HANDLERS, "ListStreams", broken)
    client = make_client()
    with (
        caplog.at_level(logging.ERROR, logger="kinesis_mock"),
        pytest.raises(botocore.exceptions.ClientError) as excinfo,
    ):
        client.list_streams()
    assert error_of(excinfo) == ("InternalFailure", "")
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert "kinesis_mock: ListStreams failed" in caplog.text
