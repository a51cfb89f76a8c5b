"""`python -m citynet_exchange` runs the `citynet` command."""

from citynet_exchange.cli import console

console()
