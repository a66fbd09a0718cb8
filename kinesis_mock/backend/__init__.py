"""State and rules of the mock: accounts, regions, streams, shards, records.

Nothing here imports botocore; the backend is driven directly in its own tests, without HTTP.
This is its public surface: the operations layer imports these names and nothing else.
"""

from .account import Commitment
from .consumers import Consumer
from .fanout import Delivery, Subscription
from .listings import ConsumerListing, ShardFilter, ShardListing, StreamListing
from .quotas import Quotas
from .records import Read
from .refs import ConsumerRef, StreamRef
from .region import NewStream, Region
from .registry import Backend, Limits, RecordsRead
from .shard import Shard
from .stream import ON_DEMAND, Stream
from .throughput import Injected, Refusal, Throughput

__all__ = [
    "ON_DEMAND",
    "Backend",
    "Commitment",
    "Consumer",
    "ConsumerListing",
    "ConsumerRef",
    "Delivery",
    "Injected",
    "Limits",
    "NewStream",
    "Quotas",
    "Read",
    "RecordsRead",
    "Refusal",
    "Region",
    "Shard",
    "ShardFilter",
    "ShardListing",
    "Stream",
    "StreamListing",
    "StreamRef",
    "Subscription",
    "Throughput",
]
