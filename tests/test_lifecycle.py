"""The mock under threads and fork: a child forked mid-write has a whole state, mocks belong to one
thread, nothing the mock started outlives it, and a call racing the last stop is never a made-up
HTTP 500."""

from __future__ import annotations

import asyncio
import gc
import io
import os
import signal
import threading
import unittest
import weakref
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from helpers import error_of

from kinesis_mock import KinesisMock, _protocol, _runtime, mock_kinesis
from kinesis_mock.backend import Subscription

FORKS = 40
# Python 3.12+ warns at every fork of a process that has threads; forking while threads write is
# the point of the test.
FORK_WARNING = "ignore:This process .* is multi-threaded, use of fork:DeprecationWarning"
ONE_ATTEMPT = Config(retries={"total_max_attempts": 1})


def _check_child(client: Any, known: dict[str, str]) -> int:
    """In a forked child: each shard reads from the last record the parent knew of to its end, in
    strictly increasing sequence numbers, and a new record gets a number above all of them. 0 if
    so, else what failed."""
    for shard in client.list_shards(StreamName="s")["Shards"]:
        shard_id = shard["ShardId"]
        start = known.get(shard_id)
        where = {"ShardIteratorType": "TRIM_HORIZON"}
        if start is not None:
            where = {"ShardIteratorType": "AT_SEQUENCE_NUMBER", "StartingSequenceNumber": start}
        iterator = client.get_shard_iterator(StreamName="s", ShardId=shard_id, **where)["ShardIterator"]
        numbers: list[int] = []
        while True:
            page = client.get_records(ShardIterator=iterator)
            numbers += [int(record["SequenceNumber"]) for record in page["Records"]]
            iterator = page["NextShardIterator"]
            if not page["Records"]:
                break
        if numbers != sorted(set(numbers)):
            return 3
        key = shard["HashKeyRange"]["StartingHashKey"]
        written = client.put_record(StreamName="s", Data=b"child", PartitionKey="k", ExplicitHashKey=key)
        if numbers and int(written["SequenceNumber"]) <= numbers[-1]:
            return 4
    return 0


@pytest.mark.filterwarnings(FORK_WARNING)
def test_a_child_forked_while_threads_write_has_a_whole_state(make_client: Callable[..., Any]) -> None:
    """Forks taken while two threads write: in every child each shard reads to its end, in order,
    with no sequence number twice, and the child numbers its own records after them (no
    InternalFailure: any error fails the child). Children read from the last record the parent
    saw written, so each reads only what was written around its fork."""
    with mock_kinesis():
        client = make_client(config=ONE_ATTEMPT)
        client.create_stream(StreamName="s", ShardCount=2)
        stop = threading.Event()
        known: dict[str, str] = {}

        def write(writer: int) -> None:
            batch = 0
            while not stop.is_set():
                records = [{"Data": b"x", "PartitionKey": f"{writer}-{batch}-{i}"} for i in range(500)]
                for record in client.put_records(StreamName="s", Records=records)["Records"]:
                    known[record["ShardId"]] = record["SequenceNumber"]
                batch += 1

        writers = [threading.Thread(target=write, args=(n,)) for n in range(2)]
        for thread in writers:
            thread.start()
        outcomes = []
        try:
            for _ in range(FORKS):
                seen = dict(known)
                pid = os.fork()
                if pid == 0:  # pragma: no cover - the child reports through its exit code
                    code = 5
                    try:
                        signal.alarm(30)  # a read that never ends kills the child
                        code = _check_child(client, seen)
                    finally:
                        os._exit(code)
                _, status = os.waitpid(pid, 0)
                outcomes.append(os.waitstatus_to_exitcode(status))
        finally:
            stop.set()
            for thread in writers:
                thread.join()
    assert outcomes == [0] * FORKS


