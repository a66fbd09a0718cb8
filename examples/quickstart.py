"""Quickstart: a small app that manages a Kinesis stream, run entirely under kinesis_mock.

No AWS account, credentials or network are needed: every kinesis call below is answered
in-process by the mock.

    python3 examples/quickstart.py
"""

from __future__ import annotations

import boto3

from kinesis_mock import mock_kinesis


def provision(client: object, name: str) -> None:
    """Create an on-demand stream, then switch it to provisioned capacity."""
    client.create_stream(StreamName=name, StreamModeDetails={"StreamMode": "ON_DEMAND"})
    client.get_waiter("stream_exists").wait(StreamName=name)
    arn = client.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["StreamARN"]
    client.update_stream_mode(StreamARN=arn, StreamModeDetails={"StreamMode": "PROVISIONED"})


def main() -> None:
    with mock_kinesis():
        client = boto3.client("kinesis", region_name="us-east-1")
        provision(client, "orders")
        summary = client.describe_stream_summary(StreamName="orders")["StreamDescriptionSummary"]
        print(f"stream:  {summary['StreamARN']}")
        print(f"mode:    {summary['StreamModeDetails']['StreamMode']}")
        print(f"status:  {summary['StreamStatus']}")
        print(f"shards:  {summary['OpenShardCount']} open")
        shards = client.describe_stream(StreamName="orders")["StreamDescription"]["Shards"]
        for shard in shards:
            hash_range = shard["HashKeyRange"]
            print(f"  {shard['ShardId']}  hash keys {hash_range['StartingHashKey']}.."
                  f"{hash_range['EndingHashKey']}")
        assert summary["StreamModeDetails"]["StreamMode"] == "PROVISIONED"
        assert len(shards) == summary["OpenShardCount"] == 4


if __name__ == "__main__":
    main()
