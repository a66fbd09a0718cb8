"""The one clock: what it hands out equals what botocore would parse, in any time zone."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
import textwrap

from freezegun import freeze_time

from kinesis_mock import _clock


def test_now_follows_freezegun() -> None:
    with freeze_time("2026-01-01 02:00:00.123"):
        assert _clock.now_ms() == 1767232800123
    assert _clock.http_date(1767232800123) == "Thu, 01 Jan 2026 02:00:00 GMT"
    assert _clock.java_date(1767232800123) == "Thu Jan 01 02:00:00 UTC 2026"


def test_datetimes_equal_botocores_across_daylight_saving_changes() -> None:
    script = textwrap.dedent("""
        import datetime, time
        from dateutil.tz import tzlocal
        from kinesis_mock import _clock
        time.tzset()
        local = tzlocal()
        change = 1773036000000  # 2026-03-08 07:00 UTC: New York moves its clocks forward
        for ms in range(change - 3 * 3600_000, change + 3 * 3600_000, 59_999):
            mine, theirs = _clock.to_datetime(ms), datetime.datetime.fromtimestamp(ms / 1000, local)
            assert mine == theirs and mine.utcoffset() == theirs.utcoffset(), (ms, mine, theirs)
            assert mine.timetuple()[:6] == theirs.timetuple()[:6], (ms, mine, theirs)
        print("ok")
    """)
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "TZ": "America/New_York"},
        timeout=60,
    )
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


def test_milliseconds_are_kept() -> None:
    moment = _clock.to_datetime(1767225600123)
    assert moment == datetime.datetime(2026, 1, 1, 0, 0, 0, 123000, tzinfo=datetime.UTC)
