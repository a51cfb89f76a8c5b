"""The `citynet` command: a thin click layer over `citynet_exchange.api`.

`main` is the console-script entry point; `exits.run` is the one place where failures
become exit codes.
"""

from __future__ import annotations

from collections.abc import Sequence

from citynet_exchange.cli.exits import run


def main(argv: Sequence[str] | None = None) -> None:
    from citynet_exchange.cli.commands import cli

    raise SystemExit(run(cli, argv))


__all__ = ["main"]
