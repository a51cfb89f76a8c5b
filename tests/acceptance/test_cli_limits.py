"""`--limit` and `[tool.citynet.limits]`: the caps on what a run reads, from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "fixtures/examples/raunheim-network-2015.yaml"
TODAY = "--today=2025-06-30"


def test_a_cap_set_on_the_command_line_gives_a_finding_that_says_how_to_raise_it(citynet) -> None:
    result = citynet("validate", str(EXAMPLE), TODAY, "--limit", "records=2")
    assert result.code == 1
    assert f"{EXAMPLE}:50:5: error limit-exceeded record 3 of the dataset (it and those after it were not read) " \
           "is past the limit records = 2; raise it with --limit records=N" in result.out
    assert citynet("validate", str(EXAMPLE), TODAY, "--limit", "records=25").code == 0


def test_the_configuration_sets_caps_and_the_command_line_wins(citynet, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "citynet.toml").write_text("[limits]\ninput-bytes = \"1k\"\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    capped = citynet("validate", str(EXAMPLE), TODAY)
    assert (capped.code, "the file of 7,034 bytes (it was not read) is past the limit input-bytes = 1,000") == (
        1, capped.out.split(" error limit-exceeded ")[1].split(";")[0])
    assert citynet("validate", str(EXAMPLE), TODAY, "--limit", "input-bytes=1MiB").code == 0


@pytest.mark.parametrize(("args", "message"), [
    (("--limit", "rows=5"), "--limit: 'rows' is not a limit; the limits: input-bytes, unpacked-bytes, records"),
    (("--limit", "records"), "write it as NAME=VALUE"),
    (("--limit", "depth=deep"), "--limit: depth: 'deep' is not a positive count"),
])
def test_a_bad_limit_is_a_usage_error(citynet, args: tuple[str, ...], message: str) -> None:
    result = citynet("validate", str(EXAMPLE), *args)
    assert result.code == 2 and message in result.err


def test_convert_and_stats_take_the_caps_too(citynet, tmp_path: Path) -> None:
    converted = citynet("convert", str(EXAMPLE), "--to", "json", "-o", str(tmp_path / "out.json"),
                        "--limit", "input-bytes=100")
    assert converted.code == 1 and "limit-exceeded" in converted.err and not (tmp_path / "out.json").exists()
    stats = citynet("stats", str(EXAMPLE), "--limit", "input-bytes=100")
    assert stats.code == 1 and "error limit-exceeded the file of 7,034 bytes" in stats.err
