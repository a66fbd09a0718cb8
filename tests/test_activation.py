"""Every activation form builds the same KinesisMock; nesting shares state; misuse explains itself."""

from __future__ import annotations

import asyncio
import functools
import io
import re
import subprocess
import sys
import textwrap
import unittest
from typing import Any

import freezegun
import pytest
from helpers import REGION

import kinesis_mock
from kinesis_mock import KinesisMock, mock_kinesis, plugin


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
    assert not kinesis_mock._runtime._Runtime.stack


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
    assert not kinesis_mock._runtime._Runtime.stack


def traced(hook: Any) -> Any:
    """A decorator of the usual kind: its wrapper takes ``*args``, so the hook's code is hidden."""

    @functools.wraps(hook)
    def run(*args: Any, **kwargs: Any) -> Any:
        TRACE.append(hook.__name__)
        return hook(*args, **kwargs)

    return run


TRACE: list[str] = []


@mock_kinesis
class WrappedHooksTestCase(unittest.TestCase):
    """Hooks behind decorators are called with unittest's signatures, all under the mock."""

    client: Any
    seen: list[list[str]] = []

    @classmethod
    @traced
    def setUpClass(cls) -> None:
        import boto3

        cls.client = boto3.client("kinesis", region_name=REGION)
        cls.client.create_stream(StreamName="from-setUpClass", ShardCount=1)

    @classmethod
    @traced
    def tearDownClass(cls) -> None:
        cls.seen.append(names(cls.client))

    @traced
    def setUp(self) -> None:
        self.client.create_stream(StreamName="from-setUp", ShardCount=1)

    @traced
    def tearDown(self) -> None:
        self.seen.append(names(self.client))

    def test_one(self) -> None:
        assert names(self.client) == ["from-setUp", "from-setUpClass"]
        self.client.create_stream(StreamName="from-test", ShardCount=1)

    def test_two(self) -> None:
        assert names(self.client) == ["from-setUp", "from-setUpClass"]


def test_unittest_hooks_behind_decorators() -> None:
    TRACE.clear()
    WrappedHooksTestCase.seen = []  # pytest runs the class too, as a unittest class it collects
    suite = unittest.TestSuite([WrappedHooksTestCase("test_one"), WrappedHooksTestCase("test_two")])
    result = unittest.TextTestRunner(stream=io.StringIO(), verbosity=0).run(suite)
    assert result.wasSuccessful(), result.failures + result.errors
    assert TRACE == ["setUpClass", "setUp", "tearDown", "setUp", "tearDown", "tearDownClass"]
    assert WrappedHooksTestCase.seen == [
        ["from-setUp", "from-setUpClass", "from-test"],
        ["from-setUp", "from-setUpClass"],
        ["from-setUp", "from-setUpClass"],
    ]
    assert not kinesis_mock._runtime._Runtime.stack


def test_unittest_subclass_of_a_decorated_class_sets_up_as_itself() -> None:
    class Child(WrappedHooksTestCase):
        pass

    result = unittest.TextTestRunner(stream=io.StringIO(), verbosity=0).run(
        unittest.TestSuite([Child("test_one")])
    )
    assert result.wasSuccessful(), result.failures + result.errors
    assert "client" in vars(Child), "setUpClass ran with cls=Child"


def test_pytest_style_hooks_behind_decorators(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        textwrap.dedent(
            """
        import functools
        import boto3
        from kinesis_mock import mock_kinesis

        TRACE = []

        def traced(hook):
            @functools.wraps(hook)
            def run(*args, **kwargs):
                TRACE.append(hook.__name__)
                return hook(*args, **kwargs)
            return run

        def names():
            return boto3.client("kinesis", region_name="us-east-1").list_streams()["StreamNames"]

        def create(name):
            boto3.client("kinesis", region_name="us-east-1").create_stream(StreamName=name, ShardCount=1)

        @mock_kinesis
        class TestWrapped:
            @classmethod
            @traced
            def setup_class(cls):
                create("from-setup-class")

            @classmethod
            @traced
            def teardown_class(cls):
                TRACE.append(names())

            @traced
            def setup_method(self, method):
                self.method_name = method.__name__
                create(method.__name__)

            @traced
            def teardown_method(self, method):
                TRACE.append(names())

            def test_one(self):
                assert self.method_name == "test_one"
                assert names() == ["from-setup-class", "test_one"]

            def test_two(self):
                assert names() == ["from-setup-class", "test_two"]

        @mock_kinesis
        class TestStaticAndPlainHooks:
            @staticmethod
            def setup_class():
                create("from-static")

            def teardown_class(cls):
                TRACE.append(cls.__name__)

            def test_static(self):
                assert names() == ["from-static"]

        class Hook:
            def __call__(self, method):
                TRACE.append(method.__name__)

        @mock_kinesis
        class TestCallableHookAndNoClassHooks:
            setup_method = Hook()

            def test_callable(self):
                assert names() == []

        def test_trace():
            assert TRACE == [
                "setup_class", "setup_method", "teardown_method", ["from-setup-class", "test_one"],
                "setup_method", "teardown_method", ["from-setup-class", "test_two"],
                "teardown_class", ["from-setup-class", "test_two"], "TestStaticAndPlainHooks",
                "test_callable",
            ]
        """
        )
    )
    # In process, so that coverage sees the decoration at work.
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=5)


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


