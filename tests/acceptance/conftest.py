"""Run `citynet` in-process and capture its exit code and output."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from citynet_exchange.cli import main



@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def citynet(capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    def run(*args: str) -> Result:
        capsys.readouterr()
        with pytest.raises(SystemExit) as exc:
            main(list(args))
        captured = capsys.readouterr()
        return Result(exc.value.code, captured.out, captured.err)  # type: ignore[arg-type]

    return run
