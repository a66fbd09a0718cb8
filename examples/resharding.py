"""Resharding: a consumer that follows shard lineage reads every record once, in order per key.

The stream is split, merged and rescaled while a producer writes; the consumer reads each parent
shard to its end (GetRecords then returns ChildShards and no NextShardIterator) before its
children, as the KCL does.

    python3 examples/resharding.py
"""

from __future__ import annotations

from typing import Any

import boto3

from kinesis_mock import mock_kinesis


def consume_by_lineage(client: Any, stream: str) -> list[dict[str, Any]]:
    shards = {s["ShardId"]: s for s in client.list_shards(StreamName=stream)["Shards"]}
    done: set[str] = set()
    records: list[dict[str, Any]] = []
    while len(done) < len(shards):
        for shard in shards.values():
            parents = {shard.get("ParentShardId"), shard.get("AdjacentParentShardId")} - {None}
            if shard["ShardId"] in done or not parents <= done | (parents - shards.keys()):
                continue  # a parent is still being read
            iterator = client.get_shard_iterator(
                StreamName=stream, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
            )["ShardIterator"]
            while iterator:
                response = client.get_records(ShardIterator=iterator)
                records += response["Records"]
                if "ChildShards" in response:  # end of a closed shard: NextShardIterator is gone
                    break
                if not response["Records"] and response["MillisBehindLatest"] == 0:
                    break  # caught up with an open shard
                iterator = response["NextShardIterator"]
            done.add(shard["ShardId"])
    return records


def main() -> None:
    with mock_kinesis():
        client = boto3.client("kinesis", region_name="us-east-1")
        client.create_stream(StreamName="events", ShardCount=2)
        written = []

        def produce(label: str) -> None:
            for user in range(6):
                data = f"user-{user}:{label}"
                client.put_record(StreamName="events", Data=data.encode(), PartitionKey=f"user-{user}")
                written.append(data)

        produce("a")
        client.split_shard(
            StreamName="events", ShardToSplit="shardId-000000000000", NewStartingHashKey=str(2**126)
        )
        produce("b")
        client.merge_shards(
            StreamName="events",
            ShardToMerge="shardId-000000000003",
            AdjacentShardToMerge="shardId-000000000001",
        )
        produce("c")
        client.update_shard_count(StreamName="events", TargetShardCount=3, ScalingType="UNIFORM_SCALING")
        produce("d")

        for shard in client.list_shards(StreamName="events")["Shards"]:
            parents = [p for p in (shard.get("ParentShardId"), shard.get("AdjacentParentShardId")) if p]
            state = "closed" if "EndingSequenceNumber" in shard["SequenceNumberRange"] else "open"
            print(f"{shard['ShardId']}  {state:6}  parents: {', '.join(parents) or '-'}")

        received = [r["Data"].decode() for r in consume_by_lineage(client, "events")]
        print(f"written {len(written)}, read {len(received)}")
        for user in range(6):
            print(f"  user-{user}: {[d.split(':')[1] for d in received if d.startswith(f'user-{user}:')]}")
        assert sorted(received) == sorted(written)
        for user in range(6):
            mine = [d for d in received if d.startswith(f"user-{user}:")]
            assert mine == [d for d in written if d.startswith(f"user-{user}:")]


if __name__ == "__main__":
    main()
