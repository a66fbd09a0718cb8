"""The benchmark's scale sections: activation, width, fan-out and UpdateShardCount.

- activation: what one test pays for the mock (activate, ``boto3.client``, one call, stop) against
  a plain ``boto3.client`` answered by the floor, and moto's ``mock_aws`` doing the same; and a
  pytest session of such tests (the fixture against the floor), CPU of the child process.
- width: each call with 1,000 streams in the region and 10,000 shards in the stream, against one
  stream of 4 shards (in another region of the same mock, batches interleaved).
- fan-out: a writer's cost on one stream with and without 20 idle subscriptions on another, and
  how many empty events each idle subscription receives per second.
- UpdateShardCount: 1,000 -> 500 and 10,000 -> 5,000 shards, and how long a ListStreams from
  another thread waits meanwhile.
"""

from __future__ import annotations

import gc
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Callable
from typing import Any

import boto3
from timing import Cost, interleaved, pair

from kinesis_mock import mock_kinesis

REGION = "us-east-1"
NARROW_REGION = "us-west-2"
PAYLOAD = b"x" * 100
LIST_STREAMS_BODY = b'{"StreamNames":[],"HasMoreStreams":false,"StreamSummaries":[]}'


def _moto() -> Any:
    try:
        from moto import mock_aws
    except ImportError:
        return None
    return mock_aws


# -- activation -------------------------------------------------------------------------------


def _plain() -> None:
    from bench import floor_client

    floor_client({"ListStreams": LIST_STREAMS_BODY}, boto3._get_default_session()).list_streams()


def activation(rounds: int, per_round: int) -> dict[str, Cost]:
    """Per test: the mock's fixture work against a plain client on the floor (run this before
    moto is imported: moto registers handlers on every client made after its import)."""
    boto3.setup_default_session()  # a test session's default session exists after its first test

    def mocked() -> None:
        with mock_kinesis():
            boto3.client("kinesis", region_name=REGION).list_streams()

    return interleaved({"plain client": _plain, "kinesis_mock": mocked}, rounds, per_round)


def activation_moto(rounds: int, per_round: int) -> dict[str, Cost] | None:
    """Per test: moto's ``mock_aws`` doing the same, beside a plain client again."""
    mock_aws = _moto()
    if mock_aws is None:
        return None

    def moto() -> None:
        with mock_aws():
            boto3.client("kinesis", region_name=REGION).list_streams()

    return interleaved({"plain client": _plain, "moto": moto}, rounds, per_round)


_SESSION_TESTS = """
import boto3
import pytest
from bench import floor_client

BODY = {body!r}


@pytest.mark.parametrize("number", range({count}))
def test_with_the_mock(number, kinesis_mock):
    client = boto3.client("kinesis", region_name="us-east-1")
    client.create_stream(StreamName="s", ShardCount=1)
    client.list_streams()


@pytest.mark.parametrize("number", range({count}))
def test_on_the_floor(number):
    client = floor_client({{"ListStreams": BODY, "CreateStream": b"{{}}"}}, boto3._get_default_session())
    client.create_stream(StreamName="s", ShardCount=1)
    client.list_streams()
"""


