"""The README stays true: its reports are what the command prints, its API example runs."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _block(marker: str) -> str:
    match = re.search(rf"<!-- {marker} -->\n```\w+\n(.*?)```", README, re.S)
    assert match, marker
    return match.group(1)


@pytest.fixture
def in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_text_report_in_readme(citynet, in_root):
    result = citynet("validate", "tests/acceptance/examples/broken.yaml", "--today", "2025-06-30")
    assert result.out == _block("readme-text-report")


def test_json_report_in_readme(citynet, in_root):
    result = citynet("validate", "tests/acceptance/examples/broken.yaml", "--today", "2025-06-30",
                     "--report", "json", "--select", "unknown-reference")
    assert result.out == _block("readme-json-report")


def test_main_job_command_in_readme(citynet, in_root):
    assert "citynet validate fixtures/examples/raunheim-network-2015.yaml" in README
    assert citynet("validate", "fixtures/examples/raunheim-network-2015.yaml").code == 0


def _sessions() -> list[str]:
    return re.findall(r"<!-- readme-session -->\n```console\n(.*?)```", README, re.S)


@pytest.mark.parametrize("session", _sessions(), ids=lambda s: s.split("\n", 1)[0][2:60])
def test_readme_sessions_print_what_the_readme_shows(session: str, citynet, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Each `$ citynet ...` line runs in a scratch folder that sees the repository's fixtures
    and examples; what it prints (standard output, then standard error) is what follows."""
    for name in ("fixtures", "tests"):
        (tmp_path / name).symlink_to(ROOT / name)
    monkeypatch.chdir(tmp_path)
    for command in re.split(r"^\$ ", session, flags=re.M)[1:]:
        line, _, expected = command.partition("\n")
        args = shlex.split(line)
        assert args[0] == "citynet"
        result = citynet(*args[1:])
        assert result.out + result.err == expected, line
        assert result.code in (0, 1), line


def test_there_are_readme_sessions() -> None:
    assert len(_sessions()) >= 3


def test_python_api_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    code = README.split("## The Python API", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    code = code.replace('"fixtures/', f'"{ROOT.as_posix()}/fixtures/')
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md", "exec"), {})
    assert (tmp_path / "german-partnerships.json").exists()
    assert capsys.readouterr().out.startswith("True ")
    assert os.listdir(tmp_path) == ["german-partnerships.json"]


def test_sparql_example_prints_what_the_readme_shows(citynet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys) -> None:
    (tmp_path / "fixtures").symlink_to(ROOT / "fixtures")
    monkeypatch.chdir(tmp_path)
    assert citynet("convert", "fixtures/cemr/partnerschaften-beispiel.csv", "--to", "turtle", "--base",
                   "https://data.example.org/", "-o", "partnerschaften.ttl").code == 0
    capsys.readouterr()
    exec(compile(_block("readme-sparql"), "README.md", "exec"), {})
    assert capsys.readouterr().out == _block("readme-sparql-output")


def test_configuration_example_in_readme_is_a_valid_configuration(tmp_path: Path) -> None:
    from citynet_exchange.config import load

    example = README.split("## Checking shared partnership files in CI", 1)[1].split("```toml\n", 1)[1]
    (tmp_path / "pyproject.toml").write_text(example.split("```", 1)[0], encoding="utf-8")
    config = load(tmp_path / "pyproject.toml")
    assert config.fail_on == "warning" and config.overrides[0].paths == ["imports/*"]
