"""The backend: streams of every account and region, and the rules that span them (quotas)."""

from __future__ import annotations

import copy
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import _clock
from ..errors import (
    ExpiredNextTokenException,
    InvalidArgumentException,
    LimitExceededException,
    ResourceInUseException,
    ResourceNotFoundException,
    ValidationException,
)
from . import configuration, consumers
from . import tags as tag_rules
from .account import Commitment
from .consumers import Consumer
from .stream import (
    ON_DEMAND,
    ON_DEMAND_INITIAL_SHARDS,
    PROVISIONED,
    Stream,
    ensure_active,
    new_stream,
    split_stream_arn,
)
from .tokens import Sealer

if TYPE_CHECKING:
    from .subscriptions import Subscription

# Default shard quota per account: 20,000 in these regions, 1,000 or 6,000 elsewhere (AWS quotas
# page, 2025); the mock takes the lower figure elsewhere so that tests never rely on more shards
# than any region grants by default.
_LARGE_SHARD_QUOTA_REGIONS = frozenset({"us-east-1", "us-west-2", "eu-west-1"})
_DAY_MS = 24 * 3600 * 1000
# Pagination tokens are valid for 300 seconds (model documentation of ListShards and
# ListStreamConsumers NextToken).
_TOKEN_TTL_MS = 300_000


@dataclass(frozen=True, slots=True)
class Quotas:
    """The service quotas the mock enforces, each per account and region (or per stream).

    Defaults are AWS's (quotas page and model documentation). ``shard_limit=None`` means AWS's
    default for the region: 20,000 in us-east-1, us-west-2 and eu-west-1, 1,000 elsewhere.
    """

    shard_limit: int | None = None
    on_demand_stream_limit: int = 50
    creating_stream_limit: int = 5
    tag_limit: int = 50
    consumer_limit: int = 20
    consumers_creating_limit: int = 5
    put_records_max_entries: int = 500
    put_records_max_bytes: int = 10 * 1024 * 1024
    max_record_size_kib: int = 1024
    shards_per_stream: int = 10_000
    scaling_operations_per_day: int = 10
    mode_switches_per_day: int = 2
    encryption_changes_per_day: int = 25

    def shard_limit_in(self, region: str) -> int:
        """The shard quota of an account in ``region``."""
        if self.shard_limit is not None:
            return self.shard_limit
        return 20_000 if region in _LARGE_SHARD_QUOTA_REGIONS else 1_000


