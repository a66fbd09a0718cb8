"""A rejected call leaves the state exactly as it was: a property of every operation.

A random walk (hypothesis, derandomized) of valid and broken calls of every operation, drawn by the
fuzz generator (fuzz_strategies.py) and sent through a real boto3 client. Before every call the
whole backend is digested, every object reachable from it, field by field; after every call that
the mock refused with an AWS error the digest must be the same. What changes by itself with time
is settled before each digest (a status whose time is over, a deletion that has finished), and an
account or region that holds nothing digests as absent, so the property is exactly "nothing the
caller could ever observe changed".
"""

from __future__ import annotations

import array
import hashlib
import threading
import zlib
from typing import Any

import pytest
from botocore.exceptions import ClientError
from fuzz_strategies import calls
from helpers import needs_model
from hypothesis import Phase, assume, given, seed, settings
from hypothesis import strategies as st
from test_fuzz import CONFIG, OPERATIONS, REGION, SETTINGS, send, set_up

from kinesis_mock import mock_kinesis
from kinesis_mock.backend import Backend, Region

CALLS_PER_WALK = 20
# Not state: synchronisation, and the back-references every stream and region holds.
_SKIPPED = frozenset({"lock", "fan_out", "backend"})
_LEAVES = (str, bytes, int, float, bool, type(None))


def settle(backend: Backend) -> None:
    """Apply what time alone has done, as the next call of any kind would."""
    for region in backend.regions():
        for stream in region.live_streams().values():
            stream.phase.status()
            for consumer in stream.live_consumers().values():
                consumer.phase.status()


def digest(backend: Backend) -> str:
    """A digest of every value reachable from ``backend`` (types, fields, order included)."""
    settle(backend)
    parts: list[str] = []
    seen: dict[int, int] = {}
    _walk(backend, seen, parts)
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _is_empty(region: Region) -> bool:
    fresh = Region(region.backend, region.account, region.name)
    return not region.streams and _fields(region.commitment) == _fields(fresh.commitment)


def _fields(value: Any) -> list[tuple[str, Any]]:
    names = list(getattr(value, "__dict__", {}))
    for klass in type(value).__mro__:
        names += [name for name in getattr(klass, "__slots__", ()) if name not in names]
    return [(name, getattr(value, name)) for name in names if hasattr(value, name) and name not in _SKIPPED]


