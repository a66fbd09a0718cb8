"""The pytest plugin: the ``kinesis_mock`` fixture and the ``kinesis_mock`` marker.

Registered through the ``pytest11`` entry point, so it is there as soon as the package is installed::

    def test_orders(kinesis_mock):                      # the active KinesisMock
        boto3.client("kinesis").create_stream(StreamName="orders", ShardCount=1)

    @pytest.mark.kinesis_mock(account_id="111122223333")  # options for this test's mock;
    def test_other_account():                            # the marker alone activates it
        ...

Every test starts with empty state. The plugin costs nothing until a test uses it: it imports
neither boto3 nor botocore (the fixture imports them when it first runs), and it adds the fixture
only to the tests that carry the marker, at collection. (Importing ``kinesis_mock`` never imports
pytest; only this module does.)

freezegun, which the README suggests for moving the mock's clock, rebinds ``perf_counter`` and
``time`` in every loaded module not on its ignore list, pytest's ``_pytest.timing`` included, so a
test that freezes time across setup or teardown reports a duration of decades (freezegun issues
#286, #433 and #463, pytest issue #10245). Once freezegun is imported, the plugin adds
``_pytest.timing`` to its ignore list (what freezegun's pending pull request #602 would do).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from . import _options

if TYPE_CHECKING:
    from ._activation import KinesisMock

_MARKER = "kinesis_mock"
_PYTEST_CLOCK = "_pytest.timing"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{_MARKER}(**options): run the test under kinesis_mock with these KinesisMock options "
        f"({', '.join(_options.NAMES)})",
    )
    _shield_pytest_clock()


def pytest_collectstart(collector: pytest.Collector) -> None:
    # Freezers built at import time (decorators) copy the ignore list then: configure freezegun
    # before each module is imported, as soon as some earlier module has imported it.
    _shield_pytest_clock()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Give the fixture to every marked test that does not ask for it, and to nothing else."""
    _shield_pytest_clock()
    for item in items:
        if not isinstance(item, pytest.Function) or _MARKER in item.fixturenames:
            continue
        if item.get_closest_marker(_MARKER) is not None:
            # First, as an autouse fixture would be: the mock is active in the test's own fixtures.
            item.fixturenames.insert(0, _MARKER)


@pytest.fixture
def kinesis_mock(request: pytest.FixtureRequest) -> Iterator[KinesisMock]:
    """The active :class:`KinesisMock` of this test, built from the marker's options."""
    from ._activation import KinesisMock

    marker = request.node.get_closest_marker(_MARKER)
    options = dict(marker.kwargs) if marker is not None else {}
    if marker is not None and marker.args:
        raise pytest.UsageError(
            f"kinesis_mock: the {_MARKER} marker takes keyword options only ({', '.join(_options.NAMES)})"
        )
    try:
        _options.parse(options, where=f" in the {_MARKER} marker")
    except (TypeError, ValueError) as error:
        raise pytest.UsageError(str(error)) from None
    with KinesisMock(**options) as mock:
        yield mock


def _shield_pytest_clock() -> None:
    freezegun = sys.modules.get("freezegun")
    if freezegun is None or _PYTEST_CLOCK in freezegun.config.settings.default_ignore_list:
        return
    freezegun.configure(extend_ignore_list=[_PYTEST_CLOCK])
