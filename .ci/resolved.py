"""Print the version of one distribution in a `pip install --dry-run --report -` report (stdin)."""

from __future__ import annotations

import json
import sys

name = sys.argv[1].lower()
report = json.load(sys.stdin)
print(
    next(
        item["metadata"]["version"] for item in report["install"] if item["metadata"]["name"].lower() == name
    )
)
