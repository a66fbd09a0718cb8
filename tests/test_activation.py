"""Every activation form builds the same KinesisMock; nesting shares state; misuse explains itself."""

from __future__ import annotations

import asyncio
import io
import textwrap
import unittest
from typing import Any

import pytest
from helpers import REGION

import kinesis_mock
from kinesis_mock import KinesisMock, mock_kinesis


def names(client: Any) -> list[str]:
    return list(client.list_streams()["StreamNames"])


def test_bare_decorator(make_client: Any) -> None:
    @mock_kinesis
    def body(size: int) -> list[str]:
        client = make_client()
        client.create_stream(StreamName="s", ShardCount=size)
        return names(client)

    assert body(1) == ["s"]
    assert body(2) == ["s"], "every activation starts from empty state"
    assert body.__name__ == "body"


def test_decorator_with_options(make_client: Any) -> None:
    @mock_kinesis(account_id="111122223333")
    def body() -> str:
        client = make_client()
        client.create_stream(StreamName="s", ShardCount=1)
        arn: str = client.describe_stream_summary(StreamName="s")["StreamDescriptionSummary"]["StreamARN"]
        return arn

    assert body() == f"arn:aws:kinesis:{REGION}:111122223333:stream/s"


def test_decorated_coroutine_runs_mocked(make_client: Any) -> None:
    @mock_kinesis
    async def body() -> list[str]:
        await asyncio.sleep(0)
        client = make_client()
        client.create_stream(StreamName="async", ShardCount=1)
        return names(client)

    assert asyncio.iscoroutinefunction(body)
    assert asyncio.run(body()) == ["async"]


def test_context_managers_and_start_stop(make_client: Any) -> None:
    with mock_kinesis() as mock:
        assert isinstance(mock, KinesisMock) and mock.active
        make_client().create_stream(StreamName="with", ShardCount=1)
    assert not mock.active

    async def run() -> list[str]:
        async with mock_kinesis():
            client = make_client()
            client.create_stream(StreamName="async-with", ShardCount=1)
            return names(client)

    assert asyncio.run(run()) == ["async-with"]

    mock = KinesisMock()
    assert mock.start() is mock
    try:
        assert names(make_client()) == []
    finally:
        mock.stop()


def test_nested_activations_share_state_and_the_outermost_resets(make_client: Any) -> None:
    outer = KinesisMock()
    with outer:
        make_client().create_stream(StreamName="outer", ShardCount=1)
        with mock_kinesis() as inner:
            client = make_client()
            assert names(client) == ["outer"]
            client.create_stream(StreamName="inner", ShardCount=1)
            assert inner.backend is outer.backend
        assert names(make_client()) == ["inner", "outer"]
    with outer:
        assert names(make_client()) == []


def test_inner_options_apply_while_inner_is_active(make_client: Any) -> None:
    with mock_kinesis(shard_limit=5):
        client = make_client()
        with mock_kinesis(shard_limit=1):
            assert client.describe_limits()["ShardLimit"] == 1
        assert client.describe_limits()["ShardLimit"] == 5


def test_the_same_mock_nests_with_itself(make_client: Any) -> None:
    mock = KinesisMock()
    with mock:
        make_client().create_stream(StreamName="s", ShardCount=1)
        with mock:
            assert names(make_client()) == ["s"]
        assert mock.active
    assert not mock.active


def test_stop_without_start_is_a_clear_error() -> None:
    with pytest.raises(
        RuntimeError,
        match=r"^kinesis_mock: stop\(\) was called on a KinesisMock "
        r"that is not started; call start\(\) first",
    ):
        KinesisMock().stop()


def test_backend_outside_activation_is_a_clear_error() -> None:
    with pytest.raises(RuntimeError, match="^kinesis_mock: no mock is active"):
        KinesisMock().backend  # noqa: B018


def test_reset_drops_all_state(make_client: Any) -> None:
    with mock_kinesis() as mock:
        client = make_client()
        client.create_stream(StreamName="s", ShardCount=1)
        mock.reset()
        assert names(client) == []


def test_misuse_is_reported_in_plain_python() -> None:
    with pytest.raises(
        TypeError,
        match=r"^kinesis_mock: unknown option 'acount_id'; the options "
        r"are account_id, shard_limit, on_demand_stream_limit, creating_stream_limit, ",
    ):
        mock_kinesis(acount_id="123456789012")  # type: ignore[call-overload]
    with pytest.raises(
        ValueError,
        match=r"^kinesis_mock: account_id must be a 12-digit AWS "
        r"account id, got '42'$",
    ):
        KinesisMock(account_id="42")
    with pytest.raises(ValueError, match="^kinesis_mock: shard_limit must be a whole number"):
        KinesisMock(shard_limit=-1)
    with pytest.raises(TypeError, match="^kinesis_mock: cannot decorate 42"):
        KinesisMock()(42)


