"""The errors the mock answers with: one class per AWS error code.

Each class carries the code, the HTTP status and the message templates real Kinesis uses, each a
named :class:`Template` attribute that builds the error (so a misspelt template name is an error
mypy reports, never an InternalFailure at run time). The backend raises them; the protocol layer
turns them into the JSON error body botocore turns into ``client.exceptions.<Code>``::

    raise ResourceNotFoundException.stream(stream="orders", account="123456789012")
    # -> 400 {"__type": "ResourceNotFoundException",
    #         "message": "Stream orders under account 123456789012 not found."}

The wording is AWS's own where a recording of it exists (about half of the texts); where no public
record was found, the closest AWS wording was chosen, and a few texts come from other mocks,
unverified. docs/errors.md gives the source of each text (the README counts them).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import ClassVar, TypeVar

__all__ = [
    "ExpiredIteratorException",
    "ExpiredNextTokenException",
    "InternalFailure",
    "InvalidArgumentException",
    "KMSNotFoundException",
    "KinesisError",
    "LimitExceededException",
    "NotImplementedOperation",
    "ProvisionedThroughputExceededException",
    "ResourceInUseException",
    "ResourceNotFoundException",
    "SerializationException",
    "UnknownOperationException",
    "ValidationException",
]


_E = TypeVar("_E", bound="KinesisError")


class Template:
    """A message template of an error class, in AWS's wording; read from the class, it builds
    the error: ``ResourceNotFoundException.stream(stream="s", account="123456789012")``."""

    __slots__ = ("name", "text")

    def __init__(self, text: str) -> None:
        self.text, self.name = text, ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: object, owner: type[_E]) -> Callable[..., _E]:
        template = self

        def build(**fields: object) -> _E:
            return owner(template, **fields)

        return build


class KinesisError(Exception):
    """Base of every error the mock answers with: an AWS error code, an HTTP status, a message.

    ``KinesisError`` subclasses are raised inside the mock and reach the caller as botocore's
    ``ClientError`` (``client.exceptions.ResourceNotFoundException`` and so on); catch those in
    tests. The classes are public so that tests can name codes and templates without retyping them::

        from kinesis_mock.errors import ResourceNotFoundException
        assert err.response["Error"]["Code"] == ResourceNotFoundException.code
    """

    code: ClassVar[str] = "InternalFailure"
    status: ClassVar[int] = 400
    # Template name -> wording, gathered from the class's Template attributes.
    templates: ClassVar[Mapping[str, str]] = {}

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        cls.templates = {name: value.text for name, value in vars(cls).items() if isinstance(value, Template)}

    def __init__(self, template: Template | None = None, /, **fields: object) -> None:
        self.template = template.name if template is not None else None
        self.message = template.text.format(**fields) if template is not None else None
        super().__init__(self.message or self.code)


class ResourceNotFoundException(KinesisError):
    """The stream, shard, consumer or policy does not exist (or is not visible to the caller)."""

    code = "ResourceNotFoundException"
    stream = Template("Stream {stream} under account {account} not found.")
    # AWS omits the final period here (kinesalite test/getShardIterator.js, recorded vs AWS).
    shard = Template("Shard {shard} in stream {stream} under account {account} does not exist")
    shard_lookup = Template("Could not find shard {shard} in stream {stream} under account {account}.")
    consumer = Template("Consumer {consumer} under stream {stream} and account {account} not found.")
    policy = Template("No resource policy found for resource ARN {arn}.")


class ResourceInUseException(KinesisError):
    """The resource exists but is in a state that does not allow the request."""

    code = "ResourceInUseException"
    exists = Template("Stream {stream} under account {account} already exists.")
    not_active = Template("Stream {stream} under account {account} not ACTIVE, instead in state {status}")
    consumer_not_active = Template(
        "Consumer {consumer} with creation timestamp {created} under stream {stream} and "
        "account {account} is not in ACTIVE status."
    )
    subscription = Template(
        "Another active subscription exists for this consumer: {account}:{stream}:{shard}:{consumer}"
    )
    consumer_exists = Template(
        "Consumer {consumer} under stream {stream} and account {account} already exists."
    )
    consumers_registered = Template(
        "Stream {stream} under account {account} has registered consumers. Deregister them, "
        "or delete the stream with EnforceConsumerDeletion set to true."
    )


class InvalidArgumentException(KinesisError):
    """A parameter is well-formed but not acceptable in this request."""

    code = "InvalidArgumentException"
    no_stream_identifier = Template("Either StreamName or StreamARN must be provided.")
    stream_mismatch = Template("StreamARN {arn} and StreamName {stream} do not refer to the same stream.")
    iterator_mismatch = Template("StreamARN {arn} and ShardIterator do not refer to the same stream.")
    next_token = Template("Invalid NextToken.")
    explicit_hash_key = Template(
        "Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. "
        "Specified value was {value}"
    )
    ordering = Template(
        "ExclusiveMinimumSequenceNumber {value} used in PutRecord on stream {stream} under "
        "account {account} is invalid."
    )
    record_size = Template(
        "Record size {size} bytes (data plus partition key) exceeds the maximum record size "
        "of {limit} bytes of stream {stream} under account {account}."
    )
    records_size = Template("Records size exceeds {limit} MB limit")
    iterator_type = Template(
        "Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and "
        "StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. "
        "Request specified {kind} {which} StartingSequenceNumber."
    )
    sequence_invalid = Template(
        "StartingSequenceNumber {value} used in {operation} on shard {shard} in stream "
        "{stream} under account {account} is invalid."
    )
    sequence_foreign = Template(
        "StartingSequenceNumber {value} used in {operation} on shard {shard} in stream "
        "{stream} under account {account} is invalid because it did not come from this stream."
    )
    sequence_shard = Template(
        "Invalid StartingSequenceNumber. It encodes {encoded}, while it was used in a call to "
        "a shard with {shard}"
    )
    timestamp_missing = Template(
        "Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current "
        "request has no timestamp parameter."
    )
    timestamp_future = Template(
        "The timestampInMillis parameter cannot be greater than the currentTimestampInMillis. "
        "timestampInMillis: {ts}, currentTimestampInMillis: {now}"
    )
    shard_iterator = Template("Invalid ShardIterator.")
    filter_shard_id = Template(
        "ShardId must be given with, and only with, ShardFilter type AFTER_SHARD_ID; got {kind}."
    )
    filter_timestamp = Template(
        "Timestamp must be given with, and only with, ShardFilter types AT_TIMESTAMP and "
        "FROM_TIMESTAMP; got {kind}."
    )
    not_eligible = Template(
        "Shard {shard} in stream {stream} under account {account} has already been merged or "
        "split, and thus is not eligible for merging or splitting."
    )
    split_key = Template(
        "NewStartingHashKey {key} used in SplitShard() on shard {shard} in stream {stream} "
        "under account {account} is not both greater than one plus the shard's "
        "StartingHashKey {start} and less than the shard's EndingHashKey {end}."
    )
    not_adjacent = Template(
        "Shards {first} and {second} in stream {stream} under account {account} are not an "
        "adjacent pair of shards eligible for merging"
    )
    retention_short = Template(
        "Minimum allowed retention period is 24 hours. Requested retention period ({hours} "
        "hours) is too short."
    )
    retention_long = Template(
        "Maximum allowed retention period is 8760 hours. Requested retention period ({hours} "
        "hours) is too long."
    )
    retention_not_longer = Template(
        "Requested retention period ({hours} hours) for stream {stream} can not be shorter "
        "than existing retention period ({current} hours). Use DecreaseRetentionPeriod API."
    )
    retention_not_shorter = Template(
        "Requested retention period ({hours} hours) for stream {stream} can not be longer "
        "than existing retention period ({current} hours). Use IncreaseRetentionPeriod API."
    )
    tag_characters = Template(
        "Some tags contain invalid characters. Valid characters: Unicode letters, digits, "
        "white space, _ . / = + - % @."
    )
    tag_percent = Template(
        "Failed to {verb} tags {direction} stream {stream} under account {account} because "
        "some tags contained illegal characters. The allowed characters are Unicode letters, "
        "white-spaces, '_',',','/','=','+','-','@'."
    )
    resource_tag_characters = Template(
        "Some tags contain invalid characters. Valid characters: Unicode letters, digits, "
        "white space, _ . : / = + - @."
    )
    tag_reserved = Template("Tag keys starting with 'aws:' are reserved for use by AWS.")
    tag_limit = Template(
        "Failed to add tags to {kind} {resource} under account {account} because a given "
        "{kind} cannot have more than {limit} tags associated with it."
    )
    encryption_type = Template("Only KMS encryption is supported; got EncryptionType {kind}.")
    warm_throughput_max = Template("WarmThroughputMiBps {value} is above the maximum of {limit} MiBps.")
    consumer_identifier = Template("Either ConsumerARN, or StreamARN and ConsumerName, must be provided.")
    consumer_conflict = Template("ConsumerARN, StreamARN and ConsumerName do not refer to the same consumer.")
    policy_json = Template("Policy is not a valid JSON document.")
    list_shards_nothing = Template("Either NextToken or StreamName should be provided.")
    list_shards_together = Template("NextToken and {other} cannot be provided together.")
    shard_count_on_demand = Template("ShardCount is not expected when StreamMode=ON_DEMAND")
    shard_count_missing = Template("ShardCount is required when StreamMode=PROVISIONED")


class LimitExceededException(KinesisError):
    """A quota of the account, the region or the stream would be exceeded."""

    code = "LimitExceededException"
    shard_limit = Template(
        "This request would exceed the shard limit for the account {account} in {region}. "
        "Current shard count for the account: {current}. Limit: {limit}. Number of additional "
        "shards that would have resulted from this request: {additional}. Refer to the AWS "
        "Service Limits page (http://docs.aws.amazon.com/general/latest/gr/aws_service_limits"
        ".html) for current limits and how to request higher limits."
    )
    on_demand_limit = Template(
        "This request would exceed the limit on the number of streams in ON_DEMAND mode for "
        "the account {account} in {region}. Current ON_DEMAND stream count for the account: "
        "{current}. Limit: {limit}."
    )
    scale_up = Template(
        "UpdateShardCount cannot scale up over double your current open shard count. Current "
        "open shard count: {current}, Target shard count: {target}"
    )
    scale_down = Template(
        "UpdateShardCount cannot scale down below half your current open shard count. Current "
        "open shard count: {current}, Target shard count: {target}"
    )
    stream_shards = Template(
        "UpdateShardCount cannot scale a stream above {limit} shards. Current open shard "
        "count: {current}, Target shard count: {target}"
    )
    scaling_operations = Template(
        "Stream {stream} under account {account} has already been scaled {limit} times in the last 24 hours."
    )
    consumer_limit = Template(
        "Stream {stream} under account {account} already has {limit} registered consumers."
    )
    consumers_creating = Template(
        "Stream {stream} under account {account} already has {limit} consumers in CREATING status."
    )
    encryption_changes = Template(
        "Stream {stream} under account {account} has already changed its encryption "
        "{limit} times in the last 24 hours."
    )
    # A control-plane call over its rate (botocore PR #821 quotes AWS's DescribeStream reply).
    rate = Template("Rate exceeded for stream {stream} under account {account}.")
    # Recorded by Terraform users against AWS (hashicorp/terraform-provider-aws#1339),
    # double space and "would have exceed" included.
    creating_limit = Template(
        "This request would have exceed the limit on the number  of streams that can "
        "simultaneously be in CREATING or DELETING for the account {account}. Limit: {limit}."
    )
    mode_switch_limit = Template(
        "Stream {stream} under account {account} has already switched its capacity mode "
        "{limit} times in the last 24 hours."
    )


class ProvisionedThroughputExceededException(KinesisError):
    """A shard's (or an on-demand stream's) read or write throughput is used up for now."""

    code = "ProvisionedThroughputExceededException"
    # PutRecord(s) and GetRecords over a shard's rate (kinesalite PR #87 and rclark/kinesis-readable
    # issue #4 quote AWS's replies); a PutRecords entry carries the same text as its ErrorMessage.
    shard = Template("Rate exceeded for shard {shard} in stream {stream} under account {account}.")
    # GetRecords over a stream's rate (remind101/empire issue #903 quotes AWS's reply).
    stream = Template("Rate exceeded for stream {stream} under account {account}.")


class ValidationException(KinesisError):
    """A parameter breaks a constraint of the service model (length, pattern, enum, range)."""

    code = "ValidationException"
    constraints = Template("{count} validation {noun} detected: {errors}")
    on_demand = Template("Request is invalid. Stream {stream} under account {account} is in On-Demand mode.")
    warm_throughput_mode = Template(
        "Request is invalid. Stream {stream} under account {account} is not in On-Demand mode; "
        "warm throughput is only available for On-Demand streams."
    )
    warm_throughput_commitment = Template(
        "Request is invalid. Warm throughput needs the MinimumThroughputBillingCommitment of "
        "account {account} to be ENABLED."
    )


class SerializationException(KinesisError):
    """The request body is not JSON of the types the service model declares."""

    code = "SerializationException"
    type = Template("{message}")


class UnknownOperationException(KinesisError):
    """The request names an operation the Kinesis model does not have."""

    code = "UnknownOperationException"


class KMSNotFoundException(KinesisError):
    """The KMS key named by KeyId cannot be found."""

    code = "KMSNotFoundException"
    # KMS's own wording for a key id that names no key ("Invalid keyId ..."), as Kinesis relays it.
    key = Template("Invalid keyId {key}")


class ExpiredIteratorException(KinesisError):
    """The shard iterator is older than five minutes."""

    code = "ExpiredIteratorException"
    expired = Template(
        "Iterator expired. The iterator was created at time {created} while right now it is "
        "{now} which is further in the future than the tolerated delay of 300000 milliseconds."
    )


class ExpiredNextTokenException(KinesisError):
    """The pagination token is older than five minutes."""

    code = "ExpiredNextTokenException"
    expired = Template("The NextToken has expired. Pagination tokens are valid for 300 seconds.")


class InternalFailure(KinesisError):
    """A server-side fault: HTTP 500 with no message, as Kinesis sends it."""

    code = "InternalFailure"
    status = 500
    # The ErrorMessage of a PutRecords entry that failed this way (the Kinesis Producer Library
    # logs AWS's per-record replies in awslabs/amazon-kinesis-producer issue #30).
    entry_message: ClassVar[str] = "Internal service failure."


class NotImplementedOperation(KinesisError):
    """Not an AWS error: the mock does not implement this operation yet (HTTP 501).

    botocore raises it as a ``ClientError`` with code ``NotImplemented`` and a message naming the
    operation and listing the implemented ones, so a test fails with an explanation, never with a
    network call.
    """

    code = "NotImplemented"
    status = 501
    operation = Template(
        "kinesis_mock: {operation} is not implemented yet. Implemented operations: {available}."
    )
