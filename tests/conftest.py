"""Shared helpers: real boto3 clients, and a clean AWS environment for every test."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import freezegun
import pytest
from helpers import REGION, python_path

pytest_plugins = ["pytester"]

# freezegun rebinds the clock of every loaded module it does not ignore, pytest's own timer
# (_pytest.timing) included: a test that freezes time across setup or teardown would report a
# duration of decades in --durations (freezegun issue #463). The plugin does this too, for users,
# once freezegun is imported; the suite says it here so it holds with the plugin disabled.
freezegun.configure(extend_ignore_list=["_pytest.timing"])


@pytest.fixture(autouse=True)
def _no_aws_configuration(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    """No test may depend on the machine's AWS configuration, credentials or account variable."""
    for name in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_SECURITY_TOKEN",
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_DEFAULT_REGION",
        "AWS_REGION",
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_KINESIS",
        "KINESIS_MOCK_ACCOUNT_ID",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)


@pytest.fixture
def pytester(pytester: pytest.Pytester) -> pytest.Pytester:
    """pytest's own, in a project that sets pytest-asyncio's loop scope (a test dependency, which
    warns where it is unset)."""
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    return pytester


@pytest.fixture(autouse=True, scope="session")
def _children_import_this_checkout() -> Iterator[None]:
    """Every Python process a test starts (pytester's subprocess sessions, the examples, the
    server, scripts) imports this checkout's kinesis_mock, not whatever installation of it the
    interpreter has: an editable one may point at another checkout, or at none."""
    saved = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = python_path()
    yield
    if saved is None:
        del os.environ["PYTHONPATH"]
    else:
        os.environ["PYTHONPATH"] = saved


@pytest.fixture(scope="session")
def _shared_session() -> Any:
    # One botocore session for the whole run: it loads the kinesis model once, which keeps client
    # creation cheap. Tests about sessions and credentials make their own.
    return boto3.session.Session()


@pytest.fixture
def make_client(_shared_session: Any) -> Callable[..., Any]:
    """A factory of real boto3 kinesis clients (region us-east-1 unless told otherwise)."""

    def make(region: str = REGION, **kwargs: Any) -> Any:
        return _shared_session.client("kinesis", region_name=region, **kwargs)

    return make


@pytest.fixture
def client(kinesis_mock: Any, make_client: Callable[..., Any]) -> Iterator[Any]:
    """A kinesis client under an active mock."""
    yield make_client()


# -- the error catalogue ------------------------------------------------------------------------
# Every error reply of the run is recorded as (operation, code, template). With
# KINESIS_MOCK_WRITE_ERROR_DOCS=1 the run rewrites docs/errors-by-operation.md from them:
#     KINESIS_MOCK_WRITE_ERROR_DOCS=1 python3 -m pytest --deselect tests/test_docs.py
# tests/test_docs.py checks that the catalogue names every template errors.py defines.
_SEEN_ERRORS: set[tuple[str, str, str]] = set()


@pytest.fixture(autouse=True, scope="session")
def _record_errors() -> Iterator[None]:
    from kinesis_mock import _protocol
    from kinesis_mock._controls import InjectedError

    original = _protocol.handle

    def recording(backend: Any, request: Any, account_id: Any = None, controls: Any = None) -> Any:
        reply = original(backend, request, account_id, controls)
        # Codes the mock answers only when a test injects them are no part of the catalogue.
        if reply.error is not None and not isinstance(reply.error, InjectedError):
            _SEEN_ERRORS.add((request.operation, reply.error.code, reply.error.template or ""))
        return reply

    _protocol.handle = recording
    yield
    _protocol.handle = original


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    import os

    if os.environ.get("KINESIS_MOCK_WRITE_ERROR_DOCS") == "1" and exitstatus == 0:
        from errors_catalogue import write_catalogue

        write_catalogue(_SEEN_ERRORS)
