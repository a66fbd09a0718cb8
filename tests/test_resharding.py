"""Resharding through boto3: SplitShard, MergeShards, UpdateShardCount, lineage and ShardFilter."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from freezegun import freeze_time
from helpers import ACCOUNT, HASH_MAX, error_of, shard_limit, stream_arn, validation

UTC = datetime.UTC
HALF = 2**127


def sid(index: int) -> str:
    return f"shardId-{index:012d}"


def shards(client: Any, name: str = "s", **extra: Any) -> dict[str, dict[str, Any]]:
    return {s["ShardId"]: s for s in client.list_shards(StreamName=name, **extra)["Shards"]}


def open_ranges(client: Any, name: str = "s") -> list[tuple[int, int]]:
    found = shards(client, name, ShardFilter={"Type": "AT_LATEST"}).values()
    return sorted(
        (int(s["HashKeyRange"]["StartingHashKey"]), int(s["HashKeyRange"]["EndingHashKey"])) for s in found
    )


def read_shard(client: Any, shard_id: str, name: str = "s") -> tuple[list[dict[str, Any]], Any]:
    """Every record of a shard from TRIM_HORIZON; ChildShards if the shard ended."""
    token = client.get_shard_iterator(StreamName=name, ShardId=shard_id, ShardIteratorType="TRIM_HORIZON")[
        "ShardIterator"
    ]
    out: list[dict[str, Any]] = []
    while True:
        response = client.get_records(ShardIterator=token)
        out += response["Records"]
        if "NextShardIterator" not in response:
            return out, response["ChildShards"]
        if not response["Records"]:
            return out, None
        token = response["NextShardIterator"]


class TestSplitShard:
    def test_children_lineage_and_routing(self, client: Any) -> None:
        client.create_stream(StreamName="s", ShardCount=1)
        client.put_record(StreamName="s", Data=b"before", PartitionKey="k", ExplicitHashKey="5")
        client.split_shard(StreamName="s", ShardToSplit=sid(0), NewStartingHashKey=str(HALF))
        found = shards(client)
        assert list(found) == [sid(0), sid(1), sid(2)]
        parent, left, right = found[sid(0)], found[sid(1)], found[sid(2)]
        assert left["HashKeyRange"] == {"StartingHashKey": "0", "EndingHashKey": str(HALF - 1)}
        assert right["HashKeyRange"] == {"StartingHashKey": str(HALF), "EndingHashKey": str(HASH_MAX)}
        assert left["ParentShardId"] == right["ParentShardId"] == sid(0)
        assert "AdjacentParentShardId" not in left
        end = int(parent["SequenceNumberRange"]["EndingSequenceNumber"])
        assert len(parent["SequenceNumberRange"]["EndingSequenceNumber"]) == 56
        for child in (left, right):
            assert "EndingSequenceNumber" not in child["SequenceNumberRange"]
            assert int(child["SequenceNumberRange"]["StartingSequenceNumber"]) > end
        low = client.put_record(StreamName="s", Data=b"low", PartitionKey="k", ExplicitHashKey="5")
        high = client.put_record(
            StreamName="s", Data=b"high", PartitionKey="k", ExplicitHashKey=str(HASH_MAX)
        )
        assert (low["ShardId"], high["ShardId"]) == (sid(1), sid(2))
        assert int(low["SequenceNumber"]) > end
        records, children = read_shard(client, sid(0))
        assert [r["Data"] for r in records] == [b"before"]  # records stay in the parent
        assert [c["ShardId"] for c in children] == [sid(1), sid(2)]
        assert children[0]["ParentShards"] == [sid(0)]
        summary = client.describe_stream_summary(StreamName="s")["StreamDescriptionSummary"]
        assert summary["OpenShardCount"] == 2
        assert client.describe_limits()["OpenShardCount"] == 2
        assert len(client.describe_stream(StreamName="s")["StreamDescription"]["Shards"]) == 3

    @pytest.mark.parametrize("key", ["0", "1", str(HASH_MAX), str(HASH_MAX + 1)])
    def test_new_starting_hash_key_must_be_inside(self, client: Any, key: str) -> None:
        client.create_stream(StreamName="s", ShardCount=1)
        with pytest.raises(client.exceptions.InvalidArgumentException) as excinfo:
            client.split_shard(StreamName="s", ShardToSplit=sid(0), NewStartingHashKey=key)
        assert error_of(excinfo)[1] == (
            f"NewStartingHashKey {key} used in SplitShard() on shard {sid(0)} in stream s under "
            f"account {ACCOUNT} is not both greater than one plus the shard's StartingHashKey 0 "
            f"and less than the shard's EndingHashKey {HASH_MAX}."
        )

    def test_smallest_and_largest_valid_keys(self, client: Any) -> None:
        client.create_stream(StreamName="s", ShardCount=1)
        client.split_shard(StreamName="s", ShardToSplit=sid(0), NewStartingHashKey="2")
        client.split_shard(StreamName="s", ShardToSplit="shardId-2", NewStartingHashKey=str(HASH_MAX - 1))
        assert open_ranges(client) == [(0, 1), (2, HASH_MAX - 2), (HASH_MAX - 1, HASH_MAX)]

    def test_unknown_and_closed_shards(self, client: Any) -> None:
        client.create_stream(StreamName="s", ShardCount=2)
        for raw, shown in (("shard-x", "shard-x"), ("7", sid(7))):
            with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
                client.split_shard(StreamName="s", ShardToSplit=raw, NewStartingHashKey="10")
            assert error_of(excinfo)[1] == (
                f"Could not find shard {shown} in stream s under account {ACCOUNT}."
            )
        client.split_shard(StreamName="s", ShardToSplit="0", NewStartingHashKey="10")
        with pytest.raises(client.exceptions.InvalidArgumentException) as excinfo:
            client.split_shard(StreamName="s", ShardToSplit="0", NewStartingHashKey="20")
        assert error_of(excinfo)[1] == (
            f"Shard {sid(0)} in stream s under account {ACCOUNT} has already been merged or split, "
            "and thus is not eligible for merging or splitting."
        )

    def test_no_stream_named(self, client: Any) -> None:
        # Found by tests/test_fuzz.py: the shard id was checked first, with a blank stream name.
        calls: tuple[Callable[[], Any], ...] = (
            lambda: client.split_shard(ShardToSplit="x", NewStartingHashKey="5"),
            lambda: client.merge_shards(ShardToMerge="x", AdjacentShardToMerge="y"),
        )
        for call in calls:
            with pytest.raises(client.exceptions.InvalidArgumentException) as excinfo:
                call()
            assert error_of(excinfo)[1] == "Either StreamName or StreamARN must be provided."

    def test_unknown_stream_and_on_demand(self, client: Any) -> None:
        with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
            client.split_shard(StreamName="nope", ShardToSplit="0", NewStartingHashKey="10")
        assert error_of(excinfo)[1] == f"Stream nope under account {ACCOUNT} not found."
        client.create_stream(StreamName="od", StreamModeDetails={"StreamMode": "ON_DEMAND"})
        message = f"Request is invalid. Stream od under account {ACCOUNT} is in On-Demand mode."
        with pytest.raises(client.exceptions.ValidationException) as excinfo:
            client.split_shard(StreamName="od", ShardToSplit="0", NewStartingHashKey="10")
        assert error_of(excinfo) == ("ValidationException", message)
        with pytest.raises(client.exceptions.ValidationException) as excinfo:
            client.merge_shards(StreamName="od", ShardToMerge="0", AdjacentShardToMerge="1")
        assert error_of(excinfo) == ("ValidationException", message)
        with pytest.raises(client.exceptions.ValidationException) as excinfo:
            client.update_shard_count(StreamName="od", TargetShardCount=2, ScalingType="UNIFORM_SCALING")
        assert error_of(excinfo) == ("ValidationException", message)

    def test_shard_quota(self, make_client: Any) -> None:
        from kinesis_mock import mock_kinesis

        with mock_kinesis(shard_limit=2):
            client = make_client()
            client.create_stream(StreamName="s", ShardCount=2)
            with pytest.raises(client.exceptions.LimitExceededException) as excinfo:
                client.split_shard(StreamName="s", ShardToSplit="0", NewStartingHashKey="10")
            assert (
                "Number of additional shards that would have resulted from this request: 1."
                in (error_of(excinfo)[1])
            )

    def test_hash_key_pattern(self, client: Any) -> None:
        client.create_stream(StreamName="s", ShardCount=1)
        with pytest.raises(client.exceptions.ValidationException) as excinfo:
            client.split_shard(StreamName="s", ShardToSplit="0", NewStartingHashKey="12a")
        assert error_of(excinfo)[1] == validation(
            "Value '12a' at 'newStartingHashKey' failed to satisfy constraint: Member must satisfy "
            "regular expression pattern: 0|([1-9]\\d{0,38})"
        )


class TestMergeShards:
    def test_the_lower_shard_first(self, client: Any) -> None:
        first, second = 0, 1
        client.create_stream(StreamName="s", ShardCount=3)
        client.put_record(StreamName="s", Data=b"in-0", PartitionKey="k", ExplicitHashKey="0")
        client.merge_shards(
            StreamARN=stream_arn("s"), ShardToMerge=sid(first), AdjacentShardToMerge=sid(second)
        )
        child = shards(client)[sid(3)]
        assert child["ParentShardId"] == sid(first)
        assert child["AdjacentParentShardId"] == sid(second)
        third = 2**128 // 3
        assert child["HashKeyRange"] == {"StartingHashKey": "0", "EndingHashKey": str(2 * third - 1)}
        assert client.put_record(StreamName="s", Data=b"x", PartitionKey="k", ExplicitHashKey="0")[
            "ShardId"
        ] == sid(3)
        _, children = read_shard(client, sid(0))
        assert children == [
            {
                "ShardId": sid(3),
                "ParentShards": [sid(first), sid(second)],
                "HashKeyRange": child["HashKeyRange"],
            }
        ]

    def test_the_higher_shard_first_is_not_adjacent(self, client: Any) -> None:
        # AWS refuses the pair the other way round (kinesalite test/mergeShards.js, "adjacency is
        # inverted", recorded against AWS), and nothing changes.
        client.create_stream(StreamName="s", ShardCount=3)
        with pytest.raises(client.exceptions.InvalidArgumentException) as excinfo:
            client.merge_shards(StreamName="s", ShardToMerge=sid(1), AdjacentShardToMerge=sid(0))
        assert error_of(excinfo) == (
            "InvalidArgumentException",
            f"Shards {sid(1)} and {sid(0)} in stream s under account {ACCOUNT} are not an "
            "adjacent pair of shards eligible for merging",
        )
        assert list(shards(client)) == [sid(0), sid(1), sid(2)]

    def test_not_adjacent_and_already_merged(self, client: Any) -> None:
        client.create_stream(StreamName="s", ShardCount=3)
        with pytest.raises(client.exceptions.InvalidArgumentException) as excinfo:
            client.merge_shards(StreamName="s", ShardToMerge="0", AdjacentShardToMerge="2")
        assert error_of(excinfo)[1] == (
            f"Shards {sid(0)} and {sid(2)} in stream s under account {ACCOUNT} are not an "
            "adjacent pair of shards eligible for merging"
        )
        client.merge_shards(StreamName="s", ShardToMerge="1", AdjacentShardToMerge="2")
        with pytest.raises(client.exceptions.InvalidArgumentException) as excinfo:
            client.merge_shards(StreamName="s", ShardToMerge="0", AdjacentShardToMerge="1")
        assert error_of(excinfo) == (
            "InvalidArgumentException",
            f"Shard {sid(1)} in stream s under account {ACCOUNT} has already been merged or split, and thus "
            "is not eligible for merging or splitting.",
        )
        with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
            client.merge_shards(StreamName="s", ShardToMerge="0", AdjacentShardToMerge="x-y")
        assert error_of(excinfo)[1] == f"Could not find shard x-y in stream s under account {ACCOUNT}."


class TestUpdateShardCount:
    @pytest.mark.parametrize(("before", "after"), [(1, 2), (4, 8), (8, 4), (5, 3), (3, 5), (7, 7)])
    def test_uniform_layout(self, client: Any, before: int, after: int) -> None:
        client.create_stream(StreamName="s", ShardCount=before)
        response = client.update_shard_count(
            StreamName="s", TargetShardCount=after, ScalingType="UNIFORM_SCALING"
        )
        assert {k: v for k, v in response.items() if k != "ResponseMetadata"} == {
            "StreamName": "s",
            "CurrentShardCount": before,
            "TargetShardCount": after,
            "StreamARN": stream_arn("s"),
        }
        width = 2**128 // after
        assert open_ranges(client) == [
            (i * width, (i + 1) * width - 1 if i < after - 1 else HASH_MAX) for i in range(after)
        ]
        for shard in shards(client).values():
            for parent in (shard.get("ParentShardId"), shard.get("AdjacentParentShardId")):
                assert parent is None or parent < shard["ShardId"]

    def test_limits_of_one_step(self, client: Any) -> None:
        client.create_stream(StreamName="s", ShardCount=4)
        for target, text in (
            (
                9,
                "cannot scale up over double your current open shard count. "
                "Current open shard count: 4, Target shard count: 9",
            ),
            (
                1,
                "cannot scale down below half your current open shard count. "
                "Current open shard count: 4, Target shard count: 1",
            ),
        ):
            with pytest.raises(client.exceptions.LimitExceededException) as excinfo:
                client.update_shard_count(
                    StreamName="s", TargetShardCount=target, ScalingType="UNIFORM_SCALING"
                )
            assert error_of(excinfo)[1] == f"UpdateShardCount {text}"

    def test_ten_scaling_operations_per_rolling_day(self, client: Any) -> None:
        with freeze_time("2026-01-01") as clock:
            client.create_stream(StreamName="s", ShardCount=2)
            for target in (3, 2) * 5:
                client.update_shard_count(
                    StreamName="s", TargetShardCount=target, ScalingType="UNIFORM_SCALING"
                )
                clock.tick(60)
            with pytest.raises(client.exceptions.LimitExceededException) as excinfo:
                client.update_shard_count(StreamName="s", TargetShardCount=3, ScalingType="UNIFORM_SCALING")
            assert error_of(excinfo)[1] == (
                f"Stream s under account {ACCOUNT} has already been scaled 10 times in the last 24 hours."
            )
            clock.tick(24 * 3600 - 9 * 60)
            client.update_shard_count(StreamName="s", TargetShardCount=3, ScalingType="UNIFORM_SCALING")

    def test_shards_per_stream(self, make_client: Any) -> None:
        from kinesis_mock import mock_kinesis

        with mock_kinesis(shards_per_stream=6):
            client = make_client()
            client.create_stream(StreamName="s", ShardCount=4)
            self._check_shards_per_stream(client)

    def _check_shards_per_stream(self, client: Any) -> None:
        with pytest.raises(client.exceptions.LimitExceededException) as excinfo:
            client.update_shard_count(StreamName="s", TargetShardCount=8, ScalingType="UNIFORM_SCALING")
        assert error_of(excinfo)[1] == (
            "UpdateShardCount cannot scale a stream above 6 shards. Current open shard count: 4, "
            "Target shard count: 8"
        )

    def test_account_quota_counts_the_shards_scaling_creates(self, make_client: Any) -> None:
        from kinesis_mock import mock_kinesis

        with mock_kinesis(shard_limit=6):
            client = make_client()
            client.create_stream(StreamName="s", ShardCount=3)
            with pytest.raises(client.exceptions.LimitExceededException) as excinfo:
                client.update_shard_count(StreamName="s", TargetShardCount=6, ScalingType="UNIFORM_SCALING")
            assert error_of(excinfo) == (
                "LimitExceededException",
                shard_limit(ACCOUNT, current=3, limit=6, additional=5),
            )
            client.update_shard_count(StreamName="s", TargetShardCount=4, ScalingType="UNIFORM_SCALING")
            assert client.describe_limits()["OpenShardCount"] == 4


class TestLineageOverTime:
    def test_closed_shards_expire_after_retention(self, client: Any) -> None:
        with freeze_time("2026-01-01 00:00:00") as clock:
            client.create_stream(StreamName="s", ShardCount=1)
            client.split_shard(StreamName="s", ShardToSplit="0", NewStartingHashKey=str(HALF))
            clock.tick(24 * 3600)
            assert sid(0) in shards(client)
            clock.tick(1)
            assert list(shards(client)) == [sid(1), sid(2)]
            described = client.describe_stream(StreamName="s")["StreamDescription"]["Shards"]
            assert [s["ShardId"] for s in described] == [sid(1), sid(2)]
            with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
                client.get_shard_iterator(StreamName="s", ShardId=sid(0), ShardIteratorType="TRIM_HORIZON")
            assert error_of(excinfo)[1] == (
                f"Shard {sid(0)} in stream s under account {ACCOUNT} does not exist"
            )

    def test_shard_filters(self, client: Any) -> None:
        t0 = datetime.datetime(2026, 1, 1, tzinfo=UTC)
        with freeze_time(t0) as clock:
            client.create_stream(StreamName="s", ShardCount=1)
            clock.tick(3600)
            client.split_shard(StreamName="s", ShardToSplit="0", NewStartingHashKey=str(HALF))
            clock.tick(3600)

            def listed(shard_filter: dict[str, Any]) -> list[str]:
                return list(shards(client, ShardFilter=shard_filter))

            hour = datetime.timedelta(hours=1)
            assert listed({"Type": "FROM_TRIM_HORIZON"}) == [sid(0), sid(1), sid(2)]
            assert listed({"Type": "AT_TRIM_HORIZON"}) == [sid(0)]
            assert listed({"Type": "AT_LATEST"}) == [sid(1), sid(2)]
            assert listed({"Type": "AT_TIMESTAMP", "Timestamp": t0 + hour / 2}) == [sid(0)]
            assert listed({"Type": "AT_TIMESTAMP", "Timestamp": t0 + hour * 1.5}) == [sid(1), sid(2)]
            assert listed({"Type": "AT_TIMESTAMP", "Timestamp": t0 - hour}) == [sid(0)]
            assert listed({"Type": "FROM_TIMESTAMP", "Timestamp": t0 + hour / 2}) == [sid(0), sid(1), sid(2)]
            assert listed({"Type": "FROM_TIMESTAMP", "Timestamp": t0 + hour * 1.5}) == [sid(1), sid(2)]
            assert listed({"Type": "AFTER_SHARD_ID", "ShardId": sid(1)}) == [sid(2)]
            clock.tick(22 * 3600)  # the parent still holds the records at the trim horizon
            assert listed({"Type": "AT_TRIM_HORIZON"}) == [sid(0)]
            clock.tick(3600 + 1)  # now the parent has expired and the horizon is in its children
            assert listed({"Type": "AT_TRIM_HORIZON"}) == [sid(1), sid(2)]

    def test_filter_survives_pagination(self, client: Any) -> None:
        client.create_stream(StreamName="s", ShardCount=3)
        client.split_shard(StreamName="s", ShardToSplit="0", NewStartingHashKey=str(2**100))
        page = client.list_shards(StreamName="s", ShardFilter={"Type": "AT_LATEST"}, MaxResults=2)
        assert list(s["ShardId"] for s in page["Shards"]) == [sid(1), sid(2)]
        rest = client.list_shards(NextToken=page["NextToken"])
        assert [s["ShardId"] for s in rest["Shards"]] == [sid(3), sid(4)]


def consume_by_lineage(client: Any, name: str = "s") -> list[dict[str, Any]]:
    """What a KCL-style consumer does: read each shard to its end once its parents are done."""
    known = shards(client, name)
    done: set[str] = set()
    out: list[dict[str, Any]] = []
    while len(done) < len(known):
        ready = [
            s
            for s in known.values()
            if s["ShardId"] not in done
            and all(
                p is None or p in done or p not in known
                for p in (s.get("ParentShardId"), s.get("AdjacentParentShardId"))
            )
        ]
        assert ready, "lineage must always leave a shard ready to read"
        for shard in ready:
            records, children = read_shard(client, shard["ShardId"], name)
            out += records
            done.add(shard["ShardId"])
            for child in children or []:
                assert child["ShardId"] in known
    return out


def test_a_kcl_style_consumer_sees_every_record_once_and_in_order(client: Any) -> None:
    client.create_stream(StreamName="s", ShardCount=2)
    written: list[tuple[str, int]] = []
    counter = iter(range(10**6))

    def produce(rounds: int) -> None:
        for _ in range(rounds):
            batch = [(f"key-{k}", next(counter)) for k in range(40)]
            client.put_records(
                StreamName="s",
                Records=[{"Data": f"{key}:{n}".encode(), "PartitionKey": key} for key, n in batch],
            )
            written.extend(batch)

    produce(3)
    client.split_shard(StreamName="s", ShardToSplit="0", NewStartingHashKey=str(2**126))
    produce(3)
    client.merge_shards(StreamName="s", ShardToMerge="3", AdjacentShardToMerge="1")
    produce(3)
    client.update_shard_count(StreamName="s", TargetShardCount=3, ScalingType="UNIFORM_SCALING")
    produce(3)
    received = [tuple(r["Data"].decode().split(":")) for r in consume_by_lineage(client)]
    assert sorted((k, int(n)) for k, n in received) == sorted(written)
    assert len(received) == len(written) == 480
    for key in {k for k, _ in written}:
        assert [int(n) for k, n in received if k == key] == [n for k, n in written if k == key]