def test_the_child_owns_the_activations_it_inherits() -> None:
    """In the child only the forking thread exists: it may nest mocks in the inherited one."""
    with mock_kinesis() as mock:
        _runtime._Runtime.owner = -1  # as if another thread had started it
        assert _runtime._Runtime.controls is not None
        _runtime._Runtime.controls.lock.acquire()  # as if a thread left behind held it
        _runtime._after_fork_in_child()
        assert not _runtime._Runtime.controls.lock.locked()
        with mock_kinesis(account_id="111122223333"):
            assert mock.backend.lock.acquire(blocking=False)
            mock.backend.lock.release()


# -- one thread's mocks --------------------------------------------------------------------------


def test_a_second_thread_cannot_start_a_mock_of_its_own(make_client: Callable[..., Any]) -> None:
    outcome: dict[str, Any] = {}

    def other_thread() -> None:
        try:
            KinesisMock(account_id="111122223333").start()
        except RuntimeError as error:
            outcome["error"] = str(error)
        # A thread without a mock of its own uses the active one, as every client does.
        outcome["streams"] = make_client().list_streams()["StreamNames"]

    with mock_kinesis():
        make_client().create_stream(StreamName="s", ShardCount=1)
        thread = threading.Thread(target=other_thread, name="worker")
        thread.start()
        thread.join()
    assert outcome == {
        "error": "kinesis_mock: a KinesisMock is already active in thread 'MainThread'; a mock is "
        "process-wide (every client of the process talks to the same state), so mocks can only be "
        "nested in the thread that started the first one. Start <KinesisMock inactive "
        "account_id='111122223333'> in that thread, or stop the active one first; threads you "
        "start under a mock use it as is",
        "streams": ["s"],
    }
    # Once no mock is active, any thread may start one.
    started: list[bool] = []
    thread = threading.Thread(target=lambda: started.append(_start_and_stop()))
    thread.start()
    thread.join()
    assert started == [True]


def _start_and_stop() -> bool:
    with mock_kinesis() as mock:
        return mock.active


# -- nothing outlives the mock -------------------------------------------------------------------


def test_stop_ends_open_subscriptions(make_client: Callable[..., Any]) -> None:
    """A consumer iterating a SubscribeToShard stream is released when the mock stops (it would
    otherwise get an empty event every idle period for five minutes)."""
    mock = KinesisMock(subscribe_idle_seconds=60).start()
    client = make_client()
    client.create_stream(StreamName="s", ShardCount=1)
    arn = client.describe_stream_summary(StreamName="s")["StreamDescriptionSummary"]["StreamARN"]
    consumer = client.register_stream_consumer(StreamARN=arn, ConsumerName="c")["Consumer"]["ConsumerARN"]
    events = client.subscribe_to_shard(
        ConsumerARN=consumer, ShardId="shardId-000000000000", StartingPosition={"Type": "LATEST"}
    )["EventStream"]
    waiting = threading.Event()
    received: list[Any] = []

    def consume() -> None:
        waiting.set()
        received.extend(events)

    thread = threading.Thread(target=consume)
    thread.start()
    waiting.wait()
    mock.stop()
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert all(not event["SubscribeToShardEvent"]["Records"] for event in received)


class _ReachedTheWire(Exception):
    """The call went on past the mock, as it would without one (no socket is opened here)."""


def test_a_call_racing_the_last_stop_is_answered_or_goes_on_unmocked(make_client: Callable[..., Any]) -> None:
    mock = KinesisMock().start()
    client = make_client(config=ONE_ATTEMPT)

    def wire(**_: Any) -> None:
        raise _ReachedTheWire

    client.meta.events.register("before-send.kinesis", wire)
    client.create_stream(StreamName="s", ShardCount=1)
    outcomes: list[str] = []
    calls = threading.Semaphore(0)

    def call_until_unmocked() -> None:
        while True:
            try:
                client.list_streams()
                outcomes.append("answered")
            except _ReachedTheWire:
                outcomes.append("unmocked")
                return
            except ClientError as error:  # pragma: no cover - what the test must never see
                outcomes.append(error.response["Error"]["Code"])
                return
            finally:
                calls.release()

    threads = [threading.Thread(target=call_until_unmocked) for _ in range(4)]
    for thread in threads:
        thread.start()
    for _ in range(40):
        calls.acquire()
    mock.stop()
    for thread in threads:
        thread.join()
    assert set(outcomes) == {"answered", "unmocked"}
    # The window itself: a request the hook took while the mock was active, answered after the stop.
    assert _runtime.answer(_protocol.Request("ListStreams", b"{}", "us-east-1")) is None