def test_marker_misuse_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest
        from kinesis_mock._runtime import _Runtime

        @pytest.mark.kinesis_mock("111122223333")
        def test_positional():
            pass

        @pytest.mark.kinesis_mock(shard_limit=-1)
        def test_bad_value():
            pass

        @pytest.mark.kinesis_mock
        class TestMarkedClass:
            def test_marked_through_its_class(self):
                assert len(_Runtime.stack) == 1
        """
    )
    # In process, so that coverage sees the plugin at work.
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, errors=2)
    result.stdout.fnmatch_lines(
        [
            "*kinesis_mock: the kinesis_mock marker takes keyword options only (account_id, shard_limit, *",
            "*kinesis_mock: shard_limit must be a whole number >= 0, got -1",
        ]
    )


def test_marker_is_registered(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_subprocess("--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.kinesis_mock(**options):*"])


def test_importing_the_package_does_not_import_pytest() -> None:
    # sys.executable: the interpreter running this suite is the one that has the package under test
    # (a bare "python3" may be another interpreter, without it or with another copy of it).
    code = textwrap.dedent(
        """
        import sys
        import kinesis_mock
        from kinesis_mock import KinesisMock, mock_kinesis
        assert "pytest" not in sys.modules and "_pytest" not in sys.modules, "pytest imported"
        assert "botocore" in sys.modules
        """
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert (result.returncode, result.stderr) == (0, "")


def test_the_plugin_is_light_and_the_marker_alone_activates(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        import sys

        # Conftests are imported after the plugins the pytest11 entry points load.
        assert "kinesis_mock.plugin" in sys.modules
        LOADED_WITH_THE_PLUGIN = sorted({"boto3", "botocore"} & set(sys.modules))

        def pytest_report_header(config):
            return f"loaded with the plugin: {LOADED_WITH_THE_PLUGIN}"
        """
    )
    pytester.makepyfile(
        """
        import boto3
        import pytest
        from kinesis_mock._runtime import _Runtime

        @pytest.mark.kinesis_mock(account_id="111122223333")
        def test_marked_without_the_fixture_argument(request):
            assert "kinesis_mock" in request.fixturenames
            [mock] = _Runtime.stack
            assert mock.account_id == "111122223333"
            client = boto3.client("kinesis", region_name="us-east-1")
            client.create_stream(StreamName="s", ShardCount=1)
            assert client.list_streams()["StreamNames"] == ["s"]

        def test_unmarked_gets_no_mock(request):
            assert "kinesis_mock" not in request.fixturenames
            assert not _Runtime.stack
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["loaded with the plugin: []"])


def test_freezing_time_across_setup_leaves_pytest_durations_true(pytester: pytest.Pytester) -> None:
    # freezegun rebinds _pytest.timing's clock unless told to ignore it; the plugin tells it.
    pytester.makepyfile(
        """
        import freezegun
        import pytest
        from freezegun import freeze_time

        @pytest.fixture
        def frozen():
            with freeze_time("2020-01-01"):
                yield

        def test_frozen(frozen):
            assert "_pytest.timing" in freezegun.config.settings.default_ignore_list
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--durations=0", "-vv")
    result.assert_outcomes(passed=1)
    durations = re.findall(r"^([0-9.]+)s (?:setup|call|teardown) ", result.stdout.str(), re.MULTILINE)
    assert len(durations) == 3, result.stdout.str()
    # Unshielded, the setup reports the frozen instant as seconds since the epoch (about 1.6e9).
    assert max(map(float, durations)) < 3600, durations


def test_the_plugin_configures_freezegun_once_it_is_imported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(freezegun.config, "settings", freezegun.config.Settings())
    assert "_pytest.timing" not in freezegun.config.settings.default_ignore_list
    plugin._shield_pytest_clock()
    plugin._shield_pytest_clock()
    ignored = freezegun.config.settings.default_ignore_list
    assert ignored.count("_pytest.timing") == 1 and ignored[0] == "nose.plugins"
    monkeypatch.delitem(sys.modules, "freezegun")
    plugin._shield_pytest_clock()