def _walk(value: Any, seen: dict[int, int], parts: list[str]) -> None:
    if isinstance(value, _LEAVES):
        parts.append(f"{type(value).__name__}:{value!r}")
        return
    if id(value) in seen:
        parts.append(f"@{seen[id(value)]}")
        return
    seen[id(value)] = len(seen)
    if isinstance(value, Region) and _is_empty(value):
        parts.append("empty region")
        return
    if isinstance(value, dict):
        if value and all(isinstance(v, Region) for v in value.values()):
            value = {key: region for key, region in value.items() if not _is_empty(region)}
        parts.append(f"dict{len(value)}")
        for key, item in value.items():
            _walk(key, seen, parts)
            _walk(item, seen, parts)
    elif isinstance(value, (list, tuple, array.array, set, frozenset)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        parts.append(f"{type(value).__name__}{len(value)}")
        for item in items:
            _walk(item, seen, parts)
    elif isinstance(value, (threading.Condition, type(threading.Lock()))):
        parts.append("lock")
    else:
        parts.append(type(value).__qualname__)
        for name, item in _fields(value):
            parts.append(name)
            _walk(item, seen, parts)


@pytest.mark.parametrize("first", OPERATIONS)
def test_a_rejected_call_changes_nothing(first: str, _shared_session: Any) -> None:
    """A walk that starts with ``first`` and goes on with any operation (valid calls change the
    state the later ones see): after each refused call, the digest of the whole state is as
    before it."""

    @seed(zlib.crc32(b"rejected " + first.encode()))
    # No shrinking: the failure report prints the drawn calls, and shrinking a walk takes minutes.
    @settings(max_examples=1, phases=[Phase.generate], **SETTINGS)
    @given(data=st.data())
    def walk(data: st.DataObject) -> None:
        # Hypothesis tries its simplest example first: the same minimal call over and over. The
        # walk is the next one, which roams.
        assume(data.draw(st.booleans(), label="not the simplest example"))
        with mock_kinesis(subscribe_idle_seconds=0.01) as mock:
            client = _shared_session.client("kinesis", region_name=REGION, config=CONFIG)
            model = client.meta.service_model
            setup = set_up(client, commitment=data.draw(st.booleans(), label="commitment"))
            sequence = [data.draw(calls(model, setup, [first]), label="first call")]
            sequence += data.draw(
                st.lists(calls(model, setup, OPERATIONS), min_size=CALLS_PER_WALK, max_size=CALLS_PER_WALK),
                label="more calls",
            )
            for operation, params in sequence:
                before = digest(mock.backend)
                outcome = send(client, operation, params)
                if outcome not in ("200", "ParamValidationError"):
                    assert digest(mock.backend) == before, (
                        f"{operation} answered {outcome} and changed the state"
                    )

    walk()


def test_the_digest_sees_every_change(make_client: Any) -> None:
    """The digest is not blind: a tag, a record, a consumer or a counter changes it."""
    with mock_kinesis() as mock:
        client = make_client()
        client.create_stream(StreamName="s", ShardCount=1)
        arn = client.describe_stream_summary(StreamName="s")["StreamDescriptionSummary"]["StreamARN"]
        digests = [digest(mock.backend)]
        client.add_tags_to_stream(StreamName="s", Tags={"k": "v"})
        digests.append(digest(mock.backend))
        client.put_record(StreamName="s", Data=b"x", PartitionKey="k")
        digests.append(digest(mock.backend))
        client.register_stream_consumer(StreamARN=arn, ConsumerName="c")
        digests.append(digest(mock.backend))
        mock.backend.take_ordinal(mock.backend.next_ordinal())
        digests.append(digest(mock.backend))
        # Asking about another region leaves it empty, which is no change.
        make_client("eu-west-1").list_streams()
        digests.append(digest(mock.backend))
    assert len(set(digests)) == len(digests) - 1 and digests[-1] == digests[-2]


def test_register_stream_consumer_with_bad_tags_registers_nothing(make_client: Any) -> None:
    with mock_kinesis() as mock:
        client = make_client()
        client.create_stream(StreamName="s", ShardCount=1)
        arn = client.describe_stream_summary(StreamName="s")["StreamDescriptionSummary"]["StreamARN"]
        before = digest(mock.backend)
        for tags in ({"aws:reserved": "v"}, {f"k{i}": "v" for i in range(51)}):
            with pytest.raises(ClientError) as excinfo:
                client.register_stream_consumer(StreamARN=arn, ConsumerName="c", Tags=tags)
            assert excinfo.value.response["Error"]["Code"] == "InvalidArgumentException"
            assert digest(mock.backend) == before
        # So a retry with good tags registers it, rather than finding it there already.
        client.register_stream_consumer(StreamARN=arn, ConsumerName="c", Tags={"k": "v"})
        assert client.list_stream_consumers(StreamARN=arn)["Consumers"][0]["ConsumerName"] == "c"


# CreateStream's WarmThroughputMiBps came with UpdateStreamWarmThroughput in the model.
@needs_model("UpdateStreamWarmThroughput")
def test_a_refused_create_stream_leaves_no_trace(make_client: Any) -> None:
    # Found by the walk in CI: a CreateStream refused after the creation second of its shards was
    # looked up left an entry for that name behind.
    with mock_kinesis() as mock:
        client = make_client()
        client.create_stream(StreamName="s", ShardCount=1)
        before = digest(mock.backend)
        with pytest.raises(ClientError) as excinfo:
            client.create_stream(StreamName="new", ShardCount=2, WarmThroughputMiBps=41)
        assert excinfo.value.response["Error"] == {
            "Code": "ValidationException",
            "Message": "Request is invalid. Stream new under account 123456789012 is not in "
            "On-Demand mode; warm throughput is only available for On-Demand streams.",
        }
        assert digest(mock.backend) == before
