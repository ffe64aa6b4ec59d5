"""The package's layering (ARCHITECTURE.md): read → clean → analyse → publish, and a step
imports only the steps before it, plus reference/, settings, errors, formats and paths. Every import
counts, also one inside a function (a lazy import is still a dependency)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "inclusie_analysis"
STEPS = ("read", "clean", "analyse", "publish")
BELOW_THE_STEPS = ("settings", "errors", "formats", "paths")  # may import no step at all

# Imports of a later step that are known and not yet moved: each names the module, the step
# it imports and why it is still there. The test fails when one disappears too (then delete
# its line), so the list only shrinks.
KNOWN = {
    # clean_year computes the year's indicators (the ledger branch was changing
    # clean/datasets.py when the layering was tidied).
    ("clean.datasets", "analyse.indicators"),
    # The data-quality workbook's Excel writer.
    ("clean.quality", "publish.excel"),
}


def _module(path: Path) -> tuple[str, ...]:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[:-1] if parts[-1] == "__init__" else parts


def imported_modules(path: Path, package: tuple[str, ...] | None = None) -> set[tuple[str, ...]]:
    """Every inclusie_analysis module `path` imports (absolute or relative, at any depth),
    as parts below the package: ("publish", "text"). `package`: the folder a relative import
    starts from (default: the file's own)."""
    if package is None:
        here = _module(path)
        package = here if path.name == "__init__.py" else here[:-1]
    found: set[tuple[str, ...]] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name.split(".") for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(package[: len(package) - (node.level - 1)])
                module = [*base, *(node.module.split(".") if node.module else [])]
                names = [["inclusie_analysis", *module]]
            else:
                names = [(node.module or "").split(".")]
            # `from inclusie_analysis.publish import plots` imports publish.plots
            names += [[*names[0], alias.name] for alias in node.names]
        else:
            continue
        for name in names:
            if name[0] == "inclusie_analysis" and len(name) > 1:
                found.add(tuple(name[1:]))
    return found


def _step(module: tuple[str, ...]) -> int | None:
    return STEPS.index(module[0]) if module and module[0] in STEPS else None


def layer_violations() -> set[tuple[str, str]]:
    """(importer, imported step module) for every import of a later step, and every import
    of a step by a module below the steps."""
    found = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        here = _module(path)
        mine = _step(here)
        below = bool(here) and here[0] in BELOW_THE_STEPS
        if mine is None and not below:
            continue  # cli, cli_parser, demo and the package's __init__ may import anything
        for module in imported_modules(path):
            theirs = _step(module)
            if theirs is None or not (below or theirs > mine):
                continue
            found.add((".".join(here), ".".join(module[:2])))
    return found


def test_no_step_imports_a_later_step():
    new = layer_violations() - KNOWN
    assert not new, (
        "These modules import a later step (read < clean < analyse < publish); move the "
        f"shared code down instead: {sorted(new)}"
    )


def test_the_known_exceptions_still_exist():
    gone = KNOWN - layer_violations()
    assert not gone, f"No longer imported, delete from KNOWN: {sorted(gone)}"


def test_the_check_sees_a_lazy_import_of_a_later_step(tmp_path):
    module = tmp_path / "mod.py"
    module.write_text(
        "def f():\n    from inclusie_analysis.publish import plots\n"
        "    import inclusie_analysis.analyse.stats\n",
        encoding="utf-8",
    )
    found = imported_modules(module, package=("publish",))
    assert ("publish", "plots") in found and ("analyse", "stats") in found
