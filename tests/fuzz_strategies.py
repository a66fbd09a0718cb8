"""Calls for every operation of botocore's kinesis model, generated from the model itself.

A call is drawn by walking the operation's input shape: required members always, optional ones
half of the time, each leaf from its type and its ``min``/``max``/``pattern``/``enum`` metadata.
So an operation botocore adds is generated without a line here.

The values stay on the server's side of botocore: botocore checks only required members, Python
types and minimums before sending (``botocore.validate.ParamValidator``), so every value meets
its minimum. A *broken* call (``BROKEN_PERCENT`` of them) breaks, in about a third of its leaves,
a constraint only the service checks: a length or value over ``max``, a string that misses the
``pattern``, a value outside the ``enum``.

Shapes that name something are special-cased by shape name (as are a few whose useful values the
model does not say: retention hours, record data, key ids, policies, stream ids), so that calls
reach the code behind "not found": mostly the streams, consumers, shards, sequence numbers, hash
keys, iterators and tokens the example's setup made (:class:`Setup`), sometimes forged or fresh
ones. Forged ARNs stay within what botocore's endpoint rules accept (partition ``aws``, a region
and account that are valid host labels, a ``stream/`` resource); any other ARN is refused by
botocore with ``EndpointResolutionError`` before a request exists, which says nothing about the
service.
"""

from __future__ import annotations

import datetime
import functools
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from botocore.model import Shape
from hypothesis import strategies as st

ACCOUNT = "123456789012"
OTHER_ACCOUNT = "210987654321"
REGION = "us-east-1"
OTHER_REGION = "us-west-2"
STREAMS = ("alpha", "beta")
CONSUMER = "app"
HASH_MAX = 2**128 - 1
BROKEN_PERCENT = 15
ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
NAME_CHARACTERS = ALNUM + "_.-"
# Characters that trip up text handling, as an explicit alphabet: hypothesis's default one costs a
# scan of all of Unicode (seconds) on a machine that has not cached it yet.
ODD_TEXT = (
    ALNUM + " _.:/=+-@%,;!?*'\"\\`~#$^&()[]{}<>|"  # ASCII punctuation: tag and name rules
    "\x00\t\n\r\x1f\x7f\x85"  # control characters
    "éüßøñçαβΩЖя中文字한글עבריתالعربية"  # letters of many scripts
    "\u0301\u200b\u200d\u202e\ufeff\ufffd"  # combining, zero-width, right-to-left, BOM
    "😀🦄\U0001d518"  # outside the BMP: two UTF-16 code units each, as Kinesis counts lengths
)
_PERCENT = st.integers(0, 99)
_STREAM_ID_HEAD = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=20, max_size=20)
_STREAM_ID_TAIL = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=3, max_size=3)
POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                "Action": "kinesis:DescribeStreamSummary",
                "Resource": "*",
            }
        ],
    }
)
# Every key form StartStreamEncryption takes (kinesis_mock README, "What is modelled").
KEY_IDS = (
    "alias/aws/kinesis",
    "12345678-1234-1234-1234-123456789012",
    f"arn:aws:kms:{REGION}:{ACCOUNT}:key/12345678-1234-1234-1234-123456789012",
    f"arn:aws:kms:{REGION}:{ACCOUNT}:alias/MyAlias",
    "alias/MyAlias",
)


def stream_arn(name: str, account: str = ACCOUNT, region: str = REGION) -> str:
    return f"arn:aws:kinesis:{region}:{account}:stream/{name}"


@dataclass(frozen=True)
class Made:
    """One stream the setup made: its shard ids, sequence numbers of its records, hash keys."""

    shard_ids: tuple[str, ...]
    sequence_numbers: tuple[str, ...]
    hash_keys: tuple[str, ...]


@dataclass(frozen=True)
class Setup:
    """What an example's setup made, for generated calls to refer to."""

    streams: dict[str, Made]
    consumer_arns: tuple[str, ...]
    iterators: tuple[str, ...]
    next_tokens: tuple[str, ...]
    now: datetime.datetime


# A setup that is never made: one stream with one shard, record and hash key, a consumer, an
# iterator and a NextToken, for calls that are only serialized or routed, never answered.
IMAGINED = Setup(
    {"alpha": Made(("shardId-000000000000",), ("4" * 56,), ("0",))},
    ("arn:aws:kinesis:us-east-1:123456789012:stream/alpha/consumer/c:1",),
    ("AAAAAAAAAAE=",),
    ("token",),
    datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
)


