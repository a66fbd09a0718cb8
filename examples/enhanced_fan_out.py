"""Enhanced fan-out: a registered consumer receives records pushed by SubscribeToShard.

Records already in the shard arrive first, then records a producer thread writes while the
subscription is open. The consumer then resubscribes from the last ContinuationSequenceNumber,
as a KCL-style consumer does every five minutes, and loses and repeats nothing.

    python3 examples/enhanced_fan_out.py     (uses freezegun: pip install freezegun)
"""

from __future__ import annotations

import threading
import time
from typing import Any

import boto3
from freezegun import freeze_time

from kinesis_mock import mock_kinesis


def subscribe(client: Any, consumer_arn: str, position: dict[str, Any]) -> Any:
    return client.subscribe_to_shard(
        ConsumerARN=consumer_arn, ShardId="shardId-000000000000", StartingPosition=position
    )["EventStream"]


def main() -> None:
    # freezegun drives the mock's clock: the second subscription must come five seconds after
    # the first, and no test should have to wait that long for real.
    with mock_kinesis(), freeze_time() as clock:
        client = boto3.client("kinesis", region_name="us-east-1")
        client.create_stream(StreamName="orders", ShardCount=1)
        stream_arn = client.describe_stream_summary(StreamName="orders")["StreamDescriptionSummary"][
            "StreamARN"
        ]
        consumer_arn = client.register_stream_consumer(StreamARN=stream_arn, ConsumerName="billing")[
            "Consumer"
        ]["ConsumerARN"]
        print(f"consumer: {consumer_arn}")
        for i in range(3):
            client.put_record(StreamName="orders", Data=f"order-{i}".encode(), PartitionKey="p")

        def producer() -> None:
            own = boto3.client("kinesis", region_name="us-east-1")
            for i in range(3, 6):
                time.sleep(0.05)
                own.put_record(StreamName="orders", Data=f"order-{i}".encode(), PartitionKey="p")

        thread = threading.Thread(target=producer)
        thread.start()
        received, continuation = [], None
        events = subscribe(client, consumer_arn, {"Type": "TRIM_HORIZON"})
        for event in events:
            shard_event = event["SubscribeToShardEvent"]
            received += [record["Data"].decode() for record in shard_event["Records"]]
            continuation = shard_event["ContinuationSequenceNumber"]
            print(
                f"event: {len(shard_event['Records'])} records, {shard_event['MillisBehindLatest']} ms behind"
            )
            if len(received) >= 4:
                break
        events.close()
        thread.join()

        clock.tick(5)
        events = subscribe(
            client, consumer_arn, {"Type": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": continuation}
        )
        for event in events:
            received += [r["Data"].decode() for r in event["SubscribeToShardEvent"]["Records"]]
            if len(received) >= 6:
                break
        events.close()
        print(f"received: {received}")
        assert received == [f"order-{i}" for i in range(6)]


if __name__ == "__main__":
    main()
