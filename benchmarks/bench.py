"""Per-call cost of kinesis_mock against the botocore floor and, when installed, moto.

The floor is botocore itself answering from a canned HTTP response (a ``before-send`` handler
returning the same JSON body the mock would send): validation, serialization, signing and parsing,
with no service behind it. A mocked call below 1.00x the floor is cheaper than botocore alone.

    python3 benchmarks/bench.py            # full run
    python3 benchmarks/bench.py --quick    # fewer iterations (used by the test suite)

Figures are medians of several timed batches, in microseconds per call, on this machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")

import boto3
from botocore.awsrequest import AWSResponse

from kinesis_mock import _protocol, mock_kinesis

REGION = "us-east-1"
Setup = Callable[[Any], dict[str, Any]]


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Any:
        yield self._body


def timed(call: Callable[[], Any], batches: int, per_batch: int) -> float:
    """Median microseconds per call over ``batches`` batches of ``per_batch`` calls."""
    for _ in range(max(per_batch // 10, 3)):
        call()
    samples = []
    for _ in range(batches):
        start = time.perf_counter()
        for _ in range(per_batch):
            call()
        samples.append((time.perf_counter() - start) / per_batch * 1e6)
    return statistics.median(samples)


def _stream(client: Any, shards: int = 1) -> dict[str, Any]:
    client.create_stream(StreamName="bench", ShardCount=shards)
    return {}


SCENARIOS: dict[str, tuple[Setup, str, dict[str, Any]]] = {
    "describe_stream_summary": (_stream, "describe_stream_summary", {"StreamName": "bench"}),
    "describe_stream (4 shards)": (
        lambda c: _stream(c, 4), "describe_stream", {"StreamName": "bench"}),
    "list_streams": (_stream, "list_streams", {}),
    "describe_limits": (_stream, "describe_limits", {}),
}


def canned_floor(method: str, params: dict[str, Any], body: bytes, batches: int, n: int) -> float:
    client = boto3.session.Session().client("kinesis", region_name=REGION)

    def answer(request: Any, **_: Any) -> AWSResponse:
        return AWSResponse(request.url, 200, {"x-amzn-RequestId": "r",
                                              "Content-Type": _protocol.CONTENT_TYPE}, _Raw(body))

    client.meta.events.register("before-send.kinesis", answer)
    operation = getattr(client, method)
    return timed(lambda: operation(**params), batches, n)


def run_mock(setup: Setup, method: str, params: dict[str, Any], batches: int,
             n: int) -> tuple[float, bytes]:
    with mock_kinesis():
        client = boto3.session.Session().client("kinesis", region_name=REGION)
        setup(client)
        operation = getattr(client, method)
        reply = {k: v for k, v in operation(**params).items() if k != "ResponseMetadata"}
        body = _protocol.encode(_protocol.Reply(200, reply))
        return timed(lambda: operation(**params), batches, n), body


def run_moto(setup: Setup, method: str, params: dict[str, Any], batches: int,
             n: int) -> float | None:
    try:
        from moto import mock_aws
    except ImportError:
        return None
    with mock_aws():
        client = boto3.session.Session().client("kinesis", region_name=REGION)
        setup(client)
        operation = getattr(client, method)
        return timed(lambda: operation(**params), batches, n)


def main(argv: list[str] | None = None) -> dict[str, dict[str, float | None]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few iterations, for a smoke run")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    batches, n = (3, 20) if args.quick else (7, 300)
    results: dict[str, dict[str, float | None]] = {}
    for name, (setup, method, params) in SCENARIOS.items():
        mock_us, body = run_mock(setup, method, params, batches, n)
        floor_us = canned_floor(method, params, body, batches, n)
        moto_us = run_moto(setup, method, params, batches, n)
        results[name] = {"floor_us": floor_us, "mock_us": mock_us, "moto_us": moto_us}
    if args.json:
        print(json.dumps(results, indent=2))
        return results
    print(f"{'call':32} {'floor µs':>9} {'mock µs':>9} {'mock/floor':>10} "
          f"{'moto µs':>9} {'moto/floor':>10}")
    for name, row in results.items():
        floor, mock, moto = row["floor_us"], row["mock_us"], row["moto_us"]
        assert floor is not None and mock is not None
        moto_cells = (f"{moto:9.1f} {moto / floor:9.2f}x" if moto is not None
                      else f"{'-':>9} {'-':>10}")
        print(f"{name:32} {floor:9.1f} {mock:9.1f} {mock / floor:9.2f}x {moto_cells}")
    return results


if __name__ == "__main__":
    main(sys.argv[1:])
