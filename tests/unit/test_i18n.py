"""The languages of the pages: every built-in rule message has a German template with the
same parameters and every built-in rule a German explanation, the page words exist in every
language, and a browser's choice is honoured."""

from __future__ import annotations

import pytest

from citynet_exchange.findings import Finding, Location, Severity
from citynet_exchange.i18n import LANGUAGES, catalogue, negotiate, parameters
from citynet_exchange.plugins import builtin_host
from citynet_exchange.rules import RuleInfo
from citynet_exchange.structure_words import TYPE_NAMES


def test_every_builtin_message_has_a_german_template_with_the_same_parameters() -> None:
    german = catalogue("de")
    for rule in builtin_host().catalogue():
        for key, english in rule.messages.items():
            message_id = f"{rule.code}.{key}"
            assert message_id in german.messages, f"no German template for {message_id}"
            assert parameters(german.messages[message_id]) == parameters(english), message_id
        assert rule.code in german.titles, f"no German title for {rule.code}"


def test_german_has_no_template_for_a_message_that_does_not_exist() -> None:
    ids = {f"{rule.code}.{key}" for rule in builtin_host().catalogue() for key in rule.messages}
    assert set(catalogue("de").messages) - ids == set()


def test_every_builtin_rule_and_only_those_has_a_german_explanation() -> None:
    german = catalogue("de")
    for rule in builtin_host().catalogue():
        explanation, lang = german.explanation(rule)
        assert lang == "de", f"no German explanation for {rule.code}"
        assert explanation.strip() and explanation != rule.explanation, rule.code
    assert set(german.explanations) == {rule.code for rule in builtin_host().catalogue()}


def test_a_plugins_rule_is_explained_in_its_own_english() -> None:
    rule = RuleInfo("a-plugins-rule", Severity.WARNING, "A title", "Its explanation.", {})
    assert catalogue("de").explanation(rule) == ("Its explanation.", "en")
    unknown_reference = next(r for r in builtin_host().catalogue() if r.code == "unknown-reference")
    assert catalogue("en").explanation(unknown_reference) == (unknown_reference.explanation, "en")


def test_every_language_has_the_same_page_words() -> None:
    words = [set(catalogue(lang).ui) for lang in LANGUAGES]
    assert all(w == words[0] for w in words)
    for lang in LANGUAGES:  # the parameters of a sentence are the same in every language
        assert {k: parameters(v) for k, v in catalogue(lang).ui.items()} == \
               {k: parameters(v) for k, v in catalogue("en").ui.items()}


def _finding(message_id: str, params: dict[str, object]) -> Finding:
    return Finding(code=message_id.split(".")[0], severity=Severity.ERROR, message="the English message",
                   message_id=message_id, params=params, location=Location(file="x.yaml"))


def test_a_message_is_rendered_from_its_template_or_else_in_english() -> None:
    german = catalogue("de")
    assert german.message(_finding("unknown-reference.unknown", {"kind": "town", "id": "riga"})) == \
        "es gibt keinen Datensatz der Art town mit der Id 'riga' in diesem Datensatz"
    assert german.message(_finding("a-plugins-rule.message", {})) == "the English message"
    assert german.message(_finding("unknown-reference.unknown", {"kind": "town"})) == "the English message"
    assert catalogue("en").message(_finding("unknown-reference.unknown", {"kind": "town", "id": "r"})) == \
        "the English message"


def test_the_type_names_of_a_wrong_type_message_are_german_and_other_parameters_as_they_are() -> None:
    german = catalogue("de")
    assert set(german.terms) == {"wrong-type"} and set(german.terms["wrong-type"]) == set(TYPE_NAMES.values())
    wrong = _finding("wrong-type.type-hint", {"field": "'established'", "expected": "text",
                                              "actual": "a whole number", "value": '"1976"'})
    assert german.message(wrong) == \
        "'established' muss Text sein, ist aber eine ganze Zahl; schreiben Sie den Wert in Anführungszeichen: \"1976\""
    assert german.message(_finding("invalid-value.other", {"field": "'name'", "detail": "text"})) == "'name': text"


@pytest.mark.parametrize(("header", "lang"), [
    ("de-DE,de;q=0.9,en;q=0.8", "de"),
    ("en-US,en;q=0.9,de;q=0.8", "en"),
    ("fr-FR,fr;q=0.9,de;q=0.5,en;q=0.4", "de"),
    ("fr, en;q=0.1, de;q=0.2", "de"),
    ("de;q=0, en;q=0.5", "en"),
    ("fr", "en"),
    ("", "en"),
    (None, "en"),
    ("de;q=abc, en", "en"),
])
def test_the_browsers_language(header: str | None, lang: str) -> None:
    assert negotiate(header) == lang


def test_an_unknown_language_has_no_catalogue() -> None:
    with pytest.raises(ValueError, match="no catalogue for language 'fr'"):
        catalogue("fr")