class Region:
    """The streams of one account in one region."""

    def __init__(self, backend: Backend, account: str, name: str) -> None:
        self.backend = backend
        self.account = account
        self.name = name
        self.streams: dict[str, Stream] = {}
        self.commitment = Commitment()

    def get(self, name: str) -> Stream | None:
        """The stream called ``name``, if there is one (a stream that finished deleting is not)."""
        stream = self.streams.get(name)
        if stream is not None and stream.phase.gone():
            del self.streams[name]
            return None
        return stream

    def live_streams(self) -> dict[str, Stream]:
        """Every stream, once those that finished deleting are dropped."""
        for name in [n for n, s in self.streams.items() if s.phase.gone()]:
            del self.streams[name]
        return self.streams

    def stream(self, name: str) -> Stream:
        """The stream called ``name``, or ResourceNotFoundException."""
        stream = self.get(name)
        if stream is None:
            raise ResourceNotFoundException.stream(stream=name, account=self.account)
        return stream

    def open_shard_count(self) -> int:
        """Open shards of every stream, as DescribeLimits reports and the shard quota counts."""
        return sum(stream.open_shard_count() for stream in self.live_streams().values())

    def on_demand_stream_count(self) -> int:
        """Streams in ON_DEMAND mode."""
        return sum(1 for stream in self.live_streams().values() if stream.mode == ON_DEMAND)

    def check_shard_quota(self, additional: int) -> None:
        """LimitExceededException if ``additional`` more open shards would pass the quota."""
        current, limit = self.open_shard_count(), self.backend.quotas.shard_limit_in(self.name)
        if current + additional > limit:
            raise LimitExceededException.shard_limit(
                account=self.account,
                region=self.name,
                current=current,
                limit=limit,
                additional=additional,
            )

    def check_on_demand_quota(self) -> None:
        """LimitExceededException if one more ON_DEMAND stream would pass the quota."""
        current, limit = self.on_demand_stream_count(), self.backend.quotas.on_demand_stream_limit
        if current + 1 > limit:
            raise LimitExceededException.on_demand_limit(
                account=self.account,
                region=self.name,
                current=current,
                limit=limit,
            )

    def create_stream(
        self,
        name: str,
        shard_count: int | None,
        mode: str | None,
        max_record_size_kib: int | None = None,
        tags: Mapping[str, str] | None = None,
        warm_throughput_mibps: int | None = None,
    ) -> Stream:
        """CreateStream: a new ACTIVE stream, after the checks and quotas AWS applies."""
        if mode is None:
            # CreateStream with neither ShardCount nor StreamModeDetails succeeds on AWS with
            # four shards, which is what an on-demand stream starts with.
            mode = PROVISIONED if shard_count is not None else ON_DEMAND
        if mode == ON_DEMAND and shard_count is not None:
            raise InvalidArgumentException.shard_count_on_demand()
        if mode == PROVISIONED and shard_count is None:
            raise InvalidArgumentException.shard_count_missing()
        if self.get(name) is not None:
            raise ResourceInUseException.exists(stream=name, account=self.account)
        changing = sum(1 for s in self.live_streams().values() if s.status in ("CREATING", "DELETING"))
        if changing >= self.backend.quotas.creating_stream_limit:
            raise LimitExceededException.creating_limit(
                account=self.account, limit=self.backend.quotas.creating_stream_limit
            )
        if mode == ON_DEMAND:
            self.check_on_demand_quota()
        count = shard_count if shard_count is not None else ON_DEMAND_INITIAL_SHARDS
        self.check_shard_quota(count)
        stream = new_stream(
            name, self.account, self.name, mode, count, self.backend.next_ordinal(), _clock.now_ms()
        )
        if tags:
            tag_rules.check_resource_tags([*tags, *tags.values()])
            tag_rules.merge(stream.tags, tags, "stream", name, self.account, self.backend.quotas.tag_limit)
        if warm_throughput_mibps is not None:
            configuration.check_warm_throughput(stream, mode, warm_throughput_mibps, self.commitment.enabled)
            stream.warm_throughput_mibps = warm_throughput_mibps
        stream.max_record_size_kib = (
            max_record_size_kib
            if max_record_size_kib is not None
            else self.backend.quotas.max_record_size_kib
        )
        stream.phase.begin("CREATING", self.backend.state_change_seconds)
        self.streams[name] = stream
        return stream

    def delete_stream(self, stream: Stream, enforce_consumer_deletion: bool = False) -> None:
        """DeleteStream: DELETING for a while (by default no time), then the stream, its shards,
        records and consumers are gone."""
        if stream.live_consumers() and not enforce_consumer_deletion:
            raise ResourceInUseException.consumers_registered(stream=stream.name, account=stream.account)
        stream.phase.begin("DELETING", self.backend.state_change_seconds)
        self.get(stream.name)

    def update_stream_mode(self, stream: Stream, mode: str, warm_mibps: int | None = None) -> None:
        """UpdateStreamMode: switch capacity mode, keeping the shards as they are."""
        ensure_active(stream)
        if warm_mibps is not None:
            if mode != ON_DEMAND:
                raise ValidationException.warm_throughput_mode(stream=stream.name, account=stream.account)
            configuration.check_warm_throughput(stream, ON_DEMAND, warm_mibps, self.commitment.enabled)
        if mode == stream.mode:
            if warm_mibps is not None:
                stream.warm_throughput_mibps = warm_mibps
            return
        now = _clock.now_ms()
        recent = [t for t in stream.mode_switches_ms if now - t < _DAY_MS]
        if len(recent) >= self.backend.quotas.mode_switches_per_day:
            raise LimitExceededException.mode_switch_limit(
                stream=stream.name,
                account=stream.account,
                limit=self.backend.quotas.mode_switches_per_day,
            )
        if mode == ON_DEMAND:
            self.check_on_demand_quota()
        stream.mode = mode
        stream.mode_switches_ms = [*recent, now]
        if warm_mibps is not None:
            stream.warm_throughput_mibps = warm_mibps


