"""The documents stay true to the code: the error catalogue and the README's operation table."""

from __future__ import annotations

from pathlib import Path

from helpers import IMPLEMENTED

from kinesis_mock import errors

ROOT = Path(__file__).parent.parent


def error_classes() -> list[type[errors.KinesisError]]:
    return [
        cls
        for cls in vars(errors).values()
        if isinstance(cls, type) and issubclass(cls, errors.KinesisError) and cls is not errors.KinesisError
    ]


def test_the_catalogue_lists_every_operation_and_every_error_wording() -> None:
    catalogue = (ROOT / "docs" / "errors-by-operation.md").read_text()
    for operation in sorted(IMPLEMENTED):
        assert f"## {operation}\n" in catalogue, operation
    for cls in error_classes():
        for key, wording in cls.templates.items():
            assert f"`{cls.code}` ({key}): {wording.replace('|', '|')}" in catalogue, (cls.code, key)


def test_every_error_wording_has_its_source_in_errors_md() -> None:
    sources = (ROOT / "docs" / "errors.md").read_text()
    for cls in error_classes():
        assert cls.code in sources, cls.code


def test_the_readme_names_every_operation() -> None:
    readme = (ROOT / "README.md").read_text()
    for operation in sorted(IMPLEMENTED):
        assert operation in readme, operation


def test_ci_runs_the_readme_test_command() -> None:
    readme_commands = (ROOT / "README.md").read_text().split("```bash\n", 1)[1].split("```")[0]
    install_and_example, test_command = readme_commands.strip().splitlines()
    assert "examples/quickstart.py" in install_and_example
    ci = (ROOT / ".ci" / "run").read_text().strip().splitlines()
    assert ci[-1] == test_command
