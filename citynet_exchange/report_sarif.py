"""The SARIF 2.1.0 report: what code-scanning dashboards (GitHub, GitLab, Azure) read.

The rules are the rule catalogue (`tool.driver.rules`), each result points at its file,
line and column; places SARIF has no field for (JSON Pointer, table row and column name,
sheet and cell, RDF subject, the record) go in the result's `properties`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from citynet_exchange import __version__
from citynet_exchange.findings import Finding, Location
from citynet_exchange.report import Report, json_bytes, plain
from citynet_exchange.rules import RuleInfo

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
_EXTRA = ("pointer", "row", "field", "sheet", "cell", "subject")


def _location(location: Location) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": quote(location.file or "<input>")}}
    if location.line is not None:
        region: dict[str, int] = {"startLine": location.line}
        if location.column is not None:
            region["startColumn"] = location.column
        physical["region"] = region
    result: dict[str, Any] = {"physicalLocation": physical}
    if location.pointer or location.subject:
        result["logicalLocations"] = [{"fullyQualifiedName": location.subject or location.pointer,
                                       "kind": "object" if location.subject else "member"}]
    return result


def _result(finding: Finding, index: dict[str, int]) -> dict[str, Any]:
    properties: dict[str, Any] = {k: getattr(finding.location, k) for k in _EXTRA
                                  if getattr(finding.location, k) is not None}
    if finding.record is not None:
        properties["record"] = plain(finding.record)
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "level": LEVELS[str(finding.severity)],
        "message": {"text": finding.message},
        "locations": [_location(finding.location)],
    }
    if finding.code in index:
        result["ruleIndex"] = index[finding.code]
    if finding.related:
        result["relatedLocations"] = [{"id": i, **_location(r)} for i, r in enumerate(finding.related, start=1)]
    if properties:
        result["properties"] = properties
    return result


def render_sarif(report: Report, rules: Sequence[RuleInfo]) -> bytes:
    index = {rule.code: i for i, rule in enumerate(rules)}
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "citynet",
            "fullName": "citynet-exchange validator",
            "version": __version__,
            "informationUri": "https://citynet-exchange.org",
            "rules": [{
                "id": rule.code,
                "shortDescription": {"text": rule.title},
                "fullDescription": {"text": rule.explanation},
                "defaultConfiguration": {"level": LEVELS[str(rule.severity)]},
            } for rule in rules],
        }},
        "artifacts": [{"location": {"uri": quote(name)}} for name in report.inputs],
        "invocations": [{
            "executionSuccessful": not report.tool_problems,
            "toolExecutionNotifications": [{"level": "error", "message": {"text": f"{p.source}: {p.message}"}}
                                           for p in report.tool_problems],
        }],
        "results": [_result(f, index) for f in report.findings],
    }
    return json_bytes({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}, newline=True)