class Backend:
    """All state of one mock session: every account, every region, every stream.

    It holds no botocore object and is driven directly in the backend's own tests. Every operation
    runs under :attr:`lock`, so producers and consumers on several threads see one consistent state.
    """

    def __init__(self, quotas: Quotas | None = None) -> None:
        self.quotas = quotas or Quotas()
        self.lock = threading.RLock()
        # Notified after every call, so SubscribeToShard deliveries waiting for records wake up.
        self.new_records = threading.Condition(self.lock)
        self.subscriptions: dict[tuple[str, str], Subscription] = {}
        self.subscribe_idle_seconds = 0.1
        self.state_change_seconds = 0.0
        self.sealer = Sealer()
        self._regions: dict[tuple[str, str], Region] = {}
        self._last_ordinal = 0

    def __deepcopy__(self, memo: dict[int, object]) -> Backend:
        """A snapshot of all state (tokens issued before stay valid in it) with its own lock."""
        clone = Backend.__new__(Backend)
        memo[id(self)] = clone
        fresh = {"lock", "new_records", "subscriptions"}
        for name, value in vars(self).items():
            if name not in fresh:
                setattr(clone, name, copy.deepcopy(value, memo))
        clone.lock = threading.RLock()
        clone.new_records = threading.Condition(clone.lock)
        clone.subscriptions = {}
        return clone

    def after_fork(self) -> None:
        """In a forked child: fresh locks, and no subscriptions (their consumers stayed behind)."""
        self.lock = threading.RLock()
        self.new_records = threading.Condition(self.lock)
        self.subscriptions = {}

    def region(self, account: str, region: str) -> Region:
        """The state of ``account`` in ``region`` (empty until first used)."""
        key = (account, region)
        state = self._regions.get(key)
        if state is None:
            state = self._regions[key] = Region(self, account, region)
        return state

    def regions(self) -> list[Region]:
        """Every account/region that holds state."""
        return list(self._regions.values())

    def next_ordinal(self) -> int:
        """A number unique to each stream created in this session (it seeds the sequence tag)."""
        self._last_ordinal += 1
        return self._last_ordinal

    def page_token(self, kind: str, account: str, region: str, *position: object) -> str:
        """An opaque NextToken of a ``kind`` listing, resuming after ``position``."""
        return self.sealer.seal(kind, account, region, _clock.now_ms(), *position)

    def resume(self, kind: str, token: str, account: str, region: str) -> list[str]:
        """The position a NextToken resumes after; AWS's errors for a bad or stale token."""
        fields = self.sealer.open(token)
        if fields is None or len(fields) < 4 or fields[:3] != [kind, account, region]:
            raise InvalidArgumentException.next_token()
        if _clock.now_ms() - int(fields[3]) > _TOKEN_TTL_MS:
            raise ExpiredNextTokenException.expired()
        return fields[4:]

    def stream(self, account: str, region: str, name: str | None = None, arn: str | None = None) -> Stream:
        """The stream a request names by StreamName, StreamARN or both.

        A StreamARN names its own account (cross-account access by ARN); its region must be the
        client's, as the request is sent to that region's endpoint.
        """
        if arn is None:
            if name is None:
                raise InvalidArgumentException.no_stream_identifier()
            return self.region(account, region).stream(name)
        arn_account, arn_name = split_stream_arn(arn)
        stream = self.region(arn_account, region).get(arn_name)
        if stream is None or stream.arn != arn:
            raise ResourceNotFoundException.stream(stream=arn_name, account=arn_account)
        if name is not None and name != arn_name:
            raise InvalidArgumentException.stream_mismatch(arn=arn, stream=name)
        return stream

    def consumer(
        self,
        account: str,
        region: str,
        consumer_arn: str | None = None,
        stream_arn: str | None = None,
        name: str | None = None,
    ) -> Consumer:
        """The consumer a request names by ConsumerARN, or by StreamARN and ConsumerName."""
        consumers.check_consumer_arguments(consumer_arn, stream_arn, name)
        if consumer_arn is None:
            assert name is not None
            return consumers.named(self.stream(account, region, arn=stream_arn), name)
        _, arn_of_stream, _, consumer_name = consumers.split_arn(consumer_arn)
        consumer = consumers.named(self.stream(account, region, arn=arn_of_stream), consumer_name)
        if consumer.arn != consumer_arn:
            raise ResourceNotFoundException.consumer(
                consumer=consumer_name,
                stream=consumer.stream.name,
                account=consumer.stream.account,
            )
        return consumer

    def resource(self, account: str, region: str, arn: str) -> Stream | Consumer:
        """The stream or consumer a ResourceARN names."""
        if "/consumer/" in arn:
            return self.consumer(account, region, consumer_arn=arn)
        return self.stream(account, region, arn=arn)
