"""``requests`` callers: SigV4-signed JSON 1.1 POSTs to Kinesis answered through ``responses``."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests
import responses
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from helpers import ACCOUNT, stream_arn
from requests.adapters import HTTPAdapter

from kinesis_mock import mock_kinesis


def signed_post(
    url: str, operation: str, body: dict[str, Any], region: str = "us-east-1", key: str = "AKIDEXAMPLE"
) -> requests.Response:
    """A request as a hand-rolled SigV4 client sends it (what moto answers too)."""
    request = AWSRequest(
        method="POST",
        url=url,
        data=json.dumps(body).encode(),
        headers={
            "X-Amz-Target": f"Kinesis_20131202.{operation}",
            "Content-Type": "application/x-amz-json-1.1",
        },
    )
    SigV4Auth(Credentials(key, "secret"), "kinesis", region).add_auth(request)
    return requests.post(url, data=request.body, headers=dict(request.headers.items()), timeout=5)


def test_signed_requests_are_answered_from_the_same_backend(kinesis_mock: Any, make_client: Any) -> None:
    url = "https://kinesis.us-east-1.amazonaws.com/"
    created = signed_post(url, "CreateStream", {"StreamName": "by-requests", "ShardCount": 1})
    assert (created.status_code, created.json()) == (200, {})
    assert created.headers["content-type"] == "application/x-amz-json-1.1"
    listed = signed_post(url, "ListStreams", {})
    assert listed.json()["StreamNames"] == ["by-requests"]
    assert make_client().list_streams()["StreamNames"] == ["by-requests"]


def test_errors_come_as_kinesis_sends_them(kinesis_mock: Any) -> None:
    reply = signed_post("https://kinesis.us-east-1.amazonaws.com/", "DescribeStream", {"StreamName": "nope"})
    assert reply.status_code == 400
    assert reply.json() == {
        "__type": "ResourceNotFoundException",
        "message": f"Stream nope under account {ACCOUNT} not found.",
    }


def test_region_and_account_come_from_the_credential_scope(kinesis_mock: Any, make_client: Any) -> None:
    url = "https://111122223333.control-kinesis.eu-west-1.amazonaws.com/"
    signed_post(url, "CreateStream", {"StreamName": "s", "ShardCount": 2}, "eu-west-1", "111122223333")
    summary = signed_post(
        url,
        "DescribeStreamSummary",
        {"StreamARN": stream_arn("s", "111122223333", "eu-west-1")},
        "eu-west-1",
        "111122223333",
    ).json()["StreamDescriptionSummary"]
    assert summary["StreamARN"] == stream_arn("s", "111122223333", "eu-west-1")
    assert make_client("eu-west-1").list_streams()["StreamNames"] == []


def test_the_endpoint_of_aws_endpoint_url_kinesis(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_KINESIS", "http://localhost:4567")
    with mock_kinesis():
        signed_post("http://localhost:4567/", "CreateStream", {"StreamName": "local", "ShardCount": 1})
        assert signed_post("http://localhost:4567", "ListStreams", {}).json()["StreamNames"] == ["local"]


def test_subscribe_to_shard_gets_the_events_there_when_answered(kinesis_mock: Any) -> None:
    url = "https://kinesis.us-east-1.amazonaws.com/"
    signed_post(url, "CreateStream", {"StreamName": "s", "ShardCount": 1})
    signed_post(url, "PutRecord", {"StreamName": "s", "Data": "YQ==", "PartitionKey": "k"})
    consumer = signed_post(
        url, "RegisterStreamConsumer", {"StreamARN": stream_arn("s"), "ConsumerName": "c"}
    ).json()["Consumer"]["ConsumerARN"]
    reply = signed_post(
        url,
        "SubscribeToShard",
        {
            "ConsumerARN": consumer,
            "ShardId": "shardId-000000000000",
            "StartingPosition": {"Type": "TRIM_HORIZON"},
        },
    )
    assert reply.headers["content-type"] == "application/vnd.amazon.eventstream"
    assert b"initial-response" in reply.content
    assert b'"Data":"YQ=="' in reply.content


def test_other_traffic_and_the_users_own_responses_mocks_are_untouched() -> None:
    original = HTTPAdapter.send
    with responses.RequestsMock() as outer:
        outer.get("https://example.com/outer", body="outer")
        with mock_kinesis():
            with responses.RequestsMock() as inner:
                inner.get("https://example.com/inner", body="inner")
                assert requests.get("https://example.com/inner", timeout=5).text == "inner"
            # Not Kinesis: passed on to the mock that was there before ours.
            assert requests.get("https://example.com/outer", timeout=5).text == "outer"
            assert signed_post("https://kinesis.us-east-1.amazonaws.com/", "ListStreams", {}).ok
        assert requests.get("https://example.com/outer", timeout=5).text == "outer"
        # Kinesis hosts are the user's business again once the mock stopped.
        with pytest.raises(requests.ConnectionError):
            signed_post("https://kinesis.us-east-1.amazonaws.com/", "ListStreams", {})
    assert HTTPAdapter.send is original
