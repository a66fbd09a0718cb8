"""One handler per AWS operation, looked up by wire name: parse -> call the backend -> shape.

Importing this package registers every handler module.
"""

from . import (
    account,
    consumers,
    policies,
    records,
    settings,
    shards,
    streams,
    subscribe,
    tags,
)
from ._registry import HANDLERS, Call, Result, dispatch

__all__ = [
    "HANDLERS",
    "Call",
    "Result",
    "account",
    "consumers",
    "dispatch",
    "policies",
    "records",
    "settings",
    "shards",
    "streams",
    "subscribe",
    "tags",
]
