"""Writes docs/errors-by-operation.md from the errors a test run saw (see conftest.py)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from kinesis_mock import errors
from kinesis_mock.operations import HANDLERS

DOC = Path(__file__).parent.parent / "docs" / "errors-by-operation.md"
_CLASSES = {
    cls.code: cls
    for cls in vars(errors).values()
    if isinstance(cls, type) and issubclass(cls, errors.KinesisError)
}


def text_of(code: str, template: str) -> str:
    cls = _CLASSES[code]
    if not template:
        return "(no message)"
    return cls.templates[template]


def write_catalogue(seen: set[tuple[str, str, str]]) -> None:
    by_operation: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for operation, code, template in seen:
        by_operation[operation].add((code, template))
    lines = [
        "# Errors by operation",
        "",
        "Every error the mock answers each operation with, and its wording (`{...}` are filled",
        "in). Generated from a test run:",
        "`KINESIS_MOCK_WRITE_ERROR_DOCS=1 python3 -m pytest --deselect tests/test_docs.py`.",
        "Where each wording comes from: [errors.md](errors.md). Besides these, any operation",
        "answers `SerializationException` for JSON of the wrong types and `ValidationException`",
        "for values that break the model's constraints (the `{count} validation {noun}` form).",
        "",
    ]
    for operation in sorted(HANDLERS):
        lines.append(f"## {operation}")
        lines.append("")
        rows = sorted(by_operation.get(operation, ()))
        for code, template in rows:
            wording = text_of(code, template).replace("|", "\\|")
            lines.append(f"- `{code}` ({template or '-'}): {wording}")
        if not rows:
            lines.append("- (none seen)")
        lines.append("")
    DOC.write_text("\n".join(lines))
