"""The mock under threads and fork: a child forked mid-write has a whole state, mocks belong to one
thread, nothing the mock started outlives it, and a call racing the last stop is never a made-up
HTTP 500."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from kinesis_mock import KinesisMock, _protocol, _runtime, mock_kinesis

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
        _runtime._after_fork_in_child()
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
