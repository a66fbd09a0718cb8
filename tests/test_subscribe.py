"""SubscribeToShard through boto3's EventStream (and botocore parsing our bytes off the wire)."""

from __future__ import annotations

import datetime
import functools
import sys
import threading
from typing import Any

import botocore.exceptions
import pytest
from freezegun import freeze_time
from helpers import ACCOUNT, error_of, stream_arn

from kinesis_mock import _hook, mock_kinesis

SHARD0 = "shardId-000000000000"
# A number AWS calls invalid: the record index has its top bit set (kinesalite, recorded).
BAD_NUMBER = str(int("20000000000800000000000000000000000000000000002", 16))


def setup_stream(client: Any, shards: int = 1) -> str:
    client.create_stream(StreamName="s", ShardCount=shards)
    consumer: str = client.register_stream_consumer(StreamARN=stream_arn("s"), ConsumerName="app")[
        "Consumer"
    ]["ConsumerARN"]
    return consumer


def subscribe(
    client: Any, consumer: str, kind: str = "TRIM_HORIZON", shard: str = SHARD0, **position: Any
) -> Any:
    return client.subscribe_to_shard(
        ConsumerARN=consumer, ShardId=shard, StartingPosition={"Type": kind, **position}
    )["EventStream"]


def take(stream: Any, count: int) -> list[dict[str, Any]]:
    """The next ``count`` SubscribeToShardEvents."""
    events = []
    for event in stream:
        events.append(event["SubscribeToShardEvent"])
        if len(events) == count:
            break
    return events


def data(events: list[dict[str, Any]]) -> list[bytes]:
    return [record["Data"] for event in events for record in event["Records"]]


def test_existing_records_in_order_with_the_event_shape(client: Any) -> None:
    consumer = setup_stream(client)
    numbers = [
        client.put_record(StreamName="s", Data=f"r{i}".encode(), PartitionKey="k")["SequenceNumber"]
        for i in range(3)
    ]
    response = client.subscribe_to_shard(
        ConsumerARN=consumer, ShardId=SHARD0, StartingPosition={"Type": "TRIM_HORIZON"}
    )
    assert response["ResponseMetadata"]["HTTPHeaders"]["content-type"] == (
        "application/vnd.amazon.eventstream"
    )
    (event,) = take(response["EventStream"], 1)
    response["EventStream"].close()
    assert set(event) == {"Records", "ContinuationSequenceNumber", "MillisBehindLatest"}
    assert [r["SequenceNumber"] for r in event["Records"]] == numbers
    assert data([event]) == [b"r0", b"r1", b"r2"]
    assert isinstance(event["Records"][0]["ApproximateArrivalTimestamp"], datetime.datetime)
    assert event["ContinuationSequenceNumber"] == numbers[-1]
    assert event["MillisBehindLatest"] == 0


def wait_until_waiting(thread: threading.Thread) -> None:
    """Return once ``thread`` is blocked in ``threading.Condition.wait``, where a subscription
    waits for records: the only outside sign that a consumer is waiting rather than on its way."""
    wait = threading.Condition.wait.__code__
    poll = threading.Event()
    for _ in range(10_000):  # ten seconds at most: a consumer that never waits fails the test
        frame = sys._current_frames().get(thread.ident or 0)
        while frame is not None:
            if frame.f_code is wait:
                return
            frame = frame.f_back
        poll.wait(0.001)
    raise AssertionError("the consumer never waited for records")


def longer_than(items: list[Any], count: int) -> bool:
    return len(items) > count


def test_a_waiting_consumer_gets_each_live_record_after_its_write(make_client: Any) -> None:
    # An idle wait of an hour: an event without a write would be one the subscription sent
    # without waiting for records.
    with mock_kinesis(subscribe_idle_seconds=3600):
        client = make_client()
        consumer = setup_stream(client)
        stream = subscribe(client, consumer, "LATEST")
        received: list[list[bytes]] = []
        arrived = threading.Condition()

        def consume() -> None:
            for event in stream:
                with arrived:
                    received.append(data([event["SubscribeToShardEvent"]]))
                    arrived.notify()

        thread = threading.Thread(target=consume)
        thread.start()
        try:
            for i in range(5):
                wait_until_waiting(thread)
                with arrived:
                    assert received == [[f"live{j}".encode()] for j in range(i)], "nothing before the write"
                make_client().put_record(StreamName="s", Data=f"live{i}".encode(), PartitionKey="k")
                with arrived:
                    assert arrived.wait_for(functools.partial(longer_than, received, i), timeout=10), (
                        "the write woke no one"
                    )
        finally:
            stream.close()
            thread.join()
        assert received == [[f"live{i}".encode()] for i in range(5)]


