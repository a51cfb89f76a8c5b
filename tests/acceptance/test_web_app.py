"""`citynet serve`'s web app through an HTTP test client: the form, the report of uploaded
files, the converted download, the limits, and nothing left behind."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from html_findings import findings_shown

pytest.importorskip("starlette", reason="the web app needs the serve extra")
from starlette.testclient import TestClient  # noqa: E402

from citynet_exchange.web_app import Limits, create_app  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
BROKEN = ROOT / "tests/acceptance/examples/broken.yaml"
GOOD = ROOT / "fixtures/examples/raunheim-network-2015.yaml"
PACKAGE = ROOT / "tests/acceptance/examples/broken-package"


@pytest.fixture
def client() -> TestClient:
    return TestClient(create_app(Limits(max_bytes=200_000, max_files=3)))


def _upload(*paths: Path) -> list[tuple[str, tuple[str, bytes]]]:
    return [("files", (p.name, p.read_bytes())) for p in paths]


def test_the_form_offers_every_format_and_the_limits(client: TestClient) -> None:
    page = client.get("/").text
    assert 'enctype="multipart/form-data"' in page and 'name="files" multiple' in page
    for name in ("yaml", "csv", "flat", "cemr", "turtle"):
        assert f'<option value="{name}">' in page
    assert "At most 3 files, 0.19 MB together." in page


def test_the_form_speaks_the_browsers_language(client: TestClient) -> None:
    page = client.get("/", headers={"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"}).text
    assert '<html lang="de">' in page and "Prüfen" in page and '<option value="de" selected>' in page
    assert '<html lang="en">' in client.get("/?lang=en", headers={"Accept-Language": "de"}).text


def test_a_good_file_is_valid(client: TestClient) -> None:
    answer = client.post("/validate", files=_upload(GOOD))
    assert answer.status_code == 200
    assert '<p class="verdict valid">valid — Errors: 0' in answer.text
    assert findings_shown(answer.text) == [] or all(f.severity != "error" for f in findings_shown(answer.text))
    assert "default-src 'none'" in answer.headers["content-security-policy"]


def test_a_bad_file_shows_its_findings_in_context_under_its_own_name(client: TestClient) -> None:
    answer = client.post("/validate", files=_upload(BROKEN), data={"lang": "de"})
    shown = findings_shown(answer.text)
    assert [f.code for f in shown] == ["unknown-field", "invalid-code", "wrong-type", "unknown-reference"]
    assert "es gibt keinen Datensatz der Art town mit der Id 'riga'" in shown[3].text
    assert '<p lang="de">Die Mitglieder einer Partnerschaft sowie die Stadt' in answer.text  # the rule's explanation
    assert "members: [bremen, riga]" in shown[3].marked[0]
    assert '<h3 class="mono">broken.yaml</h3>' in answer.text
    assert "citynet-serve-" not in answer.text  # no temporary path shows


def test_several_files_are_one_dataset(client: TestClient, tmp_path: Path) -> None:
    towns = tmp_path / "towns.yaml"
    towns.write_text('standard: "1.0"\ntowns:\n  - {id: riga, name: Riga, country: LV}\n', encoding="utf-8")
    shown = findings_shown(client.post("/validate", files=_upload(BROKEN, towns)).text)
    assert "unknown-reference" not in {f.code for f in shown}
    assert {f.code for f in shown} == {"unknown-field", "invalid-code", "wrong-type"}


def test_tables_are_read_with_the_options_of_the_form(client: TestClient) -> None:
    table = PACKAGE / "towns.csv"
    answer = client.post("/validate", files=_upload(table), data={"format": "flat", "delimiter": "semicolon"})
    assert answer.status_code == 200
    assert {f.code for f in findings_shown(answer.text)} >= {"missing-column"}
    wrong = client.post("/validate", files=_upload(BROKEN), data={"sheet": "towns"})
    assert wrong.status_code == 400 and "broken.yaml: the yaml format takes no --sheet" in wrong.text


def test_convert_downloads_the_dataset_in_the_chosen_format(client: TestClient) -> None:
    answer = client.post("/convert", files=_upload(BROKEN), data={"to": "json"})
    assert answer.status_code == 200
    assert answer.headers["content-disposition"] == 'attachment; filename="broken.json"'
    data = json.loads(answer.content)
    assert [t["id"] for t in data["towns"]] == ["bremen", "gdansk"]
    package = client.post("/convert", files=_upload(GOOD), data={"to": "csv"})
    assert package.headers["content-disposition"] == 'attachment; filename="raunheim-network-2015.zip"'
    assert package.content.startswith(b"PK\x03\x04")


def test_convert_takes_one_readable_file(client: TestClient, tmp_path: Path) -> None:
    two = client.post("/convert", files=_upload(BROKEN, GOOD), data={"to": "json"})
    assert two.status_code == 400 and "Converting takes exactly one file; you chose 2." in two.text
    broken = tmp_path / "broken.json"
    broken.write_text('{"standard": "1.0", "towns": [', encoding="utf-8")
    unreadable = client.post("/convert", files=_upload(broken), data={"to": "yaml"})
    assert unreadable.status_code == 422 and "nothing was converted" in unreadable.text
    unknown = client.post("/convert", files=_upload(GOOD), data={"to": "docx"})
    assert unknown.status_code == 400 and "unknown output format &#x27;docx&#x27;" in unknown.text


def test_uploads_past_the_limits_are_refused_with_413(client: TestClient) -> None:
    big = client.post("/validate", files=[("files", ("big.json", b" " * 300_000))],
                      headers={"Accept-Language": "de"})  # the form's fields are not read: the browser's language
    assert big.status_code == 413 and "höchstens 0.19 MB" in big.text
    many = client.post("/validate", files=[("files", (f"f{i}.yaml", GOOD.read_bytes())) for i in range(4)])
    assert many.status_code == 413 and "Too many files: 3 at most." in many.text


def test_no_file_is_a_clear_error(client: TestClient) -> None:
    answer = client.post("/validate", data={"lang": "en"}, files=[("files", ("", b""))])
    assert answer.status_code == 400 and "Please choose at least one file." in answer.text


def test_nothing_is_left_behind(client: TestClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    client.post("/validate", files=_upload(BROKEN))
    client.post("/convert", files=_upload(BROKEN), data={"to": "yaml"})
    client.post("/validate", files=_upload(BROKEN), data={"sheet": "x"})
    assert list(tmp_path.iterdir()) == []


def test_a_hostile_file_name_and_content_stay_text(client: TestClient) -> None:
    hostile = b'standard: "1.0"\ntowns:\n  - {id: x, name: "<script>alert(1)</script>", country: ZZ}\n'
    answer = client.post("/validate", files=[("files", ('../"><script>alert(2)<', hostile))])
    assert answer.status_code == 200
    assert "<script>alert" not in answer.text
    assert "unknown-country" in {f.code for f in findings_shown(answer.text)}


def test_a_taken_port_is_a_usage_error(citynet) -> None:
    import socket

    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = citynet("serve", "--port", str(port))
    assert result.code == 2 and f"cannot listen on 127.0.0.1:{port}" in result.err


def test_the_report_has_the_figures_of_the_uploaded_dataset(client: TestClient) -> None:
    page = client.post("/validate", files=_upload(GOOD)).text
    assert '<section id="figures">' in page and page.count('<circle class="town"') >= 8


def test_the_server_runs_with_the_cyclic_collector_the_console_script_turns_off(
        citynet, monkeypatch: pytest.MonkeyPatch) -> None:
    """`citynet` runs a command without the collector; a server runs on, and each request's
    garbage must be freed."""
    import gc

    import citynet_exchange.web_app

    enabled: list[bool] = []
    monkeypatch.setattr(citynet_exchange.web_app, "serve", lambda *args: enabled.append(gc.isenabled()))
    was = gc.isenabled()
    gc.disable()
    try:
        result = citynet("serve", "--port", "0")
    finally:
        if was:
            gc.enable()
    assert (result.code, enabled) == (0, [True])
