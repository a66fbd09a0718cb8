"""Sequence numbers and shard iterators in AWS's own layouts (docs/sequence-numbers.md)."""

from __future__ import annotations

import base64
import datetime
import itertools
from typing import Any

import pytest
from freezegun import freeze_time
from helpers import ACCOUNT, HASH_MAX, error_of

SHARD0 = "shardId-000000000000"
T = datetime.datetime(2026, 3, 4, 5, 6, 7, tzinfo=datetime.UTC)
T_S = int(T.timestamp())
END = "7fffffffffffffff"


def layout(number: str) -> tuple[str, ...]:
    """A number's hex fields: version, created, last index digit, record index, 00, written,
    shard index, version."""
    digits = f"{int(number):x}"
    assert len(number) == 56 and len(digits) == 47
    cuts = (0, 1, 10, 11, 27, 29, 38, 46, 47)
    return tuple(digits[a:b] for a, b in itertools.pairwise(cuts))


def expected(created_s: int, shard: int, index: int | str, written_s: int) -> tuple[str, ...]:
    index_hex = index if isinstance(index, str) else f"{index:016x}"
    return (
        "2",
        f"{created_s:09x}",
        f"{shard:x}"[-1],
        index_hex,
        "00",
        f"{written_s:09x}",
        f"{shard:08x}",
        "2",
    )


def ranges(client: Any, name: str = "s") -> dict[str, dict[str, str]]:
    shards = client.describe_stream(StreamName=name)["StreamDescription"]["Shards"]
    return {s["ShardId"]: s["SequenceNumberRange"] for s in shards}


def shard_iterator(client: Any, shard: str = SHARD0, kind: str = "TRIM_HORIZON", **extra: Any) -> str:
    return str(
        client.get_shard_iterator(StreamName="s", ShardId=shard, ShardIteratorType=kind, **extra)[
            "ShardIterator"
        ]
    )


