"""The pytest plugin: the ``kinesis_mock`` fixture and the ``kinesis_mock`` marker.

Registered through the ``pytest11`` entry point, so it is there as soon as the package is installed::

    def test_orders(kinesis_mock):                      # the active KinesisMock
        boto3.client("kinesis").create_stream(StreamName="orders", ShardCount=1)

    @pytest.mark.kinesis_mock(account_id="111122223333")  # options for this test's mock;
    def test_other_account():                            # the marker alone activates it
        ...

Every test starts with empty state. (Importing ``kinesis_mock`` never imports pytest; only this
module does.)
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ._activation import OPTIONS, KinesisMock

_MARKER = "kinesis_mock"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{_MARKER}(**options): run the test under kinesis_mock with these KinesisMock options "
        f"({', '.join(OPTIONS)})",
    )


@pytest.fixture
def kinesis_mock(request: pytest.FixtureRequest) -> Iterator[KinesisMock]:
    """The active :class:`KinesisMock` of this test, built from the marker's options."""
    marker = request.node.get_closest_marker(_MARKER)
    options = dict(marker.kwargs) if marker is not None else {}
    if marker is not None and marker.args:
        raise pytest.UsageError(
            f"kinesis_mock: the {_MARKER} marker takes keyword options only ({', '.join(OPTIONS)})"
        )
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise pytest.UsageError(
            f"kinesis_mock: unknown option {', '.join(map(repr, unknown))} in the {_MARKER} "
            f"marker; the options are {', '.join(OPTIONS)}"
        )
    with KinesisMock(**options) as mock:
        yield mock


@pytest.fixture(autouse=True)
def _kinesis_mock_marker(request: pytest.FixtureRequest) -> None:
    """Activate the mock for a test that carries the marker but does not ask for the fixture."""
    if request.node.get_closest_marker(_MARKER) is not None and _MARKER not in request.fixturenames:
        request.getfixturevalue(_MARKER)