def test_an_idle_subscription_sends_empty_events_that_advance(client: Any) -> None:
    consumer = setup_stream(client, shards=2)
    stream = subscribe(client, consumer, "LATEST")
    first = take(stream, 1)[0]
    assert first["Records"] == [] and first["MillisBehindLatest"] == 0
    client.put_record(StreamName="s", Data=b"other shard", PartitionKey="k", ExplicitHashKey=str(2**128 - 1))
    second = take(stream, 1)[0]
    stream.close()
    assert second["Records"] == []
    assert int(second["ContinuationSequenceNumber"]) > int(first["ContinuationSequenceNumber"])


def test_resubscribing_from_the_continuation_loses_and_repeats_nothing(client: Any) -> None:
    with freeze_time("2026-01-01") as clock:
        consumer = setup_stream(client)
        for i in range(3):
            client.put_record(StreamName="s", Data=f"a{i}".encode(), PartitionKey="k")
        first = subscribe(client, consumer)
        events = take(first, 2)
        first.close()
        continuation = events[-1]["ContinuationSequenceNumber"]
        for i in range(3):
            client.put_record(StreamName="s", Data=f"b{i}".encode(), PartitionKey="k")
        clock.tick(5)
        second = subscribe(client, consumer, "AFTER_SEQUENCE_NUMBER", SequenceNumber=continuation)
        again = take(second, 1)
        second.close()
    assert data(events) + data(again) == [b"a0", b"a1", b"a2", b"b0", b"b1", b"b2"]


def test_a_second_subscription_within_five_seconds(client: Any) -> None:
    with freeze_time("2026-01-01") as clock:
        consumer = setup_stream(client)
        first = subscribe(client, consumer, "LATEST")
        clock.tick(4.999)
        with pytest.raises(client.exceptions.ResourceInUseException) as excinfo:
            subscribe(client, consumer, "LATEST")
        assert error_of(excinfo) == (
            "ResourceInUseException",
            (f"Another active subscription exists for this consumer: {ACCOUNT}:s:{SHARD0}:app"),
        )
        clock.tick(0.001)
        second = subscribe(client, consumer, "LATEST")
        assert list(first) == [], "the new subscription takes over and the old one ends"
        assert len(take(second, 1)) == 1
        second.close()


