"""``python -m kinesis_mock serve``: the same as the ``kinesis-mock`` command."""

import sys

from kinesis_mock.cli import main

sys.exit(main())
