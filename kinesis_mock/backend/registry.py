"""The backend: every account's streams in every region, and one entry point per operation.

Each mutating operation is one method named after it (``split_shard`` for SplitShard) that looks
up what the request names, enforces all of the operation's rules (in the topic modules: records,
resharding, configuration, consumers, tags, ...), sets the status changes it brings (CREATING,
UPDATING, DELETING, for ``state_change_seconds``) and wakes the subscriptions it concerns. The
methods take typed arguments (a :class:`StreamRef` for the stream a request names) and return
backend objects or small results; shaping them into replies is the operations layer's job.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

from .. import _clock
from ..errors import InvalidArgumentException, ResourceInUseException, ResourceNotFoundException
from . import configuration, consumers, lineage, listings, records, resharding, tags, throughput
from .account import Commitment
from .consumers import Consumer
from .fanout import FanOut, Subscription
from .listings import ConsumerListing, ShardFilter, ShardListing, StreamListing
from .policies import check_policy
from .quotas import Quotas
from .records import Read
from .refs import ConsumerRef, StreamRef
from .region import NewStream, Region
from .shard import Shard, parse_shard_id, shard_id
from .stream import Stream, ensure_active, split_stream_arn
from .throughput import Injected, Refusal, Throughput
from .tokens import Sealer, ShardIterator


class Limits(NamedTuple):
    """What DescribeLimits reports for one account in one region."""

    shard_limit: int
    open_shard_count: int
    on_demand_stream_count: int
    on_demand_stream_limit: int


@dataclass(slots=True)
class RecordsRead:
    """A GetRecords: the records ``read.first .. read.stop`` of ``shard``, the iterator that goes
    on (``None`` at the end of a closed shard, where ``children`` come instead)."""

    stream: Stream
    shard: Shard
    read: Read
    next_iterator: str | None
    children: list[Shard]


class Backend:
    """All state of one mock session: every account, every region, every stream.

    It holds no botocore object and is driven directly in the backend's own tests. Every call runs
    under :attr:`lock` (the operations layer takes it once per request), so producers and
    consumers on several threads see one consistent state.
    """

    def __init__(self, quotas: Quotas | None = None) -> None:
        self.quotas = quotas or Quotas()
        self.subscribe_idle_seconds = 0.1
        self.state_change_seconds = 0.0
        # The throughput_limits option: per-shard meters while on, nothing counted while off.
        self.throughput: Throughput | None = None
        self.sealer = Sealer()
        self._regions: dict[tuple[str, str], Region] = {}
        self._last_ordinal = 0
        # The creation seconds the shards of each stream name have had (account, region, name).
        self._creation_seconds: dict[tuple[str, str, str], set[int]] = {}
        self._fresh_sync()

    def _fresh_sync(self) -> None:
        # The lock, and the fan-out state that waits on it, are never copied or inherited.
        self.lock = threading.RLock()
        self.fan_out = FanOut(self.lock)

    def __deepcopy__(self, memo: dict[int, object]) -> Backend:
        """A snapshot of all state (tokens issued before stay valid in it) with its own lock."""
        clone = Backend.__new__(Backend)
        memo[id(self)] = clone
        for name, value in vars(self).items():
            if name not in ("lock", "fan_out"):
                setattr(clone, name, copy.deepcopy(value, memo))
        clone._fresh_sync()
        return clone

    def follow(self, previous: Backend) -> None:
        """Make this copy of a decorated class's snapshot new to what ``previous`` (the state of
        the test before) handed out: new token keys (the class setup's tokens still open, the
        previous test's do not) and stream ordinals past the previous test's, so a stream it
        re-creates under the same name is not the earlier one to old iterators or sequence numbers."""
        self.sealer = self.sealer.renewed()
        self._last_ordinal = max(self._last_ordinal, previous._last_ordinal)
        for key, seconds in previous._creation_seconds.items():
            self._creation_seconds.setdefault(key, set()).update(seconds)

    def after_fork(self) -> None:
        """In a forked child: fresh locks, and no subscriptions (their consumers stayed behind)."""
        self._fresh_sync()

    # -- lookups ------------------------------------------------------------------------------

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
        """The number unique to each stream created in this session (it seeds the sequence tag)
        that the next stream gets; :meth:`take_ordinal` once it is created (a refused
        CreateStream takes none)."""
        return self._last_ordinal + 1

    def take_ordinal(self, ordinal: int) -> None:
        """Mark ``ordinal`` (from :meth:`next_ordinal`) as used by a stream just created."""
        self._last_ordinal = ordinal

    def creation_second(self, account: str, region: str, name: str, wanted_s: int) -> int:
        """The creation second for the shards of a new stream ``name``: ``wanted_s``, or the
        latest second before it that no earlier stream of that name had. On AWS deleting and
        re-creating a stream takes many seconds, so an old incarnation's sequence numbers never
        pass for the new one's; the mock does both at once, so it keeps the seconds apart."""
        # A peek: a CreateStream refused after this must leave no trace (take_creation_second
        # records the second once the stream exists).
        used = self._creation_seconds.get((account, region, name), ())
        while wanted_s in used:
            wanted_s -= 1
        return wanted_s

    def take_creation_second(self, account: str, region: str, name: str, created_s: int) -> None:
        """Mark ``created_s`` (from :meth:`creation_second`) as used by stream ``name``."""
        self._creation_seconds.setdefault((account, region, name), set()).add(created_s)

    def stream(self, ref: StreamRef) -> Stream:
        """The stream a request names by StreamName, StreamARN or both.

        A StreamARN names its own account (cross-account access by ARN); its region must be the
        client's, as the request is sent to that region's endpoint.
        """
        if ref.arn is None:
            if ref.name is None:
                raise InvalidArgumentException.no_stream_identifier()
            return self.region(ref.account, ref.region).stream(ref.name)
        arn_account, arn_name = split_stream_arn(ref.arn)
        stream = self.region(arn_account, ref.region).get(arn_name)
        if stream is None or stream.arn != ref.arn:
            raise ResourceNotFoundException.stream(stream=arn_name, account=arn_account)
        if ref.name is not None and ref.name != arn_name:
            raise InvalidArgumentException.stream_mismatch(arn=ref.arn, stream=ref.name)
        return stream

    def consumer(self, ref: ConsumerRef) -> Consumer:
        """The consumer a request names by ConsumerARN, or by StreamARN and ConsumerName."""
        consumers.check_consumer_arguments(ref.consumer_arn, ref.stream_arn, ref.name)
        if ref.consumer_arn is None:
            assert ref.name is not None
            return consumers.named(
                self.stream(StreamRef(ref.account, ref.region, arn=ref.stream_arn)), ref.name
            )
        _, arn_of_stream, _, name = consumers.split_arn(ref.consumer_arn)
        consumer = consumers.named(self.stream(StreamRef(ref.account, ref.region, arn=arn_of_stream)), name)
        if consumer.arn != ref.consumer_arn:
            stream = consumer.stream
            raise ResourceNotFoundException.consumer(
                consumer=name, stream=stream.name, account=stream.account
            )
        return consumer

    def resource(self, account: str, region: str, arn: str) -> Stream | Consumer:
        """The stream or consumer a ResourceARN names."""
        if "/consumer/" in arn:
            return self.consumer(ConsumerRef(account, region, consumer_arn=arn))
        return self.stream(StreamRef(account, region, arn=arn))

    def _updating(self, stream: Stream) -> None:
        stream.phase.begin("UPDATING", self.state_change_seconds)
        stream.settle()  # with no time to take, a pending split, merge or rescale happens now
        if stream.pending is not None:  # it happens later: its shard counts change with time
            stream.region.changing(stream)

    # -- streams ------------------------------------------------------------------------------

    def create_stream(self, account: str, region: str, new: NewStream) -> Stream:
        """CreateStream: a new stream, CREATING for a while (by default no time)."""
        stream = self.region(account, region).create_stream(new)
        stream.phase.begin("CREATING", self.state_change_seconds)
        stream.region.changing(stream)
        return stream

    def delete_stream(self, ref: StreamRef, enforce_consumer_deletion: bool = False) -> None:
        """DeleteStream: DELETING for a while (by default no time), then the stream, its shards,
        records and consumers are gone; its subscriptions end."""
        stream = self.stream(ref)
        if stream.live_consumers() and not enforce_consumer_deletion:
            raise ResourceInUseException.consumers_registered(stream=stream.name, account=stream.account)
        stream.deleted_while_creating = stream.status == "CREATING"
        stream.phase.begin("DELETING", self.state_change_seconds)
        stream.region.changing(stream)
        stream.region.get(stream.name)
        self.fan_out.end_where(Subscription.gone)

    def update_stream_mode(self, ref: StreamRef, mode: str, warm_mibps: int | None = None) -> None:
        """UpdateStreamMode: UPDATING for a while when the mode changes."""
        stream = self.stream(ref)
        if stream.region.update_stream_mode(stream, mode, warm_mibps):
            self._updating(stream)

    def describe_stream(self, ref: StreamRef, exclusive_start: str | None, limit: int | None) -> ShardListing:
        """DescribeStream: the stream and a page of its shards."""
        return listings.describe_shards(self.stream(ref), exclusive_start, limit)

    def list_streams(
        self, account: str, region: str, after: str | None, token: str | None, limit: int | None
    ) -> StreamListing:
        """ListStreams: a page of the streams of ``account`` in ``region``."""
        return listings.list_streams(self.sealer, self.region(account, region), after, token, limit)

    def describe_limits(self, account: str, region: str) -> Limits:
        """DescribeLimits: the shard and on-demand quotas of ``account`` in ``region``, and use."""
        state = self.region(account, region)
        return Limits(
            self.quotas.shard_limit_in(region),
            state.open_shard_count(),
            state.on_demand_stream_count(),
            self.quotas.on_demand_stream_limit,
        )

    # -- shards -------------------------------------------------------------------------------

    def list_shards(
        self,
        ref: StreamRef,
        token: str | None,
        exclusive_start: str | None = None,
        created_s: int | None = None,
        shard_filter: ShardFilter | None = None,
        limit: int | None = None,
    ) -> ShardListing:
        """ListShards: by StreamName/StreamARN (with a ShardFilter), or by a NextToken alone."""
        caller = self.region(ref.account, ref.region)
        if token is not None:
            listings.check_without_token(
                StreamName=ref.name,
                StreamARN=ref.arn,
                ExclusiveStartShardId=exclusive_start,
                StreamCreationTimestamp=created_s,
                ShardFilter=shard_filter,
            )
            stream, shard_filter, exclusive_start = listings.resumed_shard_page(self.sealer, caller, token)
        else:
            if ref.name is None and ref.arn is None:
                raise InvalidArgumentException.list_shards_nothing()
            stream = self.stream(ref)
            if created_s is not None and created_s != stream.created_ms // 1000:
                raise ResourceNotFoundException.stream(stream=stream.name, account=stream.account)
            if shard_filter is not None:
                lineage.check_filter(*shard_filter)
        return listings.list_shards(self.sealer, caller, stream, shard_filter, exclusive_start, limit)

    def split_shard(self, ref: StreamRef, shard_to_split: str, new_starting_hash_key: str) -> None:
        """SplitShard: the stream is UPDATING for a while."""
        # The shard id is checked before the stream is looked up (kinesalite, recorded vs AWS).
        index = resharding.check_shard_id(*ref.named(), shard_to_split)
        stream = self.stream(ref)
        resharding.split_shard(stream, index, new_starting_hash_key)
        self._updating(stream)
        self.fan_out.wake_all()

    def merge_shards(self, ref: StreamRef, shard_to_merge: str, adjacent_shard_to_merge: str) -> None:
        """MergeShards: the stream is UPDATING for a while."""
        name, account = ref.named()
        first = resharding.check_shard_id(name, account, shard_to_merge)
        second = resharding.check_shard_id(name, account, adjacent_shard_to_merge)
        stream = self.stream(ref)
        resharding.merge_shards(stream, first, second)
        self._updating(stream)
        self.fan_out.wake_all()

    def update_shard_count(self, ref: StreamRef, target: int) -> tuple[Stream, int]:
        """UpdateShardCount: the stream, and its open shard count before; UPDATING for a while."""
        stream = self.stream(ref)
        current = resharding.update_shard_count(stream, target)
        self._updating(stream)
        self.fan_out.wake_all()
        return stream, current

    # -- settings -----------------------------------------------------------------------------

    def increase_stream_retention_period(self, ref: StreamRef, hours: int) -> None:
        """IncreaseStreamRetentionPeriod."""
        configuration.increase_retention(self.stream(ref), hours)

    def decrease_stream_retention_period(self, ref: StreamRef, hours: int) -> None:
        """DecreaseStreamRetentionPeriod: records past the new period may end subscriptions' reads."""
        configuration.decrease_retention(self.stream(ref), hours)
        self.fan_out.wake_all()

    def enable_enhanced_monitoring(
        self, ref: StreamRef, metrics: list[str]
    ) -> tuple[Stream, list[str], list[str]]:
        """EnableEnhancedMonitoring: the stream, and its metrics before and after."""
        stream = self.stream(ref)
        return (stream, *configuration.set_metrics(stream, metrics, enable=True))

    def disable_enhanced_monitoring(
        self, ref: StreamRef, metrics: list[str]
    ) -> tuple[Stream, list[str], list[str]]:
        """DisableEnhancedMonitoring: the stream, and its metrics before and after."""
        stream = self.stream(ref)
        return (stream, *configuration.set_metrics(stream, metrics, enable=False))

    def start_stream_encryption(self, ref: StreamRef, encryption_type: str, key_id: str) -> None:
        """StartStreamEncryption: the stream is UPDATING for a while."""
        stream = self.stream(ref)
        configuration.start_encryption(
            stream, encryption_type, key_id, self.quotas.encryption_changes_per_day
        )
        self._updating(stream)

    def stop_stream_encryption(self, ref: StreamRef, encryption_type: str, key_id: str) -> None:
        """StopStreamEncryption: the stream is UPDATING for a while."""
        stream = self.stream(ref)
        configuration.stop_encryption(stream, encryption_type, key_id, self.quotas.encryption_changes_per_day)
        self._updating(stream)

    def update_max_record_size(self, ref: StreamRef, kib: int) -> None:
        """UpdateMaxRecordSize: the stream is UPDATING for a while."""
        stream = self.stream(ref)
        configuration.update_max_record_size(stream, kib)
        self._updating(stream)

    def update_stream_warm_throughput(self, ref: StreamRef, mibps: int) -> Stream:
        """UpdateStreamWarmThroughput: the stream is UPDATING for a while."""
        stream = self.stream(ref)
        configuration.update_warm_throughput(stream, mibps)
        self._updating(stream)
        return stream

    def describe_account_settings(self, account: str, region: str) -> Commitment:
        """DescribeAccountSettings: the account's throughput billing commitment."""
        return self.region(account, region).commitment.current()

    def update_account_settings(self, account: str, region: str, status: str) -> Commitment:
        """UpdateAccountSettings: enable or disable the commitment."""
        commitment = self.region(account, region).commitment
        commitment.update(status)
        return commitment

    # -- tags and policies --------------------------------------------------------------------

    def add_tags_to_stream(self, ref: StreamRef, added: Mapping[str, str]) -> None:
        """AddTagsToStream: character checks, then an ACTIVE stream, then the 50-tag cap."""
        stream = self.stream(ref)
        tags.check_stream_tags([*added, *added.values()], stream.name, stream.account, "add")
        ensure_active(stream)
        # AWS's text says 10 while it enforces 50 (kinesalite test/addTagsToStream.js, AWS run of
        # 2018; mhart/kinesalite#54): the mock enforces the quota and says what AWS says.
        tags.check_merge(
            stream.tags, added, "stream", stream.name, stream.account, self.quotas.tag_limit, stated=10
        )
        stream.tags.update(added)

    def remove_tags_from_stream(self, ref: StreamRef, keys: list[str]) -> None:
        """RemoveTagsFromStream: keys that are not there are not an error."""
        stream = self.stream(ref)
        tags.check_stream_tags(keys, stream.name, stream.account, "remove")
        ensure_active(stream)
        tags.remove(stream.tags, keys)

    def tag_resource(self, account: str, region: str, arn: str, added: Mapping[str, str]) -> None:
        """TagResource, on a stream or a consumer."""
        resource = self.resource(account, region, arn)
        tags.check_resource_tags([*added, *added.values()])
        kind, owner = tags.kind_and_owner(resource)
        tags.merge(resource.tags, added, kind, resource.name, owner, self.quotas.tag_limit)

    def untag_resource(self, account: str, region: str, arn: str, keys: list[str]) -> None:
        """UntagResource, on a stream or a consumer."""
        resource = self.resource(account, region, arn)
        tags.check_resource_tags(keys)
        tags.remove(resource.tags, keys)

    def put_resource_policy(self, account: str, region: str, arn: str, policy: str) -> None:
        """PutResourcePolicy: the document must be a JSON object."""
        resource = self.resource(account, region, arn)
        check_policy(policy)
        resource.policy = policy

    def delete_resource_policy(self, account: str, region: str, arn: str) -> None:
        """DeleteResourcePolicy: ResourceNotFoundException when none is attached."""
        resource = self.resource(account, region, arn)
        if resource.policy is None:
            raise ResourceNotFoundException.policy(arn=arn)
        resource.policy = None

    # -- consumers ----------------------------------------------------------------------------

    def register_stream_consumer(self, ref: StreamRef, name: str, added: Mapping[str, str]) -> Consumer:
        """RegisterStreamConsumer: a new consumer, CREATING for a while (by default no time)."""
        stream = self.stream(ref)
        tags.check_resource_tags([*added, *added.values()])
        tags.check_merge({}, added, "consumer", name, stream.account, self.quotas.tag_limit)
        consumer = consumers.register(
            stream, name, self.quotas.consumer_limit, self.quotas.consumers_creating_limit
        )
        consumer.phase.begin("CREATING", self.state_change_seconds)
        tags.merge(consumer.tags, added, "consumer", consumer.name, stream.account, self.quotas.tag_limit)
        return consumer

    def deregister_stream_consumer(self, ref: ConsumerRef) -> None:
        """DeregisterStreamConsumer: DELETING for a while (by default no time); its subscriptions end."""
        consumer = self.consumer(ref)
        consumer.phase.begin("DELETING", self.state_change_seconds)
        consumer.stream.live_consumers()
        self.fan_out.end_where(Subscription.gone)

    def list_stream_consumers(
        self, ref: StreamRef, token: str | None, created_s: int | None, limit: int | None
    ) -> ConsumerListing:
        """ListStreamConsumers: a NextToken lists only the stream it was issued for."""
        caller = self.region(ref.account, ref.region)
        return listings.list_consumers(self.sealer, caller, self.stream(ref), token, created_s, limit)

    # -- records ------------------------------------------------------------------------------

    def put_record(
        self,
        ref: StreamRef,
        key: str,
        data: bytes,
        explicit_hash_key: str | None = None,
        ordering: str | None = None,
    ) -> tuple[Stream, Shard, int]:
        """PutRecord: the stream, the shard and the sequence counter of the stored record."""
        stream = self.stream(ref)
        shard, counter = records.put_record(
            stream, key, data, explicit_hash_key, ordering, _clock.now_ms(), self.throughput
        )
        if self.fan_out.watching:
            self.fan_out.wake(shard)
        return stream, shard, counter

    def put_records(
        self, ref: StreamRef, entries: list[dict[str, object]], injected: Injected | None = None
    ) -> tuple[Stream, list[tuple[str, str]], int]:
        """PutRecords: the stream, the (shard id, sequence number) of each entry, or its
        :class:`~.records.Refusal` (throughput, or ``injected`` failures by entry index), and
        how many entries were refused."""
        stream = self.stream(ref)
        quotas, now, failed = self.quotas, _clock.now_ms(), 0
        limits = (quotas.put_records_max_entries, quotas.put_records_max_bytes)
        if injected is None and self.throughput is None:
            written = records.put_batch(stream, entries, now, *limits)
        else:
            refuse = throughput.entry_refusals(stream, self.throughput, injected or {}, now)
            written, failed = records.put_batch_refusing(stream, entries, now, *limits, refuse)
        if self.fan_out.watching:
            for written_to in {entry[0] for entry in written if not isinstance(entry, Refusal)}:
                self.fan_out.wake(stream.shards[parse_shard_id(written_to) or 0])
        return stream, written, failed

    def get_shard_iterator(
        self,
        ref: StreamRef,
        raw_shard_id: str,
        kind: str,
        starting: str | None = None,
        timestamp: float | None = None,
    ) -> str:
        """GetShardIterator: a sealed iterator at the position the request names."""
        now = _clock.now_ms()
        try:
            stream: Stream | None = self.stream(ref)
        except ResourceNotFoundException:
            stream = None  # AWS names the shard, not the stream, as the one that does not exist
        name, account = (stream.name, stream.account) if stream is not None else ref.named()
        shard = records.shard_for_request(stream, name, account, raw_shard_id)
        assert stream is not None
        position = records.start_position(stream, shard, kind, starting, timestamp, now)
        if self.throughput is not None:
            self.throughput.check_iterator(stream, shard, now)
        iterator = ShardIterator(
            stream.account,
            stream.region.name,
            stream.name,
            stream.tag,
            shard.index,
            position,
            now,
            ref.account,
        )
        return iterator.seal(self.sealer)

    def get_records(
        self, account: str, region: str, token: str, limit: int | None, stream_arn: str | None = None
    ) -> RecordsRead:
        """GetRecords: up to ``limit`` records from where the iterator ``account`` got in
        ``region`` points; a StreamARN, if given, must name the iterator's stream."""
        now = _clock.now_ms()
        at = ShardIterator.open(self.sealer, token, now, account, region)
        stream = self.region(at.account, at.region).get(at.stream)
        shard = stream.shard(at.shard_index) if stream is not None and stream.tag == at.tag else None
        if stream is None or shard is None or records.is_expired(stream, shard, now):
            raise ResourceNotFoundException.shard(
                shard=shard_id(at.shard_index), stream=at.stream, account=at.account
            )
        if stream_arn is not None and self.stream(StreamRef(account, region, arn=stream_arn)) is not stream:
            raise InvalidArgumentException.iterator_mismatch(arn=stream_arn)
        metered = self.throughput
        if metered is not None:
            metered.check_read(stream, shard, now)
        result = records.read(stream, shard, at.position, records.READ_LIMIT if limit is None else limit, now)
        if metered is not None:
            metered.count_read(stream, shard, result.first, result.stop, now)
        if result.next_position is None:
            return RecordsRead(stream, shard, result, None, stream.children_of(shard))
        following = at._replace(position=result.next_position, issued_ms=now)
        return RecordsRead(stream, shard, result, following.seal(self.sealer), [])

    def subscribe_to_shard(
        self,
        account: str,
        region: str,
        consumer_arn: str,
        raw_shard_id: str,
        kind: str,
        starting: str | None = None,
        timestamp: float | None = None,
    ) -> Subscription:
        """SubscribeToShard: a subscription from the position the request names."""
        consumer = self.consumer(ConsumerRef(account, region, consumer_arn=consumer_arn))
        stream = consumer.stream
        shard = records.shard_for_request(stream, stream.name, stream.account, raw_shard_id)
        position = records.start_position(
            stream, shard, kind, starting, timestamp, _clock.now_ms(), "SubscribeToShard"
        )
        return self.fan_out.subscribe(consumer, shard, position, self.subscribe_idle_seconds)