@st.composite
def calls(
    draw: Any,
    service_model: Any,
    setup: Setup,
    operations: Sequence[str],
    broken_percent: int = BROKEN_PERCENT,
) -> tuple[str, dict[str, Any]]:
    """``(operation name, boto3 keyword arguments)`` for one of ``operations``.

    A call is about one stream of the setup, its *focus*: names, ARNs, shard ids, sequence
    numbers and hash keys mostly come from that stream, so that they agree with one another
    often enough for MergeShards, SplitShard or GetShardIterator to succeed.
    """
    operation = draw(st.sampled_from(operations))
    broken = draw(_PERCENT) >= 100 - broken_percent
    focus = draw(st.sampled_from(tuple(setup.streams)))
    shape = service_model.operation_model(operation).input_shape
    if shape is None:
        return operation, {}
    params: dict[str, Any] = _Generator(draw, setup, focus, broken).value(shape)
    return operation, params


class _Generator:
    """Draws one value per shape; ``broken`` lets leaves break a server-side constraint."""

    def __init__(self, draw: Callable[[Any], Any], setup: Setup, focus: str, broken: bool) -> None:
        self.draw = draw
        self.setup = setup
        self.focus = focus
        self.made = setup.streams[focus]
        self.broken = broken

    def percent(self, percent: int) -> bool:
        """True ``percent`` % of the time; shrinks to False."""
        return bool(self.draw(_PERCENT) >= 100 - percent)

    def breaks(self) -> bool:
        return self.broken and self.percent(35)

    def pick(self, values: Sequence[Any]) -> Any:
        # A tuple, so that hypothesis caches the strategy instead of validating a new one.
        return self.draw(st.sampled_from(tuple(values)))

    def value(self, shape: Shape) -> Any:
        """A value of ``shape``."""
        special = _SPECIAL.get(shape.name)
        if special is not None:
            return special(self, self.breaks())
        kind = shape.type_name
        if kind == "structure":
            return {
                name: self.value(member)
                for name, member in shape.members.items()
                if name in shape.required_members or self.percent(50)
            }
        if kind == "list":
            return self.list(shape, self.breaks())
        if kind == "map":
            return self.map(shape, self.breaks())
        if kind == "string":
            return self.string(shape, self.breaks())
        if kind in ("integer", "long"):
            return self.integer(shape, self.breaks())
        if kind == "boolean":
            return self.draw(st.booleans())
        if kind == "timestamp":
            return self.timestamp()
        if kind == "blob":
            return self.draw(st.binary(max_size=32))
        raise AssertionError(f"shape type {kind} of {shape.name} is not generated yet")

    # -- generic leaves ------------------------------------------------------------------------

    def string(self, shape: Shape, broken: bool) -> str:
        low, high = shape.metadata.get("min", 0), shape.metadata.get("max")
        pattern = shape.metadata.get("pattern")
        if broken:
            breakers = []
            if high is not None:
                breakers.append("a" * (high + 1))
            bad = "bad value!".ljust(low, "!")
            if pattern is not None and re.fullmatch(pattern, bad) is None:
                breakers.append(bad)
            if shape.enum:
                breakers.append("NOT_" + shape.enum[0])
            if breakers:
                return str(self.pick(breakers))
        if shape.enum:
            return str(self.pick(shape.enum))
        if pattern is not None:
            return str(self.draw(_matching(pattern, low, high)))
        top = low + 20 if high is None else min(high, low + 20)
        if self.percent(50):
            return str(self.draw(st.text(ODD_TEXT, min_size=low, max_size=top)))
        return str(self.draw(st.text(ALNUM, min_size=low, max_size=top)))

    def integer(self, shape: Shape, broken: bool) -> int:
        low, high = shape.metadata.get("min", 0), shape.metadata.get("max")
        if broken:
            # Over the maximum, or Java's Integer.MAX_VALUE where the model sets none (a quota or
            # a service rule then refuses it: shard counts, throughput, retention).
            return high + 1 if high is not None else 2**31 - 1
        if high is not None and self.percent(10):
            return int(high)
        # Mostly small: shard counts, page sizes and MiB/s that a two-shard stream can take.
        near = 4 if self.percent(70) else 100
        return int(self.draw(st.integers(low, low + near if high is None else min(high, low + near))))

    def list(self, shape: Shape, broken: bool) -> list[Any]:
        low, high = shape.metadata.get("min", 0), shape.metadata.get("max")
        if broken and high is not None:
            # One unbroken item repeated: 501 PutRecords entries cost no more to draw than one,
            # and none of them is a 1 MiB record.
            self.broken = False
            try:
                return [self.value(shape.member)] * (high + 1)
            finally:
                self.broken = True
        top = low + 3 if high is None else min(high, low + 3)
        return [self.value(shape.member) for _ in range(self.draw(st.integers(low, top)))]

    def map(self, shape: Shape, broken: bool) -> dict[str, Any]:
        low, high = shape.metadata.get("min", 0), shape.metadata.get("max")
        if broken and high is not None:
            return {f"k{i}": "v" for i in range(high + 1)}
        count = self.draw(st.integers(max(low, 1), max(low, 1) + 2))
        return {self.value(shape.key): self.value(shape.value) for _ in range(count)}

    def timestamp(self) -> datetime.datetime:
        now = self.setup.now
        if self.percent(20):
            picked: datetime.datetime = self.pick(
                [
                    datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC),
                    datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC),
                    now - datetime.timedelta(days=400),
                ]
            )
            return picked
        return now + datetime.timedelta(seconds=self.draw(st.integers(-2 * 86400, 3600)))

    # -- special-cased shapes ------------------------------------------------------------------

    def known_or(self, known: Sequence[Any], others: st.SearchStrategy[Any], known_percent: int = 75) -> Any:
        if known and not self.percent(100 - known_percent):
            return self.pick(known)
        return self.draw(others)

    def stream_id(self, broken: bool) -> str:
        # Matches its pattern, [a-z0-9]{20}-[a-z0-9]{3}, for a fraction of what from_regex costs.
        if broken:
            return str(self.pick(["ABCDEFGHIJ0123456789-abc", "abcdefghij0123456789-abcd"]))
        return f"{self.draw(_STREAM_ID_HEAD)}-{self.draw(_STREAM_ID_TAIL)}"

    def stream_name(self, broken: bool) -> str:
        if broken:
            return str(self.pick(["bad name!", "s" * 129, "alpha/beta", "ünïcode"]))
        fresh = st.text(NAME_CHARACTERS, min_size=1, max_size=10)
        return str(self.known_or([self.focus], st.one_of(st.sampled_from(STREAMS), fresh), 70))

    def stream_arn(self, broken: bool) -> str:
        if broken:
            return str(
                self.pick(
                    [
                        stream_arn("bad name"),
                        stream_arn("s" * 2100),
                        f"arn:aws:kinesis:{REGION}:12345:stream/alpha",
                    ]
                )
            )
        forged = [
            *(stream_arn(name) for name in STREAMS),
            stream_arn(self.focus, account=OTHER_ACCOUNT),
            stream_arn(self.focus, region=OTHER_REGION),
            stream_arn("gamma"),
            stream_arn(f"{self.focus}/consumer/{CONSUMER}:1"),
            *self.setup.consumer_arns,
        ]
        return str(self.known_or([stream_arn(self.focus)], st.sampled_from(forged), 80))

    def resource_arn(self, broken: bool) -> str:
        if broken or self.percent(70):
            return self.stream_arn(broken)
        return self.consumer_arn(broken)

    def consumer_arn(self, broken: bool) -> str:
        alpha = stream_arn("alpha")
        if broken:
            return str(
                self.pick(
                    [
                        f"{alpha}/consumer/{CONSUMER}",
                        f"{alpha}/consumer/bad name:1",
                        f"{alpha}/consumer/{'c' * 2100}:1",
                    ]
                )
            )
        epoch = int(self.setup.now.timestamp())
        forged = [
            f"{alpha}/consumer/{CONSUMER}:1",
            f"{alpha}/consumer/ghost:{epoch}",
            f"{stream_arn('beta')}/consumer/{CONSUMER}:{epoch}",
            f"{stream_arn('alpha', account=OTHER_ACCOUNT)}/consumer/{CONSUMER}:{epoch}",
            f"{stream_arn('gamma')}/consumer/{CONSUMER}:{epoch}",
        ]
        return str(self.known_or(self.setup.consumer_arns, st.sampled_from(forged)))

    def consumer_name(self, broken: bool) -> str:
        if broken:
            return str(self.pick(["bad name!", "c" * 129]))
        fresh = st.text(NAME_CHARACTERS, min_size=1, max_size=8)
        return str(self.known_or([CONSUMER], fresh, 60))

    def shard_id(self, broken: bool) -> str:
        if broken:
            return str(self.pick(["shard id!", "s" * 129]))
        # Lenient forms Kinesis takes too (bare and unpadded numbers), and ids of no shard.
        others = st.sampled_from(
            [
                "0",
                "1",
                "000000000001",
                "shardId-1",
                "shardId-000000000005",
                "shardId-999999999999",
                "shardId-abc",
                "x",
            ]
        )
        return str(self.known_or(self.made.shard_ids, others))

    def sequence_number(self, broken: bool) -> str:
        if broken:
            return str(self.pick(["abc", "0123", "1" * 130, "-1"]))
        others = st.one_of(st.just("0"), st.just("9" * 129), st.integers(1, 10**60).map(str))
        return str(self.known_or(self.made.sequence_numbers, others, 60))

    def hash_key(self, broken: bool) -> str:
        if broken:
            return str(self.pick(["-1", "01", "1" * 40, "12a"]))
        others = st.one_of(
            st.sampled_from(["0", str(HASH_MAX), str(HASH_MAX + 1)]), st.integers(1, 10**39 - 1).map(str)
        )
        return str(self.known_or(self.made.hash_keys, others, 60))

    def shard_iterator(self, broken: bool) -> str:
        if broken:
            return "i" * 513
        real = str(self.pick(self.setup.iterators))
        if not self.percent(40):
            return real
        if self.percent(50):
            # Quoted (which Kinesis takes), cut, extended, reversed.
            return str(self.pick([f'"{real}"', real[:-1], real + "x", real[::-1]]))
        return str(self.draw(st.text(ODD_TEXT, min_size=1, max_size=40)))

    def data(self, broken: bool) -> bytes:
        if broken:
            # Over the stream's record size (1 MiB by default), as cheap to send as it gets;
            # the model's own 10 MiB maximum would cost 14 MB of base64 per call.
            return bytes(1024 * 1024 + 1)
        return bytes(self.draw(st.binary(max_size=32)))

    def key_id(self, broken: bool) -> str:
        if broken:
            return "k" * 2049
        return str(self.known_or(KEY_IDS, st.text(ODD_TEXT, min_size=1, max_size=20)))

    def next_token(self, broken: bool) -> str:
        if broken:
            return "t" * (1048576 + 1)
        return str(self.known_or(self.setup.next_tokens, st.text(ODD_TEXT, min_size=1, max_size=40), 50))

    def policy(self, broken: bool) -> str:
        # No constraint in the model; the service wants a JSON object. The last one is JSON nested
        # deeper than a recursive parser goes.
        garbage = ["not json", "[1, 2]", "", "{", '{"a": NaN}', "[" * 5000 + "]" * 5000]
        return str(self.known_or([POLICY, "{}"], st.sampled_from(garbage)))

    def tag_map(self, broken: bool) -> dict[str, str]:
        if broken:
            # Over the model's 200, over the service's 50, and a key reserved for AWS.
            return dict(self.pick([_tags(201), _tags(51), {"aws:reserved": "v"}]))
        count = self.draw(st.integers(1, 3))
        text = st.text(NAME_CHARACTERS, min_size=1, max_size=8)
        return {self.draw(text): self.draw(text) for _ in range(count)}

    def retention_hours(self, broken: bool) -> int:
        if broken:
            return int(self.pick([0, 23, 8761, -5, 2**31 - 1]))
        return int(self.known_or([24, 48, 72, 168, 8760], st.integers(0, 10000)))


_SPECIAL: dict[str, Callable[[_Generator, bool], Any]] = {
    "StreamId": _Generator.stream_id,
    "StreamName": _Generator.stream_name,
    "StreamARN": _Generator.stream_arn,
    "ResourceARN": _Generator.resource_arn,
    "ConsumerARN": _Generator.consumer_arn,
    "ConsumerName": _Generator.consumer_name,
    "ShardId": _Generator.shard_id,
    "SequenceNumber": _Generator.sequence_number,
    "HashKey": _Generator.hash_key,
    "ShardIterator": _Generator.shard_iterator,
    "Data": _Generator.data,
    "KeyId": _Generator.key_id,
    "NextToken": _Generator.next_token,
    "Policy": _Generator.policy,
    "RetentionPeriodHours": _Generator.retention_hours,
    "TagMap": _Generator.tag_map,
}


def _tags(count: int) -> dict[str, str]:
    return {f"k{i}": "v" for i in range(count)}


@functools.cache
def _matching(pattern: str, low: int, high: int | None) -> st.SearchStrategy[str]:
    return st.from_regex(pattern, fullmatch=True).filter(
        lambda text: low <= len(text) <= (len(text) if high is None else high)
    )