# -- each test of a decorated class is new to the one before --------------------------------------


def test_each_test_of_a_decorated_class_is_new_to_the_tokens_of_the_one_before() -> None:
    """Test 1's iterator, NextToken and sequence number do not reach the stream test 2 creates
    under the same name; what class setup handed out works in every test."""
    seen: dict[str, Any] = {}
    checks: list[Any] = []

    @mock_kinesis
    class Tests(unittest.TestCase):
        setup_iterator = ""

        @classmethod
        def setUpClass(cls) -> None:
            client = boto3.client("kinesis", region_name="us-east-1")
            client.create_stream(StreamName="setup", ShardCount=1)
            client.put_record(StreamName="setup", Data=b"from setup", PartitionKey="k")
            cls.setup_iterator = client.get_shard_iterator(
                StreamName="setup", ShardId="0", ShardIteratorType="TRIM_HORIZON"
            )["ShardIterator"]

        def _run(self) -> None:
            client = boto3.client("kinesis", region_name="us-east-1")
            client.create_stream(StreamName="s", ShardCount=1)
            client.create_stream(StreamName="t", ShardCount=1)
            number = client.put_record(StreamName="s", Data=b"x", PartitionKey="k")["SequenceNumber"]
            records = client.get_records(ShardIterator=self.setup_iterator)["Records"]
            checks.append([record["Data"] for record in records])
            if seen:
                attempts: tuple[Callable[[], Any], ...] = (
                    lambda: client.get_records(ShardIterator=seen["iterator"]),
                    lambda: client.list_streams(NextToken=seen["token"]),
                    lambda: client.get_shard_iterator(
                        StreamName="s",
                        ShardId="0",
                        ShardIteratorType="AT_SEQUENCE_NUMBER",
                        StartingSequenceNumber=seen["number"],
                    ),
                )
                for call in attempts:
                    with pytest.raises(ClientError) as excinfo:
                        call()
                    checks.append(error_of(excinfo))
            else:
                seen["number"] = number
                seen["token"] = client.list_streams(Limit=1)["NextToken"]
                seen["iterator"] = client.get_shard_iterator(
                    StreamName="s", ShardId="0", ShardIteratorType="TRIM_HORIZON"
                )["ShardIterator"]

        def test_1(self) -> None:
            self._run()

        def test_2(self) -> None:
            self._run()

    result = unittest.TextTestRunner(stream=io.StringIO()).run(
        unittest.defaultTestLoader.loadTestsFromTestCase(Tests)
    )
    assert (result.testsRun, result.errors, result.failures) == (2, [], [])
    assert checks[0] == checks[1] == [b"from setup"]
    assert checks[2:] == [
        ("InvalidArgumentException", "Invalid ShardIterator."),
        ("InvalidArgumentException", "Invalid NextToken."),
        (
            "InvalidArgumentException",
            f"StartingSequenceNumber {seen['number']} used in GetShardIterator on shard shardId-000000000000 "
            "in stream s under account 123456789012 is invalid because it did not come from this stream.",
        ),
    ]


# -- subscriptions are pruned --------------------------------------------------------------------


def _subscriptions() -> int:
    gc.collect()
    return sum(isinstance(thing, Subscription) for thing in gc.get_objects())


