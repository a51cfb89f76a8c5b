"""The pages of the web app besides the report: the upload form and the error page."""

from __future__ import annotations

from collections.abc import Sequence

from citynet_exchange.html_page import esc, page
from citynet_exchange.i18n import LANGUAGES, catalogue


def upload_form(lang: str, importers: Sequence[str], exporters: Sequence[str], max_files: int,
                max_megabytes: float) -> str:
    """The form: files, how to read them, the page's language; validate, or convert one file."""
    words = catalogue(lang)
    formats = "".join(f'<option value="{esc(name)}">{esc(name)}</option>' for name in importers)
    targets = "".join(f'<option value="{esc(name)}"{" selected" if name == "json" else ""}>{esc(name)}</option>'
                      for name in exporters)
    languages = "".join(f'<option value="{code}"{" selected" if code == lang else ""}>'
                        f"{esc(catalogue(code).text('lang_name'))}</option>" for code in LANGUAGES)
    body = f"""<header><h1>{esc(words.text('app_title'))}</h1><p>{esc(words.text('app_intro'))}</p></header>
<form class="upload" method="post" action="/validate?lang={lang}" enctype="multipart/form-data">
<label for="files">{esc(words.text('app_files'))}</label>
<input id="files" type="file" name="files" multiple required>
<label for="format">{esc(words.text('app_format'))}</label>
<select id="format" name="format"><option value="">{esc(words.text('app_detect'))}</option>{formats}</select>
<label for="encoding">{esc(words.text('app_encoding'))}</label><input id="encoding" name="encoding" size="12">
<label for="delimiter">{esc(words.text('app_delimiter'))}</label><input id="delimiter" name="delimiter" size="12">
<label for="sheet">{esc(words.text('app_sheet'))}</label><input id="sheet" name="sheet" size="24">
<label for="lang">{esc(words.text('app_language'))}</label><select id="lang" name="lang">{languages}</select>
<div class="buttons"><button id="validate" type="submit">{esc(words.text('app_validate'))}</button></div>
<label for="to">{esc(words.text('app_to'))}</label><select id="to" name="to">{targets}</select>
<div class="buttons"><button id="convert" type="submit" formaction="/convert?lang={lang}">{esc(words.text('app_convert'))}</button>
<span class="note">{esc(words.text('app_convert_note'))}</span></div>
</form>
<p class="note">{esc(words.text('app_limits', files=max_files, megabytes=f'{max_megabytes:g}'))}</p>"""
    return page(words.text("app_title"), lang, body)


def error_page(lang: str, message: str) -> str:
    """What went wrong, and the way back to the form."""
    words = catalogue(lang)
    body = (f"<h1>{esc(words.text('app_error'))}</h1><p class=\"problem\" id=\"problem\">{esc(message)}</p>"
            f'<p><a href="/?lang={esc(lang)}">{esc(words.text("app_back"))}</a></p>')
    return page(words.text("app_error"), lang, body)
