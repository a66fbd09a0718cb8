"""The documents stay true to the code: the error catalogue, the README's operation table and its
counts of recorded and chosen error texts."""

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
    # The base run ends with it (its failure ends the run: `set -e` does not stop inside an `&&`
    # list); the matrix of environments follows.
    assert ci[ci.index(f"{test_command} || exit 1") + 1] == '[[ "${1:-}" == "--base" ]] && exit 0'


def error_sources() -> dict[str, int]:
    """How many texts of docs/errors.md's table are recorded, chosen, unverified or the mock's own,
    by the table's source column."""
    counts = dict.fromkeys(("recorded", "chosen", "unverified", "own"), 0)
    for line in (ROOT / "docs" / "errors.md").read_text().splitlines():
        if not line.startswith("| ") or line.startswith(("| code ", "| ---")):
            continue
        source = line.rstrip(" |").rsplit("|", 1)[1].strip()
        if "chosen" in source:
            counts["chosen"] += 1
        elif "unverified" in source:
            counts["unverified"] += 1
        elif source == "—":
            counts["own"] += 1
        else:
            counts["recorded"] += 1
    return counts


def test_the_readme_counts_the_error_texts_as_errors_md_sources_them() -> None:
    counts = error_sources()
    readme = " ".join((ROOT / "README.md").read_text().split())
    assert f"{sum(counts.values())} texts, of which {counts['recorded']} were recorded against AWS" in readme
    assert f"{counts['chosen']} are wholly or partly chosen" in readme
    assert f"{counts['unverified']} are other mocks' or proposals' texts not verified against AWS" in readme
    assert f"and {counts['own']} (`NotImplemented`) is the mock's own" in readme
