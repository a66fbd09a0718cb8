"""Property-based tests: generated calls of every operation of botocore's kinesis model, valid and
broken, sent through a real boto3 client under the mock (generator: fuzz_strategies.py).

Each example starts a fresh mock, makes a small setup and sends 4-13 generated calls. Every call
must end in a success, a ``ParamValidationError`` (botocore's own check, before the mock), or an
AWS error that the model lists for the operation (``ValidationException`` and
``SerializationException`` are allowed for all: Kinesis sends them for any constraint failure, listed
or not) - never another exception, never HTTP 500. After the calls, the counts the mock reports in
different places must agree.

The cost of an example is mostly its setup (about 15 calls) and the final count check (about 8),
so examples are few and long rather than many and short, and all of them share one client
(:func:`shared_client`): the hook serves a client in every activation, whenever it was made, and
making one costs about 7 ms, as much as a setup (a fresh ``boto3.session.Session()`` would also load
the service model again, about 60 ms).

A failure prints the drawn calls (``Draw 2 (first call)``, ``Draw 3 (more calls)``) in order: with
the setup of :func:`set_up`, they are the reproduction.
"""

from __future__ import annotations

import collections
import contextlib
import datetime
import zlib
from typing import Any

import pytest
from botocore import xform_name
from botocore.config import Config
from botocore.exceptions import ClientError, ParamValidationError
from fuzz_strategies import CONSUMER, HASH_MAX, POLICY, Made, Setup, calls, stream_arn
from helpers import IMPLEMENTED, MODEL_OPERATIONS
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from kinesis_mock import mock_kinesis

REGION = "us-east-1"
# One attempt per call: a retryable error (LimitExceededException, ...) is an outcome to check,
# not something to retry.
CONFIG = Config(retries={"total_max_attempts": 1})
# The operations the mock implements (a newer botocore's further operations answer NotImplemented,
# which tests/test_control_plane.py checks) that the installed model has (an older one lacks some).
OPERATIONS = tuple(sorted(IMPLEMENTED & MODEL_OPERATIONS))
ALWAYS_ALLOWED = frozenset({"ValidationException", "SerializationException"})
OK = "200"
SETTINGS: dict[str, Any] = {
    "derandomize": True,
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}
EXAMPLES_PER_OPERATION = 4
# After its first call an example makes between 3 and 12 more (hypothesis keeps most lists short).
MORE_CALLS = (3, 12)
# The valid sweep makes at most this many setups per operation, and as many calls on each, and
# stops at the first success.
SWEEP_SETUPS = 40
SWEEP_CALLS_PER_SETUP = 10


