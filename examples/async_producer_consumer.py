"""asyncio with aioboto3: a producer task writes orders while a consumer task receives them through
SubscribeToShard's async event stream (``async for event in stream``), on one event loop.

    pip install aioboto3 kinesis-mock
    python3 examples/async_producer_consumer.py
"""

from __future__ import annotations

import asyncio
from typing import Any

import aioboto3

from kinesis_mock import mock_kinesis

ORDERS = 6


async def produce(client: Any) -> None:
    for i in range(ORDERS):
        await client.put_record(StreamName="orders", Data=f"order-{i}".encode(), PartitionKey="p")
        await asyncio.sleep(0)  # let the consumer run between writes, as real traffic would


async def consume(client: Any, consumer_arn: str) -> list[str]:
    reply = await client.subscribe_to_shard(
        ConsumerARN=consumer_arn, ShardId="shardId-000000000000", StartingPosition={"Type": "LATEST"}
    )
    stream, received = reply["EventStream"], []
    try:
        async for event in stream:
            for record in event["SubscribeToShardEvent"]["Records"]:
                received.append(record["Data"].decode())
            if len(received) == ORDERS:
                return received
    finally:
        stream.close()
    return received


@mock_kinesis
async def main() -> None:
    async with aioboto3.Session().client("kinesis", region_name="us-east-1") as client:
        await client.create_stream(StreamName="orders", ShardCount=1)
        summary = await client.describe_stream_summary(StreamName="orders")
        stream_arn = summary["StreamDescriptionSummary"]["StreamARN"]
        registered = await client.register_stream_consumer(StreamARN=stream_arn, ConsumerName="billing")
        consumer = asyncio.create_task(consume(client, registered["Consumer"]["ConsumerARN"]))
        await asyncio.sleep(0)  # the subscription starts (LATEST) before the first write
        await produce(client)
        received = await asyncio.wait_for(consumer, timeout=30)
        print(f"received {len(received)} orders: {', '.join(received)}")
        assert received == [f"order-{i}" for i in range(ORDERS)]


if __name__ == "__main__":
    asyncio.run(main())