class TestLayout:
    def test_a_new_streams_shards_were_created_together_two_seconds_before(self, client: Any) -> None:
        with freeze_time(T):
            client.create_stream(StreamName="s", ShardCount=3)
        found = ranges(client)
        assert list(found) == [f"shardId-00000000000{i}" for i in range(3)]
        for i, numbers in enumerate(found.values()):
            assert numbers == {"StartingSequenceNumber": numbers["StartingSequenceNumber"]}
            assert layout(numbers["StartingSequenceNumber"]) == expected(T_S - 2, i, 0, T_S - 2)

    def test_records_carry_their_index_and_write_second(self, client: Any) -> None:
        with freeze_time(T):
            client.create_stream(StreamName="s", ShardCount=2)
        with freeze_time(T + datetime.timedelta(seconds=30, milliseconds=250)):
            one = client.put_record(StreamName="s", Data=b"1", PartitionKey="k", ExplicitHashKey="0")
        with freeze_time(T + datetime.timedelta(seconds=31)):
            batch = client.put_records(
                StreamName="s",
                Records=[
                    {"Data": b"2", "PartitionKey": "k", "ExplicitHashKey": str(HASH_MAX)},
                    {"Data": b"3", "PartitionKey": "k", "ExplicitHashKey": "0"},
                ],
            )["Records"]
        assert layout(one["SequenceNumber"]) == expected(T_S - 2, 0, 1, T_S + 30)
        assert layout(batch[0]["SequenceNumber"]) == expected(T_S - 2, 1, 2, T_S + 31)
        assert layout(batch[1]["SequenceNumber"]) == expected(T_S - 2, 0, 3, T_S + 31)
        with freeze_time(T + datetime.timedelta(seconds=32)):
            records = client.get_records(ShardIterator=shard_iterator(client))["Records"]
        assert [r["SequenceNumber"] for r in records] == [one["SequenceNumber"], batch[1]["SequenceNumber"]]
        # The write second agrees with ApproximateArrivalTimestamp.
        for record in records:
            written = int(layout(record["SequenceNumber"])[5], 16)
            assert int(record["ApproximateArrivalTimestamp"].timestamp()) == written

    def test_a_clock_moved_back_keeps_arrival_and_write_second_in_step(self, client: Any) -> None:
        with freeze_time(T):
            client.create_stream(StreamName="s", ShardCount=1)
            first = client.put_record(StreamName="s", Data=b"1", PartitionKey="k")["SequenceNumber"]
        with freeze_time(T - datetime.timedelta(hours=1)):
            second = client.put_record(StreamName="s", Data=b"2", PartitionKey="k")["SequenceNumber"]
            records = client.get_records(ShardIterator=shard_iterator(client))["Records"]
        assert int(second) > int(first)
        assert layout(second) == expected(T_S - 2, 0, 2, T_S)
        assert [r["ApproximateArrivalTimestamp"] for r in records] == [T, T]

    def test_split_ends_the_parent_and_starts_the_children_a_second_later(self, client: Any) -> None:
        with freeze_time(T):
            client.create_stream(StreamName="s", ShardCount=1)
        with freeze_time(T + datetime.timedelta(seconds=10)):
            before = client.put_record(StreamName="s", Data=b"x", PartitionKey="k")["SequenceNumber"]
            client.split_shard(StreamName="s", ShardToSplit=SHARD0, NewStartingHashKey=str(2**127))
            after = client.put_record(StreamName="s", Data=b"y", PartitionKey="k", ExplicitHashKey="0")
            found = ranges(client)
        end = found[SHARD0]["EndingSequenceNumber"]
        assert layout(end) == expected(T_S - 2, 0, END, T_S + 10)
        for i in (1, 2):
            start = found[f"shardId-00000000000{i}"]["StartingSequenceNumber"]
            assert layout(start) == expected(T_S + 11, i, 0, T_S + 11)
            assert int(before) < int(end) < int(start)
        assert after["ShardId"] == "shardId-000000000001"
        assert layout(after["SequenceNumber"]) == expected(T_S + 11, 1, 2, T_S + 10)
        assert int(after["SequenceNumber"]) > int(found["shardId-000000000001"]["StartingSequenceNumber"])

    def test_merge_ends_both_parents_at_the_same_second(self, client: Any) -> None:
        with freeze_time(T):
            client.create_stream(StreamName="s", ShardCount=2)
        with freeze_time(T + datetime.timedelta(seconds=5)):
            client.merge_shards(
                StreamName="s", ShardToMerge=SHARD0, AdjacentShardToMerge="shardId-000000000001"
            )
            found = ranges(client)
        assert layout(found[SHARD0]["EndingSequenceNumber"]) == expected(T_S - 2, 0, END, T_S + 5)
        assert layout(found["shardId-000000000001"]["EndingSequenceNumber"]) == expected(
            T_S - 2, 1, END, T_S + 5
        )
        assert layout(found["shardId-000000000002"]["StartingSequenceNumber"]) == expected(
            T_S + 6, 2, 0, T_S + 6
        )

    def test_children_of_children_in_one_second_still_lie_above(self, client: Any) -> None:
        with freeze_time(T):
            client.create_stream(StreamName="s", ShardCount=1)
            client.split_shard(StreamName="s", ShardToSplit=SHARD0, NewStartingHashKey=str(2**127))
            client.split_shard(StreamName="s", ShardToSplit="shardId-000000000001", NewStartingHashKey="2")
            client.update_shard_count(StreamName="s", TargetShardCount=6, ScalingType="UNIFORM_SCALING")
            found = ranges(client)
            shards = client.list_shards(StreamName="s")["Shards"]
        assert layout(found["shardId-000000000001"]["EndingSequenceNumber"]) == expected(
            T_S + 1, 1, END, T_S + 1
        )
        assert layout(found["shardId-000000000003"]["StartingSequenceNumber"]) == expected(
            T_S + 2, 3, 0, T_S + 2
        )
        by_id = {s["ShardId"]: s for s in shards}
        for shard in shards:
            for parent in (shard.get("ParentShardId"), shard.get("AdjacentParentShardId")):
                if parent is not None:
                    parent_end = int(by_id[parent]["SequenceNumberRange"]["EndingSequenceNumber"])
                    assert int(shard["SequenceNumberRange"]["StartingSequenceNumber"]) > parent_end


