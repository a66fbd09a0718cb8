"""The backend, driven directly (no botocore, no HTTP)."""

from __future__ import annotations

import copy
import threading
import time

import pytest
from helpers import exactly, shard_limit

from kinesis_mock.backend import Backend, NewStream, Quotas, StreamRef, sequence
from kinesis_mock.backend.shard import even_ranges, parse_shard_id, shard_id
from kinesis_mock.backend.stream import stream_tag
from kinesis_mock.backend.tokens import Sealer, StreamsPage
from kinesis_mock.errors import (
    InvalidArgumentException,
    LimitExceededException,
    ResourceInUseException,
    ResourceNotFoundException,
)


def test_streams_are_kept_per_account_and_region() -> None:
    backend = Backend()
    backend.region("111111111111", "us-east-1").create_stream(NewStream("s", 2, None))
    backend.region("111111111111", "eu-west-1").create_stream(NewStream("s", 1, None))
    assert backend.stream(StreamRef("111111111111", "us-east-1", "s")).open_shard_count() == 2
    assert backend.stream(StreamRef("111111111111", "eu-west-1", "s")).open_shard_count() == 1
    with pytest.raises(
        ResourceNotFoundException, match=exactly("Stream s under account 222222222222 not found.")
    ):
        backend.stream(StreamRef("222222222222", "us-east-1", "s"))
    arn = "arn:aws:kinesis:eu-west-1:111111111111:stream/s"
    stream = backend.stream(StreamRef("222222222222", "eu-west-1", arn=arn))
    assert stream.region is backend.region("111111111111", "eu-west-1")
    assert stream.region.name == "eu-west-1" and stream.account == "111111111111"
    assert {(r.account, r.name) for r in backend.regions()} == {
        ("111111111111", "us-east-1"),
        ("111111111111", "eu-west-1"),
        ("222222222222", "us-east-1"),
    }


def test_partitions_in_arns() -> None:
    backend = Backend()
    assert backend.region("1" * 12, "cn-north-1").create_stream(NewStream("s", 1, None)).arn == (
        "arn:aws-cn:kinesis:cn-north-1:111111111111:stream/s"
    )
    assert backend.region("1" * 12, "us-gov-west-1").create_stream(NewStream("s", 1, None)).arn == (
        "arn:aws-us-gov:kinesis:us-gov-west-1:111111111111:stream/s"
    )


def test_quotas_are_per_account_and_region() -> None:
    backend = Backend(Quotas(shard_limit=8, on_demand_stream_limit=1))
    east = backend.region("111111111111", "us-east-1")
    east.create_stream(NewStream("a", 8, None))
    shard_quota = shard_limit("111111111111", current=8, limit=8, additional=1)
    with pytest.raises(LimitExceededException, match=exactly(shard_quota)):
        east.create_stream(NewStream("b", 1, None))
    backend.region("222222222222", "us-east-1").create_stream(NewStream("b", 8, None))
    west = backend.region("111111111111", "us-west-2")
    west.create_stream(NewStream("od", None, "ON_DEMAND"))
    on_demand_limit = (
        "This request would exceed the limit on the number of streams in ON_DEMAND mode for the account "
        "111111111111 in us-west-2. Current ON_DEMAND stream count for the account: 1. Limit: 1."
    )
    with pytest.raises(LimitExceededException, match=exactly(on_demand_limit)):
        west.create_stream(NewStream("od2", None, None))
    assert backend.region("333333333333", "us-west-2").create_stream(NewStream("od", None, None)).mode == (
        "ON_DEMAND"
    )


def test_create_stream_rules() -> None:
    region = Backend().region("111111111111", "us-east-1")
    with pytest.raises(
        InvalidArgumentException, match=exactly("ShardCount is not expected when StreamMode=ON_DEMAND")
    ):
        region.create_stream(NewStream("s", 2, "ON_DEMAND"))
    with pytest.raises(
        InvalidArgumentException, match=exactly("ShardCount is required when StreamMode=PROVISIONED")
    ):
        region.create_stream(NewStream("s", None, "PROVISIONED"))
    region.create_stream(NewStream("s", 1, None))
    with pytest.raises(
        ResourceInUseException, match=exactly("Stream s under account 111111111111 already exists.")
    ):
        region.create_stream(NewStream("s", 1, None))
    with pytest.raises(
        InvalidArgumentException, match=exactly("Either StreamName or StreamARN must be provided.")
    ):
        region.backend.stream(StreamRef("111111111111", "us-east-1"))


def test_snapshot_is_independent_and_keeps_tokens_valid() -> None:
    backend = Backend()
    backend.region("111111111111", "us-east-1").create_stream(NewStream("s", 1, None))
    token = StreamsPage("111111111111", "us-east-1", "s").seal(backend.sealer)
    clone = copy.deepcopy(backend)
    clone.region("111111111111", "us-east-1").create_stream(NewStream("t", 1, None))
    assert sorted(backend.region("111111111111", "us-east-1").streams) == ["s"]
    assert sorted(clone.region("111111111111", "us-east-1").streams) == ["s", "t"]
    assert StreamsPage.open(clone.sealer, token, "111111111111", "us-east-1").after == "s"
    assert clone.lock is not backend.lock
    assert clone.region("111111111111", "us-east-1").backend is clone