def test_repr() -> None:
    mock = KinesisMock(account_id="111122223333")
    assert repr(mock) == "<KinesisMock inactive account_id='111122223333'>"


@mock_kinesis
class DecoratedTestCase(unittest.TestCase):
    """setUpClass and tearDownClass run mocked; each test starts from what setUpClass built."""

    client: Any
    seen_in_teardown: list[str]

    @classmethod
    def setUpClass(cls) -> None:
        import boto3

        cls.client = boto3.client("kinesis", region_name=REGION)
        cls.client.create_stream(StreamName="from-setUpClass", ShardCount=1)

    @classmethod
    def tearDownClass(cls) -> None:
        cls.seen_in_teardown = names(cls.client)

    def setUp(self) -> None:
        self.client.create_stream(StreamName="from-setUp", ShardCount=1)

    def test_one(self) -> None:
        assert names(self.client) == ["from-setUp", "from-setUpClass"]
        self.client.create_stream(StreamName="from-test-one", ShardCount=1)

    def test_two(self) -> None:
        assert names(self.client) == ["from-setUp", "from-setUpClass"]
        self.client.create_stream(StreamName="from-test-two", ShardCount=1)


def test_unittest_class_decoration_covers_set_up_class() -> None:
    suite = unittest.TestSuite([DecoratedTestCase("test_one"), DecoratedTestCase("test_two")])
    result = unittest.TextTestRunner(stream=io.StringIO(), verbosity=0).run(suite)
    assert result.wasSuccessful(), result.failures + result.errors
    assert DecoratedTestCase.seen_in_teardown == ["from-setUp", "from-setUpClass", "from-test-two"]
    assert not kinesis_mock._activation._Runtime.stack


def test_unittest_set_up_class_failure_stops_the_mock() -> None:
    @mock_kinesis
    class Broken(unittest.TestCase):
        @classmethod
        def setUpClass(cls) -> None:
            raise RuntimeError("boom")

        def test_nothing(self) -> None:
            pass

    result = unittest.TextTestRunner(stream=io.StringIO(), verbosity=0).run(
        unittest.TestSuite([Broken("test_nothing")])
    )
    assert len(result.errors) == 1
    assert not kinesis_mock._activation._Runtime.stack


def test_pytest_style_class_and_fixture_and_marker(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        textwrap.dedent(
            """
        import boto3
        import pytest
        from kinesis_mock import KinesisMock, mock_kinesis

        def names():
            client = boto3.client("kinesis", region_name="us-east-1")
            return client.list_streams()["StreamNames"]

        @mock_kinesis
        class TestPytestStyle:
            @classmethod
            def setup_class(cls):
                boto3.client("kinesis", region_name="us-east-1").create_stream(
                    StreamName="from-setup-class", ShardCount=1)

            def setup_method(self, method):
                self.method_name = method.__name__

            def test_one(self):
                assert names() == ["from-setup-class"]
                assert self.method_name == "test_one"
                boto3.client("kinesis", region_name="us-east-1").create_stream(
                    StreamName="one", ShardCount=1)

            def test_two(self, kinesis_mock):
                assert isinstance(kinesis_mock, KinesisMock)
                assert names() == ["from-setup-class"]

        def test_fixture_starts_empty(kinesis_mock):
            assert kinesis_mock.active
            boto3.client("kinesis", region_name="us-east-1").create_stream(
                StreamName="s", ShardCount=1)

        def test_fixture_starts_empty_again(kinesis_mock):
            assert names() == []

        @pytest.mark.kinesis_mock(account_id="111122223333")
        def test_marker_options(kinesis_mock):
            assert kinesis_mock.account_id == "111122223333"

        @pytest.mark.kinesis_mock
        def test_marker_alone_activates():
            assert names() == []

        @pytest.mark.kinesis_mock(acount_id="111122223333")
        def test_marker_with_unknown_option(kinesis_mock):
            pass
        """
        )
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=6, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*kinesis_mock: unknown option 'acount_id' in the kinesis_mock marker; the options are "
            "account_id, shard_limit, on_demand_stream_limit, creating_stream_limit*",
        ]
    )


def test_marker_is_registered(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_subprocess("--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.kinesis_mock(**options):*"])


def test_importing_the_package_does_not_import_pytest(pytester: pytest.Pytester) -> None:
    script = pytester.makepyfile(
        check="""
        import sys
        import kinesis_mock
        assert "pytest" not in sys.modules and "_pytest" not in sys.modules, "pytest imported"
    """
    )
    result = pytester.run("python3", str(script))
    assert result.ret == 0, result.stderr.str()
