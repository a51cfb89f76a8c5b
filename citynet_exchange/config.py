"""Project configuration: `citynet.toml`, or `[tool.citynet]` in `pyproject.toml`, found from
the working directory upwards (or named with `--config`).

Precedence, highest first: the command line, the overrides whose `paths` match the file,
the top of the configuration, the defaults. A key the configuration does not know, or a
value of the wrong kind, is a usage error naming the file and the key.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from collections.abc import Iterable
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, ClassVar

from annotated_types import MinLen

from citynet_exchange.engine import expand
from citynet_exchange.errors import UsageError
from citynet_exchange.findings import Finding, Severity
from citynet_exchange.formats import ReadOptions
from citynet_exchange.limits import Limits

NAMES = ("citynet.toml", "pyproject.toml")
HYPHENATED = {"fail-on": "fail_on", "strict-plugins": "strict_plugins"}  # TOML key -> field


_STRICT: dict[str, Any] = {"extra": "forbid"}  # for pydantic, which checks a configuration file


@dataclass(frozen=True)
class Override:
    """Settings for the files whose path (relative to the configuration's folder) matches one
    of `paths` (globs such as `partnerships/**/*.yaml`)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    paths: Annotated[list[str], MinLen(1)]
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)
    format: str | None = None  # how these files are read, where the command line does not say
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    mapping: str | None = None  # relative to the configuration's folder


@dataclass(frozen=True)
class Config:
    """What `[tool.citynet]` may hold (`fail-on` and `strict-plugins` are written with a hyphen there)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)
    fail_on: Severity | None = None
    strict_plugins: bool = False  # stop if a plugin failed to load, as --strict-plugins
    limits: dict[str, int | str] = field(default_factory=dict)  # caps on what is read, by name (`limits`)
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    overrides: list[Override] = field(default_factory=list)
    root: Path = Path(".")
    source: str = "configuration"

    def caps(self) -> Limits:
        """The caps on what is read: the defaults, with the values of `[tool.citynet.limits]`."""
        return Limits().with_values(self.limits, f"{self.source}: limits")

    def wanted(self, path: str) -> bool:
        """Whether a file found in a folder is validated (include and exclude globs)."""
        relative = self._relative(path)
        if self.include and not any(_matches(relative, g) for g in self.include):
            return False
        return not any(_matches(relative, g) for g in self.exclude)

    def adjust(self, findings: Iterable[Finding], select: set[str] | None, ignore: set[str]) -> list[Finding]:
        """The findings as the configuration wants them: dropped where not selected or ignored,
        severities changed; the command line's `select` and `ignore` win."""
        result = []
        for finding in findings:
            overrides = [o for o in self.overrides if any(_matches(self._relative(finding.location.file), g)
                                                           for g in o.paths)]
            chosen = select if select is not None else next(
                (set(o.select) for o in reversed(overrides) if o.select is not None),
                set(self.select) if self.select is not None else None)
            ignored = ignore | set(self.ignore) | {c for o in overrides for c in o.ignore}
            if (chosen is not None and finding.code not in chosen) or finding.code in ignored:
                continue
            severity = next((o.severity[finding.code] for o in reversed(overrides) if finding.code in o.severity),
                            self.severity.get(finding.code))
            result.append(replace(finding, severity=severity) if severity else finding)
        return result

    def reading(self, path: str, format: str | None, read: ReadOptions) -> tuple[str | None, ReadOptions]:
        """How to read a file: the command line's format and options, else the last matching
        override's."""
        overrides = [o for o in self.overrides if any(_matches(self._relative(path), g) for g in o.paths)]
        given = vars(read)
        for override in reversed(overrides):
            format = format or override.format
            for name in ("encoding", "delimiter", "sheet", "mapping"):
                value = getattr(override, name)
                if given.get(name) is None and value is not None:
                    given = {**given, name: str(self.root / value) if name == "mapping" else value}
        return format, ReadOptions(**given)

    def _relative(self, path: str | None) -> str:
        if not path:
            return ""
        try:
            return Path(path).resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return PurePosixPath(path).as_posix()

    def expanded(self, known: set[str]) -> tuple[Config, list[str]]:
        """The configuration with code prefixes (`duplicate-`, `duplicate*`) turned into the codes
        they name, and the values that name no code (severities take whole codes only)."""
        unknown: list[str] = []

        def codes(values: list[str] | None) -> list[str] | None:
            if values is None:
                return None
            found, missing = expand(values, known)
            unknown.extend(missing)
            return sorted(found)

        def severities(table: dict[str, Severity]) -> dict[str, Severity]:
            unknown.extend(code for code in table if code not in known)
            return table

        overrides = [replace(o, select=codes(o.select), ignore=codes(o.ignore), severity=severities(o.severity))
                     for o in self.overrides]
        config = replace(self, select=codes(self.select), ignore=codes(self.ignore),
                         severity=severities(self.severity), overrides=overrides)
        return config, sorted(set(unknown))


def _matches(path: str, glob: str) -> bool:
    return fnmatch(path, glob) or (glob.startswith("**/") and fnmatch(path, glob[3:]))


def find(start: Path) -> Path | None:
    """The nearest `citynet.toml`, or `pyproject.toml` with a `[tool.citynet]` table."""
    for folder in [start, *start.parents]:
        for name in NAMES:
            candidate = folder / name
            if candidate.is_file() and (name == "citynet.toml" or "[tool.citynet" in candidate.read_text(
                    encoding="utf-8", errors="replace")):
                return candidate
    return None


def load(path: Path | None) -> Config:
    """The configuration at `path` (None: defaults)."""
    if path is None:
        return Config()
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the configuration: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not valid TOML: {exc}") from None
    table = document.get("tool", {}).get("citynet", {}) if path.name == "pyproject.toml" else document
    prefix = "tool.citynet." if path.name == "pyproject.toml" else ""
    table = {HYPHENATED.get(key, key): value for key, value in table.items()}
    return _checked({**table, "root": path.parent, "source": str(path)}, path, prefix)


def _checked(table: dict[str, Any], path: Path, prefix: str) -> Config:
    """The configuration a TOML table gives; a key it does not know or a value of the wrong
    kind is a usage error naming the file and the key."""
    from pydantic import TypeAdapter, ValidationError  # only when there is a file to check

    try:
        return TypeAdapter(Config).validate_python(table)
    except ValidationError as exc:
        error = exc.errors()[0]
        toml_keys = {field: key for key, field in HYPHENATED.items()}
        key = prefix + ".".join(toml_keys.get(str(p), str(p)) for p in error["loc"])
        message = "not a key citynet knows" if error["type"] == "unexpected_keyword_argument" else error["msg"]
        raise UsageError(f"{path}: {key}: {message}") from None