def test_starting_positions(client: Any) -> None:
    with freeze_time("2026-01-01") as clock:
        consumer = setup_stream(client)
        numbers = [
            client.put_record(StreamName="s", Data=bytes([i]), PartitionKey="k")["SequenceNumber"]
            for i in range(3)
        ]
        clock.tick(10)
        client.put_record(StreamName="s", Data=b"\x03", PartitionKey="k")
        cases = [
            ({"Type": "AT_SEQUENCE_NUMBER", "SequenceNumber": numbers[1]}, b"\x01\x02\x03"),
            ({"Type": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": numbers[1]}, b"\x02\x03"),
            (
                {
                    "Type": "AT_TIMESTAMP",
                    "Timestamp": datetime.datetime(2026, 1, 1, 0, 0, 5, tzinfo=datetime.UTC),
                },
                b"\x03",
            ),
            ({"Type": "TRIM_HORIZON"}, b"\x00\x01\x02\x03"),
            ({"Type": "LATEST"}, b""),
        ]
        for position, expected in cases:
            stream = client.subscribe_to_shard(
                ConsumerARN=consumer, ShardId=SHARD0, StartingPosition=position
            )["EventStream"]
            assert b"".join(data(take(stream, 1))) == expected, position
            stream.close()
            clock.tick(5)


def test_errors_known_before_streaming(client: Any) -> None:
    consumer = setup_stream(client)
    with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
        subscribe(client, consumer.replace("app", "ghost"))
    assert error_of(excinfo)[1] == f"Consumer ghost under stream s and account {ACCOUNT} not found."
    with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
        subscribe(client, consumer, shard="shardId-000000000007")
    assert error_of(excinfo)[1] == (
        f"Shard shardId-000000000007 in stream s under account {ACCOUNT} does not exist"
    )
    with pytest.raises(client.exceptions.InvalidArgumentException) as excinfo:
        subscribe(client, consumer, "AT_SEQUENCE_NUMBER")
    assert error_of(excinfo) == (
        "InvalidArgumentException",
        "Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or "
        "(2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. Request specified AT_SEQUENCE_NUMBER and "
        "no StartingSequenceNumber.",
    )
    with pytest.raises(client.exceptions.InvalidArgumentException) as excinfo:
        subscribe(client, consumer, "AT_SEQUENCE_NUMBER", SequenceNumber=BAD_NUMBER)
    assert error_of(excinfo)[1] == (
        f"StartingSequenceNumber {BAD_NUMBER} used in SubscribeToShard on shard {SHARD0} in stream s "
        f"under account {ACCOUNT} is invalid."
    )


def test_child_shards_at_the_end_of_a_split_shard(client: Any) -> None:
    consumer = setup_stream(client)
    client.put_record(StreamName="s", Data=b"parent", PartitionKey="k")
    client.split_shard(StreamName="s", ShardToSplit=SHARD0, NewStartingHashKey=str(2**127))
    stream = subscribe(client, consumer)
    events = [event["SubscribeToShardEvent"] for event in stream]
    assert data(events) == [b"parent"]
    last = events[-1]
    assert "ContinuationSequenceNumber" not in last  # null on the wire; botocore drops nulls
    assert [c["ShardId"] for c in last["ChildShards"]] == ["shardId-000000000001", "shardId-000000000002"]
    assert last["ChildShards"][0]["ParentShards"] == [SHARD0]


def test_an_error_while_streaming_is_an_event_stream_error(client: Any) -> None:
    consumer = setup_stream(client)
    stream = subscribe(client, consumer, "LATEST")
    take(stream, 1)
    client.delete_stream(StreamName="s", EnforceConsumerDeletion=True)
    with pytest.raises(botocore.exceptions.EventStreamError) as excinfo:
        take(stream, 5)
    assert excinfo.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert excinfo.value.response["Error"]["Message"] == (
        f"Shard {SHARD0} in stream s under account {ACCOUNT} does not exist"
    )


def test_a_subscription_lasts_five_minutes_by_the_mock_clock(client: Any) -> None:
    with freeze_time("2026-01-01") as clock:
        consumer = setup_stream(client)
        stream = subscribe(client, consumer, "LATEST")
        assert len(take(stream, 1)) == 1
        clock.tick(300)
        assert list(stream) == []


def test_closing_releases_a_waiting_consumer(make_client: Any) -> None:
    # Left alone, the consumer would wait an hour for a record; closing must end it.
    with mock_kinesis(subscribe_idle_seconds=3600):
        client = make_client()
        consumer = setup_stream(client)
        stream = subscribe(client, consumer, "LATEST")
        events: list[Any] = []
        thread = threading.Thread(target=lambda: events.extend(stream))
        thread.start()
        wait_until_waiting(thread)
        stream.close()
        thread.join(timeout=30)
        assert not thread.is_alive(), "closing did not wake the consumer"
        assert events == []


def test_the_same_through_botocore_parsing_the_wire(
    make_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_hook, "WIRE", True)
    with mock_kinesis():
        client = make_client()
        consumer = setup_stream(client)
        client.put_record(StreamName="s", Data=b"over the wire", PartitionKey="k")
        stream = subscribe(client, consumer)
        (event,) = take(stream, 1)
        stream.close()
        assert data([event]) == [b"over the wire"]
        with pytest.raises(client.exceptions.ResourceInUseException) as excinfo:
            subscribe(client, consumer)
        assert error_of(excinfo) == (
            "ResourceInUseException",
            f"Another active subscription exists for this consumer: {ACCOUNT}:s:{SHARD0}:app",
        )