def test_sequence_numbers() -> None:
    base = sequence.shard_base(1_764_633_600, 7)
    number = sequence.encode(base, 42, 1_764_633_605)
    assert len(number) == 56 and number.isdigit()
    # In hex: version, created, last digit of the index, record index, 00, written, index, version.
    assert f"{int(number):x}" == "20692e2c007000000000000002a000692e2c05000000072"
    assert sequence.decode(number) == (2, 1_764_633_600, 7, 42, 1_764_633_605)
    assert sequence.decode(number[:-1]) is None
    assert sequence.decode("٣") is None
    assert sequence.decode("5" + number[1:]) is None
    assert sequence.encode(base, 10, 1_764_633_700) < sequence.encode(base, 11, 1_764_633_600)
    assert len({stream_tag(i) for i in range(1, 10_000)}) == 9_999


def test_shard_ids() -> None:
    assert shard_id(5) == "shardId-000000000005"
    for text in ("shardId-5", "5", "anything-5", "shardId-000000000005"):
        assert parse_shard_id(text) == 5
    for text in ("shardId-", "shard-x", "", "-1x", "2147483648", "shardId-٣"):
        assert parse_shard_id(text) is None
    assert parse_shard_id("2147483647") == 2147483647


def test_even_ranges() -> None:
    assert even_ranges(1) == [(0, 2**128 - 1)]
    assert even_ranges(3)[1] == (
        113427455640312821154458202477256070485,
        226854911280625642308916404954512140969,
    )


def test_sealed_tokens_cannot_be_read_or_forged() -> None:
    sealer = Sealer()
    token = sealer.seal("ListStreams", "123456789012", "us-east-1", 5, "secret-name")
    assert "secret-name" not in token and "123456789012" not in token
    assert sealer.open(token) == ["ListStreams", "123456789012", "us-east-1", "5", "secret-name"]
    assert Sealer().open(token) is None
    tampered = token[:12] + ("A" if token[12] != "A" else "B") + token[13:]
    assert sealer.open(tampered) is None
    assert sealer.open("not base64!") is None
    assert sealer.open("AAAA") is None
    assert sealer.seal("x") != sealer.seal("x")


def test_a_batch_write_wakes_a_subscriber_of_the_shard_it_wrote_to() -> None:
    backend = Backend()
    backend.subscribe_idle_seconds = 30  # a subscriber not woken would wait this long
    ref = StreamRef("111111111111", "us-east-1", "s")
    with backend.lock:
        backend.create_stream(ref.account, ref.region, NewStream("s", 2))
        consumer = backend.register_stream_consumer(ref, "app", {})
        subscription = backend.subscribe_to_shard(
            ref.account, ref.region, consumer.arn, "shardId-000000000000", "LATEST"
        )
    delivered: list[list[bytes]] = []
    thread = threading.Thread(target=lambda: delivered.append(next(iter(subscription)).data))
    thread.start()
    while not backend.fan_out.watching:  # the subscriber is waiting once its condition exists
        time.sleep(0.001)
    with backend.lock:
        backend.put_records(ref, [{"PartitionKey": "k", "Data": b"x", "ExplicitHashKey": "0"}])
    thread.join(5)
    assert delivered == [[b"x"]]
    subscription.close()


def test_explicit_hash_keys_are_dropped_with_their_records() -> None:
    from kinesis_mock import _clock
    from kinesis_mock.backend import Backend, NewStream, StreamRef

    backend = Backend()
    ref = StreamRef("123456789012", "us-east-1", "s")
    with backend.lock:
        backend.create_stream(ref.account, ref.region, NewStream("s", 1, None))
        stream = backend.stream(ref)
        shard = stream.shards[0]
        for _ in range(5000):
            backend.put_record(ref, "k", b"x", "7")
        assert len(shard.explicit) == 5000
        stream.trim_floor_ms = _clock.now_ms() + 1  # everything so far is past the horizon
        _clock.advance(5)
        try:
            backend.put_record(ref, "k", b"y", "8")
            shard.live_from(stream.horizon_ms(_clock.now_ms()))
        finally:
            _clock.advance(-5)
        assert list(shard.explicit.values()) == ["8"] and shard.data == [b"y"]


@pytest.mark.parametrize(
    ("shard_count", "batch"),
    [(1, 256), (2, 256), (8, 1)],
    ids=["one open shard", "entries grouped by shard", "entries stored one by one"],
)
def test_writes_drop_the_expired_records_of_a_stream_nobody_reads(shard_count: int, batch: int) -> None:
    from kinesis_mock import _clock

    backend = Backend()
    ref = StreamRef("123456789012", "us-east-1", "s")
    entries: list[dict[str, object]] = [{"Data": b"x", "PartitionKey": "k", "ExplicitHashKey": "0"}] * batch
    with backend.lock:
        backend.create_stream(ref.account, ref.region, NewStream("s", shard_count, None))
        stream = backend.stream(ref)
        shard = stream.shards[0]
        for _ in range(4096 // batch):
            backend.put_records(ref, entries)
        stream.trim_floor_ms = _clock.now_ms() + 1  # everything so far is past the horizon
        _clock.advance(5)
        try:
            for _ in range(4096 // batch):
                backend.put_records(ref, entries)
        finally:
            _clock.advance(-5)
        assert len(shard) == 4096  # the 4,096 expired ones went when the 8,192nd was written
        assert shard.counters[0] == 4097
