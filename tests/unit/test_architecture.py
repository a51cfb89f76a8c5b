"""House rules that keep the architecture readable: the core never imports a plugin, every
hook and command is documented."""

from __future__ import annotations

import ast
from pathlib import Path

from citynet_exchange import hookspecs
from citynet_exchange.cli.commands import cli

ROOT = Path(__file__).parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_core_never_imports_a_plugin_package():
    for path in (ROOT / "citynet_exchange").rglob("*.py"):
        offending = {name for name in _imports(path)
                     if name.split(".")[0].startswith("citynet_exchange_") or name.startswith("plugins")}
        assert not offending, f"{path.relative_to(ROOT)} imports {offending}"


def test_every_hook_is_documented_and_prefixed():
    specs = [name for name in dir(hookspecs) if name.startswith("citynet_")]
    assert specs == sorted(specs) and len(specs) == 5
    for name in specs:
        assert name.startswith("citynet_register_")
        assert f"`{name}`" in README, f"{name} is not in the README's plugin guide"
        assert getattr(hookspecs, name).__doc__


def test_every_command_is_documented():
    for name in cli.commands:
        assert f"`citynet {name}" in README, f"citynet {name} is not in the README"


def test_validating_a_yaml_file_imports_no_rdf_spreadsheet_or_model_library() -> None:
    """Plugins import their heavy libraries only when their format is read or written; a
    valid file needs neither pydantic's models nor python-jsonschema, nor pycountry's objects."""
    import subprocess
    import sys

    code = ("import sys\nfrom citynet_exchange.cli import main\n"
            "try:\n    main(['validate', 'fixtures/examples/raunheim-network-2015.yaml'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('rdflib', 'openpyxl', 'pyshacl', 'pydantic', 'jsonschema', 'pycountry')"
            " if m in sys.modules))")
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True)
    assert result.stdout.splitlines()[-1] == "[]"


def test_the_console_script_leaves_what_a_command_made_to_the_exit_not_to_the_collector() -> None:
    """`citynet` runs its command without the cyclic garbage collector and freezes what is
    left, so that the interpreter's last collection does not traverse it."""
    import subprocess
    import sys

    code = ("import atexit, gc, sys\n"
            "atexit.register(lambda: print(gc.isenabled(), gc.get_freeze_count() > 0))\n"
            "sys.argv = ['citynet', 'validate', 'fixtures/examples/raunheim-network-2015.yaml']\n"
            "from citynet_exchange.cli import console\nconsole()\n")
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root)
    assert (result.returncode, result.stdout.splitlines()[-1]) == (0, "False True")
