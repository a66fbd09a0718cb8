"""What a kinesis_mock call costs, against the botocore floor and, when installed, moto.

The floor is botocore itself answering from a canned HTTP response (a ``before-send`` handler that
returns the same JSON body the mock would send): parameter validation, serialization, signing and
parsing, with no service behind it. A mocked call below 1.00x is cheaper than botocore alone.

    python3 benchmarks/bench.py            # everything (about two minutes with moto installed)
    python3 benchmarks/bench.py --quick    # few iterations and a small depth (a smoke run)

Seven tables, each ratio printed beside its target (issue 15):

1. activation: one test's work (activate, ``boto3.client``, one call, stop) against a plain
   ``boto3.client`` answered by the floor, moto's ``mock_aws`` likewise, and a pytest session of
   such tests (the fixture against the floor);
2. per call: microseconds per call for the floor, kinesis_mock and moto, and the ratios;
3. depth: the same calls with 1,000 and with 1,000,000 records in the shard (moto: 1,000 and
   20,000, filled through boto3), and the ratio deep/shallow;
4. width: each call with 1,000 streams in the region and 10,000 shards in the stream, against a
   4-shard stream alone in its region (the first write after a split included);
5. fan-out: a writer's cost with and without 20 idle subscriptions on another stream;
6. UpdateShardCount 1,000 -> 500 and 10,000 -> 5,000, and a ListStreams waiting meanwhile;
7. memory: heap bytes held per stored 100-byte record (tracemalloc), kinesis_mock and moto.

Every comparison times its cases in alternating batches over several rounds (see timing.py) and
prints medians of CPU time (the steadier figure on a shared machine) and wall time; a ratio is the
median of the rounds' ratios (the per-call table times five times the rounds, each a fifth as
long). Compare ratios, not microseconds.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import os
import sys
import tracemalloc
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")

import boto3
import scale
from botocore.awsrequest import AWSResponse
from timing import Cost, interleaved, pair, verdict

from kinesis_mock import _clock, _hook, _protocol, mock_kinesis
from kinesis_mock.backend import StreamRef, records

REGION = "us-east-1"
SHARD = "shardId-000000000000"
PAYLOAD = b"x" * 100
Call = tuple[str, dict[str, Any]]


def new_client(session: Any = None) -> Any:
    return (session or boto3.session.Session()).client("kinesis", region_name=REGION)


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
    if name == "bench":
        client.create_stream(StreamName="bench4", ShardCount=4)
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
        "put_records (100 x 100 B)": ("put_records", batch("bench", 100)),
        "put_records (500 x 100 B, 1 shard)": ("put_records", batch("bench", 500)),
        "put_records (500 x 100 B, 4 shards)": ("put_records", batch("bench4", 500)),
    }


def batch(stream: str, count: int) -> dict[str, Any]:
    return {
        "StreamName": stream,
        "Records": [{"Data": PAYLOAD, "PartitionKey": f"user-{i}"} for i in range(count)],
    }


# The targets: the mock's cost over the floor's, per call.
PER_CALL_TARGETS = {
    "put_record (100 B)": 0.4,
    "get_shard_iterator TRIM_HORIZON": 0.4,
    "get_shard_iterator LATEST": 0.4,
    "get_shard_iterator AT_SEQUENCE_NUMBER": 0.4,
    "get_shard_iterator AT_TIMESTAMP": 0.4,
    "describe_stream_summary": 0.4,
    "list_shards": 0.4,
    "get_records 100 records": 0.15,
    "put_records (100 x 100 B)": 0.65,
    "put_records (500 x 100 B, 1 shard)": 0.8,
    "put_records (500 x 100 B, 4 shards)": 0.8,
}


def floor_client(bodies: dict[str, bytes], session: Any = None) -> Any:
    """A client that botocore answers itself, with the body recorded for each operation."""
    client = new_client(session)

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


def per_call(batches: int, n: int) -> dict[str, dict[str, Any]]:
    results: dict[str, dict[str, Any]] = {}
    with mock_kinesis():
        client = new_client()
        cases = per_call_cases(client, prepare(client))
        for name, (method, params) in cases.items():
            reply = {k: v for k, v in getattr(client, method)(**params).items() if k != "ResponseMetadata"}
            # The floor answers each call with this call's reply body. The mock is told to leave
            # the floor's client alone (as if already hooked), so both can be timed side by side,
            # their batches interleaved.
            floor = floor_client({_wire_name(method): _protocol.encode(_protocol.Reply(200, reply))})
            _hook._State.emitters[floor.meta.events] = _hook.CALL_EVENT
            # Five times the rounds, each a fifth as long: the two sides of a round are timed
            # within milliseconds of each other, and their ratio is the median of the rounds'.
            mock_cost, floor_cost = pair(
                lambda m=method, p=params: getattr(client, m)(**p),
                lambda f=floor, m=method, p=params: getattr(f, m)(**p),
                batches * 5,
                max(_calls(name, n) // 5, 3),
            )
            results[name] = {"mock": mock_cost, "floor": floor_cost}
    moto = moto_mock()
    if moto is not None:
        with moto:
            client = new_client()
            cases = per_call_cases(client, prepare(client))
            for name, (method, params) in cases.items():
                call = lambda m=method, p=params: getattr(client, m)(**p)  # noqa: E731
                results[name]["moto"] = interleaved({"moto": call}, batches, _calls(name, n))["moto"]
    return results


def _calls(name: str, n: int) -> int:
    # Each timed PutRecords adds 100 or 500 records; moto's writes are O(n) in the shard, so a full
    # batch count would turn its run quadratic.
    return max(n // 10, 3) if name.startswith("put_records") else n


def _wire_name(method: str) -> str:
    return "".join(part.title() for part in method.split("_"))


# -- 2. depth ---------------------------------------------------------------------------------


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
) -> dict[str, tuple[Cost, Cost]]:
    return {
        name: pair(
            lambda m=shallow[name][0], p=shallow[name][1]: getattr(client, m)(**p),
            lambda m=deep[name][0], p=deep[name][1]: getattr(client, m)(**p),
            batches,
            n,
        )
        for name in shallow
    }


def mock_depth(shallow: int, deep: int, batches: int, n: int) -> dict[str, tuple[Cost, Cost]]:
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


def moto_depth(shallow: int, deep: int, batches: int, n: int) -> dict[str, tuple[Cost, Cost]] | None:
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


def heap_per_record(context: AbstractContextManager[Any], count: int, forget_calls: bool = False) -> float:
    """Heap bytes kept per 100-byte record written through boto3 (batches of 500); with
    ``forget_calls``, the mock's record of the calls (``mock.calls``) is cleared before the end."""
    with context as mock:
        client = new_client()
        client.create_stream(StreamName="bench", ShardCount=1)
        client.put_records(StreamName="bench", Records=[{"Data": PAYLOAD, "PartitionKey": "w"}])
        delta: list[int] = []
        with heap_delta(delta):
            for start in range(0, count, 500):
                # A payload object of its own per record, as a producer's would be: a mock that
                # keeps the caller's bytes is charged for them, one that copies them for its copy.
                client.put_records(
                    StreamName="bench",
                    Records=[
                        {"Data": b"%06d" % (start + i) + PAYLOAD[6:], "PartitionKey": f"user-{start + i}"}
                        for i in range(500)
                    ],
                )
            if forget_calls:
                mock.calls.clear()
        return delta[0] / count


