"""aiobotocore and aioboto3: answered in-process in every activation form, as sync clients are.

These run where aiobotocore is installed (the async environments `.ci/run` builds); elsewhere the
module is skipped. With KINESIS_MOCK_ASYNC_ENVIRONMENT=1 a missing aiobotocore is an error, so an
async environment can never pass by skipping.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import botocore.exceptions
import pytest
from botocore.config import Config
from freezegun import freeze_time
from helpers import REGION, error_of, stream_arn
from test_protocol import normalized, scenario

from kinesis_mock import KinesisMock, _hook, mock_kinesis

if os.environ.get("KINESIS_MOCK_ASYNC_ENVIRONMENT") != "1":
    pytest.importorskip("aiobotocore", reason="aiobotocore is not installed in this environment")
import aiobotocore.session

try:
    import aioboto3
except ImportError:  # its newest release pins aiobotocore 2.x; the 3.x environment has none
    aioboto3 = None

SHARD0 = "shardId-000000000000"


class Blocking:
    """An aiobotocore client driven from sync code: each call runs to completion on ``runner``,
    so the sync scenarios of the other tests run unchanged against the async client."""

    def __init__(self, runner: asyncio.Runner, client: Any) -> None:
        self._runner, self._client = runner, client

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self._client, name)
        return lambda **kwargs: self._runner.run(method(**kwargs))


def aio_session() -> Any:
    return aiobotocore.session.get_session()


@pytest.fixture
def runner() -> Iterator[asyncio.Runner]:
    with asyncio.Runner() as runner:
        yield runner


def blocking_client(runner: asyncio.Runner, **kwargs: Any) -> Iterator[Blocking]:
    context = aio_session().create_client("kinesis", region_name=REGION, **kwargs)
    client = runner.run(context.__aenter__())
    try:
        yield Blocking(runner, client)
    finally:
        runner.run(context.__aexit__(None, None, None))


def test_replies_and_errors_equal_the_sync_clients(make_client: Any, runner: asyncio.Runner) -> None:
    config = Config(retries={"total_max_attempts": 1})
    results = []
    with freeze_time("2026-02-03 04:05:06.789"), mock_kinesis():
        results.append([normalized(outcome) for outcome in scenario(make_client(config=config))])
    with freeze_time("2026-02-03 04:05:06.789"), mock_kinesis():
        for client in blocking_client(runner, config=config):
            results.append([normalized(outcome) for outcome in scenario(client)])
    sync, aio = results
    assert aio == sync


async def created_and_listed(name: str) -> list[str]:
    async with aio_session().create_client("kinesis", region_name=REGION) as client:
        await client.create_stream(StreamName=name, ShardCount=1)
        names: list[str] = (await client.list_streams())["StreamNames"]
        return names


async def created_arn(name: str) -> str:
    async with aio_session().create_client("kinesis", region_name=REGION) as client:
        await client.create_stream(StreamName=name, ShardCount=1)
        summary = await client.describe_stream_summary(StreamName=name)
        arn: str = summary["StreamDescriptionSummary"]["StreamARN"]
        return arn


@pytest.mark.asyncio
@mock_kinesis
async def test_decorated_coroutine() -> None:
    assert await created_and_listed("decorated") == ["decorated"]


@pytest.mark.asyncio
async def test_async_with_and_a_client_made_before_activation() -> None:
    async with aio_session().create_client("kinesis", region_name=REGION) as client, mock_kinesis():
        await client.create_stream(StreamName="early", ShardCount=1)
        assert (await client.list_streams())["StreamNames"] == ["early"]


@pytest.mark.asyncio
async def test_the_fixture_under_pytest_asyncio(kinesis_mock: KinesisMock) -> None:
    async with aio_session().create_client("kinesis", region_name=REGION) as client:
        await client.create_stream(StreamName="fixture", ShardCount=2)
        assert kinesis_mock.backend is not None
        summary = await client.describe_stream_summary(StreamARN=stream_arn("fixture"))
        assert summary["StreamDescriptionSummary"]["OpenShardCount"] == 2


@pytest.mark.asyncio
@pytest.mark.kinesis_mock(account_id="111122223333")
async def test_the_marker_under_pytest_asyncio() -> None:
    assert await created_arn("marked") == stream_arn("marked", account="111122223333")


# anyio's pytest plugin (the ``anyio`` marker) runs coroutine tests and async fixtures on the backend
# this fixture names; pytest-asyncio, in its default strict mode, leaves those tests to it.
@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def anyio_client(kinesis_mock: KinesisMock) -> AsyncIterator[Any]:
    # An async fixture run by anyio, after the (sync) kinesis_mock fixture has activated the mock.
    async with aio_session().create_client("kinesis", region_name=REGION) as client:
        await client.create_stream(StreamName="from-a-fixture", ShardCount=1)
        yield client


@pytest.mark.anyio
@mock_kinesis
async def test_decorated_coroutine_under_anyio() -> None:
    assert await created_and_listed("decorated") == ["decorated"]


@pytest.mark.anyio
async def test_the_fixture_and_an_async_fixture_under_anyio(
    kinesis_mock: KinesisMock, anyio_client: Any
) -> None:
    await anyio_client.put_record(StreamName="from-a-fixture", Data=b"x", PartitionKey="k")
    summary = await anyio_client.describe_stream_summary(StreamARN=stream_arn("from-a-fixture"))
    assert summary["StreamDescriptionSummary"]["StreamStatus"] == "ACTIVE"
    assert [record.data for record in kinesis_mock.records("from-a-fixture")] == [b"x"]


@pytest.mark.anyio
@pytest.mark.kinesis_mock(account_id="111122223333")
async def test_the_marker_under_anyio() -> None:
    assert await created_arn("marked") == stream_arn("marked", account="111122223333")


@pytest.mark.parametrize(("mode", "retries"), [("legacy", 4), ("standard", 2), ("adaptive", 2)])
def test_retryable_errors_go_through_the_retry_policy_without_sleeping(
    runner: asyncio.Runner, monkeypatch: pytest.MonkeyPatch, mode: str, retries: int
) -> None:
    async def no_sleep(seconds: float) -> None:
        raise AssertionError(f"slept {seconds} s")

    monkeypatch.setattr("aiobotocore.endpoint.asyncio.sleep", no_sleep)
    with mock_kinesis(shard_limit=1):
        for client in blocking_client(runner, config=Config(retries={"mode": mode})):
            with pytest.raises(botocore.exceptions.ClientError) as excinfo:
                client.create_stream(StreamName="s", ShardCount=2)
    assert error_of(excinfo)[0] == "LimitExceededException"
    metadata = excinfo.value.response["ResponseMetadata"]
    assert (metadata["RetryAttempts"], metadata["MaxAttemptsReached"]) == (retries, True)


async def setup_consumer(client: Any) -> str:
    await client.create_stream(StreamName="s", ShardCount=1)
    registered = await client.register_stream_consumer(StreamARN=stream_arn("s"), ConsumerName="app")
    consumer: str = registered["Consumer"]["ConsumerARN"]
    return consumer


async def subscribe(client: Any, consumer: str, kind: str = "TRIM_HORIZON") -> Any:
    reply = await client.subscribe_to_shard(
        ConsumerARN=consumer, ShardId=SHARD0, StartingPosition={"Type": kind}
    )
    return reply["EventStream"]


async def take(stream: Any, count: int) -> AsyncIterator[dict[str, Any]]:
    taken = 0
    async for event in stream:
        yield event["SubscribeToShardEvent"]
        taken += 1
        if taken == count:
            return


@pytest.mark.asyncio
@mock_kinesis
async def test_subscribe_to_shard_through_the_async_event_stream() -> None:
    async with aio_session().create_client("kinesis", region_name=REGION) as client:
        consumer = await setup_consumer(client)
        await client.put_records(
            StreamName="s", Records=[{"Data": b"a", "PartitionKey": "k"}, {"Data": b"b", "PartitionKey": "k"}]
        )
        stream = await subscribe(client, consumer)
        with pytest.raises(NotImplementedError):
            iter(stream)
        events = [event async for event in take(stream, 1)]
        assert [record["Data"] for record in events[0]["Records"]] == [b"a", b"b"]
        assert set(events[0]) == {"Records", "ContinuationSequenceNumber", "MillisBehindLatest"}
        stream.close()
        # A closed subscription delivers nothing more: the stream simply ends.
        assert [event async for event in stream] == []


@pytest.mark.asyncio
@mock_kinesis(subscribe_idle_seconds=5)
async def test_a_waiting_subscription_leaves_the_event_loop_to_the_producer() -> None:
    # With a 5 s idle wait, the consumer receives the record at once only if the producer, on
    # the same event loop, ran while the subscription was waiting.
    async with aio_session().create_client("kinesis", region_name=REGION) as client:
        consumer = await setup_consumer(client)
        stream = await subscribe(client, consumer, "LATEST")

        async def produce() -> None:
            await asyncio.sleep(0)
            await client.put_record(StreamName="s", Data=b"live", PartitionKey="k")

        producer = asyncio.create_task(produce())
        events = [event async for event in take(stream, 1)]
        await producer
        assert [record["Data"] for record in events[0]["Records"]] == [b"live"]
        stream.close()


@pytest.mark.asyncio
@mock_kinesis
async def test_an_error_while_streaming_is_an_event_stream_error() -> None:
    async with aio_session().create_client("kinesis", region_name=REGION) as client:
        consumer = await setup_consumer(client)
        stream = await subscribe(client, consumer)
        await client.deregister_stream_consumer(ConsumerARN=consumer)
        with pytest.raises(botocore.exceptions.EventStreamError) as excinfo:
            async for _ in stream:
                pass
        assert error_of(excinfo) == (
            "ResourceNotFoundException",
            "Consumer app under stream s and account 123456789012 not found.",
        )


@pytest.mark.asyncio
@mock_kinesis
async def test_errors_before_streaming_are_client_errors() -> None:
    async with aio_session().create_client("kinesis", region_name=REGION) as client:
        with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
            await subscribe(client, stream_arn("s") + "/consumer/none:1")
        assert error_of(excinfo)[0] == "ResourceNotFoundException"


@pytest.mark.asyncio
async def test_no_credentials_lookup_and_the_environment_untouched(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_EC2_METADATA_DISABLED")
    environment = dict(os.environ)
    async with mock_kinesis():
        assert dict(os.environ) == environment
        async with aio_session().create_client("kinesis") as client:
            assert client.meta.region_name == REGION
            assert client._request_signer._credentials.access_key == _hook.FAKE_ACCESS_KEY
            await client.list_streams()
    assert dict(os.environ) == environment


@pytest.mark.asyncio
async def test_inactive_aiobotocore_is_left_alone() -> None:
    from aiobotocore.client import AioBaseClient

    original = AioBaseClient.__dict__["_make_api_call"]
    async with aio_session().create_client("kinesis", region_name=REGION) as client:
        async with mock_kinesis():
            await client.list_streams()
            assert AioBaseClient.__dict__["_make_api_call"] is not original
        assert AioBaseClient.__dict__["_make_api_call"] is original
        assert "kinesis_mock" not in client.meta.events._emitter._unique_id_handlers


@pytest.mark.skipif(aioboto3 is None, reason="aioboto3's releases need aiobotocore 2.x")
@pytest.mark.asyncio
@mock_kinesis
async def test_aioboto3_session_client() -> None:
    async with aioboto3.Session().client("kinesis", region_name=REGION) as client:
        await client.create_stream(StreamName="via-aioboto3", ShardCount=1)
        await client.put_record(StreamName="via-aioboto3", Data=b"x", PartitionKey="k")
        shards = (await client.list_shards(StreamName="via-aioboto3"))["Shards"]
        iterator = await client.get_shard_iterator(
            StreamName="via-aioboto3", ShardId=shards[0]["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )
        records = await client.get_records(ShardIterator=iterator["ShardIterator"])
        assert [record["Data"] for record in records["Records"]] == [b"x"]


@pytest.mark.asyncio
@mock_kinesis
async def test_the_raw_body_and_a_sessions_own_credentials() -> None:
    session = aiobotocore.session.AioSession()
    session.set_credentials("111122223333", "secret")
    bodies: list[bytes] = []

    async def read_body(http_response: Any, **_: Any) -> None:
        bodies.append(await http_response.content)

    async with session.create_client("kinesis", region_name=REGION) as client:
        client.meta.events.register("after-call.kinesis.DescribeStreamSummary", read_body)
        await client.create_stream(StreamName="own", ShardCount=1)
        summary = await client.describe_stream_summary(StreamName="own")
    arn = summary["StreamDescriptionSummary"]["StreamARN"]
    assert arn == stream_arn("own", account="111122223333")
    assert json.loads(bodies[0])["StreamDescriptionSummary"]["StreamARN"] == arn


@pytest.mark.asyncio
@mock_kinesis
async def test_other_services_are_left_to_their_own_handlers() -> None:
    from aiobotocore.awsrequest import AioAWSResponse

    async with aio_session().create_client("s3", region_name=REGION) as s3:
        canned: tuple[Any, dict[str, Any]] = (AioAWSResponse("https://s3", 200, {}, None), {"Buckets": []})
        s3.meta.events.register_first("before-call.s3.ListBuckets", lambda **_: canned)
        assert (await s3.list_buckets())["Buckets"] == []
        assert s3.meta.events not in _hook._State.emitters


class _CannedRaw:
    async def read(self) -> bytes:
        return b'{"StreamNames": ["real"], "HasMoreStreams": false}'


@pytest.mark.asyncio
async def test_a_call_racing_the_last_stop_goes_on_unmocked(monkeypatch: pytest.MonkeyPatch) -> None:
    from aiobotocore.awsrequest import AioAWSResponse

    def canned(request: Any, **_: Any) -> Any:
        return AioAWSResponse(request.url, 200, {}, _CannedRaw())

    # Made before the mock, with credentials of its own: unmocked, the call is signed and sent.
    own = {"aws_access_key_id": "AKIAOWN", "aws_secret_access_key": "own"}
    async with aio_session().create_client("kinesis", region_name=REGION, **own) as client:
        client.meta.events.register("before-send.kinesis", canned)
        async with mock_kinesis():
            await client.list_streams()  # hooked from here on
            # The handler finds no answer (the stop has begun), or the answer declines (it ended).
            for answer in (None, lambda request: None):
                monkeypatch.setattr(_hook._State, "answer", answer)
                assert (await client.list_streams())["StreamNames"] == ["real"]
            monkeypatch.undo()
