"""How a request names what it acts on: a stream by name and/or ARN, a consumer by ARN or by
stream ARN and name. The backend resolves them (``Backend.stream``, ``Backend.consumer``).

Named tuples: one is built for every request, and a tuple costs a fraction of a dataclass.
"""

from __future__ import annotations

from typing import NamedTuple

from ..errors import InvalidArgumentException
from .stream import split_stream_arn


class StreamRef(NamedTuple):
    """A stream as a request names it: StreamName (in the calling ``account``) and/or StreamARN
    (which names its own account), sent to the endpoint of ``region``."""

    account: str
    region: str
    name: str | None = None
    arn: str | None = None

    def named(self) -> tuple[str, str]:
        """(stream name, account) as the request names them, for the messages of what is
        missing, before (or instead of) looking the stream up."""
        if self.arn is not None:
            account, name = split_stream_arn(self.arn)
            return name, account
        if self.name is None:
            raise InvalidArgumentException.no_stream_identifier()
        return self.name, self.account


class ConsumerRef(NamedTuple):
    """A consumer as a request names it: ConsumerARN, or StreamARN and ConsumerName, or all three
    as long as they agree."""

    account: str
    region: str
    consumer_arn: str | None = None
    stream_arn: str | None = None
    name: str | None = None
