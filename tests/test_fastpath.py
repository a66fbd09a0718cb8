"""The endpoint parameters a hooked client resolves from its plan are botocore's own, for every
operation, call and client configuration: same parameters (values and order), same errors, same
``before-endpoint-resolution`` event and the same endpoint feature ids."""

from __future__ import annotations

import copy
import datetime
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.context import get_context, start_as_current_context
from botocore.credentials import Credentials
from fuzz_strategies import IMAGINED, calls
from helpers import REGION
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kinesis_mock import _fastpath, _model, mock_kinesis

# ARNs botocore's endpoint rules route, and ones they refuse (each refusal its own error).
_ARNS = (
    "arn:aws:kinesis:us-east-1:123456789012:stream/alpha",
    "arn:aws:kinesis:us-east-1:123456789012:stream/alpha/consumer/c:1",
    "arn:aws-cn:kinesis:cn-north-1:123456789012:stream/alpha",
    "arn:aws:kinesis:us-east-1:123456789012:",
    "arn:aws:s3:us-east-1:123456789012:stream/alpha",
    "arn:aws:kinesis:not a region:123456789012:stream/alpha",
    "arn:aws:kinesis:us-east-1:not an account:stream/alpha",
    "not an arn",
)
_CONFIGS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("us-east-1", {}),
    ("us-west-2", {"config": Config(use_fips_endpoint=True)}),
    ("eu-west-1", {"config": Config(use_dualstack_endpoint=True)}),
    ("cn-north-1", {}),
    ("us-gov-west-1", {"config": Config(use_fips_endpoint=True, use_dualstack_endpoint=True)}),
    ("us-east-1", {"endpoint_url": "http://localhost:4567"}),
)