# -- report -----------------------------------------------------------------------------------


def _row(name: str, cells: str, ratio: Cost, target: float | None) -> None:
    print(f"{name:40} {cells} {ratio.cpu:6.2f}x {ratio.wall:6.2f}x  {verdict(ratio.cpu, target)}")


def _moto_cells(moto: Cost | None, base: Cost) -> str:
    if moto is None:
        return f"{'-':>8} {'-':>7}"
    return f"{moto.cpu:8.1f} {moto.cpu / base.cpu:6.2f}x"


def report_activation(quick: bool, report: dict[str, Any]) -> None:
    rounds, per_round = (3, 3) if quick else (7, 10)
    print("1. activation: milliseconds per test (activate, boto3.client, one call, stop), CPU and wall")
    print(f"{'case':40} {'cpu ms':>8} {'wall ms':>8} {'cpu':>7} {'wall':>7}  target (cpu)")
    costs = report["activation"] = scale.activation(rounds, per_round)
    plain = costs["plain client"]
    for name, cost in costs.items():
        target = 1.5 if name == "kinesis_mock" else None
        _row(name, f"{cost.cpu / 1000:8.2f} {cost.wall / 1000:8.2f}", cost.ratio(plain), target)
    tests = 20 if quick else 200
    session = report["session"] = scale.session(tests, 1 if quick else 3)
    floor = session["floor"]
    for name, cost in session.items():
        target = 1.5 if name == "kinesis_mock" else None
        label = f"pytest session of {tests} tests: {name}"
        _row(label, f"{cost.cpu * 1000:8.0f} {cost.wall * 1000:8.0f}", cost.ratio(floor), target)


