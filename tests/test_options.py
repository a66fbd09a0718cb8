"""Options are defined once (kinesis_mock._options.Options); everything else is held against them."""

from __future__ import annotations

import dataclasses
import re
import typing
from pathlib import Path

import pytest

from kinesis_mock import KinesisMock, mock_kinesis
from kinesis_mock._options import NAMES, Options, OptionValues, docstring, table
from kinesis_mock.backend import Quotas

ROOT = Path(__file__).parent.parent
_ROW = re.compile(r"^\| `(\w+)` \| (.+) \| (.+) \|$")


def readme_tables() -> list[list[tuple[str, str, str]]]:
    section = (ROOT / "README.md").read_text().split("\n## Options\n", 1)[1].split("\n## ", 1)[0]
    tables: list[list[tuple[str, str, str]]] = []
    for block in section.split("| option | default | meaning |\n| --- | --- | --- |\n")[1:]:
        rows = [_ROW.match(line) for line in block.split("\n\n", 1)[0].splitlines()]
        assert all(rows), block
        tables.append([(row[1], row[2], row[3]) for row in rows if row])
    return tables


def test_the_readme_tables_are_the_options() -> None:
    expected = [table(quota=False), table(quota=True)]
    rows = "\n\n".join("\n".join(f"| `{n}` | {d} | {m} |" for n, d, m in rows) for rows in expected)
    assert readme_tables() == expected, f"README.md's two options tables should read:\n{rows}"


def test_the_keyword_typing_is_the_options() -> None:
    assert typing.get_type_hints(OptionValues) == typing.get_type_hints(Options)
    assert tuple(OptionValues.__annotations__) == NAMES
    assert OptionValues.__required_keys__ == frozenset()


def test_the_quotas_are_the_quota_options_with_their_defaults() -> None:
    quota_options = {name for name, _, _ in table(quota=True)}
    assert set(Quotas.__dataclass_fields__) == quota_options
    defaults = {spec.name: spec.default for spec in dataclasses.fields(Options)}
    assert {spec.name: spec.default for spec in dataclasses.fields(Quotas)} == {
        name: defaults[name] for name in quota_options
    }


def test_the_docstring_lists_every_option() -> None:
    assert KinesisMock.__doc__ is not None and KinesisMock.__doc__.rstrip().endswith(
        "\n".join("    " + line for line in docstring().splitlines())
    )
    for name in NAMES:
        assert f"\n        {name}: " in KinesisMock.__doc__, name


def test_options_are_kept_as_given() -> None:
    mock = KinesisMock(account_id="111122223333", shard_limit=7, state_change_seconds=2)
    assert mock.options == Options(account_id="111122223333", shard_limit=7, state_change_seconds=2)
    assert (mock.account_id, mock.quotas.shard_limit, mock.options.subscribe_idle_seconds) == (
        "111122223333",
        7,
        0.1,
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        mock.options.shard_limit = 8  # type: ignore[misc]


def test_an_unknown_option_reads_the_same_in_every_spelling() -> None:
    expected = f"kinesis_mock: unknown option 'acount_id'; the options are {', '.join(NAMES)}"
    with pytest.raises(TypeError) as constructor:
        KinesisMock(acount_id="123456789012")  # type: ignore[call-arg]
    with pytest.raises(TypeError) as function:
        mock_kinesis(acount_id="123456789012")  # type: ignore[call-overload]
    assert str(constructor.value) == str(function.value) == expected
    with pytest.raises(
        TypeError, match=r"^kinesis_mock: unknown option 'a', 'b'; the options are account_id, "
    ):
        KinesisMock(b=1, a=2)  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"account_id": 123456789012}, "account_id must be a 12-digit AWS account id, got 123456789012"),
        ({"shard_limit": 1.5}, "shard_limit must be a whole number >= 0, got 1.5"),
        ({"tag_limit": None}, "tag_limit must be a whole number >= 0, got None"),
        ({"consumer_limit": True}, "consumer_limit must be a whole number >= 0, got True"),
        ({"state_change_seconds": -1}, "state_change_seconds must be a number >= 0, got -1"),
        ({"subscribe_idle_seconds": "1"}, "subscribe_idle_seconds must be a number >= 0, got '1'"),
    ],
)
def test_bad_values_name_the_option(options: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError) as excinfo:
        KinesisMock(**options)  # type: ignore[arg-type]
    assert str(excinfo.value) == f"kinesis_mock: {message}"


def test_none_means_the_default_only_where_the_default_is_none() -> None:
    assert KinesisMock(account_id=None, shard_limit=None).options == Options()