def set_up(client: Any, commitment: bool) -> Setup:
    """Streams alpha (2 shards) and beta (ON_DEMAND), a consumer of alpha, records in every shard
    of alpha and in beta, iterators, paging tokens and a resource policy on alpha; with
    ``commitment``, the account's minimum throughput billing commitment (which
    UpdateStreamWarmThroughput needs)."""
    client.create_stream(StreamName="alpha", ShardCount=2)
    client.create_stream(StreamName="beta", StreamModeDetails={"StreamMode": "ON_DEMAND"})
    consumer = client.register_stream_consumer(StreamARN=stream_arn("alpha"), ConsumerName=CONSUMER)[
        "Consumer"
    ]["ConsumerARN"]
    streams = {}
    for name, hash_keys in (("alpha", ["0", str(HASH_MAX), None]), ("beta", [None])):
        numbers = tuple(
            client.put_record(
                StreamName=name,
                Data=f"record {i}".encode(),
                PartitionKey=f"key-{i}",
                **({"ExplicitHashKey": key} if key else {}),
            )["SequenceNumber"]
            for i, key in enumerate(hash_keys)
        )
        shards = client.list_shards(StreamName=name)["Shards"]
        keys = []
        for shard in shards:
            start, end = (int(shard["HashKeyRange"][edge]) for edge in ("StartingHashKey", "EndingHashKey"))
            # SplitShard takes start + 1 < key < end (kinesis_mock README, "Resharding"): the
            # first two split, the last two do not.
            keys += [(start + end) // 2, start + 2, start, end]
        streams[name] = Made(
            shard_ids=tuple(shard["ShardId"] for shard in shards),
            sequence_numbers=numbers,
            hash_keys=tuple(map(str, keys)),
        )
    iterators = tuple(
        client.get_shard_iterator(StreamName=name, ShardId="shardId-000000000000", ShardIteratorType=kind)[
            "ShardIterator"
        ]
        for name, kind in (("alpha", "TRIM_HORIZON"), ("beta", "LATEST"))
    )
    tokens = (
        client.list_shards(StreamName="alpha", MaxResults=1)["NextToken"],
        client.list_streams(Limit=1)["NextToken"],
    )
    client.put_resource_policy(ResourceARN=stream_arn("alpha"), Policy=POLICY)
    if commitment and "UpdateAccountSettings" in MODEL_OPERATIONS:
        client.update_account_settings(MinimumThroughputBillingCommitment={"Status": "ENABLED"})
    return Setup(
        streams=streams,
        consumer_arns=(consumer,),
        iterators=iterators,
        next_tokens=tokens,
        now=datetime.datetime.now(datetime.UTC),
    )


def send(client: Any, operation: str, params: dict[str, Any]) -> str:
    """Make one call and return ``"200"`` or its error code, once checked to be one it may be."""
    model = client.meta.service_model.operation_model(operation)
    allowed = {shape.name for shape in model.error_shapes} | ALWAYS_ALLOWED
    try:
        response = getattr(client, xform_name(operation))(**params)
        if model.has_event_stream_output:
            events = response["EventStream"]
            try:
                for _ in events:
                    break
            finally:
                events.close()
    except ParamValidationError:
        return "ParamValidationError"
    except ClientError as error:  # EventStreamError, raised while iterating, is one too
        code = error.response["Error"]["Code"]
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        assert status != 500 and code != "InternalFailure", (
            f"{operation}({shown(params)}) answered HTTP {status} {code}: {error}"
        )
        assert code in allowed, (
            f"{operation}({shown(params)}) answered {code}, which the model does not list "
            f"({sorted(allowed)}): {error}"
        )
        return str(code)
    return OK


def shown(params: dict[str, Any]) -> str:
    """The call's arguments, with megabyte values cut short for the failure message."""

    def cut(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: cut(item) for key, item in value.items()}
        if isinstance(value, list):
            return [cut(item) for item in value[:3]] + ([f"... {len(value)} items"] if len(value) > 3 else [])
        if isinstance(value, (str, bytes)) and len(value) > 200:
            return f"{value[:20]!r}... ({len(value)} long)"
        return value

    return ", ".join(f"{key}={cut(value)!r}" for key, value in params.items())


def open_shards(client: Any, name: str) -> list[str]:
    # Loop on NextToken alone: Kinesis refuses it next to StreamName (boto/botocore#2009).
    response = client.list_shards(StreamName=name, ShardFilter={"Type": "AT_LATEST"})
    shards = [shard["ShardId"] for shard in response["Shards"]]
    while response.get("NextToken"):
        response = client.list_shards(NextToken=response["NextToken"])
        shards += [shard["ShardId"] for shard in response["Shards"]]
    return shards


def check_counts(client: Any) -> None:
    """Shard, on-demand and consumer counts agree wherever the mock reports them."""
    names = [name for page in client.get_paginator("list_streams").paginate() for name in page["StreamNames"]]
    total_open = on_demand = 0
    for name in names:
        summary = client.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
        shards = open_shards(client, name)
        assert summary["OpenShardCount"] == len(shards), (name, summary["OpenShardCount"], shards)
        consumers = [
            consumer
            for page in client.get_paginator("list_stream_consumers").paginate(StreamARN=summary["StreamARN"])
            for consumer in page["Consumers"]
        ]
        assert summary["ConsumerCount"] == len(consumers), (name, summary["ConsumerCount"], consumers)
        total_open += len(shards)
        on_demand += summary["StreamModeDetails"]["StreamMode"] == "ON_DEMAND"
    limits = client.describe_limits()
    assert (limits["OpenShardCount"], limits["OnDemandStreamCount"]) == (total_open, on_demand), (
        names,
        limits,
    )


@pytest.fixture
def shared_client(_shared_session: Any) -> Any:
    """The one client of every example (made in the first test that asks, under the clean
    environment conftest gives every test; the mock never reads its credentials)."""
    if not _CLIENTS:
        with mock_kinesis():
            _CLIENTS.append(_shared_session.client("kinesis", region_name=REGION, config=CONFIG))
    return _CLIENTS[0]


_CLIENTS: list[Any] = []


@pytest.mark.parametrize("first", OPERATIONS)
def test_generated_calls_never_break_the_mock(first: str, shared_client: Any) -> None:
    """A call of ``first``, then 3 to 12 calls, of ``first`` or of any operation: allowed outcomes
    only, and consistent counts afterwards.

    Hypothesis draws operations far from uniformly (a run of 150 examples can miss a few of the
    39 altogether), so the first call of each sequence is fixed by the parameter: every operation
    is sent in EXAMPLES_PER_OPERATION examples at least (156 examples for the 39 operations). The
    further calls draw from ``first`` and then every operation: hypothesis favours the start of
    what it samples from, so ``first`` comes back often, in states the other calls have changed
    (in one run, 19 to 38 calls of each operation, 1104 in all; 5 examples of up to 8 calls made
    12 to 28, 707 in all).
    """

    # derandomize seeds from the test function's source, the same for every parameter; a seed
    # of the parameter gives each operation's examples their own (still fixed) draws.
    @seed(zlib.crc32(first.encode()))
    @settings(max_examples=EXAMPLES_PER_OPERATION, **SETTINGS)
    @given(data=st.data())
    def example(data: st.DataObject) -> None:
        client = shared_client
        with mock_kinesis(subscribe_idle_seconds=0.01):
            model = client.meta.service_model
            setup = set_up(client, commitment=data.draw(st.booleans(), label="commitment"))
            sequence = [data.draw(calls(model, setup, [first]), label="first call")]
            more = calls(model, setup, (first, *OPERATIONS))
            sequence += data.draw(
                st.lists(more, min_size=MORE_CALLS[0], max_size=MORE_CALLS[1]), label="more calls"
            )
            for operation, params in sequence:
                send(client, operation, params)
            check_counts(client)

    example()


class _Succeeded(Exception):
    """Ends a sweep at its first success (hypothesis stops at the first exception)."""


# Every operation succeeds with the setup; an operation that cannot would be listed here with the
# error code its valid calls must get instead.
EXPECTED_SWEEP_OUTCOME: dict[str, str] = {}


@pytest.mark.parametrize("operation", OPERATIONS)
def test_the_generator_reaches_a_success_of(operation: str, shared_client: Any) -> None:
    """A deterministic sweep: valid calls of ``operation``, drawn by the same generator with
    nothing broken, until one succeeds. Calls that fail leave the state as it was, so each setup
    takes up to SWEEP_CALLS_PER_SETUP of them; at most SWEEP_SETUPS setups."""
    outcomes: list[str] = []
    expected = EXPECTED_SWEEP_OUTCOME.get(operation, OK)

    @seed(zlib.crc32(operation.encode()))
    @settings(max_examples=SWEEP_SETUPS, phases=[Phase.generate], **SETTINGS)
    @given(data=st.data())
    def attempt(data: st.DataObject) -> None:
        client = shared_client
        with mock_kinesis(subscribe_idle_seconds=0.01):
            setup = set_up(client, commitment=data.draw(st.booleans(), label="commitment"))
            for number in range(SWEEP_CALLS_PER_SETUP):
                _, params = data.draw(
                    calls(client.meta.service_model, setup, [operation], broken_percent=0),
                    label=f"call {number}",
                )
                outcomes.append(send(client, operation, params))
                if outcomes[-1] == expected:
                    raise _Succeeded

    with contextlib.suppress(_Succeeded):
        attempt()
    assert outcomes[-1:] == [expected], collections.Counter(outcomes)
