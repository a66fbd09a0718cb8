"""What a kinesis_mock call costs, against the botocore floor and, when installed, moto.

The floor is botocore itself answering from a canned HTTP response (a ``before-send`` handler that
returns the same JSON body the mock would send): parameter validation, serialization, signing and
parsing, with no service behind it. A mocked call below 1.00x is cheaper than botocore alone.

    python3 benchmarks/bench.py            # everything (about two minutes with moto installed)
    python3 benchmarks/bench.py --quick    # few iterations and a small depth (a smoke run)

Three tables:

1. per call: microseconds per call for the floor, kinesis_mock and moto, and the ratios;
2. depth: the same calls with 1,000 and with 1,000,000 records in the shard (moto: 1,000 and
   20,000, filled through boto3), and the ratio deep/shallow;
3. memory: heap bytes held per stored 100-byte record (tracemalloc), kinesis_mock and moto.

Figures are medians of several timed batches on this machine; compare ratios, not microseconds.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import os
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")

import boto3
from botocore.awsrequest import AWSResponse

from kinesis_mock import _clock, _hook, _protocol, mock_kinesis
from kinesis_mock.backend import StreamRef, records

REGION = "us-east-1"
SHARD = "shardId-000000000000"
PAYLOAD = b"x" * 100
Call = tuple[str, dict[str, Any]]


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


def new_client() -> Any:
    return boto3.session.Session().client("kinesis", region_name=REGION)


def moto_mock() -> AbstractContextManager[Any] | None:
    try:
        from moto import mock_aws
    except ImportError:
        return None
    return mock_aws()


# -- 1. per call ------------------------------------------------------------------------------


def prepare(client: Any, depth: int = 100, name: str = "bench") -> dict[str, Any]:
    """A 1-shard stream with ``depth`` records (through boto3), and the arguments calls need."""
    client.create_stream(StreamName=name, ShardCount=1)
    entries = [{"Data": PAYLOAD, "PartitionKey": f"user-{i}"} for i in range(500)]
    numbers: list[str] = []
    for start in range(0, depth, 500):
        response = client.put_records(StreamName=name, Records=entries[: depth - start])
        numbers += [r["SequenceNumber"] for r in response["Records"]]
    return {
        "middle": numbers[len(numbers) // 2],
        "when": datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=1),
    }


def per_call_cases(client: Any, ctx: dict[str, Any]) -> dict[str, Call]:
    def iterator(kind: str, **extra: Any) -> dict[str, Any]:
        return {"StreamName": "bench", "ShardId": SHARD, "ShardIteratorType": kind, **extra}

    def token(kind: str, **extra: Any) -> str:
        return str(client.get_shard_iterator(**iterator(kind, **extra))["ShardIterator"])

    # Reads first: the writes timed later would otherwise put thousands of records in front of
    # the LATEST iterator made here.
    return {
        "get_shard_iterator TRIM_HORIZON": ("get_shard_iterator", iterator("TRIM_HORIZON")),
        "get_shard_iterator LATEST": ("get_shard_iterator", iterator("LATEST")),
        "get_shard_iterator AT_SEQUENCE_NUMBER": (
            "get_shard_iterator",
            iterator("AT_SEQUENCE_NUMBER", StartingSequenceNumber=ctx["middle"]),
        ),
        "get_shard_iterator AT_TIMESTAMP": (
            "get_shard_iterator",
            iterator("AT_TIMESTAMP", Timestamp=ctx["when"]),
        ),
        "get_records at LATEST (0 records)": ("get_records", {"ShardIterator": token("LATEST")}),
        "get_records 100 records": ("get_records", {"ShardIterator": token("TRIM_HORIZON"), "Limit": 100}),
        "list_shards": ("list_shards", {"StreamName": "bench"}),
        "describe_stream_summary": ("describe_stream_summary", {"StreamName": "bench"}),
        "describe_stream": ("describe_stream", {"StreamName": "bench"}),
        "list_streams": ("list_streams", {}),
        "describe_limits": ("describe_limits", {}),
        "put_record (100 B)": (
            "put_record",
            {"StreamName": "bench", "Data": PAYLOAD, "PartitionKey": "user-1"},
        ),
        "put_records (100 x 100 B)": (
            "put_records",
            {
                "StreamName": "bench",
                "Records": [{"Data": PAYLOAD, "PartitionKey": f"user-{i}"} for i in range(100)],
            },
        ),
    }


def floor_client(bodies: dict[str, bytes]) -> Any:
    """A client that botocore answers itself, with the body recorded for each operation."""
    client = new_client()

    class Raw:
        def __init__(self, body: bytes) -> None:
            self.body = body

        def stream(self, **_: Any) -> Iterator[bytes]:
            yield self.body

    def answer(request: Any, **_: Any) -> AWSResponse:
        operation = request.headers["X-Amz-Target"].decode().split(".")[1]
        return AWSResponse(
            request.url,
            200,
            {"x-amzn-RequestId": "r", "Content-Type": _protocol.CONTENT_TYPE},
            Raw(bodies[operation]),
        )

    client.meta.events.register("before-send.kinesis", answer)
    return client


def per_call(batches: int, n: int) -> dict[str, dict[str, float | None]]:
    results: dict[str, dict[str, float | None]] = {}
    with mock_kinesis():
        client = new_client()
        cases = per_call_cases(client, prepare(client))
        for name, (method, params) in cases.items():
            reply = {k: v for k, v in getattr(client, method)(**params).items() if k != "ResponseMetadata"}
            # The floor answers each call with this call's reply body. The mock is told to leave
            # the floor's client alone (as if already hooked), so both can be timed side by side,
            # their batches interleaved.
            floor = floor_client({_wire_name(method): _protocol.encode(_protocol.Reply(200, reply))})
            _hook._State.emitters.add(floor.meta.events)
            mock_us, floor_us = timed_pair(
                lambda m=method, p=params: getattr(client, m)(**p),
                lambda f=floor, m=method, p=params: getattr(f, m)(**p),
                batches,
                _calls(name, n),
            )
            results[name] = {"mock": mock_us, "floor": floor_us}
    moto = moto_mock()
    if moto is not None:
        with moto:
            client = new_client()
            cases = per_call_cases(client, prepare(client))
            for name, (method, params) in cases.items():
                results[name]["moto"] = timed(
                    lambda m=method, p=params: getattr(client, m)(**p), batches, _calls(name, n)
                )
    return results


def _calls(name: str, n: int) -> int:
    # Each timed PutRecords adds 100 records; moto's writes are O(n) in the shard, so a full batch
    # count would turn its run quadratic.
    return max(n // 10, 3) if name.startswith("put_records") else n


def _wire_name(method: str) -> str:
    return "".join(part.title() for part in method.split("_"))


# -- 2. depth ---------------------------------------------------------------------------------


def timed_pair(
    first: Callable[[], Any], second: Callable[[], Any], batches: int, per_batch: int
) -> tuple[float, float]:
    """Like :func:`timed` for two calls, their batches interleaved so that drift in the machine's
    speed hits both alike."""
    for _ in range(max(per_batch // 10, 3)):
        first()
        second()
    samples: tuple[list[float], list[float]] = ([], [])
    for _ in range(batches):
        for call, out in ((first, samples[0]), (second, samples[1])):
            start = time.perf_counter()
            for _ in range(per_batch):
                call()
            out.append((time.perf_counter() - start) / per_batch * 1e6)
    return statistics.median(samples[0]), statistics.median(samples[1])


def fill_backend(mock: Any, name: str, count: int) -> None:
    """Put ``count`` records straight into a stream's shard, one millisecond apart, ending now."""
    stream = mock.backend.stream(StreamRef("123456789012", REGION, name))
    now = _clock.now_ms()
    for i in range(count):
        records.append(stream, 0, f"user-{i}", PAYLOAD, now - count + i)


