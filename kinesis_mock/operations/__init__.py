"""One handler per AWS operation, looked up by wire name: parse -> call the backend -> shape.

Importing this package registers every handler module.
"""

from . import records, shards, streams
from ._registry import HANDLERS, Call, Result, dispatch

__all__ = ["HANDLERS", "Call", "Result", "dispatch", "records", "shards", "streams"]
