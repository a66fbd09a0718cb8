"""State and rules of the mock: accounts, regions, streams, shards, records.

Nothing here imports botocore; the backend is driven directly in its own tests, without HTTP.
"""

from . import lineage, records, resharding
from .registry import Backend, Quotas, Region
from .stream import Stream

__all__ = ["Backend", "Quotas", "Region", "Stream", "lineage", "records", "resharding"]