def depth_cases(client: Any, name: str, middle: str, when: datetime.datetime) -> dict[str, Call]:
    def iterator(kind: str, **extra: Any) -> dict[str, Any]:
        return {"StreamName": name, "ShardId": SHARD, "ShardIteratorType": kind, **extra}

    at = client.get_shard_iterator(**iterator("AT_SEQUENCE_NUMBER", StartingSequenceNumber=middle))
    latest = client.get_shard_iterator(**iterator("LATEST"))
    # Reads first; the put_record case goes last (its records would land behind LATEST).
    return {
        "get_shard_iterator TRIM_HORIZON": ("get_shard_iterator", iterator("TRIM_HORIZON")),
        "get_shard_iterator LATEST": ("get_shard_iterator", iterator("LATEST")),
        "get_shard_iterator AT_SEQUENCE_NUMBER": (
            "get_shard_iterator",
            iterator("AT_SEQUENCE_NUMBER", StartingSequenceNumber=middle),
        ),
        "get_shard_iterator AFTER_SEQUENCE_NUMBER": (
            "get_shard_iterator",
            iterator("AFTER_SEQUENCE_NUMBER", StartingSequenceNumber=middle),
        ),
        "get_shard_iterator AT_TIMESTAMP": ("get_shard_iterator", iterator("AT_TIMESTAMP", Timestamp=when)),
        "get_records at LATEST": ("get_records", {"ShardIterator": latest["ShardIterator"]}),
        "get_records 100 from the middle": (
            "get_records",
            {"ShardIterator": at["ShardIterator"], "Limit": 100},
        ),
        "put_record": (
            "put_record",
            {"StreamName": name, "Data": PAYLOAD, "PartitionKey": "user-1", "ExplicitHashKey": "0"},
        ),
    }


