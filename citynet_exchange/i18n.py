"""The languages of the pages people read: the HTML report and the web app.

Findings carry a message id and parameters, so a page can say them in another language
while the JSON report stays language-neutral. `locales/<lang>.toml` holds a language's page
words (`ui`), rule titles, rule explanations, message templates and the fixed words a rule's
messages insert as parameters (`terms`: the type names of wrong-type); what a catalogue lacks
(a plugin's rule) is said in the rule's own English.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from string import Formatter
from typing import Any

from citynet_exchange.findings import Finding
from citynet_exchange.rules import RuleInfo

LANGUAGES = ("en", "de")
DEFAULT = "en"
_LOCALES = Path(__file__).resolve().parent / "locales"


@dataclass(frozen=True)
class Catalogue:
    """One language's words."""

    lang: str
    ui: dict[str, str]
    titles: dict[str, str]
    explanations: dict[str, str]
    messages: dict[str, str]
    terms: dict[str, dict[str, str]]  # by rule code: a fixed English parameter word -> this language's

    def text(self, key: str, **params: Any) -> str:
        """A page word or sentence, its parameters filled in."""
        return self.ui[key].format(**params) if params else self.ui[key]

    def message(self, finding: Finding) -> str:
        """The finding's message in this language, or its English one where no template fits;
        a parameter that is one of the rule's fixed words (`terms`) is said in this language too."""
        template = self.messages.get(finding.message_id)
        if template is None:
            return finding.message
        terms = self.terms.get(finding.code, {})
        params = {name: terms.get(value, value) if isinstance(value, str) else value
                  for name, value in finding.params.items()}
        try:
            return template.format(**params)
        except (KeyError, IndexError, ValueError):  # a template out of step with its rule
            return finding.message

    def title(self, rule: RuleInfo) -> str:
        return self.titles.get(rule.code, rule.title)

    def explanation(self, rule: RuleInfo) -> tuple[str, str]:
        """The rule's explanation and the language it is in: this one's, or else English."""
        if rule.code in self.explanations:
            return self.explanations[rule.code], self.lang
        return rule.explanation, "en"


@cache
def catalogue(lang: str) -> Catalogue:
    """The catalogue of a language of `LANGUAGES`."""
    if lang not in LANGUAGES:
        raise ValueError(f"no catalogue for language {lang!r}")
    data = tomllib.loads((_LOCALES / f"{lang}.toml").read_text(encoding="utf-8"))
    return Catalogue(lang, data["ui"], data.get("titles", {}), data.get("explanations", {}),
                     data.get("messages", {}), data.get("terms", {}))


def parameters(template: str) -> set[str]:
    """The names of a template's parameters (`{kind}` ...)."""
    return {name for _text, name, _spec, _conv in Formatter().parse(template) if name}


def negotiate(accept_language: str | None) -> str:
    """The language of `LANGUAGES` a browser's Accept-Language header prefers most."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, rest = part.strip().partition(";")
        quality = 1.0
        if rest.strip().startswith("q="):
            try:
                quality = float(rest.strip()[2:])
            except ValueError:
                continue
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else DEFAULT
