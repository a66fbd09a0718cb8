"""Quickstart: a small app that provisions a stream, produces to it and consumes from it,
run entirely under kinesis_mock.

No AWS account, credentials or network are needed: every kinesis call below is answered
in-process by the mock.

    python3 examples/quickstart.py
"""

from __future__ import annotations

import json
from typing import Any

import boto3

from kinesis_mock import mock_kinesis


def provision(client: Any, name: str) -> str:
    """Create an on-demand stream, switch it to provisioned capacity; return its ARN."""
    client.create_stream(StreamName=name, StreamModeDetails={"StreamMode": "ON_DEMAND"})
    client.get_waiter("stream_exists").wait(StreamName=name)
    arn: str = client.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["StreamARN"]
    client.update_stream_mode(StreamARN=arn, StreamModeDetails={"StreamMode": "PROVISIONED"})
    return arn


def produce(client: Any, name: str, orders: list[dict[str, Any]]) -> None:
    """Write each order under its customer's partition key (so a customer's orders stay in order)."""
    client.put_records(
        StreamName=name,
        Records=[{"Data": json.dumps(order).encode(), "PartitionKey": order["customer"]} for order in orders],
    )


def consume(client: Any, name: str) -> list[dict[str, Any]]:
    """Read every shard from the oldest record to the tip with shard iterators."""
    orders = []
    for shard in client.list_shards(StreamName=name)["Shards"]:
        iterator = client.get_shard_iterator(
            StreamName=name, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        while iterator:
            response = client.get_records(ShardIterator=iterator, Limit=100)
            orders += [json.loads(record["Data"]) for record in response["Records"]]
            if response["MillisBehindLatest"] == 0 and not response["Records"]:
                break  # caught up with the tip of an open shard
            iterator = response.get("NextShardIterator")
    return orders


def main() -> None:
    with mock_kinesis():
        client = boto3.client("kinesis", region_name="us-east-1")
        arn = provision(client, "orders")
        summary = client.describe_stream_summary(StreamName="orders")["StreamDescriptionSummary"]
        print(f"stream:   {arn}")
        print(
            f"mode:     {summary['StreamModeDetails']['StreamMode']}, "
            f"{summary['OpenShardCount']} open shards, {summary['StreamStatus']}"
        )

        orders = [{"customer": f"customer-{i % 3}", "order": i, "total": 10 * i} for i in range(12)]
        produce(client, "orders", orders)
        received = consume(client, "orders")
        print(f"produced: {len(orders)} orders; consumed: {len(received)}")
        for customer in sorted({o["customer"] for o in received}):
            sequence = [o["order"] for o in received if o["customer"] == customer]
            print(f"  {customer}: orders {sequence}")

        assert summary["StreamModeDetails"]["StreamMode"] == "PROVISIONED"
        assert sorted(o["order"] for o in received) == list(range(12))
        for customer in {o["customer"] for o in received}:
            sequence = [o["order"] for o in received if o["customer"] == customer]
            assert sequence == sorted(sequence), "per partition key, records keep write order"


if __name__ == "__main__":
    main()