def session(tests: int, rounds: int) -> dict[str, Cost]:
    """CPU and wall seconds of a pytest session of ``tests`` tests, the mock's fixture against the
    floor (one process each, rounds interleaved)."""
    here = os.path.dirname(os.path.abspath(__file__))
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "test_session.py")
        with open(path, "w") as file:
            file.write(textwrap.dedent(_SESSION_TESTS.format(body=LIST_STREAMS_BODY, count=tests)))
        # The benchmarks, then this checkout (not whatever installation of kinesis_mock there is).
        paths = [here, os.path.dirname(here), os.environ.get("PYTHONPATH", "")]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, paths))}

        def run(selection: str) -> tuple[float, float]:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            # Plugins of the environment (pytest-asyncio's configuration warning, say) may write to
            # stderr: shown only if the session fails.
            done = subprocess.run(
                [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-k", selection, path],
                env=env,
                cwd=folder,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            if done.returncode:
                raise RuntimeError(f"the {selection} session failed:\n{done.stderr}")
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
            return cpu, time.perf_counter() - started

        samples: dict[str, list[tuple[float, float]]] = {"floor": [], "kinesis_mock": []}
        for _ in range(rounds):
            samples["floor"].append(run("on_the_floor"))
            samples["kinesis_mock"].append(run("with_the_mock"))
    return {
        name: Cost(sorted(s[0] for s in runs)[len(runs) // 2], sorted(s[1] for s in runs)[len(runs) // 2])
        for name, runs in samples.items()
    }


# -- width ------------------------------------------------------------------------------------


def _width_cases(client: Any, name: str, shard_count: int, before: str) -> dict[str, Callable[[], Any]]:
    shard = "shardId-000000000000"
    top = 2**128 // shard_count  # shard 0 covers [0, top - 1]
    iterator = client.get_shard_iterator(StreamName=name, ShardId=shard, ShardIteratorType="TRIM_HORIZON")
    token = iterator["ShardIterator"]
    entries = [{"Data": PAYLOAD, "PartitionKey": f"user-{i}"} for i in range(100)]
    state: dict[str, Any] = {"shard": shard, "next": shard_count}

    def reshard_and_write() -> None:
        # Split shard 0's range, write into it, merge it back: the open shards stay as they were.
        fresh = state["next"]
        client.split_shard(StreamName=name, ShardToSplit=state["shard"], NewStartingHashKey=str(top // 2))
        client.put_record(StreamName=name, Data=PAYLOAD, PartitionKey="k", ExplicitHashKey="1")
        client.merge_shards(
            StreamName=name, ShardToMerge=_shard_id(fresh), AdjacentShardToMerge=_shard_id(fresh + 1)
        )
        state["shard"], state["next"] = _shard_id(fresh + 2), fresh + 3

    return {
        "put_record": lambda: client.put_record(StreamName=name, Data=PAYLOAD, PartitionKey="k"),
        "put_records (100)": lambda: client.put_records(StreamName=name, Records=entries),
        "get_shard_iterator": lambda: client.get_shard_iterator(
            StreamName=name, ShardId=shard, ShardIteratorType="LATEST"
        ),
        "get_records (100)": lambda: client.get_records(ShardIterator=token, Limit=100),
        "describe_stream_summary": lambda: client.describe_stream_summary(StreamName=name),
        # Three of the four shards: both replies carry a NextToken (sealing one is not a cost of
        # width), so the comparison is of finding the page among 10,000 shards.
        "list_shards (MaxResults 3)": lambda: client.list_shards(StreamName=name, MaxResults=3),
        "describe_stream (Limit 4)": lambda: client.describe_stream(StreamName=name, Limit=4),
        # The page after ``before`` holds this stream alone in both regions: the same reply, so
        # the comparison is of finding it among 1,000 names.
        "list_streams (one name)": lambda: client.list_streams(ExclusiveStartStreamName=before),
        "describe_limits": lambda: client.describe_limits(),
        "split, put_record, merge": reshard_and_write,
    }


def _shard_id(index: int) -> str:
    return f"shardId-{index:012d}"


def width(rounds: int, per_round: int, streams: int, shards: int) -> dict[str, tuple[Cost, Cost]]:
    """Each call on a 4-shard stream alone in its region, and on a ``shards``-shard stream among
    ``streams`` streams."""
    with mock_kinesis(shard_limit=10 * shards + 10 * streams):
        narrow = boto3.client("kinesis", region_name=NARROW_REGION)
        wide = boto3.client("kinesis", region_name=REGION)
        narrow.create_stream(StreamName="narrow", ShardCount=4)
        for number in range(streams - 1):
            wide.create_stream(StreamName=f"other-{number:04d}", ShardCount=1)
        wide.create_stream(StreamName="wide", ShardCount=shards)
        for client, name in ((narrow, "narrow"), (wide, "wide")):
            client.put_records(
                StreamName=name,
                Records=[{"Data": PAYLOAD, "PartitionKey": "k", "ExplicitHashKey": "1"}] * 200,
            )
        few = _width_cases(narrow, "narrow", 4, "a")
        many = _width_cases(wide, "wide", shards, f"other-{streams - 2:04d}")
        return {name: pair(few[name], many[name], rounds, per_round) for name in few}


# -- fan-out ----------------------------------------------------------------------------------


def fan_out(rounds: int, per_round: int, subscribers: int = 20) -> dict[str, float]:
    """A writer's cost (its own thread's CPU, and wall time) with and without ``subscribers`` idle
    subscriptions on another stream, and the empty events each of those receives per second.

    Each round times the writer without subscriptions, opens them (given two idle periods to
    settle) and times it, then closes them and times it again right away, before anything of them
    is freed: the batch with them is compared with the mean of the two around it, as a batch on
    this machine varies by half from one tenth of a second to the next. The ratio is the median of
    the rounds' ratios."""
    entries = [{"Data": PAYLOAD, "PartitionKey": f"user-{i}"} for i in range(100)]
    with mock_kinesis() as mock:
        client = boto3.client("kinesis", region_name=REGION)
        client.create_stream(StreamName="written", ShardCount=1)
        client.create_stream(StreamName="watched", ShardCount=subscribers)
        arn = client.describe_stream_summary(StreamName="watched")["StreamDescriptionSummary"]["StreamARN"]
        idle = mock.backend.subscribe_idle_seconds

        def write() -> None:
            client.put_records(StreamName="written", Records=entries)

        def measure() -> Cost:
            return interleaved({"writer": write}, 1, per_round, time.thread_time)["writer"]

        without: list[Cost] = []
        with_them: list[Cost] = []
        events: list[float] = []
        for number in range(rounds):
            # The garbage of the round before (the subscribers' clients and threads) is collected
            # first, so that a full collection does not land in one side's batch.
            gc.collect()
            before = measure()
            consumer = client.register_stream_consumer(StreamARN=arn, ConsumerName=f"c{number}")
            subscriptions = _subscribe(consumer["Consumer"]["ConsumerARN"], subscribers)
            time.sleep(2 * idle)
            with_them.append(measure())
            for subscription in subscriptions:
                subscription.stop()
            after = measure()
            without.append(Cost((before.cpu + after.cpu) / 2, (before.wall + after.wall) / 2))
            client.deregister_stream_consumer(ConsumerARN=consumer["Consumer"]["ConsumerARN"])
            del subscriptions
            if number % 4 == 0:  # count over several idle periods, in some of the rounds
                events.append(_idle_events(client, arn, f"count{number}", subscribers, idle, write))
    paired = Cost(
        statistics.median(b.cpu / a.cpu for a, b in zip(without, with_them, strict=True)),
        statistics.median(b.wall / a.wall for a, b in zip(without, with_them, strict=True)),
    )
    return {
        "without (cpu)": statistics.median(c.cpu for c in without),
        "with (cpu)": statistics.median(c.cpu for c in with_them),
        "ratio (cpu)": paired.cpu,
        "ratio (wall)": paired.wall,
        "empty events per second": statistics.median(events),
        "idle seconds": idle,
    }


def _idle_events(
    client: Any, arn: str, name: str, subscribers: int, idle: float, write: Callable[[], None]
) -> float:
    """The empty events per second each of ``subscribers`` idle subscriptions (of a consumer of
    its own: Kinesis refuses a second subscription to a shard within five seconds) receives while
    another stream is written."""
    consumer = client.register_stream_consumer(StreamARN=arn, ConsumerName=name)["Consumer"]["ConsumerARN"]
    subscriptions = _subscribe(consumer, subscribers)
    time.sleep(2 * idle)
    counted, started = sum(s.count for s in subscriptions), time.perf_counter()
    while time.perf_counter() - started < 10 * idle:
        write()
    seconds = time.perf_counter() - started
    received = (sum(s.count for s in subscriptions) - counted) / seconds / subscribers
    for subscription in subscriptions:
        subscription.stop()
    client.deregister_stream_consumer(ConsumerARN=consumer)
    return received


class _Subscriber(threading.Thread):
    def __init__(self, consumer_arn: str, shard: str) -> None:
        super().__init__(daemon=True)
        self.client = boto3.client("kinesis", region_name=REGION)
        self.consumer_arn, self.shard, self.count = consumer_arn, shard, 0
        self.events: Any = None
        self.ready = threading.Event()

    def run(self) -> None:
        reply = self.client.subscribe_to_shard(
            ConsumerARN=self.consumer_arn,
            ShardId=self.shard,
            StartingPosition={"Type": "LATEST"},
        )
        self.events = reply["EventStream"]
        self.ready.set()
        for _ in self.events:
            self.count += 1

    def stop(self) -> None:
        self.events.close()
        self.join()


def _subscribe(consumer_arn: str, count: int) -> list[_Subscriber]:
    subscribers = [_Subscriber(consumer_arn, f"shardId-{index:012d}") for index in range(count)]
    for subscriber in subscribers:
        subscriber.start()
    for subscriber in subscribers:
        subscriber.ready.wait()
    return subscribers


# -- UpdateShardCount ---------------------------------------------------------------------------


def update_shard_count(sizes: tuple[int, ...]) -> dict[int, tuple[float, float]]:
    """Seconds UpdateShardCount takes from ``size`` to ``size // 2`` shards, and the longest a
    ListStreams from another thread waited meanwhile."""
    out = {}
    for size in sizes:
        with mock_kinesis(shard_limit=4 * size):
            client = boto3.client("kinesis", region_name=REGION)
            client.create_stream(StreamName="scaled", ShardCount=size)
            lister = _Lister()
            lister.start()
            lister.ready.wait()
            started = time.perf_counter()
            client.update_shard_count(
                StreamName="scaled", TargetShardCount=size // 2, ScalingType="UNIFORM_SCALING"
            )
            took = time.perf_counter() - started
            lister.done.set()
            lister.join()
            out[size] = (took, max(lister.waits, default=0.0))
    return out


class _Lister(threading.Thread):
    """Calls ListStreams over and over, noting how long each call took."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.client = boto3.client("kinesis", region_name=REGION)
        self.waits: list[float] = []
        self.ready, self.done = threading.Event(), threading.Event()

    def run(self) -> None:
        self.client.list_streams()
        self.ready.set()
        while not self.done.is_set():
            started = time.perf_counter()
            self.client.list_streams()
            self.waits.append(time.perf_counter() - started)
            time.sleep(0.001)