def _clients() -> list[Any]:
    session = boto3.session.Session(aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret")
    made = [session.client("kinesis", region_name=region, **kwargs) for region, kwargs in _CONFIGS]
    # Credentials that carry an account id, and each account-id endpoint mode botocore has.
    for mode in ("preferred", "disabled", "required"):
        try:
            config = Config(account_id_endpoint_mode=mode)
        except TypeError:  # pragma: no cover - a botocore without the option
            break
        client = session.client("kinesis", region_name=REGION, config=config)
        client._request_signer._credentials = Credentials("AKIDEXAMPLE", "secret", account_id="123456789012")
        made.append(client)
    return made


@pytest.fixture(scope="module")
def planned() -> Any:
    clients = _clients()  # never called: no mock needed
    for client in clients:
        _fastpath.plan_endpoint_parameters(client._ruleset_resolver)
    yield clients
    for client in clients:
        vars(client._ruleset_resolver).pop("_get_provider_params", None)


def _resolve(resolver: Any, function: Any, model: Any, args: dict[str, Any]) -> tuple[Any, set[str]]:
    """What ``function`` resolves (or raises), and the feature ids it registered."""
    with start_as_current_context():
        try:
            outcome: Any = function(model, args, {})
        except Exception as error:
            outcome = (type(error), str(error))
        features = set(getattr(get_context(), "features", ()))
    if isinstance(outcome, dict):
        outcome = list(outcome.items())  # the order matters: botocore's endpoint cache keys on it
    return outcome, features


@settings(max_examples=300, suppress_health_check=list(HealthCheck), deadline=None)
@given(st.data())
def test_planned_parameters_are_botocores(planned: list[Any], data: st.DataObject) -> None:
    client = data.draw(st.sampled_from(planned))
    service = client.meta.service_model
    operation, args = data.draw(calls(service, IMAGINED, _model.operation_names(), broken_percent=50))
    for member in ("StreamARN", "ConsumerARN", "ResourceARN"):
        if data.draw(st.booleans()):
            args[member] = data.draw(st.sampled_from(_ARNS))
    model = service.operation_model(operation)
    resolver = client._ruleset_resolver
    ours = _resolve(resolver, resolver._get_provider_params, model, args)
    theirs = _resolve(resolver, type(resolver)._get_provider_params.__get__(resolver), model, args)
    assert ours == theirs


def test_a_handler_that_changes_the_builtins_is_honoured(make_client: Any) -> None:
    seen: list[str] = []

    def elsewhere(builtins: dict[str, Any], model: Any, **_: Any) -> None:
        seen.append(model.name)
        builtins["AWS::Region"] = "eu-west-1"

    with mock_kinesis():
        client = make_client()
        client.meta.events.register("before-endpoint-resolution.kinesis", elsewhere)
        client.list_streams()  # hooks the client
        resolver = client._ruleset_resolver
        assert "_get_provider_params" in vars(resolver)
        model = client.meta.service_model.operation_model("ListStreams")
        params = resolver._get_provider_params(model, {}, {})
        assert params["Region"] == "eu-west-1"
        assert seen == ["ListStreams", "ListStreams"]  # once a call, as botocore emits it
        url = resolver.construct_endpoint(model, {}, {}).url
        assert url == "https://kinesis.eu-west-1.amazonaws.com"
    assert "_get_provider_params" not in vars(resolver)


def test_an_arn_botocore_refuses_is_refused_the_same(client: Any) -> None:
    from botocore.exceptions import EndpointResolutionError

    with pytest.raises(EndpointResolutionError) as excinfo:
        client.describe_stream_summary(StreamARN="arn:aws:s3:us-east-1:123456789012:stream/alpha")
    assert str(excinfo.value) == ("Invalid ARN: The ARN was not for the Kinesis service, found: s3.")
    assert "_get_provider_params" in vars(client._ruleset_resolver)


def test_operations_the_plan_cannot_follow_keep_botocores_function(make_client: Any) -> None:
    with mock_kinesis():
        client = make_client()
        client.list_streams()
        resolver = client._ruleset_resolver
        model = client.meta.service_model.operation_model("DescribeLimits")  # not planned yet
        definition = copy.copy(resolver._param_definitions["Region"])
        definition.builtin = "AWS::Unheard::Of"  # a built-in this botocore does not know
        resolver._param_definitions = {**resolver._param_definitions, "Region": definition}
        with pytest.raises(Exception, match="Unheard"):
            resolver._get_provider_params(model, {}, {})


class _Model:
    """An operation model with only what the fast path reads."""

    def __init__(self, name: str, endpoint: dict[str, Any] | None = None) -> None:
        self.name = name
        self.endpoint = endpoint


def test_requests_the_mock_reads_from_their_body_are_serialized_at_once() -> None:
    def write(parameters: Any, model: Any) -> Any:
        return {"headers": {}, "body": b"{}"}

    assert _fastpath._template(write, _Model("NoSuchOperation")) is None
    assert _fastpath._template(write, _Model("ListStreams", {"hostPrefix": "{StreamName}."})) is None
    assert _fastpath._template(lambda *_: b"{}", _Model("ListStreams")) is None
    assert _fastpath._template(write, _Model("ListStreams")) == {"headers": {}}


def test_timestamps_that_do_not_convert_are_not_plain(make_client: Any) -> None:
    client = make_client()
    model = client.meta.service_model.operation_model("GetShardIterator")
    serializer = client._serializer._serializer
    good = {
        "ShardIteratorType": "AT_TIMESTAMP",
        "Timestamp": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    }
    assert _fastpath.timestamps_written(serializer, model, good)["Timestamp"] == 1767225600.0
    assert _fastpath.timestamps_written(serializer, model, [good]) is None
    assert _fastpath.timestamps_written(serializer, model, {**good, "Timestamp": "not a time"}) is None

    class Odd:
        def _convert_timestamp_to_str(self, value: Any, timestamp_format: Any) -> str:
            return "2026-01-01T00:00:00Z"  # a format the mock would read from the body

    assert _fastpath.timestamps_written(Odd(), model, good) is None


def test_a_deferred_request_is_a_dict_for_every_other_key() -> None:
    deferred = _fastpath.Deferred({"headers": {"a": "b"}, "method": "POST"}, {}, lambda: {"body": b"{}"})
    with pytest.raises(KeyError):
        deferred["nothing"]
    assert deferred.get("method") == "POST"
    assert deferred.get("nothing", 1) == 1
    assert "method" in deferred
    assert deferred.setdefault("url", "u") == "u"
    assert deferred.pop("url") == "u"
    assert deferred.unchanged()
    assert "body" not in dict.keys(deferred)
    deferred["body"] = b"replaced"
    assert not deferred.unchanged()


def test_resolvers_of_another_shape_keep_their_own_function() -> None:
    class Async:
        async def _get_provider_params(self, *_: Any) -> dict[str, Any]:  # pragma: no cover
            return {}

    class Partial:
        def _get_provider_params(self, *_: Any) -> dict[str, Any]:  # pragma: no cover
            return {}

    for resolver in (None, Async(), Partial()):
        _fastpath.plan_endpoint_parameters(resolver)
        assert "_get_provider_params" not in vars(resolver or Partial())


def test_a_resolver_without_feature_ids_is_planned(make_client: Any) -> None:
    client = make_client()
    resolver = client._ruleset_resolver
    model = client.meta.service_model.operation_model("ListStreams")
    expected = resolver._get_provider_params(model, {}, {})
    resolver._register_endpoint_feature_ids = None  # as in a botocore from before them
    try:
        _fastpath.plan_endpoint_parameters(resolver)
        vars(resolver).pop("_register_endpoint_feature_ids")
        assert resolver._get_provider_params(model, {}, {}) == expected
    finally:
        vars(resolver).pop("_get_provider_params", None)
