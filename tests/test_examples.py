"""Every script in examples/ runs, on a machine with no AWS configuration at all."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.py"))
# Examples that need a client library the default environment does not have (it has the newest
# botocore, which aioboto3's releases do not accept); they run in the async environment of .ci/run.
NEEDS = {"async_producer_consumer.py": "aioboto3"}


def example(path: Path) -> object:
    needed = NEEDS.get(path.name)
    if needed is None or importlib.util.find_spec(needed) is not None:
        return path
    return pytest.param(path, marks=pytest.mark.skip(reason=f"{needed} is not installed here"))


def test_there_are_examples() -> None:
    assert any(path.name == "quickstart.py" for path in EXAMPLES)


@pytest.mark.parametrize("script", [example(path) for path in EXAMPLES], ids=lambda path: path.name)
def test_example_runs(script: Path, tmp_path: Path) -> None:
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "KINESIS_MOCK_"))
    }
    environment.update(HOME=str(tmp_path), AWS_EC2_METADATA_DISABLED="true")
    done = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        env=environment,
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip(), "an example should show what it did"
