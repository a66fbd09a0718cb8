"""The README's promises about AWS configuration under the mock, checked one by one.

"Region: the client's region. With no region configured anywhere, clients made under the mock get
us-east-1" - so a region in the user's profile is the client's region, not replaced. "Creating a
client never looks for real credentials" - so not even an explicit ``boto3.Session(profile_name=...)``
runs the profile's ``credential_process``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import boto3
import pytest

from kinesis_mock import mock_kinesis


@pytest.fixture
def config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config"
    monkeypatch.setenv("AWS_CONFIG_FILE", str(path))
    return path


def test_a_region_in_the_default_profile_is_the_clients_region(config_file: Path) -> None:
    config_file.write_text("[default]\nregion = eu-west-1\n[profile other]\nregion = ap-south-1\n")
    with mock_kinesis():
        client = boto3.client("kinesis")
        client.create_stream(StreamName="s", ShardCount=1)
        summary = client.describe_stream_summary(StreamName="s")["StreamDescriptionSummary"]
        other = boto3.Session(profile_name="other").client("kinesis")
        assert (client.meta.region_name, other.meta.region_name) == ("eu-west-1", "ap-south-1")
        assert summary["StreamARN"] == "arn:aws:kinesis:eu-west-1:123456789012:stream/s"
        assert other.list_streams()["StreamNames"] == []


def test_with_no_region_anywhere_clients_get_us_east_1(config_file: Path) -> None:
    config_file.write_text("[default]\noutput = json\n")
    with mock_kinesis():
        assert boto3.client("kinesis").meta.region_name == "us-east-1"


def test_an_explicit_profile_does_not_run_its_credential_process(config_file: Path, tmp_path: Path) -> None:
    ran = tmp_path / "credential-process-ran"
    credentials = {"Version": 1, "AccessKeyId": "AKIDPROCESS", "SecretAccessKey": "secret"}
    script = tmp_path / "process.py"
    script.write_text(
        f"import json, pathlib\npathlib.Path({str(ran)!r}).touch()\nprint(json.dumps({credentials!r}))\n"
    )
    config_file.write_text(
        f"[profile tool]\nregion = us-west-2\ncredential_process = {sys.executable} {script}\n"
    )
    with mock_kinesis():
        client = boto3.Session(profile_name="tool").client("kinesis")
        client.create_stream(StreamName="s", ShardCount=1)
        names: Any = client.list_streams()["StreamNames"]
    assert (names, ran.exists()) == (["s"], False)
    # Without the mock the profile's process is what botocore runs: the check above is not vacuous.
    session = boto3.Session(profile_name="tool")
    frozen = session.get_credentials().get_frozen_credentials()
    assert (frozen.access_key, ran.exists()) == ("AKIDPROCESS", True)
