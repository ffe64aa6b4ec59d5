"""Survey codebooks: which column of an export holds which variable, and what its codes mean.

One YAML per instrument and wave (`surveys/codebooks/leernoden-2025.yaml`). Variables that mean
the same across waves share a name, so waves line up.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from inclusie_analysis.errors import InputError

VARIABLE_TYPES = {
    "single_choice",
    "check_all",
    "scale",
    "number",
    "date",
    "free_text",
    "municipality",
    "pii_drop",
    "metadata",
}
FIND_KEYS = {"code", "header", "text"}


@dataclass(frozen=True)
class Variable:
    """One variable of an instrument and how to find its column."""

    name: str
    type: str
    find: dict[str, str]
    labels: dict[str, str] = field(default_factory=dict)
    scale: str | None = None
    theme: str | None = None
    spec: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Codebook:
    """A survey instrument of one wave."""

    path: Path
    instrument: str
    wave: int
    platform: str
    files: tuple[str, ...]
    variables: tuple[Variable, ...]
    scales: dict

    def variable(self, name: str) -> Variable:
        for v in self.variables:
            if v.name == name:
                return v
        raise KeyError(name)

    def matches_file(self, path: Path) -> bool:
        """Whether an export file belongs to this codebook (by its `files` name patterns)."""
        return any(fnmatch.fnmatch(path.name.lower(), p.lower()) for p in self.files)

    def find_column(self, variable: Variable, columns: list[str]) -> str | None:
        """The export column holding `variable`: by exact header, question code or question text."""
        stripped = {str(c).strip(): c for c in columns}
        for key in ("header", "code"):
            if key in variable.find and variable.find[key].strip() in stripped:
                return stripped[variable.find[key].strip()]
        if "text" in variable.find:
            wanted = " ".join(variable.find["text"].lower().split())
            for c in columns:
                if " ".join(str(c).lower().split()).startswith(wanted):
                    return c
        return None


def load_codebook(path: Path | str) -> Codebook:
    """Load and check one codebook; a mistake in it is a clear InputError naming the variable."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"het codeboek kan niet gelezen worden: {exc}", file=str(path)) from None
    for key in ("instrument", "wave", "platform", "variables"):
        if not isinstance(data, dict) or key not in data:
            raise InputError(f"het codeboek mist de sleutel '{key}'.", file=str(path))
    scales = data.get("scales") or {}
    variables = []
    for i, spec in enumerate(data["variables"], start=1):
        name = spec.get("name") if isinstance(spec, dict) else None
        where = f"variabele {i} ({name or '?'})"
        if not name:
            raise InputError(f"{where} heeft geen 'name'.", file=str(path))
        if spec.get("type") not in VARIABLE_TYPES:
            raise InputError(
                f"{where}: onbekend type {spec.get('type')!r}.",
                file=str(path),
                hint=f"Kies uit: {', '.join(sorted(VARIABLE_TYPES))}.",
            )
        find = spec.get("find") or {}
        if not isinstance(find, dict) or not (set(find) & FIND_KEYS) or set(find) - FIND_KEYS:
            raise InputError(f"{where}: 'find' moet code, header of text geven.", file=str(path))
        if spec.get("scale") and spec["scale"] not in scales:
            raise InputError(
                f"{where}: schaal '{spec['scale']}' is niet gedefinieerd.", file=str(path)
            )
        variables.append(
            Variable(
                name=name,
                type=spec["type"],
                find={k: str(v) for k, v in find.items()},
                labels={str(k): str(v) for k, v in (spec.get("labels") or {}).items()},
                scale=spec.get("scale"),
                theme=spec.get("theme"),
                spec=spec,
            )
        )
    names = [v.name for v in variables]
    if len(set(names)) != len(names):
        dupes = sorted({n for n in names if names.count(n) > 1})
        raise InputError(
            f"variabelen staan dubbel in het codeboek: {', '.join(dupes)}.", file=str(path)
        )
    return Codebook(
        path=path,
        instrument=str(data["instrument"]),
        wave=int(data["wave"]),
        platform=str(data["platform"]),
        files=tuple(data.get("files") or [f"*{data['instrument']}*{data['wave']}*"]),
        variables=tuple(variables),
        scales=scales,
    )


def load_codebooks(folder: Path | str) -> list[Codebook]:
    """All codebooks in a folder, sorted by instrument and wave."""
    books = [load_codebook(p) for p in sorted(Path(folder).glob("*.yaml"))]
    return sorted(books, key=lambda b: (b.instrument, b.wave))