def report_moto_activation(quick: bool, report: dict[str, Any]) -> None:
    rounds, per_round = (3, 3) if quick else (5, 10)
    costs = scale.activation_moto(rounds, per_round)
    if costs is not None:
        report["activation"]["moto"] = moto = costs["moto"]
        ratio = moto.ratio(costs["plain client"])
        _row(
            "moto (beside a plain client again)",
            f"{moto.cpu / 1000:8.2f} {moto.wall / 1000:8.2f}",
            ratio,
            None,
        )


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a short smoke run")
    args = parser.parse_args(argv)
    quick = args.quick
    batches, n = (3, 10) if quick else (7, 200)
    shallow, deep, moto_deep = (1_000, 20_000, 2_000) if quick else (1_000, 1_000_000, 20_000)
    report: dict[str, Any] = {}
    ratios = f"{'cpu':>7} {'wall':>7}  target (cpu)"

    report_activation(quick, report)

    print("\n2. per call: microseconds per call (CPU), and the mock's ratio to the botocore floor")
    print(f"{'call':40} {'floor':>8} {'mock':>8} {ratios}   {'moto':>8} {'ratio':>7}")
    report["per_call"] = per_call(batches, n)
    for name, row in report["per_call"].items():
        floor, mock = row["floor"], row["mock"]
        ratio = mock.ratio(floor)
        cells = f"{floor.cpu:8.1f} {mock.cpu:8.1f}"
        print(f"{name:40} {cells} {ratio.cpu:6.2f}x {ratio.wall:6.2f}x", end="")
        print(f"  {verdict(ratio.cpu, PER_CALL_TARGETS.get(name)):16} {_moto_cells(row.get('moto'), floor)}")
    report_moto_activation(quick, report)

    print(
        f"\n3. depth: microseconds per call with {shallow:,} and {deep:,} records in the shard"
        f" (moto: {shallow:,} and {moto_deep:,})"
    )
    print(f"{'call':40} {'mock':>8} {'deep':>8} {ratios}   {'moto':>8} {'deep':>9} {'ratio':>7}")
    mock_rows = mock_depth(shallow, deep, batches, n)
    moto_rows = moto_depth(shallow, moto_deep, batches, n)
    report["depth"] = {"mock": mock_rows, "moto": moto_rows}
    for name, (a, b) in mock_rows.items():
        ratio = b.ratio(a)
        print(f"{name:40} {a.cpu:8.1f} {b.cpu:8.1f} {ratio.cpu:6.2f}x {ratio.wall:6.2f}x", end="")
        print(f"  {verdict(ratio.cpu, 1.2):16}", end="")
        if moto_rows:
            c, d = moto_rows[name]
            print(f" {c.cpu:8.1f} {d.cpu:9.1f} {d.cpu / c.cpu:6.2f}x", end="")
        print()

    streams, shards = (100, 1_000) if quick else (1_000, 10_000)
    print(
        f"\n4. width: microseconds per call on 1 stream of 4 shards and on a stream of {shards:,}"
        f" shards among {streams:,} streams"
    )
    print(f"{'call':40} {'narrow':>8} {'wide':>8} {ratios}")
    report["width"] = scale.width(batches, max(n // 4, 3), streams, shards)
    for name, (a, b) in report["width"].items():
        _row(name, f"{a.cpu:8.1f} {b.cpu:8.1f}", b.ratio(a), 1.2)

    print(
        "\n5. fan-out: PutRecords (100) on one stream, with 20 idle subscriptions on another"
        " (the writer thread's own CPU, and wall)"
    )
    fan = report["fan_out"] = scale.fan_out(5 if quick else 25, max(n // 4, 5))
    _row(
        "writer with / without subscriptions",
        f"{fan['without (cpu)']:8.1f} {fan['with (cpu)']:8.1f}",
        Cost(fan["ratio (cpu)"], fan["ratio (wall)"]),
        1.1,
    )
    print(
        f"{'empty events per idle subscription':40} {fan['empty events per second']:8.1f} per second"
        f" (subscribe_idle_seconds={fan['idle seconds']}: at most {1 / fan['idle seconds']:.0f})"
    )

    sizes = (1_000,) if quick else (1_000, 10_000)
    print("\n6. UpdateShardCount to half the shards: seconds, and the longest ListStreams wait meanwhile")
    report["update_shard_count"] = scale.update_shard_count(sizes)
    for size, (took, waited) in report["update_shard_count"].items():
        target = f"<= 0.5 s {'ok' if took <= 0.5 else 'MISSED'}" if size == 10_000 else ""
        print(f"{f'{size:,} -> {size // 2:,}':40} {took:8.3f} s {waited:8.3f} s  {target}")

    count = 5_000 if quick else 20_000
    print(f"\n7. memory: heap bytes per stored 100-byte record ({count:,} records, tracemalloc)")
    report["memory"] = {
        "kinesis_mock": heap_per_record(mock_kinesis(), count, forget_calls=True),
        "kinesis_mock, with mock.calls kept": heap_per_record(mock_kinesis(), count),
    }
    moto = moto_mock()
    if moto is not None:
        report["memory"]["moto"] = heap_per_record(moto, count)
    for who, value in report["memory"].items():
        target = f"<= 200 {'ok' if value <= 200 else 'MISSED'}" if who == "kinesis_mock" else ""
        print(f"{who:40} {value:8.0f} bytes  {target}")
    return report


if __name__ == "__main__":
    main(sys.argv[1:])
