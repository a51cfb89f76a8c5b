"""The HTML report: one self-contained page with the findings, their places, the offending
values in context and the rules' explanations, in English or German."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from html_findings import findings_shown, scripts_of

ROOT = Path(__file__).resolve().parents[2]
BROKEN = ROOT / "tests/acceptance/examples/broken.yaml"
PACKAGE = ROOT / "tests/acceptance/examples/broken-package"
TODAY = "--today=2025-06-30"


def _report(citynet, tmp_path: Path, *args: str) -> tuple[int, str]:
    target = tmp_path / "report.html"
    result = citynet("validate", *args, TODAY, "--report", f"html:{target}")
    assert result.out == ""
    return result.code, target.read_text(encoding="utf-8")


def test_a_yaml_file_shows_each_finding_with_its_line_in_context(citynet, tmp_path: Path) -> None:
    code, page = _report(citynet, tmp_path, str(BROKEN))
    assert code == 1
    shown = findings_shown(page)
    assert [(f.code, f.severity) for f in shown] == [("unknown-field", "error"), ("invalid-code", "error"),
                                                     ("wrong-type", "error"), ("unknown-reference", "error")]
    unknown = shown[0]
    assert "'popullation' is not a field of town 'gdansk'" in unknown.text
    assert "line 11 · column 5 · pointer /towns/1/popullation" in unknown.text
    # the line of the finding, marked, with the line before and after it, and a caret under the column
    assert unknown.marked == ["11     popullation: 470000"]
    assert re.search(r"10\s+website: https://www.gdansk.pl\s+11\s+popullation: 470000\s+\^\s+12\s+partnerships:",
                     unknown.excerpt)
    assert "A field is not part of the standard" in unknown.text  # the rule's title, linked to its explanation
    assert 'id="rule-unknown-field"' in page and "fields of your own go under" not in page.split('id="rules"')[0]


def test_the_summary_counts_by_severity_code_and_file(citynet, tmp_path: Path) -> None:
    _code, page = _report(citynet, tmp_path, str(PACKAGE))
    verdict = re.search(r'<p class="verdict invalid">(.*?)</p>', page)
    assert verdict and "Errors: 6 · Warnings: 0 · Info: 1 · Files: 1 · Records: 5" in verdict.group(1)
    by_code = page.split("By code")[1].split("</table>")[0]
    assert re.search(r"<code>extra-cell</code>.*?<td>1</td>", by_code)
    by_file = page.split("By file")[1].split("</table>")[0]
    assert re.search(r"partnerships\.csv</span></td><td>5</td><td>0</td><td>0</td>", by_file)
    assert re.search(r"towns\.csv</span></td><td>1</td><td>0</td><td>1</td>", by_file)


def test_a_table_finding_shows_the_header_and_its_row_with_the_cell_marked(citynet, tmp_path: Path) -> None:
    _code, page = _report(citynet, tmp_path, str(PACKAGE))
    kind = next(f for f in findings_shown(page) if f.code == "invalid-code")
    assert "row 4 · field kind" in kind.text and "line" not in kind.text
    assert kind.marked == ["kind", "Partnerschaft"]
    assert re.sub(r"\s+", " ", kind.excerpt).split() == ["#", "id", "kind", "members", "established",
                                                         "4", "bremen-riga", "Partnerschaft", "bremen", "riga", "1985"]


def test_findings_are_grouped_by_file_and_record(citynet, tmp_path: Path) -> None:
    _code, page = _report(citynet, tmp_path, str(PACKAGE))
    partnerships = page.split("partnerships.csv</h3>")[1].split('<section class="group file">')[0]
    headings = re.findall(r"<h4>(.*?)</h4>", partnerships)
    assert headings == ["Record: partnership <code>gdansk-bremen</code>", "no record",
                        "Record: partnership <code>bremen-riga</code>"]
    riga = partnerships.split("<code>bremen-riga</code>")[1]
    assert [f.code for f in findings_shown(riga)] == ["invalid-format", "invalid-code", "invalid-value"]


def test_a_zipped_package_and_a_workbook_show_their_rows(citynet, tmp_path: Path) -> None:
    for name in ("b.zip", "b.xlsx"):
        assert citynet("convert", str(BROKEN), "--to", "csv", "--allow-lossy", "-o", str(tmp_path / name)).code == 1
        _code, page = _report(citynet, tmp_path, str(tmp_path / name))
        kind = next(f for f in findings_shown(page) if f.code == "invalid-code")
        assert kind.marked == ["kind", "twining"], name
        assert "bremen-gdansk" in kind.excerpt


def test_a_long_line_is_shown_around_the_column(citynet, tmp_path: Path) -> None:
    source = tmp_path / "long.json"
    towns = ", ".join(f'{{"id": "t{i}", "name": "T{i}", "country": "DE"}}' for i in range(40))
    source.write_text(f'{{"standard": "1.0", "towns": [{towns}, {{"id": "x", "name": "X", "country": "ZZ"}}]}}',
                      encoding="utf-8")
    _code, page = _report(citynet, tmp_path, str(source), "--select", "unknown-country")
    [shown] = findings_shown(page)
    assert len(shown.marked[0]) < 300 and '"country": "ZZ"' in shown.marked[0]
    assert shown.marked[0].split(maxsplit=1)[1].startswith("…")


def test_a_file_gone_since_validation_leaves_the_finding_without_excerpt(tmp_path: Path) -> None:
    from citynet_exchange import api
    from citynet_exchange.excerpts import Sources, excerpts, open_path

    copy = tmp_path / "broken.yaml"
    shutil.copy(BROKEN, copy)
    report = api.validate(copy)
    assert len(excerpts(report.findings, Sources(open_path))) == 4
    copy.unlink()
    assert excerpts(report.findings, Sources(open_path)) == {}


def test_hostile_values_are_inert(citynet, tmp_path: Path) -> None:
    source = tmp_path / "hostile.yaml"
    source.write_text('standard: "1.0"\ntowns:\n  - id: x\n    name: "<script>alert(1)</script><img src=x onerror=alert(2)>"\n'
                      '    country: ZZ\n    "<b onmouseover=alert(3)>": 1\n', encoding="utf-8")
    _code, page = _report(citynet, tmp_path, str(source))
    assert "<script>alert" not in page and "<img" not in page and "<b " not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert all("alert" not in script for script in scripts_of(page))
    assert {f.code for f in findings_shown(page)} == {"unknown-country", "unknown-field", "orphan-town"}


def test_the_page_loads_nothing_from_elsewhere(citynet, tmp_path: Path) -> None:
    _code, page = _report(citynet, tmp_path, str(PACKAGE))
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page)
    assert "@import" not in page and "url(" not in page
    assert "default-src 'none'" in page


def test_the_filter_form_is_hidden_without_the_script(citynet, tmp_path: Path) -> None:
    _code, page = _report(citynet, tmp_path, str(PACKAGE))
    assert '<form id="filters" hidden>' in page
    assert page.count('<article class="finding') == 7  # every finding is in the page as written


def test_german(citynet, tmp_path: Path) -> None:
    _code, page = _report(citynet, tmp_path, str(BROKEN), "--lang", "de")
    assert '<html lang="de">' in page and "<h1>Prüfbericht</h1>" in page
    texts = [f.text for f in findings_shown(page)]
    assert "es gibt keinen Datensatz der Art town mit der Id 'riga' in diesem Datensatz" in texts[3]
    assert "Zeile 19 · Spalte 23" in texts[3]
    assert "Ein Feld gehört nicht zum Standard" in texts[0]
    assert "'established' muss Text sein, ist aber eine ganze Zahl" in texts[2]
    explained = page.split('id="rule-unknown-reference"')[1].split("</section>")[0]
    assert ('<p lang="de">Die Mitglieder einer Partnerschaft sowie die Stadt und das Netzwerk einer '
            "Mitgliedschaft müssen Kennungen (Ids) von Städten und Netzwerken sein") in explained


def test_english_explains_the_rules_in_english(citynet, tmp_path: Path) -> None:
    _code, page = _report(citynet, tmp_path, str(BROKEN))
    explained = page.split('id="rule-unknown-reference"')[1].split("</section>")[0]
    assert ('<p lang="en">Partnership members and the town and network of a membership must be ids of towns '
            "and networks defined in the same dataset.") in explained


def test_an_unknown_language_is_a_usage_error(citynet) -> None:
    result = citynet("validate", str(BROKEN), "--lang", "fr", "--report", "html")
    assert result.code == 2 and "'fr' is not one of 'en', 'de'" in result.err


def test_the_json_report_stays_language_neutral(citynet) -> None:
    english = citynet("validate", str(BROKEN), TODAY, "--report", "json").out
    assert citynet("validate", str(BROKEN), TODAY, "--report", "json", "--lang", "de").out == english


@pytest.mark.parametrize("source", ["fixtures/conformance/valid/minimal.yaml"])
def test_a_valid_file_says_so(citynet, tmp_path: Path, source: str) -> None:
    code, page = _report(citynet, tmp_path, str(ROOT / source))
    assert code == 0
    assert '<p class="verdict valid">valid — Errors: 0' in page and "No findings." in page


def test_the_figures_and_the_map_of_the_dataset(citynet, tmp_path: Path) -> None:
    _code, page = _report(citynet, tmp_path, str(ROOT / "fixtures/examples/german-partnerships.yaml"))
    figures = page.split('<section id="figures">')[1].split("</section>")[0]
    assert re.search(r"<td>Partnerships</td><td class=\"count\">16</td>", figures)
    assert re.search(r"<td>Partnerships with the Global South</td><td class=\"count\">7 \(43.8%\)</td>", figures)
    assert re.search(r"<td>twinning</td><td class=\"count\">10</td>", figures)
    assert re.search(r"<td>Eurocities</td><td class=\"count\">7</td>", figures)
    assert "28 towns with coordinates, 18 partnership lines" in figures
    assert figures.count('<line class="partnership"') == 18 and figures.count('<circle class="town"') == 28


def test_no_figures_for_data_that_could_not_all_be_read(citynet, tmp_path: Path) -> None:
    source = tmp_path / "cut.json"
    source.write_text('{"standard": "1.0", "towns": [{"id": "a", "name": "A", "country": "DE"}', encoding="utf-8")
    _code, page = _report(citynet, tmp_path, str(source), "--lang", "de")
    assert "Keine Zahlen: Nicht alle Daten konnten gelesen werden" in page and "<svg" not in page