def test_subscriptions_that_end_are_forgotten(make_client: Callable[..., Any]) -> None:
    """300 subscribe/close cycles (20 consumers x 15 shards, so the five-second rule does not
    apply) leave no subscription behind."""
    with mock_kinesis() as mock:
        client = make_client()
        client.create_stream(StreamName="s", ShardCount=15)
        arn = client.describe_stream_summary(StreamName="s")["StreamDescriptionSummary"]["StreamARN"]
        shards = [shard["ShardId"] for shard in client.list_shards(StreamName="s")["Shards"]]
        for shard in client.list_shards(StreamName="s")["Shards"]:
            key = shard["HashKeyRange"]["StartingHashKey"]
            client.put_record(StreamName="s", Data=b"x", PartitionKey="k", ExplicitHashKey=key)
        consumers = [
            client.register_stream_consumer(StreamARN=arn, ConsumerName=f"c{n}")["Consumer"]["ConsumerARN"]
            for n in range(20)
        ]
        for consumer in consumers:
            for shard_id in shards:
                events = client.subscribe_to_shard(
                    ConsumerARN=consumer, ShardId=shard_id, StartingPosition={"Type": "TRIM_HORIZON"}
                )["EventStream"]
                assert len(next(iter(events))["SubscribeToShardEvent"]["Records"]) == 1
                events.close()
        del events
        assert (len(mock.backend.fan_out.live()), _subscriptions()) == (0, 0)


def test_a_deleted_streams_records_are_not_held_by_its_subscriptions(make_client: Callable[..., Any]) -> None:
    with mock_kinesis() as mock:
        client = make_client()
        client.create_stream(StreamName="s", ShardCount=1)
        arn = client.describe_stream_summary(StreamName="s")["StreamDescriptionSummary"]["StreamARN"]
        client.put_record(StreamName="s", Data=b"x" * 1_000_000, PartitionKey="k")
        consumer = client.register_stream_consumer(StreamARN=arn, ConsumerName="c")["Consumer"]["ConsumerARN"]
        stream = weakref.ref(mock.backend.region("123456789012", "us-east-1").stream("s"))
        response = client.subscribe_to_shard(
            ConsumerARN=consumer, ShardId="shardId-000000000000", StartingPosition={"Type": "TRIM_HORIZON"}
        )
        assert len(next(iter(response["EventStream"]))["SubscribeToShardEvent"]["Records"]) == 1
        # The consumer stops reading but keeps its response; the stream is deleted meanwhile.
        client.delete_stream(StreamName="s", EnforceConsumerDeletion=True)
        assert mock.backend.fan_out.live() == []
        del response
        gc.collect()
        assert stream() is None


def test_the_fork_handlers_hold_and_release_the_locks_with_or_without_a_mock() -> None:
    for active in (False, True):
        mock = KinesisMock().start() if active else None
        _runtime._before_fork()
        try:
            held = [_runtime._Runtime.lock._is_owned()]  # type: ignore[attr-defined]
            if mock is not None:
                assert _runtime._Runtime.controls is not None
                held.append(_runtime._Runtime.controls.lock.locked())
                held.append(mock.backend.lock._is_owned())  # type: ignore[attr-defined]
        finally:
            _runtime._after_fork_in_parent()
        assert held == [True] * (1 + 2 * active)
        assert _runtime._Runtime.lock.acquire(blocking=False)
        _runtime._Runtime.lock.release()
        if mock is not None:
            assert _runtime._Runtime.controls is not None
            assert not _runtime._Runtime.controls.lock.locked()
            mock.stop()


def test_asyncio_tasks_nest_their_mocks_in_the_loops_thread(make_client: Callable[..., Any]) -> None:
    """Two tasks' mocks interleave in one thread, as nested ``with`` blocks do; a call sent to a
    worker thread with ``asyncio.to_thread`` uses them."""

    async def task(account: str, entered: asyncio.Event, other: asyncio.Event) -> list[str]:
        async with mock_kinesis(account_id=account):
            entered.set()
            await other.wait()
            client = make_client()
            return await asyncio.to_thread(lambda: client.list_streams()["StreamNames"])

    async def both() -> list[list[str]]:
        first, second = asyncio.Event(), asyncio.Event()
        return list(
            await asyncio.gather(task("111122223333", first, second), task("444455556666", second, first))
        )

    assert asyncio.run(both()) == [[], []]
    assert not _runtime._Runtime.stack
