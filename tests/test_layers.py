"""The layers keep to their jobs: handlers reach the backend only through its public surface."""

from __future__ import annotations

import ast
from pathlib import Path

OPERATIONS = Path(__file__).parent.parent / "kinesis_mock" / "operations"


def test_operations_import_only_the_backends_public_surface() -> None:
    for path in sorted(OPERATIONS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.ImportFrom)
                and node.level == 2
                and (node.module or "").startswith("backend")
            ):
                assert node.module == "backend", (path.name, node.module)


def test_handlers_set_no_status_and_fetch_no_region() -> None:
    # Status changes and region lookups belong to the backend's entry point of each operation.
    for path in sorted(OPERATIONS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute):
                assert node.attr not in {"phase", "begin", "fan_out", "sealer"}, (path.name, node.lineno)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                assert node.func.attr != "region", (path.name, node.lineno)
