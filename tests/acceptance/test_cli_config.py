"""Configuration: `citynet.toml` or `[tool.citynet]`, found upwards; the command line wins,
then per-path overrides, then the top of the configuration."""

from __future__ import annotations

from pathlib import Path

import pytest

TODAY = "--today=2025-06-30"
TOWNS = 'standard: "1.0"\ntowns:\n  - {id: bremen, name: Bremen, country: DE}\n'
PARTNERSHIPS = ('standard: "1.0"\npartnerships:\n'
                '  - {id: bremen-riga, kind: twinning, members: [bremen, riga]}\n')


@pytest.fixture
def repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "towns").mkdir()
    (tmp_path / "partnerships").mkdir()
    (tmp_path / "drafts").mkdir()
    (tmp_path / "towns" / "bremen.yaml").write_text(TOWNS, encoding="utf-8")
    (tmp_path / "partnerships" / "bremen.yaml").write_text(PARTNERSHIPS, encoding="utf-8")
    (tmp_path / "drafts" / "broken.yaml").write_text("towns: [\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def codes(out: str) -> list[tuple[str, str]]:
    return [(line.split()[1], line.split()[2]) for line in out.splitlines()
            if ": " in line and not line.startswith(("    ", "valid", "invalid"))]


def test_without_configuration_every_file_and_code_counts(citynet, repository: Path) -> None:
    result = citynet("validate", ".", TODAY)
    assert ("error", "syntax-error") in codes(result.out) and ("error", "unknown-reference") in codes(result.out)
    assert result.code == 1


def test_exclude_severity_and_fail_on_from_pyproject_found_upwards(citynet, repository: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    (repository / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.citynet]\nexclude = ["drafts/*"]\nfail-on = "warning"\n'
        '[tool.citynet.severity]\nunknown-reference = "warning"\n', encoding="utf-8")
    monkeypatch.chdir(repository / "towns")  # found from a subfolder upwards
    result = citynet("validate", "..", TODAY)
    assert codes(result.out) == [("warning", "unknown-reference")]
    assert result.code == 1  # fail-on warning
    assert citynet("validate", "..", TODAY, "--fail-on", "error").code == 0  # the command line wins


def test_overrides_by_path_and_the_command_line_first(citynet, repository: Path) -> None:
    (repository / "citynet.toml").write_text(
        'ignore = ["orphan-town"]\ninclude = ["towns/*", "partnerships/*"]\n'
        '[[overrides]]\npaths = ["partnerships/*"]\nseverity = {unknown-reference = "info"}\n', encoding="utf-8")
    assert codes(citynet("validate", ".", TODAY).out) == [("info", "unknown-reference")]
    assert citynet("validate", ".", TODAY).code == 0
    selected = citynet("validate", ".", TODAY, "--select", "orphan-town")
    assert codes(selected.out) == []  # bremen is in a partnership; the command line's select wins


@pytest.mark.parametrize(("text", "message"), [
    ('ignor = ["x"]\n', "citynet.toml: ignor: not a key citynet knows"),
    ('fail-on = "sometimes"\n', "citynet.toml: fail-on:"),
    ('strict-plugins = "sometimes"\n', "citynet.toml: strict-plugins: Input should be a valid boolean"),
    ('severity = {nope = "error"}\n', "citynet.toml: unknown finding code(s) nope"),
    ('[[overrides]]\nseverity = {}\n', "citynet.toml: overrides.0.paths: Field required"),
    ("ignore = [\n", "citynet.toml: not valid TOML"),
])
def test_an_invalid_configuration_is_a_usage_error_naming_the_key(citynet, repository: Path, text: str,
                                                                   message: str) -> None:
    (repository / "citynet.toml").write_text(text, encoding="utf-8")
    result = citynet("validate", ".", TODAY)
    assert result.code == 2 and message in result.err


def test_overrides_say_how_files_are_read(citynet, repository: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    (repository / "tables").mkdir()
    (repository / "mappings").mkdir()
    (repository / "tables" / "partner.csv").write_bytes((root / "fixtures/flat/staedtepartnerschaften.csv").read_bytes())
    (repository / "mappings" / "st.yaml").write_bytes(
        (root / "fixtures/mappings/staedtepartnerschaften.yaml").read_bytes())
    (repository / "drafts" / "broken.yaml").unlink()
    (repository / "citynet.toml").write_text('exclude = ["mappings/*"]\n', encoding="utf-8")
    without = citynet("validate", ".", TODAY)  # a file found in a folder that no format reads is a finding
    assert without.code == 1 and "tables/partner.csv: error syntax-error cannot read the file: cannot tell the " \
        "format" in without.out
    (repository / "citynet.toml").write_text(
        'ignore = ["orphan-town"]\nexclude = ["mappings/*"]\n[[overrides]]\npaths = ["tables/*.csv"]\n'
        'format = "flat"\nmapping = "mappings/st.yaml"\n', encoding="utf-8")
    result = citynet("validate", ".", TODAY)
    assert "syntax-error" not in result.out and "tables/partner.csv:5 (row 5): error duplicate-partnership" \
        in result.out


def test_codes_may_be_named_by_prefix_on_the_command_line_and_in_the_configuration(citynet,
                                                                                    repository: Path) -> None:
    (repository / "drafts" / "broken.yaml").unlink()
    (repository / "partnerships" / "bremen.yaml").write_text(
        PARTNERSHIPS + "  - {id: bremen-riga, kind: twinning, members: [bremen, riga]}\n", encoding="utf-8")
    assert {code for _sev, code in codes(citynet("validate", ".", TODAY, "--select", "duplicate-").out)} == {
        "duplicate-id", "duplicate-partnership"}
    (repository / "citynet.toml").write_text('ignore = ["duplicate*", "orphan-town"]\n', encoding="utf-8")
    assert [code for _sev, code in codes(citynet("validate", ".", TODAY).out)] == ["unknown-reference"] * 2
    assert citynet("validate", ".", "--select", "nothing-").code == 2