def compare_depths(
    client: Any, shallow: dict[str, Call], deep: dict[str, Call], batches: int, n: int
) -> dict[str, tuple[float, float]]:
    return {
        name: timed_pair(
            lambda m=shallow[name][0], p=shallow[name][1]: getattr(client, m)(**p),
            lambda m=deep[name][0], p=deep[name][1]: getattr(client, m)(**p),
            batches,
            n,
        )
        for name in shallow
    }


def mock_depth(shallow: int, deep: int, batches: int, n: int) -> dict[str, tuple[float, float]]:
    """Each call on a stream with ``shallow`` records and on one with ``deep``, in one mock."""
    with mock_kinesis() as mock:
        client = new_client()
        cases = []
        for name, count in (("shallow", shallow), ("deep", deep)):
            client.create_stream(StreamName=name, ShardCount=1)
            fill_backend(mock, name, count)
            stream = mock.backend.stream(StreamRef("123456789012", REGION, name))
            shard = stream.shards[0]
            middle = stream.sequence_number(shard.counters[count // 2], shard)
            when = _clock.to_datetime(shard.arrivals[count // 2] // 1000 * 1000)
            cases.append(depth_cases(client, name, middle, when))
        return compare_depths(client, cases[0], cases[1], batches, n)


def moto_depth(shallow: int, deep: int, batches: int, n: int) -> dict[str, tuple[float, float]] | None:
    moto = moto_mock()
    if moto is None:
        return None
    with moto:
        client = new_client()
        cases = []
        for name, count in (("shallow", shallow), ("deep", deep)):
            ctx = prepare(client, count, name)
            cases.append(
                depth_cases(client, name, ctx["middle"], ctx["when"] - datetime.timedelta(seconds=60))
            )
        return compare_depths(client, cases[0], cases[1], batches, n)


# -- 3. memory --------------------------------------------------------------------------------


@contextmanager
def heap_delta(out: list[int]) -> Iterator[None]:
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    try:
        yield
    finally:
        gc.collect()
        out.append(tracemalloc.get_traced_memory()[0] - before)
        tracemalloc.stop()


def heap_per_record(context: AbstractContextManager[Any], count: int) -> float:
    """Heap bytes kept per 100-byte record written through boto3 (batches of 500)."""
    with context:
        client = new_client()
        client.create_stream(StreamName="bench", ShardCount=1)
        client.put_records(StreamName="bench", Records=[{"Data": PAYLOAD, "PartitionKey": "w"}])
        delta: list[int] = []
        with heap_delta(delta):
            for start in range(0, count, 500):
                client.put_records(
                    StreamName="bench",
                    Records=[{"Data": PAYLOAD, "PartitionKey": f"user-{start + i}"} for i in range(500)],
                )
        return delta[0] / count


# -- report -----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a short smoke run")
    args = parser.parse_args(argv)
    batches, n = (3, 10) if args.quick else (7, 200)
    shallow, deep, moto_deep = (1_000, 20_000, 2_000) if args.quick else (1_000, 1_000_000, 20_000)
    report: dict[str, Any] = {}

    print("1. per call: microseconds per call, and the ratio to the botocore floor")
    print(f"{'call':40} {'floor':>8} {'mock':>8} {'ratio':>7} {'moto':>8} {'ratio':>7}")
    report["per_call"] = per_call(batches, n)
    for name, row in report["per_call"].items():
        floor, mock, moto = row["floor"], row["mock"], row.get("moto")
        moto_cells = f"{moto:8.1f} {moto / floor:6.2f}x" if moto else f"{'-':>8} {'-':>7}"
        print(f"{name:40} {floor:8.1f} {mock:8.1f} {mock / floor:6.2f}x {moto_cells}")

    print(
        f"\n2. depth: microseconds per call with {shallow:,} and {deep:,} records in the shard"
        f" (moto: {shallow:,} and {moto_deep:,})"
    )
    print(f"{'call':40} {'mock':>8} {'deep':>8} {'ratio':>7} {'moto':>8} {'deep':>9} {'ratio':>7}")
    mock_rows = mock_depth(shallow, deep, batches, n)
    moto_rows = moto_depth(shallow, moto_deep, batches, n)
    report["depth"] = {"mock": mock_rows, "moto": moto_rows}
    for name, (a, b) in mock_rows.items():
        cells = f"{a:8.1f} {b:8.1f} {b / a:6.2f}x"
        if moto_rows:
            c, d = moto_rows[name]
            cells += f" {c:8.1f} {d:9.1f} {d / c:6.2f}x"
        print(f"{name:40} {cells}")

    count = 5_000 if args.quick else 20_000
    print(f"\n3. memory: heap bytes per stored 100-byte record ({count:,} records, tracemalloc)")
    report["memory"] = {"mock": heap_per_record(mock_kinesis(), count)}
    moto = moto_mock()
    if moto is not None:
        report["memory"]["moto"] = heap_per_record(moto, count)
    for who, value in report["memory"].items():
        print(f"{who:10} {value:8.0f} bytes")
    return report


if __name__ == "__main__":
    main(sys.argv[1:])
