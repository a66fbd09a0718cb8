"""Testing a producer's retry logic against throttling and partial PutRecords failures.

A producer that sends batches with PutRecords must resend the entries that failed (AWS answers
them with ``ErrorCode`` in place, and ``FailedRecordCount``), and a producer that sends single
records relies on botocore retrying ``ProvisionedThroughputExceededException``. Both are tested
here by making Kinesis fail on purpose, without waiting for real throttling:

    python3 examples/producer_retries.py
"""

from __future__ import annotations

from typing import Any

import boto3
from botocore.config import Config

from kinesis_mock import mock_kinesis

PTE = "ProvisionedThroughputExceededException"


def send_all(client: Any, stream: str, payloads: list[bytes], attempts: int = 5) -> int:
    """The producer under test: PutRecords, then resend only the failed entries; the calls made."""
    pending = [{"Data": data, "PartitionKey": f"key-{i}"} for i, data in enumerate(payloads)]
    for attempt in range(1, attempts + 1):
        reply = client.put_records(StreamName=stream, Records=pending)
        if reply["FailedRecordCount"] == 0:
            return attempt
        pending = [
            entry for entry, result in zip(pending, reply["Records"], strict=True) if "ErrorCode" in result
        ]
    raise RuntimeError(f"{len(pending)} records still failing after {attempts} attempts")


def main() -> None:
    with mock_kinesis() as mock:
        client = boto3.client("kinesis", region_name="us-east-1", config=Config(retries={"mode": "standard"}))
        client.create_stream(StreamName="orders", ShardCount=2)

        # 1. A throttled PutRecord is retried by botocore itself (no real backoff under the mock).
        throttle = mock.fail("PutRecord", PTE, stream="orders", times=2)
        reply = client.put_record(StreamName="orders", Data=b"first", PartitionKey="key")
        assert reply["ResponseMetadata"]["RetryAttempts"] == 2 and throttle.hits == 2
        print(f"put_record succeeded after {reply['ResponseMetadata']['RetryAttempts']} throttled attempts")

        # 2. A batch whose entries 1 and 3 fail once: the producer must resend just those two.
        partial = mock.fail("PutRecords", PTE, entries=[1, 3])
        payloads = [f"order-{i}".encode() for i in range(5)]
        calls = send_all(client, "orders", payloads)
        assert calls == 2 and partial.hits == 1
        stored = sorted(record.data for record in mock.records("orders"))
        assert stored == sorted([b"first", *payloads]), stored
        resent = mock.calls[-1].params["Records"]
        assert [entry["Data"] for entry in resent] == [b"order-1", b"order-3"]
        print(f"send_all stored {len(payloads)} records in {calls} calls, resending {len(resent)}")

        # 3. Entries that keep failing: the producer gives up with a clear error.
        mock.fail("PutRecords", "InternalFailure", entries=[0], times=None)
        try:
            send_all(client, "orders", [b"doomed"], attempts=3)
        except RuntimeError as error:
            print(f"send_all gave up as it should: {error}")
        else:
            raise AssertionError("send_all should have given up")
        print("operations seen:", ", ".join(sorted(set(mock.calls.operations()))))


if __name__ == "__main__":
    main()
