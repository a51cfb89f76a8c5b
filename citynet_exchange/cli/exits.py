"""Exit codes, in one place.

0: nothing at or above the failure threshold; 1: data findings at or above it (syntax
errors in the data included, and values a conversion would lose); 2: usage error (bad
option, missing file, unknown format, an output that is an input); 3: internal error (a bug,
or a plugin, rule or exporter that failed, so the verdict is incomplete). No traceback
reaches a user unless asked for with `--debug`.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Sequence
from enum import IntEnum

import click

from citynet_exchange.errors import PluginFailure, UsageError


class Exit(IntEnum):
    OK = 0
    FINDINGS = 1
    USAGE = 2
    INTERNAL = 3


def run(command: click.Command, argv: Sequence[str] | None) -> int:
    """Run a click command, turning its result or failure into an exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        result = command.main(args=args, prog_name="citynet", standalone_mode=False)
    except click.exceptions.Exit as exc:  # --help, --version
        return exc.exit_code
    except click.ClickException as exc:  # bad option or argument
        exc.show()
        return Exit.USAGE
    except click.Abort:
        click.echo("citynet: aborted", err=True)
        return Exit.USAGE
    except UsageError as exc:
        click.echo(f"citynet: error: {exc}", err=True)
        return Exit.USAGE
    except Exception as exc:  # a bug, ours or a plugin's: say so, traceback only on request
        if "--debug" in args:
            traceback.print_exc()
        elif isinstance(exc, PluginFailure):  # its message names the plugin
            click.echo(f"citynet: error: {exc}", err=True)
        else:
            click.echo(f"citynet: internal error: {type(exc).__name__}: {exc} "
                       "(this is a bug; rerun with --debug for the traceback)", err=True)
        return Exit.INTERNAL
    return int(result or 0)
