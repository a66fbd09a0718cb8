"""Many producers and consumers on threads, across resharding; and a fork while busy."""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import threading
from collections import defaultdict
from typing import Any

import pytest

PRODUCERS, CONSUMERS, BATCHES, BATCH = 8, 4, 25, 500  # 100,000 records
# Each resharding step starts once every producer has written this many batches, and runs while
# they write on; no producer goes past the next step's mark before the step has ended.
RESHARD_AT = (6, 12, 18)


def test_100k_records_across_resharding_none_lost_none_twice(client: Any, make_client: Any) -> None:
    client.create_stream(StreamName="s", ShardCount=4)
    producing = threading.Event()
    producing.set()
    failures: list[BaseException] = []
    # One barrier per step, for the producers and the resharding thread.
    marks = {batch: threading.Barrier(PRODUCERS + 1, timeout=60) for batch in RESHARD_AT}

    def guarded(target: Any) -> Any:
        def run(*args: Any) -> None:
            try:
                target(*args)
            except BaseException as error:  # pragma: no cover - reported by the assertion below
                failures.append(error)
                for barrier in marks.values():
                    barrier.abort()

        return run

    def produce(n: int) -> None:
        own = make_client()
        for batch in range(BATCHES):
            if batch in marks:
                marks[batch].wait()
            response = own.put_records(
                StreamName="s",
                Records=[
                    {"Data": f"{n}:{batch * BATCH + i}".encode(), "PartitionKey": f"p{n}"}
                    for i in range(BATCH)
                ],
            )
            assert response["FailedRecordCount"] == 0

    def reshard() -> None:
        own = make_client()
        split, merge, scale = (marks[batch] for batch in RESHARD_AT)
        split.wait()
        own.split_shard(StreamName="s", ShardToSplit="0", NewStartingHashKey=str(2**125))
        merge.wait()
        own.merge_shards(StreamName="s", ShardToMerge="2", AdjacentShardToMerge="3")
        scale.wait()
        own.update_shard_count(StreamName="s", TargetShardCount=6, ScalingType="UNIFORM_SCALING")

    ready: queue.Queue[str | None] = queue.Queue()
    done: set[str] = set()
    lock = threading.Lock()
    per_shard: dict[str, list[int]] = defaultdict(list)
    per_producer: dict[str, list[int]] = defaultdict(list)
    known = {s["ShardId"] for s in client.list_shards(StreamName="s")["Shards"]}
    for shard in sorted(known):
        ready.put(shard)

    def consume() -> None:
        own = make_client()
        while (shard := ready.get()) is not None:
            token = own.get_shard_iterator(StreamName="s", ShardId=shard, ShardIteratorType="TRIM_HORIZON")[
                "ShardIterator"
            ]
            while True:
                # Read the flag before the call: a batch written between an empty read and a
                # later look at the flag would otherwise be missed.
                producers_done = not producing.is_set()
                response = own.get_records(ShardIterator=token)
                with lock:
                    for record in response["Records"]:
                        per_shard[shard].append(int(record["SequenceNumber"]))
                        producer, index = record["Data"].decode().split(":")
                        per_producer[producer].append(int(index))
                if "ChildShards" in response:
                    _finish(own, shard, response["ChildShards"])
                    break
                if not response["Records"] and producers_done:
                    _finish(own, shard, [])  # an open shard, drained after the producers stopped
                    break
                token = response["NextShardIterator"]

    def _finish(own: Any, shard: str, children: list[dict[str, Any]]) -> None:
        with lock:
            done.add(shard)
            everything = {s["ShardId"]: s for s in own.list_shards(StreamName="s")["Shards"]}
            for child in children:
                parents = set(child["ParentShards"])
                if parents <= done and child["ShardId"] not in known:
                    known.add(child["ShardId"])
                    ready.put(child["ShardId"])
            if len(done) == len(known) and not producing.is_set() and len(everything) == len(done):
                for _ in range(CONSUMERS):
                    ready.put(None)

    workers = [threading.Thread(target=guarded(produce), args=(n,)) for n in range(PRODUCERS)]
    workers.append(threading.Thread(target=guarded(reshard)))
    readers = [threading.Thread(target=guarded(consume)) for _ in range(CONSUMERS)]
    for thread in workers + readers:
        thread.start()
    for thread in workers:
        thread.join()
    producing.clear()
    for thread in readers:
        thread.join(timeout=120)
    assert not failures, failures
    assert not any(thread.is_alive() for thread in readers), "consumers did not finish"
    total = sum(len(indexes) for indexes in per_producer.values())
    assert total == PRODUCERS * BATCHES * BATCH
    for producer, indexes in per_producer.items():
        assert indexes == list(range(BATCHES * BATCH)), f"producer {producer} out of order or lost"
    for numbers in per_shard.values():
        assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    assert len(per_shard) > 4, "records were read from parents and children"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_fork_while_busy_does_not_deadlock(client: Any, make_client: Any) -> None:
    client.create_stream(StreamName="s", ShardCount=2)
    stop = threading.Event()
    # One permit per batch written: the k-th fork comes after the busy thread's k-th batch at least.
    batches = threading.Semaphore(0)

    def busy() -> None:
        own = make_client()
        while not stop.is_set():
            own.put_records(StreamName="s", Records=[{"Data": b"x", "PartitionKey": "k"}] * 200)
            batches.release()

    thread = threading.Thread(target=busy)
    thread.start()
    children: list[int] = []
    try:
        for _ in range(5):  # fork a few times, so some fork lands while the lock is held
            assert batches.acquire(timeout=30), "the busy thread wrote nothing"
            pid = os.fork()
            if pid == 0:  # the child: use the mock, then leave without running pytest's teardown
                # A child that deadlocks is ended by the alarm, and its exit status fails the test.
                signal.signal(signal.SIGALRM, signal.SIG_DFL)
                signal.alarm(30)
                try:
                    child = make_client()
                    child.put_record(StreamName="s", Data=b"from the child", PartitionKey="k")
                    child.create_stream(StreamName="child", ShardCount=1)
                    os._exit(0 if child.list_streams()["StreamNames"] == ["child", "s"] else 3)
                except BaseException:
                    os._exit(4)
            children.append(pid)
        for pid in children:
            _, status = os.waitpid(pid, 0)
            assert os.waitstatus_to_exitcode(status) == 0, "a forked child failed or deadlocked"
    finally:
        stop.set()
        thread.join()
        for pid in children:  # a child that hung must not outlive the test
            with contextlib.suppress(ChildProcessError, ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
    assert "child" not in client.list_streams()["StreamNames"], "the child's state is its own"
