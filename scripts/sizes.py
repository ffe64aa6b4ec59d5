"""List the modules and functions of the package that have grown past what a reader holds in mind.

    python scripts/sizes.py            # list them (modules over 600 lines, functions over 60)
    python scripts/sizes.py --check    # the same, and exit 1 when there is any (make lint)

A function's length counts from its `def` line to its last line, decorators and docstring
included; a module's is its number of lines.
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODULE_LINES = 600
FUNCTION_LINES = 60


def oversized(package: Path = ROOT / "inclusie_analysis") -> tuple[list, list]:
    """(modules, functions) over the limits: (path, lines) and (path, name, lines), longest
    first."""
    modules, functions = [], []
    for path in sorted(package.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        relative = path.relative_to(ROOT).as_posix()
        lines = len(text.splitlines())
        if lines > MODULE_LINES:
            modules.append((relative, lines))
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                length = node.end_lineno - start + 1
                if length > FUNCTION_LINES:
                    functions.append((relative, node.name, length))
    modules.sort(key=lambda m: -m[1])
    functions.sort(key=lambda f: -f[2])
    return modules, functions


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when anything is too long")
    args = parser.parse_args(argv)
    modules, functions = oversized()
    for path, lines in modules:
        print(f"module   {lines:5d} lines  {path}")
    for path, name, lines in functions:
        print(f"function {lines:5d} lines  {path}:{name}")
    print(f"{len(modules)} module(s) over {MODULE_LINES} lines, {len(functions)} function(s) "
          f"over {FUNCTION_LINES} lines.")  # fmt: skip
    return 1 if args.check and (modules or functions) else 0


if __name__ == "__main__":
    sys.exit(main())
