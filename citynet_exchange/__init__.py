"""citynet-exchange: the data-exchange standard and validator for town twinning data.

The public Python API (`load`, `validate`, `convert` ...) lives in `citynet_exchange.api`
and is re-exported here lazily, as is the plugins' `hookimpl` marker, so that `import
citynet_exchange` (and `citynet --help`) stays fast.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
STANDARD_VERSION = "1.0"

_API = ("load", "validate", "validate_data", "convert", "same_dataset", "differences", "Options", "Report",
        "Document", "UsageError", "ReadOptions", "WriteOptions")


def __getattr__(name: str) -> Any:
    if name == "hookimpl":  # the marker plugins use; pluggy is imported when a plugin is
        from citynet_exchange.hookspecs import hookimpl

        return hookimpl
    if name in _API:
        from citynet_exchange import api

        return getattr(api, name)
    raise AttributeError(f"module 'citynet_exchange' has no attribute {name!r}")


__all__ = ["STANDARD_VERSION", "__version__", "hookimpl", *_API]
