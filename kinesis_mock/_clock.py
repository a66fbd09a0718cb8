"""The one place that reads the time.

Every timestamp the mock hands out or compares (creation times, arrival times, iterator and token
expiry, retention, rolling quotas) comes from :func:`now_ms`. It looks ``time.time`` up on the
``time`` module at call time, never at import time and never in a default argument, so freezegun
and time-machine, which replace that function, control the mock's clock as they control the test's.
``KinesisMock.advance()`` adds an offset to whatever time they report (:func:`advance`).
"""

from __future__ import annotations

import datetime
import functools
import time

from dateutil.tz import tzlocal

# botocore parses every timestamp of a reply with ``datetime.fromtimestamp(value, tzlocal())``
# (botocore.utils.parse_timestamp); building datetimes the same way makes the mock's replies
# compare equal to, and print like, what botocore would have parsed off the wire.
_LOCAL = tzlocal()


class _Offset:
    # Milliseconds the mock clock runs ahead of ``time.time()``: moved by KinesisMock.advance().
    ms = 0


def now_ms() -> int:
    """The current time in whole epoch milliseconds, as real Kinesis stamps records."""
    return int(time.time() * 1000) + _Offset.ms


def advance(ms: int) -> None:
    """Move the mock clock ``ms`` milliseconds forward (a negative value undoes an advance)."""
    _Offset.ms += ms


def to_datetime(epoch_ms: int) -> datetime.datetime:
    """An epoch-millisecond value as the timezone-aware datetime botocore would parse."""
    minute, rest = divmod(epoch_ms, 60_000)
    return _minute(minute) + datetime.timedelta(milliseconds=rest)


@functools.lru_cache(maxsize=4096)
def _minute(minute: int) -> datetime.datetime:
    # Converting with tzlocal costs microseconds (it asks the C library for the offset each time)
    # and GetRecords converts every record: convert each minute once, then add the milliseconds.
    # UTC offsets change only at whole minutes, so wall-clock addition within one is exact.
    return datetime.datetime.fromtimestamp(minute * 60, _LOCAL)


def from_epoch_seconds(seconds: float) -> int:
    """A request timestamp (epoch seconds, as botocore serializes it) in epoch milliseconds."""
    return round(seconds * 1000)


# English names spelled out: strftime's %a and %b follow the process locale, AWS's texts do not.
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def http_date(epoch_ms: int) -> str:
    """The RFC 7231 ``Date`` header value for an epoch-millisecond time."""
    return _http_date(epoch_ms // 1000)


@functools.lru_cache(maxsize=4)
def _http_date(epoch_s: int) -> str:
    # Every reply carries a Date header: formatting it once per second saves microseconds a call.
    t = datetime.datetime.fromtimestamp(epoch_s, datetime.UTC)
    return f"{_DAYS[t.weekday()]}, {t.day:02d} {_MONTHS[t.month - 1]} {t.year} {t:%H:%M:%S} GMT"


def java_date(epoch_ms: int) -> str:
    """Java's ``Date.toString()`` in UTC (``Thu Jan 01 02:00:00 UTC 2026``), as AWS prints times."""
    t = datetime.datetime.fromtimestamp(epoch_ms // 1000, datetime.UTC)
    return f"{_DAYS[t.weekday()]} {_MONTHS[t.month - 1]} {t.day:02d} {t:%H:%M:%S} UTC {t.year}"
