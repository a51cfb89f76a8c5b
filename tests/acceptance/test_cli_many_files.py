"""Many files as one dataset: references and ids across files, folders walked, each file's
findings in its own place."""

from __future__ import annotations

from pathlib import Path

import pytest

TODAY = "--today=2025-06-30"


@pytest.fixture
def repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository of shared partnership files: towns in one folder, partnerships in another."""
    (tmp_path / "towns").mkdir()
    (tmp_path / "partnerships").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "ignored.yaml").write_text("not: [a dataset", encoding="utf-8")
    (tmp_path / "towns" / "bremen.yaml").write_text(
        'standard: "1.0"\ntowns:\n  - {id: bremen, name: Bremen, country: DE}\n', encoding="utf-8")
    (tmp_path / "towns" / "more.yaml").write_text(
        'standard: "1.0"\ntowns:\n  - {id: gdansk, name: Gdansk, country: PL}\n'
        '  - {id: bremen, name: Bremen an der Weser, country: DE}\n', encoding="utf-8")
    (tmp_path / "partnerships" / "bremen.json").write_text(
        '{"standard": "1.0", "partnerships": [\n'
        ' {"id": "bremen-gdansk", "kind": "twinning", "members": ["bremen", "gdansk"]},\n'
        ' {"id": "bremen-riga", "kind": "twinning", "members": ["bremen", "riga"]}]}\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_folder_is_one_dataset_across_its_files(citynet, repository: Path) -> None:
    result = citynet("validate", ".", TODAY)
    assert result.code == 1
    assert result.out.splitlines() == [
        "partnerships/bremen.json:3:66: error unknown-reference there is no town with id 'riga' in this dataset",
        "towns/more.yaml:4:10: error duplicate-id the town id 'bremen' is already used by another town",
        "    see towns/bremen.yaml:3:5",
        "invalid: 2 errors, 0 warnings, 0 info in 3 files (5 records)",
    ]


def test_files_named_one_by_one_are_one_dataset_too_unless_told_otherwise(citynet, repository: Path) -> None:
    together = citynet("validate", "towns/bremen.yaml", "partnerships/bremen.json", TODAY, "--select",
                       "unknown-reference")
    assert together.out.count("unknown-reference") == 2  # gdansk and riga; bremen is in the other file
    separately = citynet("validate", "towns/bremen.yaml", "partnerships/bremen.json", TODAY, "--select",
                         "unknown-reference", "--separately")
    assert separately.out.count("unknown-reference") == 4  # the partnerships file alone knows no town


def test_a_file_that_cannot_be_read_does_not_stop_the_others(citynet, repository: Path) -> None:
    (repository / "towns" / "broken.yaml").write_text("towns: [\n", encoding="utf-8")
    result = citynet("validate", ".", TODAY, "--select", "syntax-error,unknown-reference")
    assert "towns/broken.yaml:2:1: error syntax-error" in result.out
    assert "partnerships/bremen.json:3:66: error unknown-reference" in result.out
