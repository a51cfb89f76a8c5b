"""The validation report: findings plus a summary, as the JSON report publishes it.

`schema/report-1.0.schema.json` is generated from these models, so every JSON report
validates against it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from citynet_exchange import STANDARD_VERSION, __version__
from citynet_exchange.findings import Finding, Severity


class Tool(BaseModel):
    """The validator that wrote the report."""

    name: str = Field("citynet-exchange", description="Name of the validator.")
    version: str = Field(__version__, description="Its version.")


class ToolProblem(BaseModel):
    """A failure of the validator or a plugin, not of the data: the verdict is incomplete."""

    source: str = Field(description="The plugin or rule that failed.")
    message: str = Field(description="What went wrong.")


class Summary(BaseModel):
    """Counts over the whole report."""

    severities: dict[Severity, int] = Field(description="Number of findings per severity.")
    records: dict[str, int] = Field(description="Number of records per kind.")
    files: int = Field(description="Number of files validated.")


class Report(BaseModel):
    """The result of validating one or more files."""

    model_config = ConfigDict(use_enum_values=True)

    report: Literal["1.0"] = Field("1.0", description="Version of the report format.")
    tool: Tool = Field(default_factory=Tool, description="The validator that wrote the report.")
    standard: str = Field(STANDARD_VERSION, description="Version of the standard validated against.")
    valid: bool = Field(description="True when no finding has severity error.")
    summary: Summary = Field(description="Counts of findings, records and files.")
    inputs: list[str] = Field(default_factory=list, description="The files validated, as they were named.")
    findings: list[Finding] = Field(description="The findings, ordered by file and place.")
    tool_problems: list[ToolProblem] = Field(
        default_factory=list, description="Failures of the validator or its plugins; empty when the run was complete."
    )

    @classmethod
    def build(
        cls,
        findings: Iterable[Finding],
        records: Counter[str],
        files: int,
        tool_problems: Iterable[ToolProblem] = (),
        inputs: Iterable[str] = (),
    ) -> Report:
        ordered = sorted(findings, key=Finding.sort_key)
        counts = Counter(f.severity for f in ordered)
        return cls(
            valid=counts[Severity.ERROR] == 0,
            summary=Summary(
                severities={s: counts[s] for s in Severity},
                records={kind: records[kind] for kind in ("town", "network", "partnership", "membership")},
                files=files,
            ),
            inputs=list(inputs),
            findings=ordered,
            tool_problems=list(tool_problems),
        )

    def at_or_above(self, threshold: Severity) -> list[Finding]:
        return [f for f in self.findings if Severity(f.severity).rank >= threshold.rank]
