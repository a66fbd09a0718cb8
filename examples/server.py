"""Server mode: one process serves Kinesis over HTTP, another produces and consumes through it.

Run with the server extra installed: ``pip install 'kinesis-mock[server]'``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import boto3

from kinesis_mock import KinesisServer

# The other process: a plain boto3 program that knows nothing of kinesis_mock, only an endpoint.
CONSUMER = """
import sys, boto3
client = boto3.client("kinesis", endpoint_url=sys.argv[1], region_name="us-east-1",
                      aws_access_key_id="demo", aws_secret_access_key="demo")
shard = client.list_shards(StreamName="orders")["Shards"][0]["ShardId"]
iterator = client.get_shard_iterator(StreamName="orders", ShardId=shard,
                                     ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
for record in client.get_records(ShardIterator=iterator)["Records"]:
    print("consumer process read", record["Data"].decode())
"""


def main() -> None:
    state = Path(tempfile.mkdtemp()) / "kinesis.state"
    with KinesisServer(port=0, state=state) as server:
        print("serving", server.endpoint_url)
        client = boto3.client(
            "kinesis",
            endpoint_url=server.endpoint_url,
            region_name="us-east-1",
            aws_access_key_id="demo",
            aws_secret_access_key="demo",
        )
        client.create_stream(StreamName="orders", ShardCount=1)
        for order in ("apples", "pears"):
            client.put_record(StreamName="orders", Data=order.encode(), PartitionKey=order)
        subprocess.run([sys.executable, "-c", CONSUMER, server.endpoint_url], check=True)
    print("state saved to a file of", state.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
