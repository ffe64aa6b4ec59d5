"""Paths as published files may show them: relative, never a home folder or a user name.

Reports, `manifest.json` and `meta.json` are shared beyond the machine that made them. An
absolute path there tells where the project lives (often `/home/<user>/...` or
`C:\\Users\\<user>\\...`) and is useless on another machine; a path relative to the report
year folder works wherever the folder is copied to. Below the steps (it imports none): clean
writes the private data folder and `meta.json` with these helpers, publish the reports.
"""

from __future__ import annotations

import os
from pathlib import Path

# Private data folders (`reports/<year>/data`): only the owner may read them.
PRIVATE_DIR_MODE = 0o700


def portable_path(path: Path | str, base: Path | str) -> str:
    """`path` relative to `base` (POSIX slashes), e.g. "data" or "../../surveys/raw".

    Relative only as far as that names no folder above what both share: when the nearest
    folder they share is the file system's root, a drive, or a folder above the user's home
    (e.g. `/home`), the relative path would spell out the home folder and so the user name;
    then only the last part of the path is kept (its name).
    """
    target = Path(os.path.abspath(path))
    start = Path(os.path.abspath(base))
    try:
        common = Path(os.path.commonpath([target, start]))
    except ValueError:  # another drive (Windows)
        return target.name
    home = Path(os.path.abspath(Path.home()))
    above_home = common == Path(common.anchor) or (common != home and common in home.parents)
    if above_home:
        return target.name
    return Path(os.path.relpath(target, start)).as_posix()


def replace_folder(text: str, folder: Path | str, shown: str, separator: bool = False) -> str:
    """`text` with the absolute `folder` (as given and resolved) written as `shown`; with
    `separator`, "<folder>/x" becomes "x" first (for messages that name files inside it)."""
    for form in sorted({str(folder), str(Path(folder).resolve())}, key=len, reverse=True):
        if separator:
            text = text.replace(form + os.sep, "")
        text = text.replace(form, shown)
    return text


# Keys whose values are paths in meta.json, manifest.json and report parameters.
PATH_KEYS = frozenset(
    {"data_dir", "output_dir", "input_root", "file", "folder", "path", "expected", "codebooks"}
)


def portable(value: object, base: Path | str, key: str | None = None) -> object:
    """`value` (a JSON-like structure) with every absolute path under a key of `PATH_KEYS`
    made `portable_path`; other values (titles, ids, messages) are left as they are."""
    if isinstance(value, dict):
        return {k: portable(item, base, k) for k, item in value.items()}
    if isinstance(value, list | tuple):
        return [portable(item, base, key) for item in value]
    if key in PATH_KEYS and isinstance(value, str | Path) and Path(value).is_absolute():
        return portable_path(value, base)
    return value


def private_dir(path: Path | str) -> Path:
    """Create `path` (and its parents) with the data folder's 0700, tightening it when it
    already exists; its parents keep the user's umask."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.mkdir(mode=PRIVATE_DIR_MODE, exist_ok=True)
    if os.name == "posix":
        path.chmod(PRIVATE_DIR_MODE)
    return path
