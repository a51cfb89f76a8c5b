"""The pre-commit hook (`.pre-commit-hooks.yaml`), installed by the pre-commit package into a
temporary git repository and run on a good and a bad file. Skipped where pre-commit is not
installed or cannot build the hook's environment (no package index)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD = 'standard: "1.0"\ntowns:\n  - {id: bremen, name: Bremen, country: DE}\n'
BAD = 'standard: "1.0"\ntowns:\n  - {id: bremen, name: Bremen, country: de}\n'


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=900)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_hook_passes_a_good_file_and_stops_a_bad_one(tmp_path: Path) -> None:
    pytest.importorskip("pre_commit", reason="pre-commit is not installed")
    head = run("git", "rev-parse", "HEAD", cwd=ROOT).stdout.strip()
    if not head or run("git", "status", "--porcelain", ".pre-commit-hooks.yaml", cwd=ROOT).stdout:
        pytest.skip("the hook file is not committed in this checkout")
    repo = tmp_path / "data"
    repo.mkdir()
    assert run("git", "init", "-q", cwd=repo).returncode == 0
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT}\n    rev: {head}\n    hooks: [{{id: citynet-validate}}]\n", encoding="utf-8")
    (repo / "good.yaml").write_text(GOOD, encoding="utf-8")
    env_home = tmp_path / "cache"
    command = [sys.executable, "-m", "pre_commit", "run", "--files", "good.yaml"]
    good = subprocess.run(command, cwd=repo, capture_output=True, text=True, timeout=900,
                          env={"PRE_COMMIT_HOME": str(env_home), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    if good.returncode != 0 and "citynet validate" not in good.stdout:
        pytest.skip(f"pre-commit could not build the hook's environment: {good.stdout[-300:]} {good.stderr[-300:]}")
    assert good.returncode == 0, good.stdout
    (repo / "bad.yaml").write_text(BAD, encoding="utf-8")
    bad = subprocess.run([*command[:-1], "bad.yaml"], cwd=repo, capture_output=True, text=True, timeout=900,
                         env={"PRE_COMMIT_HOME": str(env_home), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert bad.returncode == 1
    assert "bad.yaml:3:41: error invalid-format 'de' is not a valid 'country'" in bad.stdout
