"""The ``kinesis-mock`` command: ``kinesis-mock serve`` runs the mock as an HTTP endpoint.

    kinesis-mock serve [--host 127.0.0.1] [--port 4567] [--state FILE [--save-interval SECONDS]]
                       [--account-id ID] [--region-default REGION] [--http2] [--log-level LEVEL]
                       [every KinesisMock option as --kebab-case, e.g. --shard-limit 50]

``python -m kinesis_mock serve`` is the same. The endpoint URL is printed on stdout when the server
is ready; one line per request (operation, status, milliseconds) goes to stderr at ``info``.
Ctrl-C or SIGTERM stops it cleanly (saving the state file, if one is given).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import signal
import sys
from collections.abc import Sequence
from typing import Any

from ._activation import KinesisMock
from ._options import NAMES as OPTIONS
from ._options import Options
from ._snapshot import SnapshotError

_SERVER_OPTIONS = {"account_id"}  # spelled out below with their own help


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; the exit status."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(name)s %(message)s")
    options = {name: getattr(args, name) for name in OPTIONS if getattr(args, name) is not None}
    try:
        mock = KinesisMock(**options)
        from .server._runner import Endpoint

        endpoint = Endpoint(
            mock, args.host, args.port, args.state, args.save_interval, args.region_default, args.http2
        )
        endpoint.prepare()
        from .server import _new_loop

        with asyncio.Runner(loop_factory=_new_loop) as runner:
            runner.run(_serve(endpoint))
    except ImportError as error:
        print(
            f"kinesis-mock: server mode needs the 'server' extra ({error.name} is missing); "
            "install it with: pip install 'kinesis-mock[server]'",
            file=sys.stderr,
        )
        return 1
    except (SnapshotError, ValueError, OSError) as error:
        print(
            f"kinesis-mock: {error}".replace("kinesis-mock: kinesis_mock: ", "kinesis-mock: "),
            file=sys.stderr,
        )
        return 1
    return 0


async def _serve(endpoint: Any) -> None:
    loop = asyncio.get_running_loop()
    for name in ("SIGINT", "SIGTERM"):
        loop.add_signal_handler(getattr(signal, name), endpoint.request_stop)
    await endpoint.run(lambda url: print(url, flush=True))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kinesis-mock", description="A mock of Amazon Kinesis Data Streams."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the mock over HTTP (AWS JSON 1.1 and CBOR)")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback only)")
    serve.add_argument(
        "--port", type=int, default=4567, help="port to bind; 0 picks a free one (default 4567)"
    )
    serve.add_argument("--state", help="state file: loaded at start if present, saved on shutdown")
    serve.add_argument("--save-interval", type=float, help="also save the state file every N seconds")
    serve.add_argument("--account-id", help="the account every call acts as (default: from the credentials)")
    serve.add_argument(
        "--region-default", default="us-east-1", help="region of requests without a SigV4 scope"
    )
    serve.add_argument("--http2", action="store_true", help="also serve HTTP/2 (h2c); HTTP/1.1 gets slower")
    serve.add_argument(
        "--log-level", default="info", choices=["debug", "info", "warning", "error"], help="default info"
    )
    for spec in dataclasses.fields(Options):
        if spec.name in _SERVER_OPTIONS:
            continue
        annotation = str(spec.type)
        kind = float if "float" in annotation else int if "int" in annotation else str
        serve.add_argument(
            "--" + spec.name.replace("_", "-"),
            type=kind,
            metavar=kind.__name__.upper(),
            help=f"{spec.metadata['meaning']} (default {spec.metadata['default']})",
        )
    return parser


if __name__ == "__main__":  # pragma: no cover - run as a module through __main__
    sys.exit(main())