class TestNumbersAWSAccepts:
    @pytest.mark.parametrize(
        "digits",
        [
            "20000000000000000000000000000000000000000000002",  # all zeros
            "20000000000000000000000000000000000000000000001",  # all zeros, version 1
            "20000000000000000000000000000000000000800000002",  # an 8 near the end
        ],
    )
    def test_ordering_numbers(self, client: Any, digits: str) -> None:
        # kinesalite test/putRecord.js, recorded against AWS.
        client.create_stream(StreamName="s", ShardCount=1)
        response = client.put_record(
            StreamName="s", Data=b"x", PartitionKey="k", SequenceNumberForOrdering=str(int(digits, 16))
        )
        assert response["ShardId"] == SHARD0 and layout(response["SequenceNumber"])[3] == f"{1:016x}"

    def test_an_ordering_number_written_in_the_future_is_invalid(self, client: Any) -> None:
        with freeze_time(T):
            client.create_stream(StreamName="s", ShardCount=1)
        with freeze_time(T + datetime.timedelta(seconds=10)):
            later = client.put_record(StreamName="s", Data=b"x", PartitionKey="k")["SequenceNumber"]
        with freeze_time(T), pytest.raises(client.exceptions.InvalidArgumentException) as excinfo:
            client.put_record(StreamName="s", Data=b"x", PartitionKey="k", SequenceNumberForOrdering=later)
        assert error_of(excinfo) == (
            "InvalidArgumentException",
            f"ExclusiveMinimumSequenceNumber {later} used in PutRecord on stream s under account {ACCOUNT} "
            "is invalid.",
        )

    @pytest.mark.parametrize(
        ("number", "encoded"),
        [
            ("5", "shardId-000000000005"),
            (str(int("20000000000000000000000000000000000000800000002", 16)), "shardId--02147483648"),
        ],
    )
    def test_a_number_of_another_shard(self, client: Any, number: str, encoded: str) -> None:
        # kinesalite test/getShardIterator.js, recorded against AWS.
        client.create_stream(StreamName="s", ShardCount=1)
        with pytest.raises(client.exceptions.InvalidArgumentException) as excinfo:
            shard_iterator(client, kind="AT_SEQUENCE_NUMBER", StartingSequenceNumber=number)
        assert error_of(excinfo) == (
            "InvalidArgumentException",
            f"Invalid StartingSequenceNumber. It encodes {encoded}, while it was used in a call to a shard "
            f"with {SHARD0}",
        )

    def test_a_date_too_large(self, client: Any) -> None:
        client.create_stream(StreamName="s", ShardCount=1)
        with pytest.raises(client.exceptions.InvalidArgumentException) as excinfo:
            shard_iterator(
                client,
                kind="AT_SEQUENCE_NUMBER",
                StartingSequenceNumber="26227199374822427428162556223570313216",
            )
        assert error_of(excinfo)[1] == (
            "StartingSequenceNumber 26227199374822427428162556223570313216 used in GetShardIterator on shard "
            f"{SHARD0} in stream s under account {ACCOUNT} is invalid."
        )

    def test_start_and_end_numbers_position_iterators(self, client: Any) -> None:
        client.create_stream(StreamName="s", ShardCount=1)
        client.put_record(StreamName="s", Data=b"1", PartitionKey="k")
        client.split_shard(StreamName="s", ShardToSplit=SHARD0, NewStartingHashKey="2")
        numbers = ranges(client)[SHARD0]
        at_start = shard_iterator(
            client, kind="AT_SEQUENCE_NUMBER", StartingSequenceNumber=numbers["StartingSequenceNumber"]
        )
        assert [r["Data"] for r in client.get_records(ShardIterator=at_start)["Records"]] == [b"1"]
        at_end = shard_iterator(
            client, kind="AT_SEQUENCE_NUMBER", StartingSequenceNumber=numbers["EndingSequenceNumber"]
        )
        response = client.get_records(ShardIterator=at_end)
        assert response["Records"] == [] and "NextShardIterator" not in response


class TestIterators:
    @pytest.mark.parametrize("name", ["s", "a" * 29, "b" * 30, "c" * 128])
    def test_binary_layout(self, client: Any, name: str) -> None:
        client.create_stream(StreamName=name, ShardCount=1)
        found = client.get_shard_iterator(StreamName=name, ShardId=SHARD0, ShardIteratorType="LATEST")
        text = found["ShardIterator"]
        raw = base64.b64decode(text, validate=True)
        assert text.startswith("AAAAAAAAAAE") and raw[:8] == bytes(7) + b"\x01"
        assert len(raw) >= 152 and (len(raw) - 152) % 16 == 0
        assert base64.b64encode(raw).decode() == text

    def test_longer_names_give_longer_iterators(self, client: Any) -> None:
        lengths = []
        for name in ("s", "s" * 64, "s" * 128):
            client.create_stream(StreamName=name, ShardCount=1)
            text = client.get_shard_iterator(StreamName=name, ShardId=SHARD0, ShardIteratorType="LATEST")[
                "ShardIterator"
            ]
            lengths.append(len(base64.b64decode(text)))
        assert lengths[0] == 152 and lengths[0] < lengths[1] < lengths[2]

    def test_still_sealed(self, client: Any) -> None:
        client.create_stream(StreamName="s", ShardCount=1)
        raw = bytearray(base64.b64decode(shard_iterator(client)))
        for at in (0, 7, 8, 40, len(raw) - 1):
            forged = raw.copy()
            forged[at] ^= 1
            with pytest.raises(client.exceptions.InvalidArgumentException) as excinfo:
                client.get_records(ShardIterator=base64.b64encode(forged).decode())
            assert error_of(excinfo) == ("InvalidArgumentException", "Invalid ShardIterator.")
