"""PutRecord and GetRecords over HTTP: kinesis-mock serve against the in-process mock and kinesalite.

    python3 benchmarks/server.py            # needs the server extra; kinesalite when node/npm exist

Each server runs in its own process (as another program would use it); the client is boto3 with
``endpoint_url``. kinesalite is installed with ``npm install kinesalite`` into a temporary
directory. Figures are medians of timed batches, in milliseconds per call.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

import boto3

from kinesis_mock import mock_kinesis

BATCHES, PER_BATCH = 5, 200


def timed(call: Callable[[], Any]) -> float:
    for _ in range(20):
        call()
    samples = []
    for _ in range(BATCHES):
        start = time.perf_counter()
        for _ in range(PER_BATCH):
            call()
        samples.append((time.perf_counter() - start) / PER_BATCH * 1000)
    return statistics.median(samples)


def measure(client: Any) -> tuple[float, float]:
    client.create_stream(StreamName="bench", ShardCount=1)
    client.get_waiter("stream_exists").wait(StreamName="bench", WaiterConfig={"Delay": 1})
    put = timed(lambda: client.put_record(StreamName="bench", Data=b"x" * 100, PartitionKey="k"))
    shard = client.list_shards(StreamName="bench")["Shards"][0]["ShardId"]
    iterator = [
        client.get_shard_iterator(StreamName="bench", ShardId=shard, ShardIteratorType="LATEST")[
            "ShardIterator"
        ]
    ]

    def get() -> None:
        iterator[0] = client.get_records(ShardIterator=iterator[0])["NextShardIterator"]

    return put, timed(get)


def http_client(url: str) -> Any:
    return boto3.client(
        "kinesis", endpoint_url=url, region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b"
    )


def served(command: list[str], url: str | None = None, **popen: Any) -> tuple[float, float]:
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, **popen)
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        return measure(http_client(url or line))
    finally:
        process.kill()
        process.wait()


def kinesalite() -> tuple[float, float] | None:
    if shutil.which("node") is None or shutil.which("npm") is None:
        return None
    where = tempfile.mkdtemp()
    subprocess.run(["npm", "install", "--silent", "kinesalite"], cwd=where, check=True, capture_output=True)
    binary = os.path.join(where, "node_modules", ".bin", "kinesalite")
    return served([binary, "--port", "45699", "--createStreamMs", "0"], "http://127.0.0.1:45699")


def main() -> None:
    rows: dict[str, tuple[float, float] | None] = {}
    with mock_kinesis():
        rows["in-process mock"] = measure(boto3.client("kinesis", region_name="us-east-1"))
    rows["kinesis-mock serve"] = served(
        [sys.executable, "-m", "kinesis_mock", "serve", "--port", "0", "--log-level", "warning"]
    )
    rows["kinesis-mock serve --http2"] = served(
        [sys.executable, "-m", "kinesis_mock", "serve", "--port", "0", "--log-level", "warning", "--http2"]
    )
    rows["kinesalite"] = kinesalite()
    print(f"{'ms per call':28} {'PutRecord':>10} {'GetRecords':>11}")
    for name, figures in rows.items():
        shown = "not installed" if figures is None else f"{figures[0]:10.2f} {figures[1]:11.2f}"
        print(f"{name:28} {shown}")


if __name__ == "__main__":
    main()
